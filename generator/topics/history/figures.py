"""Figures for the History & performance page."""

from __future__ import annotations

import pandas as pd

from generator.analytics.returns import cagr, growth_of
from generator.analytics.risk import drawdown
from generator.catalog import get
from generator.figures.spec import Drawn, figure
from generator.figures.theme import (
    color,
    guide,
    line,
    new_figure,
    range_buttons,
    recession_bands,
    weekly,
)
from generator.store import Store, load_values
from generator.topics import aligned
from generator.topics.history.data import (
    ROLLING_YEARS,
    calendar_returns_table,
    decades_table,
    rolling_wins_table,
    trailing_table,
    wins_summary,
    worst_drawdowns,
)
from generator.units import Fraction

ROLLING_MONTHS = ROLLING_YEARS * 12  # named in figures.yml


def _last_date(frame: pd.DataFrame | pd.Series) -> pd.Timestamp:
    return pd.Timestamp(frame.index[-1])


@figure("r2k-growth-price", sources=("^RUT", "^GSPC", "USREC"))
def growth_price(store: Store) -> Drawn:
    prices = aligned(store, "^RUT", "^GSPC")
    growth = prices.apply(growth_of)
    fig = new_figure(y_title="Value of $10,000 (log scale)", y_format="$,.0f", log_y=True)
    shown = weekly(growth)
    for sid in growth.columns:
        line(fig, shown[sid], sid, name=get(sid).title)
    recession_bands(fig, store, growth.index[0])
    range_buttons(fig)
    rut, spx = growth["^RUT"].iloc[-1], growth["^GSPC"].iloc[-1]
    start = growth.index[0].strftime("%B %Y").lstrip("0")
    takeaway = (f"$10,000 in the Russell 2000 in {start} grew to ${rut:,.0f} by price alone, "
                f"against ${spx:,.0f} in the S&P 500 "
                f"({Fraction(cagr(prices['^RUT'])):.1} vs {Fraction(cagr(prices['^GSPC'])):.1} a "
                f"year).")
    data = growth.rename(columns={"^RUT": "russell_2000_usd", "^GSPC": "sp_500_usd"})
    return Drawn(fig, data, _last_date(growth).date(), takeaway)


@figure("r2k-growth-total-return", sources=("IWM", "SPY", "^RUT", "^GSPC", "USREC"))
def growth_total_return(store: Store) -> Drawn:
    prices = aligned(store, "IWM", "SPY", "^RUT", "^GSPC")
    growth = prices.apply(growth_of)
    fig = new_figure(y_title="Value of $10,000 (log scale)", y_format="$,.0f", log_y=True)
    shown = weekly(growth)
    labels = {"IWM": "IWM (total return)", "SPY": "SPY (total return)",
              "^RUT": "Russell 2000 (price only)", "^GSPC": "S&P 500 (price only)"}
    for sid, label in labels.items():
        dash = "dot" if sid.startswith("^") else "solid"
        line(fig, shown[sid], sid, dash=dash, name=label)
    recession_bands(fig, store, growth.index[0])
    range_buttons(fig)
    gap = cagr(prices["IWM"]) - cagr(prices["^RUT"])
    takeaway = (f"Since {growth.index[0]:%B %Y}, dividends (net of fund costs) added about "
                f"{gap * 100:.1f} percentage points a year to the Russell 2000 fund's return: "
                f"${growth['IWM'].iloc[-1]:,.0f} with dividends vs "
                f"${growth['^RUT'].iloc[-1]:,.0f} from price alone.")
    data = growth.rename(columns={"IWM": "iwm_total_return_usd", "SPY": "spy_total_return_usd",
                                  "^RUT": "russell_2000_price_usd", "^GSPC": "sp_500_price_usd"})
    return Drawn(fig, data, _last_date(growth).date(), takeaway)


@figure("r2k-calendar-year-returns", sources=("^RUT", "^GSPC"))
def calendar_year(store: Store) -> Drawn:
    table = calendar_returns_table(store)
    fig = new_figure(y_title="Price return", y_format="+.0%", x_is_date=False)
    for col, sid in (("russell_2000_pct", "^RUT"), ("sp_500_pct", "^GSPC")):
        fig.add_bar(x=table.index.to_list(), y=(table[col] / 100).round(4).to_numpy(),
                    name=get(sid).title, marker_color=color(sid))
    fig.update_layout(barmode="group", hovermode="x unified", xaxis={"dtick": 5})
    wins = int((table["russell_2000_pct"] > table["sp_500_pct"]).sum())
    first, last = table.index[0], table.index[-1]
    takeaway = (f"The Russell 2000 beat the S&P 500 in {wins} of the {len(table)} calendar years "
                f"{first}–{last} (price return).")
    as_of = load_values(store, "^RUT").loc[:f"{last}-12-31"].index[-1].date()
    return Drawn(fig, table.round(2), as_of, takeaway)


@figure("r2k-trailing-returns", sources=("^RUT", "^GSPC"))
def trailing(store: Store) -> Drawn:
    table = trailing_table(store)
    fig = new_figure(y_title="Annualised price return", y_format="+.0%", x_is_date=False)
    for title, sid in ((get("^RUT").title, "^RUT"), (get("^GSPC").title, "^GSPC")):
        part = table[table["series"] == title]
        fig.add_bar(x=[f"{y} yr" for y in part["years"]],
                    y=part["annualised_return"].round(4).to_numpy(), name=title,
                    marker_color=color(sid))
    fig.update_layout(barmode="group", hovermode="x unified")
    ten = table.set_index(["series", "years"])
    r10 = ten.loc[(get("^RUT").title, 10)]
    s10 = ten.loc[(get("^GSPC").title, 10)]
    takeaway = (f"Over the last 10 years the Russell 2000 returned "
                f"{Fraction(r10.annualised_return):.1} a "
                f"year with {Fraction(r10.annualised_volatility):.0} volatility, against "
                f"{Fraction(s10.annualised_return):.1} and "
                f"{Fraction(s10.annualised_volatility):.0} for the S&P 500.")
    as_of = load_values(store, "^RUT").index[-1].date()
    return Drawn(fig, table.set_index("series"), as_of, takeaway)


