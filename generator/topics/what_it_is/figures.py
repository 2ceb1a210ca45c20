"""Figures for the "What the Russell 2000 is" page."""

from __future__ import annotations

from generator.analytics.returns import cagr
from generator.figures.spec import Drawn, figure
from generator.figures.theme import (
    line,
    new_figure,
    range_buttons,
    recession_bands,
    weekly,
)
from generator.store import Store, load_values
from generator.units import Day, Fraction, Level, Multiple


@figure("r2k-index-level", sources=("^RUT", "USREC"))
def index_level(store: Store) -> Drawn:
    rut = load_values(store, "^RUT")
    shown = weekly(rut)
    fig = new_figure(y_title="Index level (log scale)", y_format=",.0f", log_y=True)
    line(fig, shown, "^RUT", name="Russell 2000", showlegend=False)
    recession_bands(fig, store, rut.index[0])
    range_buttons(fig)
    # The site-wide "Log scale" toggle (charts.js) switches scales; plotly buttons of its own
    # would sit under it.
    says = {"first": Level(rut.iloc[0]), "first_day": Day.of(rut.index[0]),
            "last": Level(rut.iloc[-1]), "last_day": Day.of(rut.index[-1]),
            "multiple": Multiple(rut.iloc[-1] / rut.iloc[0]), "cagr": Fraction(cagr(rut))}
    data = rut.rename("russell_2000_close").to_frame()
    return Drawn(fig, data, rut.index[-1].date(), says)
