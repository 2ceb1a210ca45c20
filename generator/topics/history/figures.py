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
from generator.units import Count, Day, Dollars, Fraction, Points

ROLLING_MONTHS = ROLLING_YEARS * 12  # named in figures.yml
TAKEAWAY_YEARS = 10  # the trailing period the takeaway compares


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
    says = {"start": Day.of(growth.index[0]), "small": Dollars(rut), "large": Dollars(spx),
            "small_cagr": Fraction(cagr(prices["^RUT"])),
            "large_cagr": Fraction(cagr(prices["^GSPC"]))}
    data = growth.rename(columns={"^RUT": "russell_2000_usd", "^GSPC": "sp_500_usd"})
    return Drawn(fig, data, _last_date(growth).date(), says)


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
    says = {"start": Day.of(growth.index[0]),
            "dividends": Points.between(cagr(prices["IWM"]), cagr(prices["^RUT"])),
            "with_dividends": Dollars(growth["IWM"].iloc[-1]),
            "price_alone": Dollars(growth["^RUT"].iloc[-1])}
    data = growth.rename(columns={"IWM": "iwm_total_return_usd", "SPY": "spy_total_return_usd",
                                  "^RUT": "russell_2000_price_usd", "^GSPC": "sp_500_price_usd"})
    return Drawn(fig, data, _last_date(growth).date(), says)


@figure("r2k-calendar-year-returns", sources=("^RUT", "^GSPC"))
def calendar_year(store: Store) -> Drawn:
    table = calendar_returns_table(store)
    fig = new_figure(y_title="Price return", y_format="+.0%", x_is_date=False)
    for col, sid in (("russell_2000_pct", "^RUT"), ("sp_500_pct", "^GSPC")):
        fig.add_bar(x=table.index.to_list(), y=(table[col] / 100).round(4).to_numpy(),
                    name=get(sid).title, marker_color=color(sid))
    fig.update_layout(barmode="group", hovermode="x unified", xaxis={"dtick": 5})
    first, last = table.index[0], table.index[-1]
    says = {"wins": Count((table["russell_2000_pct"] > table["sp_500_pct"]).sum()),
            "years": Count(len(table)), "first": int(first), "last": int(last)}
    as_of = load_values(store, "^RUT").loc[:f"{last}-12-31"].index[-1].date()
    return Drawn(fig, table.round(2), as_of, says)


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
    r10 = ten.loc[(get("^RUT").title, TAKEAWAY_YEARS)]
    s10 = ten.loc[(get("^GSPC").title, TAKEAWAY_YEARS)]
    says = {"years": TAKEAWAY_YEARS, "small": Fraction(r10.annualised_return),
            "small_volatility": Fraction(r10.annualised_volatility, 0),
            "large": Fraction(s10.annualised_return),
            "large_volatility": Fraction(s10.annualised_volatility, 0)}
    as_of = load_values(store, "^RUT").index[-1].date()
    return Drawn(fig, table.set_index("series"), as_of, says)


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
    says = {"depth": Fraction(worst.depth, 0), "peak": Day.of(worst.peak),
            "trough": Day.of(worst.trough), "recovered": bool(pd.notna(worst.recovery)),
            "days": Count(worst.days_to_recover),
            "below_high": Fraction(-dd["^RUT"].iloc[-1], 0)}
    data = dd.rename(columns={"^RUT": "russell_2000_drawdown", "^GSPC": "sp_500_drawdown"})
    table = episodes.copy()
    for col in ("peak", "trough", "recovery"):
        table[col] = table[col].dt.strftime("%Y-%m-%d")
    table.index = pd.RangeIndex(1, len(table) + 1, name="rank")
    return Drawn(fig, data, _last_date(dd).date(), says,
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
    best = complete["russell_2000_annualised"].idxmax()
    says = {"wins": Count((complete["russell_2000_annualised"] > complete["sp_500_annualised"])
                          .sum()),
            "decades": Count(len(complete)), "best": best,
            "best_return": Fraction(complete.loc[best, "russell_2000_annualised"])}
    data = table.copy()
    for col in ("start", "end"):
        data[col] = pd.to_datetime(data[col]).dt.strftime("%Y-%m-%d")
    data.index.name = "decade"
    as_of = pd.Timestamp(table["end"].max()).date()
    return Drawn(fig, data, as_of, says)


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
    says = {"years": ROLLING_YEARS, "wins": Count(price["wins"]),
            "windows": Count(price["windows"]), "share": Fraction(price["share"], 0),
            "first_end": Day.of(price["first_end"]), "last_end": Day.of(price["last_end"]),
            "fund_wins": Count(total["wins"]), "fund_windows": Count(total["windows"]),
            "fund_share": Fraction(total["share"], 0)}
    span_years = (table.index[-1] - table.index[0]).days / 365.25 + ROLLING_YEARS
    notes = (f"{price['windows']} price-return windows and {total['windows']} total-return "
             "windows. Overlapping windows are far from independent: the data holds only "
             f"{int(span_years // ROLLING_YEARS)} non-overlapping {ROLLING_YEARS}-year periods.")
    return Drawn(fig, table, table.index[-1].date(), says, notes=notes)
