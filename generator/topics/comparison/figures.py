"""Compared with the S&P 500 and Russell 1000: relative strength, rolling 3-year gap,
correlation and beta."""

from __future__ import annotations

from generator.figures.spec import Drawn, figure
from generator.figures.theme import guide, line, new_figure, recession_bands, stacked_figure, weekly
from generator.store import Store
from generator.topics.comparison.data import (
    DIFFERENCE_DAYS,  # noqa: F401 (named in figures.yml)
    WEEKS,  # noqa: F401 (named in figures.yml)
    correlation_beta_table,
    extremes,
    relative_strength_table,
    rolling_difference_table,
)
from generator.units import Day, Fraction, Level, Percent, Points

LINES = (  # column, colour key, legend label, dash
    ("russell_2000_vs_sp_500_price", "relative", "Russell 2000 ÷ S&P 500 (price)", "solid"),
    ("iwm_vs_spy_total_return", "SPY", "IWM ÷ SPY (total return)", "dot"),
    ("iwm_vs_iwb_total_return", "IWB", "IWM ÷ IWB, Russell 1000 proxy (total return)", "dash"),
)


@figure("r2k-relative-strength", sources=("^RUT", "^GSPC", "IWM", "SPY", "IWB", "USREC"))
def relative_strength(store: Store) -> Drawn:
    table = relative_strength_table(store)
    shown = weekly(table)
    fig = new_figure(y_title="Relative strength (start = 100)", y_format=".0f")
    for col, key, name, dash in LINES:
        part = shown[col].dropna()
        line(fig, part, key, digits=3, dash=dash, name=name)
    guide(fig, 100)
    recession_bands(fig, store, table.index[0])
    ratio = extremes(table["russell_2000_vs_sp_500_price"])
    says = {"latest": Level(ratio["latest"], 0), "start": Day.of(ratio["first_date"]),
            "high": Level(ratio["max"], 0), "high_date": Day.of(ratio["max_date"]),
            "lag": Fraction(1 - ratio["latest"] / ratio["max"], 0)}
    return Drawn(fig, table, table.index[-1].date(), says)


@figure("r2k-rolling-3y-difference", sources=("^RUT", "^GSPC", "IWM", "SPY", "IWB"))
def rolling_3y_difference(store: Store) -> Drawn:
    table = rolling_difference_table(store)
    shown = weekly(table)
    fig = new_figure(y_title="Small minus large, % a year", y_format="+.0%")
    names = (("russell_2000_minus_sp_500_price", "relative", "Russell 2000 − S&P 500 (price)",
              "solid"),
             ("iwm_minus_spy_total_return", "SPY", "IWM − SPY (total return)", "dot"),
             ("iwm_minus_iwb_total_return", "IWB",
              "IWM − IWB, Russell 1000 proxy (total return)", "dash"))
    for col, key, name, dash in names:
        part = shown[col].dropna()
        line(fig, part, key, digits=4, width=1.5, dash=dash, name=name)
    guide(fig, 0, dash=None)
    diff = extremes(table["russell_2000_minus_sp_500_price"])
    says = {"latest": Points.of(diff["latest"]), "since": diff["first_date"].year,
            "ahead": Fraction(diff["share_positive"], 0), "low": Points.of(diff["min"], 0),
            "high": Points.of(diff["max"], 0)}
    return Drawn(fig, table, table.index[-1].date(), says)


@figure("r2k-rolling-correlation-beta", sources=("^RUT", "^GSPC", "IWM", "IWB"))
def rolling_correlation_beta(store: Store) -> Drawn:
    table = correlation_beta_table(store)
    fig = stacked_figure(("Correlation", "Beta"), (".2f", ".2f"))
    series = (("russell_2000_sp_500", "relative", "Russell 2000 vs S&P 500 (price)", "solid"),
              ("iwm_iwb", "IWB", "IWM vs IWB, Russell 1000 proxy (total return)", "dash"))
    for prefix, key, name, dash in series:
        for row, stat in ((1, "correlation"), (2, "beta")):
            part = table[f"{prefix}_{stat}"].dropna()
            line(fig, part, key, digits=4, width=1.5, dash=dash, name=name, legendgroup=prefix,
                 showlegend=row == 1, row=row, col=1)
    guide(fig, 1, row=2, col=1)
    corr = extremes(table["russell_2000_sp_500_correlation"])
    beta = extremes(table["russell_2000_sp_500_beta"])
    says = {"correlation": Level(corr["latest"], 2), "beta": Level(beta["latest"], 2),
            "move": Percent(beta["latest"], 1)}  # the small-cap move per 1% of large caps
    return Drawn(fig, table, table.index[-1].date(), says)