@figure("r2k-drawdown", sources=("^RUT", "^GSPC", "USREC"))
def underwater(store: Store) -> Drawn:
    prices = aligned(store, "^RUT", "^GSPC")
    dd = prices.apply(drawdown)
    fig = new_figure(y_title="Below previous high", y_format=".0%")
    shown = weekly(dd)
    # Only the Russell 2000 is filled: two overlapping filled areas hide each other. The S&P 500
    # is a line on top, so both stay readable where they overlap.
    line(fig, shown["^RUT"], "^RUT", digits=4, width=1.0, name=get("^RUT").title, fill="tozeroy")
    line(fig, shown["^GSPC"], "^GSPC", digits=4, width=1.6, name=get("^GSPC").title)
    recession_bands(fig, store, dd.index[0])
    range_buttons(fig)
    episodes = worst_drawdowns(store)
    worst = episodes.iloc[0]
    recovered = (f"took {int(worst.days_to_recover)} trading days to recover"
                 if pd.notna(worst.recovery) else "has not yet recovered")
    takeaway = (f"The Russell 2000's deepest fall was {Fraction(worst.depth):.0} "
                f"({worst.peak:%b %Y} to {worst.trough:%b %Y}) and {recovered}; it is "
                f"{Fraction(dd['^RUT'].iloc[-1]):.0} below its high today.")
    data = dd.rename(columns={"^RUT": "russell_2000_drawdown", "^GSPC": "sp_500_drawdown"})
    table = episodes.copy()
    for col in ("peak", "trough", "recovery"):
        table[col] = table[col].dt.strftime("%Y-%m-%d")
    table.index = pd.RangeIndex(1, len(table) + 1, name="rank")
    return Drawn(fig, data, _last_date(dd).date(), takeaway,
                 extra_csv={"r2k-worst-drawdowns": table})


# Part two: returns by decade and the rolling 10-year scorecard.


@figure("r2k-returns-by-decade", sources=("^RUT", "^GSPC", "IWM", "SPY"))
def returns_by_decade(store: Store) -> Drawn:
    table = decades_table(store)
    fig = new_figure(y_title="Annualised return", y_format="+.0%", x_is_date=False)
    labels = table.index.to_list()
    bars = (("russell_2000_annualised", "^RUT", "Russell 2000 (price)"),
            ("sp_500_annualised", "^GSPC", "S&P 500 (price)"),
            ("iwm_annualised", "IWM", "IWM (total return)"),
            ("spy_annualised", "SPY", "SPY (total return)"))
    for col, sid, name in bars:
        values = table[col].round(4)
        fig.add_bar(x=labels, y=[None if pd.isna(v) else v for v in values], name=name,
                    marker_color=color(sid))
    fig.update_layout(barmode="group", hovermode="x unified")
    complete = table[table["complete"]]
    wins = int((complete["russell_2000_annualised"] > complete["sp_500_annualised"]).sum())
    best = complete["russell_2000_annualised"].idxmax()
    takeaway = (f"The Russell 2000 beat the S&P 500 in {wins} of the {len(complete)} complete "
                f"decades (price return); its best was the {best} at "
                f"{Fraction(complete.loc[best, 'russell_2000_annualised']):.1} a year.")
    data = table.copy()
    for col in ("start", "end"):
        data[col] = pd.to_datetime(data[col]).dt.strftime("%Y-%m-%d")
    data.index.name = "decade"
    as_of = pd.Timestamp(table["end"].max()).date()
    return Drawn(fig, data, as_of, takeaway)


@figure("r2k-rolling-10y-wins", sources=("^RUT", "^GSPC", "IWM", "SPY"))
def rolling_10y_wins(store: Store) -> Drawn:
    table = rolling_wins_table(store)
    fig = new_figure(y_title="Small minus large, % a year", y_format="+.0%")
    line(fig, table["price_difference"], "^RUT", digits=4, width=1.8,
         name="Russell 2000 − S&P 500 (price)")
    tr = table["total_return_difference"].dropna()
    line(fig, tr, "IWM", digits=4, width=1.8, dash="dot", name="IWM − SPY (total return)")
    guide(fig, 0, dash=None)
    price = wins_summary(table["price_difference"])
    total = wins_summary(table["total_return_difference"])
    takeaway = (f"Small caps beat large caps in {price['wins']} of {price['windows']} rolling "
                f"{ROLLING_YEARS}-year windows ({Fraction(price['share']):.0}, price return, "
                f"windows "
                f"ending {price['first_end']:%b %Y}–{price['last_end']:%b %Y}); with dividends, "
                f"IWM beat SPY in {total['wins']} of {total['windows']} "
                f"({Fraction(total['share']):.0}).")
    span_years = (table.index[-1] - table.index[0]).days / 365.25 + ROLLING_YEARS
    notes = (f"{price['windows']} price-return windows and {total['windows']} total-return "
             "windows. Overlapping windows are far from independent: the data holds only "
             f"{int(span_years // ROLLING_YEARS)} non-overlapping {ROLLING_YEARS}-year periods.")
    return Drawn(fig, table, table.index[-1].date(), takeaway, notes=notes)
