"""What drives small caps: rates, credit and the cycle (event studies)."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from generator.analytics.cycle import recession_periods
from generator.figures.spec import Drawn, figure
from generator.figures.theme import (
    add_recessions,
    color,
    dates,
    new_figure,
    stacked_figure,
    weekly,
)
from generator.store import Store, load_values
from generator.topics.drivers.data import (
    HORIZONS,
    QUIET_MONTHS,
    credit_table,
    event_summary,
    first_cut_events,
    rates_table,
    recession_events,
)
from generator.units import num, pct

PAGE = "drivers.md"
HORIZON_COLORS = {3: "#56B4E9", 6: "#0072B2", 12: "#D55E00"}


@figure(
    id="r2k-relative-vs-rates",
    title="Small caps relative to large caps, against interest rates",
    page=PAGE, sources=("^RUT", "^GSPC", "DGS10", "DGS2", "DFF", "USREC"),
    method="Top: Russell 2000 ÷ S&P 500 (index levels, price return), rebased to 100 on the "
           "first day; rising means small caps did better. Bottom: the 10-year and 2-year "
           "Treasury yields (constant maturity) and the effective federal funds rate, percent, "
           "on the same days (a rate missing on a holiday carries the previous value for up to "
           "five days). Drawn weekly, CSV daily; grey bands are NBER recessions.",
)
def relative_vs_rates(store: Store) -> Drawn:
    table = rates_table(store)
    shown = weekly(table)
    fig = stacked_figure(("Relative line", "Rate, %"), (".0f", ".1f"), heights=(0.5, 0.5))
    fig.add_scatter(x=dates(shown.index), y=shown["relative_line"].round(3).to_numpy(),
                    name="Russell 2000 ÷ S&P 500", line={"color": color("relative"), "width": 1.6},
                    row=1, col=1)
    for col, sid, name in (("treasury_10y", "DGS10", "10-year Treasury"),
                           ("treasury_2y", "DGS2", "2-year Treasury"),
                           ("fed_funds_effective", "DFF", "Fed funds (effective)")):
        fig.add_scatter(x=dates(shown.index), y=shown[col].round(3).to_numpy(), name=name,
                        line={"color": color(sid), "width": 1.3}, row=2, col=1)
    add_recessions(fig, recession_periods(load_values(store, "USREC")), table.index[0])
    rel = table["relative_line"]
    takeaway = (f"The relative line moved from 100 to {rel.iloc[-1]:.0f} between "
                f"{rel.index[0]:%B %Y} and {rel.index[-1]:%B %Y}, while the 10-year yield went "
                f"from {table['treasury_10y'].iloc[0]:.1f}% to "
                f"{table['treasury_10y'].iloc[-1]:.1f}%; the two do not move in lockstep.")
    return Drawn(fig, table, table.index[-1].date(), takeaway)


@figure(
    id="r2k-credit-spread",
    title="The high-yield credit spread, small-cap relative performance and drawdowns",
    page=PAGE, sources=("BAMLH0A0HYM2", "^RUT", "^GSPC", "USREC"),
    method="Top: the ICE BofA US High Yield option-adjusted spread, the extra yield (percentage "
           "points) investors demand to hold junk-rated corporate bonds over Treasuries. "
           "Middle: Russell 2000 ÷ S&P 500 (price), rebased to 100 on the spread's first day. "
           "Bottom: the Russell 2000's fall from its highest close so far (price return). On "
           "the days all three exist; drawn weekly, CSV daily; grey bands are NBER recessions.",
)
def credit_spread(store: Store) -> Drawn:
    table = credit_table(store)
    shown = weekly(table)
    fig = stacked_figure(("Spread, %", "Relative line", "Drawdown"), (".0f", ".0f", ".0%"),
                         heights=(0.34, 0.33, 0.33))
    fig.add_scatter(x=dates(shown.index), y=shown["high_yield_spread"].round(3).to_numpy(),
                    name="High-yield spread", line={"color": color("BAMLH0A0HYM2"), "width": 1.5},
                    row=1, col=1)
    fig.add_scatter(x=dates(shown.index), y=shown["relative_line"].round(3).to_numpy(),
                    name="Russell 2000 ÷ S&P 500", line={"color": color("relative"), "width": 1.5},
                    row=2, col=1)
    fig.add_scatter(x=dates(shown.index), y=shown["russell_2000_drawdown"].round(4).to_numpy(),
                    name="Russell 2000 drawdown", fill="tozeroy",
                    line={"color": color("^RUT"), "width": 1.2}, row=3, col=1)
    add_recessions(fig, recession_periods(load_values(store, "USREC")), table.index[0])
    corr = table["high_yield_spread"].corr(table["russell_2000_drawdown"])
    peak = table["high_yield_spread"].idxmax()
    takeaway = (f"The spread peaked at {table.loc[peak, 'high_yield_spread']:.1f} points on "
                f"{peak:%-d %B %Y}, when the Russell 2000 stood "
                f"{pct(-table.loc[peak, 'russell_2000_drawdown'], 0, signed=False)} below its "
                f"high; across all "
                f"days the spread's level and the drawdown's depth had a correlation of "
                f"{num(corr)} (wider spread, deeper drawdown).")
    return Drawn(fig, table, table.index[-1].date(), takeaway)


def event_chart(table: pd.DataFrame, label_col: str) -> go.Figure:
    """Grouped bars: the Russell 2000 − S&P 500 gap after each event, one bar per horizon."""
    fig = new_figure(y_title="Small − large", y_format="+.0%", x_is_date=False)
    labels = table[label_col].to_list()
    for months in HORIZONS:
        values = table[f"gap_{months}m"].round(4)
        fig.add_bar(x=labels, y=[None if pd.isna(v) else v for v in values],
                    name=f"{months} months after", marker_color=HORIZON_COLORS[months])
    fig.update_layout(barmode="group", hovermode="x unified", xaxis={"type": "category"})
    return fig


def event_takeaway(table: pd.DataFrame, what: str) -> str:
    summary = event_summary(table)
    twelve = summary["12m"]
    return (f"In the {summary['events']} {what} since the Russell 2000 data begins, small caps "
            f"beat large caps over the next 12 months {twelve['wins']} times out of "
            f"{twelve['known']} (median gap {pct(twelve['median_gap'], 1, signed=True)}, price "
            "return). Too few events to call it a rule.")


def event_csv(table: pd.DataFrame) -> pd.DataFrame:
    out = table.copy()
    for col in ("event", "reference_close"):
        out[col] = pd.to_datetime(out[col]).dt.strftime("%Y-%m-%d")
    return out.set_index("event")


@figure(
    id="r2k-event-study-recessions",
    title="After each recession ended: Russell 2000 minus S&P 500",
    page=PAGE, sources=("USREC", "^RUT", "^GSPC"),
    method="Events: every NBER recession trough since the Russell 2000 data begins, derived "
           "from USREC as the last month of each run of months flagged 1 (USREC flags the "
           "months after a peak through the trough). Returns run from the last close of the "
           "trough month to the last close of the month 3, 6 and 12 months later, "
           "from index levels (price return); bars show the Russell 2000's return minus the "
           "S&P 500's. NBER announces troughs many months after the fact, so nobody could "
           "have traded on these dates at the time.",
)
def event_study_recessions(store: Store) -> Drawn:
    table = recession_events(store)
    fig = event_chart(table, "trough_month")
    # Every event up to the last close was looked for, so the study is as of that close.
    last = load_values(store, "^RUT").index[-1].date()
    notes = f"{len(table)} events."
    return Drawn(fig, event_csv(table), last, event_takeaway(table, "recession troughs"),
                 notes=notes)


@figure(
    id="r2k-event-study-first-cuts",
    title="After the Fed's first rate cut: Russell 2000 minus S&P 500",
    page=PAGE, sources=("data/reference/fomc_first_cuts.csv", "DFEDTARU", "^RUT", "^GSPC"),
    source_note="Federal Reserve (FOMC decisions, federalreserve.gov)",
    method="Events: the first cut of each Fed easing cycle since the Russell 2000 data "
           f"begins, i.e. a decrease in the fed funds target with no other decrease in the "
           f"{QUIET_MONTHS} months before it, dated by the FOMC's decision as the Federal "
           "Reserve recorded it (data/reference/fomc_first_cuts.csv, one federalreserve.gov "
           "source per row; before 1994 the FOMC did not announce its target, so the 1989 "
           "date is the recorded intermeeting decision). Since December 2008 each date is "
           "checked against the target range's upper limit (FRED DFEDTARU): it fell within "
           "two days. Returns run from the close on the decision day to the last close on or "
           "before 3, 6 and 12 calendar months later, from index levels (price return); bars "
           "show the Russell 2000's return minus the S&P 500's.",
)
def event_study_first_cuts(store: Store) -> Drawn:
    table = first_cut_events(store)
    table["label"] = pd.to_datetime(table["event"]).dt.strftime("%Y-%m-%d")
    fig = event_chart(table, "label")
    # Every event up to the last close was looked for, so the study is as of that close.
    last = load_values(store, "^RUT").index[-1].date()
    notes = f"{len(table)} events; the CSV gives each decision's source."
    return Drawn(fig, event_csv(table.drop(columns="label")), last,
                 event_takeaway(table, "first cuts"), notes=notes)
