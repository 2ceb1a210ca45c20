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
from generator.units import Fraction, num, pct, pct_gap

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
    credit_gap = on["relative"] - off["relative"]
    fed_gap = fed["relative"].iloc[0] - fed["relative"].iloc[1]
    lead = ("The month's credit move mattered most" if abs(credit_gap) > abs(fed_gap)
            else "Credit moves mattered less than the Fed's direction")
    takeaway = (f"{lead}: when the high-yield spread narrowed, the Russell 2000 averaged "
                f"{pct(on['russell_2000'], 1, signed=True)} a month and beat the S&P 500 by "
                f"{pct_gap(on['relative'], 2)}; when it widened, "
                f"{pct(off['russell_2000'], 1, signed=True)} and "
                f"{pct_gap(off['relative'], 2)}. With the fed funds rate below vs above "
                f"its level six months earlier the gap was "
                f"{pct_gap(fed['relative'].iloc[0], 2)} vs "
                f"{pct_gap(fed['relative'].iloc[1], 2)} a month.")
    months = monthly_returns(store).index
    return Drawn(fig, table, _month_end_as_of(store, months[-1]).date(), takeaway)


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
    beat = int((done["rel_m12"] > 0).sum())
    lost = int((done["r2k_m12"] < 0).sum())
    worst = done["r2k_m12"].idxmin()
    first = load_values(store, "BAMLH0A0HYM2").dropna().index[0]
    worst_return = float(done.loc[worst, "r2k_m12"])
    tail = (f"after the {worst:%B %Y} spike it still fell {Fraction(-worst_return):.0}, so a "
            f"spike alone "
            f"did not mark the bottom" if worst_return < 0 else
            f"even the weakest case ({worst:%B %Y}) gained {Fraction(worst_return):.0}")
    takeaway = (f"{len(table)} spikes since {first:%Y}: 12 months later the Russell 2000 was "
                f"down in {lost} of {len(done)} and ahead of the S&P 500 in {beat} of "
                f"{len(done)}; {tail}.")
    last = load_values(store, "^RUT").index[-1].date()
    return Drawn(fig, table, last, takeaway)


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
                  annotation_text=f"latest {pct(latest, 0, signed=True)}",
                  annotation_position="top")
    fig.update_layout(hovermode="closest",
                      xaxis={"title": {"text": f"Previous {ROTATION_LOOKBACK} months, relative"},
                             "tickformat": "+.0%", "zeroline": True})
    corr = float(done["trailing_36m"].corr(done["next_12m"]))
    shown = num(corr, 2) if corr < 0 else f"+{num(corr, 2)}"
    if abs(corr) < WEAK_CORRELATION:
        verdict = (f"is close to nothing (correlation {shown}): a long lag has not, by itself, "
                   f"predicted a catch-up")
    else:
        verdict = (f"has a correlation of {shown} — and with overlapping windows the evidence is "
                   f"weaker than the dots suggest")
    takeaway = (f"Over {len(done)} month ends the link between a past {ROTATION_LOOKBACK}-month "
                f"relative return and the next {ROTATION_AHEAD} months {verdict}.")
    data = pairs.copy()
    data.index = data.index.to_timestamp(how="end").normalize()
    data.index.name = "month_end"
    return Drawn(fig, data, _month_end_as_of(store, pairs.index[-1]).date(), takeaway)
