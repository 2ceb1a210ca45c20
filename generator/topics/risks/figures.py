"""Figures for the Risks & common misperceptions page."""

from __future__ import annotations

import numpy as np
import pandas as pd

from generator.figures.spec import Drawn, figure
from generator.figures.theme import color, new_figure
from generator.store import Store
from generator.topics.risks.data import BIG_LOSS, twelve_month_returns
from generator.units import Count, Fraction

BIN_WIDTH = 0.05  # 5-percentage-point buckets of 12-month return


@figure("r2k-risk-12m-outcomes", sources=("^RUT", "^GSPC"))
def twelve_month_outcomes(store: Store) -> Drawn:
    windows = twelve_month_returns(store)
    low = np.floor(windows.min().min() / BIN_WIDTH) * BIN_WIDTH
    high = np.ceil(windows.max().max() / BIN_WIDTH) * BIN_WIDTH + BIN_WIDTH / 2
    edges = np.arange(low, high, BIN_WIDTH)
    counts = pd.DataFrame({col: np.histogram(windows[col], bins=edges)[0] / len(windows)
                           for col in windows.columns})
    counts.insert(0, "bucket_from", edges[:-1].round(4))
    counts.insert(1, "bucket_to", edges[1:].round(4))
    fig = new_figure(y_title="Share of 12-month windows", y_format=".0%", x_is_date=False)
    centres = ((edges[:-1] + edges[1:]) / 2).round(4)
    for col, label, key in (("russell_2000", "Russell 2000", "^RUT"),
                            ("sp_500", "S&P 500", "^GSPC")):
        fig.add_bar(x=centres.tolist(), y=counts[col].round(4).to_numpy(), name=label,
                    marker={"color": color(key)})
    fig.update_layout(barmode="group", bargap=0.1, hovermode="x unified",
                      xaxis={"title": {"text": "12-month price return"}, "tickformat": "+.0%"})
    r2k, spx = windows["russell_2000"], windows["sp_500"]
    says = {"windows": Count(len(windows)), "small_lost": Fraction((r2k < 0).mean(), 0),
            "large_lost": Fraction((spx < 0).mean(), 0), "big_loss": Fraction(-BIG_LOSS, 0),
            "small_big": Fraction((r2k < BIG_LOSS).mean(), 0),
            "large_big": Fraction((spx < BIG_LOSS).mean(), 0),
            "worst": Fraction(r2k.min(), 0, signed=True),
            "best": Fraction(r2k.max(), 0, signed=True)}
    last = windows.index[-1].to_timestamp(how="end").date()
    data = windows.copy()
    data.index = data.index.to_timestamp(how="end").normalize()
    data.index.name = "window_end"
    return Drawn(fig, data, last, says, extra_csv={"r2k-risk-12m-buckets": counts})
