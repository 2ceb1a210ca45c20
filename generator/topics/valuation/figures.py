"""Figures for the Valuation page: the two gauges the data supports."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from generator.figures.spec import Drawn, figure
from generator.figures.theme import (
    GUIDE,
    dates,
    line,
    new_figure,
    range_buttons,
    recession_bands,
    weekly,
)
from generator.store import Store, load_values
from generator.topics.valuation.data import relative_price, standing
from generator.units import Fraction

# Three grey guides told apart by their dashes: short for the 90th, long for the 10th percentile.
DASHES = {"p90": "dash", "median": "dot", "p10": "longdash"}


def _percentile_lines(fig: go.Figure, facts: dict[str, float], fmt: str,
                      shown: pd.Series) -> None:
    """Dashed horizontal lines at the series' 10th, 50th and 90th percentiles across the dates
    `shown`, named in the legend: a label drawn on the plot sat on the data line."""
    span = [dates(shown.index)[0], dates(shown.index)[-1]]
    for key, label in (("p90", "90th percentile"), ("median", "median"),
                       ("p10", "10th percentile")):
        fig.add_scatter(x=span, y=[facts[key], facts[key]], mode="lines",
                        name=f"{label} {facts[key]:{fmt}}", hoverinfo="skip",
                        line={"dash": DASHES[key], "width": 1, "color": GUIDE})


def _day(when: pd.Timestamp) -> str:
    return f"{when.day} {when:%B %Y}"


def _ordinal(share: float) -> str:
    n = round(share * 100)
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


@figure("r2k-valuation-hy-spread", sources=("BAMLH0A0HYM2", "USREC"))
def hy_spread(store: Store) -> Drawn:
    spread = load_values(store, "BAMLH0A0HYM2").dropna()
    facts = standing(spread)
    shown = weekly(spread)
    fig = new_figure(y_title="Spread over Treasuries (percentage points)", y_format=".1f")
    line(fig, shown, "BAMLH0A0HYM2", width=1.5, name="High-yield spread", showlegend=False)
    _percentile_lines(fig, facts, ".2f", shown)
    recession_bands(fig, store, spread.index[0])
    range_buttons(fig)
    takeaway = (f"On {_day(spread.index[-1])} the high-yield spread was {facts['last']:.2f} "
                f"percentage points, lower than on {Fraction(1 - facts['percentile']):.0} of "
                f"days since "
                f"{spread.index[0]:%Y} (the {_ordinal(facts['percentile'])} percentile; median "
                f"{facts['median']:.2f}): lenders are asking for little extra to lend to "
                f"riskier companies." if facts["percentile"] < 0.25 else
                f"On {_day(spread.index[-1])} the high-yield spread was {facts['last']:.2f} "
                f"percentage points, the {_ordinal(facts['percentile'])} percentile of all days "
                f"since {spread.index[0]:%Y} (median {facts['median']:.2f}).")
    data = spread.rename("high_yield_oas_pct").to_frame()
    return Drawn(fig, data, spread.index[-1].date(), takeaway)


@figure("r2k-valuation-relative-price", sources=("^RUT", "^GSPC", "USREC"))
def relative_price_ratio(store: Store) -> Drawn:
    ratio = relative_price(store)
    facts = standing(ratio)
    shown = weekly(ratio)
    fig = new_figure(y_title="Russell 2000 ÷ S&P 500", y_format=".2f")
    line(fig, shown, "relative", digits=4, width=1.5, name="Ratio", showlegend=False)
    _percentile_lines(fig, facts, ".2f", shown)
    recession_bands(fig, store, ratio.index[0])
    range_buttons(fig)
    peak = pd.Timestamp(facts["max_date"])
    takeaway = (f"The ratio stands at {facts['last']:.3f}, the {_ordinal(facts['percentile'])} "
                f"percentile of its history since {ratio.index[0]:%Y} and "
                f"{Fraction(1 - facts['last'] / facts['max']):.0} below its {peak:%Y} peak: "
                f"small caps "
                f"are priced low relative to their own past performance against large caps — "
                f"which is not the same as cheap.")
    data = ratio.rename("russell_2000_over_sp_500").to_frame()
    return Drawn(fig, data, ratio.index[-1].date(), takeaway)
