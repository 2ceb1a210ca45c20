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
from generator.units import Fraction, pct_gap

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
    latest = ratio["latest"]
    takeaway = (f"Relative to the S&P 500 the Russell 2000 stands at {latest:.0f} (start = 100, "
                f"{ratio['first_date']:%B %Y}); its relative high was {ratio['max']:.0f} in "
                f"{ratio['max_date']:%B %Y}, so small caps have lagged by "
                f"{Fraction(1 - latest / ratio['max']):.0} since then (price return).")
    return Drawn(fig, table, table.index[-1].date(), takeaway)


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
    takeaway = (f"Over the latest three years the Russell 2000 returned "
                f"{pct_gap(diff['latest'])} a year relative to the S&P 500 (price); "
                f"since {diff['first_date']:%Y} it was ahead over three years on "
                f"{Fraction(diff['share_positive']):.0} of days, with gaps from "
                f"{pct_gap(diff['min'], 0)} to {pct_gap(diff['max'], 0)} a year.")
    return Drawn(fig, table, table.index[-1].date(), takeaway)


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
    takeaway = (f"Over the latest three years of weekly returns the Russell 2000's correlation "
                f"with the S&P 500 was {corr['latest']:.2f} and its beta {beta['latest']:.2f}: "
                f"it moved about {beta['latest']:.1f}% for each 1% move of large caps.")
    return Drawn(fig, table, table.index[-1].date(), takeaway)
