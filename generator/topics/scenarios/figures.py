"""Figures for the Looking-ahead (scenarios) page: history's answer for each scenario."""

from __future__ import annotations

import pandas as pd

from generator.figures.spec import Drawn, figure
from generator.figures.theme import color, new_figure
from generator.store import Store, load_values
from generator.topics.scenarios.data import (
    ROTATION_AHEAD,
    ROTATION_LOOKBACK,
    SPIKE_QUANTILE,
    monthly_returns,
    regime_table,
    rotation_pairs,
    spread_spike_table,
)
from generator.units import Count, Day, Fraction, Level, Points

SPIKE_PERCENTILE = SPIKE_QUANTILE * 100  # named in figures.yml
WEAK_CORRELATION = 0.2  # below this (in absolute value) a link is called "close to nothing"
SHORT_LABELS = {"fed": ("Fed funds falling", "Fed funds rising"),
                "growth": ("Output growth speeding up", "Output growth slowing"),
                "credit": ("Credit spread narrowing", "Credit spread widening")}


def _month_end_as_of(store: Store, month: pd.Period) -> pd.Timestamp:
    """The last Russell 2000 close on or before the end of `month`."""
    rut = load_values(store, "^RUT")
    return rut.loc[:month.to_timestamp(how="end")].index[-1]


@figure("r2k-scenario-regimes", sources=("^RUT", "^GSPC", "FEDFUNDS", "INDPRO", "BAMLH0A0HYM2"))
def regimes(store: Store) -> Drawn:
    table = regime_table(store)
    # Short labels for a narrow screen; the page's table carries the full definitions.
    sides = table.groupby("signal").cumcount()
    labels = [f"{SHORT_LABELS[signal][side]}<br>({int(count)} months)"
              for signal, side, count in zip(table["signal"], sides, table["count"],
                                             strict=True)]
    fig = new_figure(y_title="", x_is_date=False)
    for col, label, key in (("russell_2000", "Russell 2000", "^RUT"),
                            ("relative", "Russell 2000 minus S&P 500", "relative")):
        fig.add_bar(y=labels, x=table[col].round(5).tolist(), name=label, orientation="h",
                    marker={"color": color(key)})
    fig.update_layout(barmode="group", hovermode="y unified",
                      xaxis={"title": {"text": "Average monthly price return"},
                             "tickformat": "+.1%"},
                      yaxis={"type": "category", "autorange": "reversed", "automargin": True,
                             "title": {"text": ""}, "tickformat": ""},
                      margin={"l": 8})
    credit = table[table["signal"] == "credit"].set_index("regime")
    fed = table[table["signal"] == "fed"].set_index("regime")
    on, off = credit.iloc[0], credit.iloc[1]
    # Which signal mattered more: the larger spread between its two regimes' relative returns.
    says = {"credit_gap": Points.between(on["relative"], off["relative"]),
            "fed_gap": Points.between(fed["relative"].iloc[0], fed["relative"].iloc[1]),
            "narrowed": Fraction(on["russell_2000"], signed=True),
            "narrowed_gap": Points.of(on["relative"], 2),
            "widened": Fraction(off["russell_2000"], signed=True),
            "widened_gap": Points.of(off["relative"], 2),
            "fed_below": Points.of(fed["relative"].iloc[0], 2),
            "fed_above": Points.of(fed["relative"].iloc[1], 2)}
    months = monthly_returns(store).index
    return Drawn(fig, table, _month_end_as_of(store, months[-1]).date(), says)


@figure("r2k-scenario-spread-spikes", sources=("BAMLH0A0HYM2", "^RUT", "^GSPC"))
def spread_spikes(store: Store) -> Drawn:
    table = spread_spike_table(store)
    names = [f"{d:%b %Y}" for d in table.index]
    fig = new_figure(y_title="Price return over the next 12 months", y_format="+.0%",
                     x_is_date=False)
    for col, label, key in (("r2k_m12", "Russell 2000", "^RUT"),
                            ("spx_m12", "S&P 500", "^GSPC")):
        fig.add_bar(x=names, y=table[col].round(4).to_numpy(), name=label,
                    marker={"color": color(key)})
    fig.update_layout(barmode="group", hovermode="x unified")
    done = table.dropna(subset=["r2k_m12"])
    worst = done["r2k_m12"].idxmin()
    says = {"spikes": Count(len(table)),
            "since": load_values(store, "BAMLH0A0HYM2").dropna().index[0].year,
            "lost": Count((done["r2k_m12"] < 0).sum()), "known": Count(len(done)),
            "beat": Count((done["rel_m12"] > 0).sum()), "worst": Day.of(worst),
            "worst_return": Fraction(done.loc[worst, "r2k_m12"], 0)}
    last = load_values(store, "^RUT").index[-1].date()
    return Drawn(fig, table, last, says)


@figure("r2k-scenario-rotation", sources=("^RUT", "^GSPC"))
def rotation(store: Store) -> Drawn:
    pairs = rotation_pairs(store)
    done = pairs.dropna()
    fig = new_figure(y_title=f"Next {ROTATION_AHEAD} months, relative", y_format="+.0%",
                     x_is_date=False)
    fig.add_scatter(x=done["trailing_36m"].round(4).tolist(),
                    y=done["next_12m"].round(4).to_numpy(), mode="markers", name="Month ends",
                    text=[f"{p:%b %Y}" for p in done.index],
                    hovertemplate="%{text}: past %{x:+.0%}, next %{y:+.0%}<extra></extra>",
                    marker={"color": color("relative"), "size": 5, "opacity": 0.55},
                    showlegend=False)
    latest = float(pairs["trailing_36m"].iloc[-1])
    fig.add_vline(x=latest, line={"dash": "dash", "width": 1.2, "color": color("^RUT")},
                  annotation_text=f"latest {Fraction(latest, 0, signed=True)}",
                  annotation_position="top")
    fig.update_layout(hovermode="closest",
                      xaxis={"title": {"text": f"Previous {ROTATION_LOOKBACK} months, relative"},
                             "tickformat": "+.0%", "zeroline": True})
    corr = float(done["trailing_36m"].corr(done["next_12m"]))
    says = {"months": Count(len(done)), "lookback": ROTATION_LOOKBACK, "ahead": ROTATION_AHEAD,
            "correlation": Level(corr, 2, signed=True), "weak": Level(WEAK_CORRELATION)}
    data = pairs.copy()
    data.index = data.index.to_timestamp(how="end").normalize()
    data.index.name = "month_end"
    return Drawn(fig, data, _month_end_as_of(store, pairs.index[-1]).date(), says)
