"""What drives small caps: rates, credit and the cycle (event studies)."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from generator.analytics.cycle import recession_periods
from generator.analytics.relative import relative_line
from generator.figures.spec import Drawn, figure
from generator.figures.theme import (
    add_recessions,
    color,
    dates,
    guide,
    line,
    new_figure,
    recession_bands,
    stacked_figure,
    weekly,
)
from generator.store import Store, load_values
from generator.topics import aligned
from generator.topics.drivers.data import (
    HORIZONS,
    QUIET_MONTHS,  # noqa: F401 (named in figures.yml)
    SMALL_FIRM_CREDIT,
    credit_table,
    event_facts,
    first_cut_events,
    inflation_months,
    inflation_months_long,
    inflation_regime_table,
    inflation_regime_table_long,
    inflation_verdict,
    rates_table,
    recession_events,
    small_firm_credit_table,
)
from generator.units import Count, Day, Fraction, Level, Percent, Points

HORIZON_COLORS = {3: "#56B4E9", 6: "#0072B2", 12: "#D55E00"}


@figure("r2k-relative-vs-rates", sources=("^RUT", "^GSPC", "DGS10", "DGS2", "DFF", "USREC"))
def relative_vs_rates(store: Store) -> Drawn:
    table = rates_table(store)
    shown = weekly(table)
    fig = stacked_figure(("Relative line", "Rate, %"), (".0f", ".1f"), heights=(0.5, 0.5))
    line(fig, shown["relative_line"], "relative", digits=3, name="Russell 2000 ÷ S&P 500", row=1,
         col=1)
    for col, sid, name in (("treasury_10y", "DGS10", "10-year Treasury"),
                           ("treasury_2y", "DGS2", "2-year Treasury"),
                           ("fed_funds_effective", "DFF", "Fed funds (effective)")):
        line(fig, shown[col], sid, digits=3, width=1.3, name=name, row=2, col=1)
    recession_bands(fig, store, table.index[0])
    rel = table["relative_line"]
    says = {"relative": Level(rel.iloc[-1], 0), "start": Day.of(rel.index[0]),
            "end": Day.of(rel.index[-1]), "yield_then": Percent(table["treasury_10y"].iloc[0], 1),
            "yield_now": Percent(table["treasury_10y"].iloc[-1], 1)}
    return Drawn(fig, table, table.index[-1].date(), says)


@figure("r2k-credit-spread", sources=("BAMLH0A0HYM2", "^RUT", "^GSPC", "USREC"))
def credit_spread(store: Store) -> Drawn:
    table = credit_table(store)
    shown = weekly(table)
    fig = stacked_figure(("Spread, %", "Relative line", "Drawdown"), (".0f", ".0f", ".0%"),
                         heights=(0.34, 0.33, 0.33))
    line(fig, shown["high_yield_spread"], "BAMLH0A0HYM2", digits=3, width=1.5,
         name="High-yield spread", row=1, col=1)
    line(fig, shown["relative_line"], "relative", digits=3, width=1.5,
         name="Russell 2000 ÷ S&P 500", row=2, col=1)
    line(fig, shown["russell_2000_drawdown"], "^RUT", digits=4, width=1.2,
         name="Russell 2000 drawdown", fill="tozeroy", row=3, col=1)
    recession_bands(fig, store, table.index[0])
    corr = table["high_yield_spread"].corr(table["russell_2000_drawdown"])
    peak = table["high_yield_spread"].idxmax()
    says = {"peak": Points(table.loc[peak, "high_yield_spread"], 1, signed=False),
            "day": Day.of(peak),
            "below_high": Fraction(-table.loc[peak, "russell_2000_drawdown"], 0),
            "correlation": Level(corr)}
    return Drawn(fig, table, table.index[-1].date(), says)


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


def event_says(table: pd.DataFrame) -> dict:
    """What an event study's takeaway reads: how many events, and the 12-month outcome."""
    facts = event_facts(table)
    return {"events": facts["events"], "twelve": facts["12m"]}


