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
from generator.units import Day, Fraction, Level, Points

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
    says = {"day": Day.of(spread.index[-1]), "spread": Points(facts["last"], 2, signed=False),
            "percentile": Fraction(facts["percentile"]),
            "lower_than": Fraction(1 - facts["percentile"], 0), "since": spread.index[0].year,
            "median": Points(facts["median"], 2, signed=False)}
    data = spread.rename("high_yield_oas_pct").to_frame()
    return Drawn(fig, data, spread.index[-1].date(), says)


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
    says = {"last": Level(facts["last"], 3), "percentile": Fraction(facts["percentile"]),
            "since": ratio.index[0].year,
            "below_peak": Fraction(1 - facts["last"] / facts["max"], 0),
            "peak_year": pd.Timestamp(facts["max_date"]).year}
    data = ratio.rename("russell_2000_over_sp_500").to_frame()
    return Drawn(fig, data, ratio.index[-1].date(), says)
