"""History & performance, part two: returns by decade and the rolling 10-year scorecard."""

from __future__ import annotations

import pandas as pd

from generator.analytics.facts.history_periods import (
    ROLLING_YEARS,
    decades_table,
    rolling_wins_table,
    wins_summary,
)
from generator.figures.spec import Drawn, figure
from generator.figures.theme import color, dates, new_figure
from generator.store import Store

PAGE = "history.md"


@figure(
    id="r2k-returns-by-decade",
    title="Annualised return by decade: Russell 2000 vs S&P 500",
    page=PAGE, sources=("^RUT", "^GSPC", "IWM", "SPY"),
    method="Each decade runs from the last close of the year before it to its own last close "
           "(the 1990s: end-1989 to end-1999), annualised over years of 365.25 days. Index "
           "levels are price return; IWM and SPY (total return, after fund costs) are shown "
           "only for decades both funds cover from the same start. The first decade starts when "
           "the Russell 2000 data does; the current decade runs to the last close.",
)
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
                f"{complete.loc[best, 'russell_2000_annualised']:.1%} a year.")
    data = table.copy()
    for col in ("start", "end"):
        data[col] = pd.to_datetime(data[col]).dt.strftime("%Y-%m-%d")
    data.index.name = "decade"
    as_of = pd.Timestamp(table["end"].max()).date()
    return Drawn(fig, data, as_of, takeaway)


@figure(
    id="r2k-rolling-10y-wins",
    title="Rolling 10-year annualised return: Russell 2000 minus S&P 500",
    page=PAGE, sources=("^RUT", "^GSPC", "IWM", "SPY"),
    method=f"Every {ROLLING_YEARS}-year window from a month-end close to the month-end close "
           f"{ROLLING_YEARS * 12} months later, stepping one month (overlapping windows; the "
           "current, unfinished month ends none). Each point is the Russell 2000's annualised "
           "return minus the S&P 500's over the window ending that month: above zero, small "
           "caps won. Solid: index levels (price return); dotted: IWM minus SPY (total return, "
           "after fund costs), from the first window IWM's history allows.",
)
def rolling_10y_wins(store: Store) -> Drawn:
    table = rolling_wins_table(store)
    fig = new_figure(y_title="Small minus large, % a year", y_format="+.0%")
    fig.add_scatter(x=dates(table.index), y=table["price_difference"].round(4).to_numpy(),
                    name="Russell 2000 − S&P 500 (price)",
                    line={"color": color("^RUT"), "width": 1.8})
    tr = table["total_return_difference"].dropna()
    fig.add_scatter(x=dates(tr.index), y=tr.round(4).to_numpy(),
                    name="IWM − SPY (total return)",
                    line={"color": color("IWM"), "width": 1.8, "dash": "dot"})
    fig.add_hline(y=0, line_width=1, line_color="rgba(128,128,128,0.8)")
    price = wins_summary(table["price_difference"])
    total = wins_summary(table["total_return_difference"])
    takeaway = (f"Small caps beat large caps in {price['wins']} of {price['windows']} rolling "
                f"{ROLLING_YEARS}-year windows ({price['share']:.0%}, price return, windows "
                f"ending {price['first_end']:%b %Y}–{price['last_end']:%b %Y}); with dividends, "
                f"IWM beat SPY in {total['wins']} of {total['windows']} ({total['share']:.0%}).")
    span_years = (table.index[-1] - table.index[0]).days / 365.25 + ROLLING_YEARS
    notes = (f"{price['windows']} price-return windows and {total['windows']} total-return "
             "windows. Overlapping windows are far from independent: the data holds only "
             f"{int(span_years // ROLLING_YEARS)} non-overlapping {ROLLING_YEARS}-year periods.")
    return Drawn(fig, table, table.index[-1].date(), takeaway, notes=notes)