def event_csv(table: pd.DataFrame) -> pd.DataFrame:
    out = table.copy()
    for col in ("event", "reference_close"):
        out[col] = pd.to_datetime(out[col]).dt.strftime("%Y-%m-%d")
    return out.set_index("event")


@figure("r2k-event-study-recessions", sources=("USREC", "^RUT", "^GSPC"))
def event_study_recessions(store: Store) -> Drawn:
    table = recession_events(store)
    fig = event_chart(table, "trough_month")
    # Every event up to the last close was looked for, so the study is as of that close.
    last = load_values(store, "^RUT").index[-1].date()
    notes = f"{len(table)} events."
    return Drawn(fig, event_csv(table), last, event_says(table), notes=notes)


@figure("r2k-event-study-first-cuts",
        sources=("data/reference/fomc_first_cuts.csv", "DFEDTARU", "^RUT", "^GSPC"))
def event_study_first_cuts(store: Store) -> Drawn:
    table = first_cut_events(store)
    table["label"] = pd.to_datetime(table["event"]).dt.strftime("%Y-%m-%d")
    fig = event_chart(table, "label")
    # Every event up to the last close was looked for, so the study is as of that close.
    last = load_values(store, "^RUT").index[-1].date()
    notes = f"{len(table)} events; the CSV gives each decision's source."
    return Drawn(fig, event_csv(table.drop(columns="label")), last, event_says(table),
                 notes=notes)


INFLATION_NAMES = {"russell_2000": ("Russell 2000", "^RUT"), "sp_500": ("S&P 500", "^GSPC")}


def regime_label(regime: str, kind: str) -> str:
    """Short axis label of an inflation regime ('Below 2%', 'Rising'): phones have no room."""
    return regime[:1].upper() + regime[1:]


INFLATION_AXIS = "Inflation over the past year"


def regime_chart(table: pd.DataFrame, names: dict[str, tuple[str, str]]) -> go.Figure:
    """Grouped bars of each regime's annual real return, one bar per column of `names` (column
    -> legend name, colour key); each regime's label gives its number of months."""
    labels = [f"{regime_label(r, k)}<br>{n} months"
              for r, k, n in zip(table.index, table["kind"], table["months"], strict=True)]
    fig = new_figure(y_title="Real return, % a year", y_format="+.0%", x_is_date=False)
    for col, (name, sid) in names.items():
        fig.add_bar(x=labels, y=[None if pd.isna(v) else round(float(v), 4) for v in table[col]],
                    name=name, marker_color=color(sid),
                    hovertemplate=f"{name}: %{{y:+.1%}} a year after inflation<extra></extra>")
    fig.update_layout(barmode="group", hovermode="x unified", xaxis={
        "type": "category", "title": {"text": INFLATION_AXIS}, "automargin": True})
    return fig


def _by_month(months: pd.DataFrame) -> pd.DataFrame:
    """The monthly table for its CSV, months written as ``YYYY-MM``."""
    return months.set_axis(months.index.astype(str))


def inflation_says(table: pd.DataFrame, verdict: dict, small: str, large: str) -> dict:
    """What an inflation takeaway reads: the verdict's bands, the highest band's months and real
    returns (`small`, `large` columns), the lowest band's small-cap return."""
    high = table.loc[verdict["high_band"]]
    low = table.loc[verdict["low_band"]]
    return {"high_band": verdict["high_band"],
            "low_band": verdict["low_band"], "months": Count(high["months"]),
            "small_high": Fraction(high[small], signed=True),
            "large_high": Fraction(high[large], signed=True),
            "small_low": Fraction(low[small], signed=True)}


@figure("r2k-inflation-regimes", sources=("^RUT", "^GSPC", "CPIAUCSL"))
def inflation_regimes(store: Store) -> Drawn:
    months = inflation_months(store)
    table = inflation_regime_table(months)
    verdict = inflation_verdict(table)
    fig = regime_chart(table, INFLATION_NAMES)
    start = months.index[0]
    data = table.drop(columns=["kind"]).rename(columns={
        "russell_2000": "russell_2000_real_annualised", "sp_500": "sp_500_real_annualised",
        "gap": "russell_2000_minus_sp_500"})
    notes = (f"{len(months)} months, {start:%Y-%m} to {months.index[-1]:%Y-%m}; every month with "
             "its returns, CPI and regime in r2k-inflation-months.csv.")
    says = {**inflation_says(table, verdict, "russell_2000", "sp_500"),
            "answer": verdict["answer"], "start": Day.of(start.to_timestamp())}
    return Drawn(fig, data, months.index[-1].to_timestamp(how="end").date(), says, notes=notes,
                 extra_csv={"r2k-inflation-months": _by_month(months)})


