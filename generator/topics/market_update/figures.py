"""Figures for the Market update page (the latest update only: archive pages carry no charts,
so nothing on them can change after their date)."""

from __future__ import annotations

import pandas as pd

from generator.catalog import get
from generator.figures.spec import Drawn, figure
from generator.figures.theme import guide, line, new_figure
from generator.store import Store
from generator.topics import aligned
from generator.topics.market_update.data import day_update, load_inputs
from generator.units import Day, Fraction


@figure("market-update-year", sources=("^RUT", "^GSPC"))
def past_year(store: Store) -> Drawn:
    prices = aligned(store, "^RUT", "^GSPC")
    last = prices.index[-1]
    update = day_update(load_inputs(store), last.date())
    base = pd.Timestamp(update["r2k"]["base_date"]["y1"])
    window = prices.loc[base:]
    rebased = window / window.iloc[0] * 100
    fig = new_figure(y_title="Close, base day = 100", y_format=",.0f")
    for sid in rebased.columns:
        line(fig, rebased[sid], sid, width=1.8, name=get(sid).title)
    guide(fig, 100)
    says = {"day": Day.of(last), "small": Fraction(update["r2k"]["change"]["y1"], signed=True),
            "large": Fraction(update["spx"]["change"]["y1"], signed=True)}
    data = rebased.rename(columns={"^RUT": "russell_2000_rebased", "^GSPC": "sp_500_rebased"})
    return Drawn(fig, data, last.date(), says)