@figure("r2k-small-business-credit", sources=(SMALL_FIRM_CREDIT, "^RUT", "^GSPC", "USREC"))
def small_business_credit(store: Store) -> Drawn:
    prices = aligned(store, "^RUT", "^GSPC")
    rel = weekly(relative_line(prices["^RUT"], prices["^GSPC"]))
    table = small_firm_credit_table(store)
    recessions = recession_periods(load_values(store, "USREC"))
    if table is None:
        fig = new_figure(y_title="Russell 2000 ÷ S&P 500", y_format=".0f")
        line(fig, rel, "relative", digits=3, name="Russell 2000 ÷ S&P 500")
        add_recessions(fig, recessions, rel.index[0])
        data = rel.rename("relative_line").to_frame()
        data.index.name = "date"
        return Drawn(fig, data, prices.index[-1].date(), {"in_store": False},
                     notes="The survey series is not in the store yet, so only the relative "
                           "line is drawn.")
    survey = table["net_share_tightening"]
    fig = stacked_figure(("Net % tightening", "Relative line"), (".0f", ".0f"),
                         heights=(0.45, 0.55))
    fig.add_scatter(x=dates(survey.index), y=survey.round(2).to_numpy(),
                    name="Banks tightening for small firms (net %)", mode="lines+markers",
                    marker={"size": 4}, line={"color": color(SMALL_FIRM_CREDIT), "width": 1.5,
                                              "shape": "hv"}, row=1, col=1)
    guide(fig, 0, dash=None, row=1, col=1)
    line(fig, rel, "relative", digits=3, width=1.5, name="Russell 2000 ÷ S&P 500", row=2, col=1)
    add_recessions(fig, recessions, min(rel.index[0], survey.index[0]))
    both = table.dropna()
    corr = both["net_share_tightening"].corr(both["relative_change_in_quarter"])
    peak = survey.idxmax()
    says = {"in_store": True, "peak": Percent(survey.max(), 1), "peak_day": Day.of(peak),
            "latest": Percent(survey.iloc[-1], 1), "latest_day": Day.of(survey.index[-1]),
            "quarters": Count(len(both)), "correlation": Level(corr)}
    as_of = max(survey.index[-1], prices.index[-1]).date()
    return Drawn(fig, table, as_of, says)


LONG_NAMES = {"small_stocks": ("Smallest 30% of US stocks", "^RUT"),
              "large_stocks": ("Largest 30% of US stocks", "^GSPC")}


@figure("r2k-inflation-regimes-long", sources=("ff_me_deciles", "CPIAUCSL"))
def inflation_regimes_long(store: Store) -> Drawn:
    months = inflation_months_long(store)
    table = inflation_regime_table_long(months)
    verdict = inflation_verdict(table.rename(columns={"small_stocks": "russell_2000",
                                                      "large_stocks": "sp_500"}))
    fig = regime_chart(table, LONG_NAMES)
    says = {**inflation_says(table, verdict, "small_stocks", "large_stocks"),
            "start": Day.of(months.index[0].to_timestamp()),
            "end": Day.of(months.index[-1].to_timestamp())}
    data = table.drop(columns=["kind"]).rename(columns={
        "small_stocks": "small_stocks_real_annualised",
        "large_stocks": "large_stocks_real_annualised", "gap": "small_minus_large"})
    return Drawn(fig, data, months.index[-1].to_timestamp(how="end").date(), says,
                 notes=f"{len(months)} months; every month in r2k-inflation-months-long.csv.",
                 extra_csv={"r2k-inflation-months-long": _by_month(months)})
