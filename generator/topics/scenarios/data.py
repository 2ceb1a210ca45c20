"""Facts for the Looking-ahead page: how small caps did in past regimes and after credit-spread
spikes — history as context, not a forecast."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from generator.analytics.horizon_returns import (
    forward_returns,
    month_end_prices,
    rolling_horizon_returns,
)
from generator.analytics.regimes import change_over, regime_averages
from generator.analytics.returns import calendar_month_returns
from generator.analytics.threshold_events import spike_events
from generator.store import Store, load_values
from generator.topics import aligned, provides
from generator.units import Count, Fraction, Level, Points

SINCE_YEAR = 1989  # whole years of both indexes; the Russell 2000 data starts in late 1987
SPIKE_QUANTILE = 0.9
SPIKE_MIN_HISTORY = 756  # three years of daily spreads before the first threshold
SPIKE_RESET_DAYS = 126  # six months at or below the threshold before a new spike counts
HORIZONS = (3, 6, 12)
ROTATION_LOOKBACK = 36  # months of trailing relative return
ROTATION_AHEAD = 12  # months of following relative return


def monthly_returns(store: Store) -> pd.DataFrame:
    """Complete-month price returns since 1989: ``russell_2000``, ``sp_500`` and ``relative``
    (the difference), fractions, monthly PeriodIndex."""
    rut = calendar_month_returns(load_values(store, "^RUT"))
    spx = calendar_month_returns(load_values(store, "^GSPC"))
    frame = pd.concat({"russell_2000": rut, "sp_500": spx}, axis=1, join="inner").dropna()
    frame = frame[frame.index.year >= SINCE_YEAR]
    frame["relative"] = frame["russell_2000"] - frame["sp_500"]
    return frame


def _monthly(values: pd.Series) -> pd.Series:
    """A (daily or monthly) series -> its last value in each calendar month."""
    clean = values.dropna()
    return clean.groupby(pd.DatetimeIndex(clean.index).to_period("M")).last()


def regime_signals(store: Store) -> dict[str, tuple[pd.Series, tuple[str, str]]]:
    """Monthly signals whose sign defines each regime, with (positive, negative) labels.

    - easing: the effective fed funds rate (FEDFUNDS) vs six months earlier; falling = easing.
    - growth: the 12-month growth of industrial production (INDPRO) vs three months earlier;
      rising = accelerating (a proxy: the data holds no forecasts, so no "surprise").
    - credit: the month's change in the high-yield spread (BAMLH0A0HYM2); falling = easing.
    """
    fed = _monthly(load_values(store, "FEDFUNDS"))
    output = _monthly(load_values(store, "INDPRO"))
    growth = output / output.shift(12) - 1.0
    spread = _monthly(load_values(store, "BAMLH0A0HYM2"))
    return {
        "fed": (-change_over(fed, 6), ("Fed funds lower than 6 months before",
                                        "Fed funds higher than 6 months before")),
        "growth": (change_over(growth, 3), ("Output growth accelerating",
                                            "Output growth slowing")),
        "credit": (-change_over(spread, 1), ("High-yield spread narrowed that month",
                                             "High-yield spread widened that month")),
    }


def regime_table(store: Store) -> pd.DataFrame:
    """One row per regime: ``signal``, ``regime``, mean monthly ``russell_2000``, ``sp_500`` and
    ``relative`` returns (fractions) and ``count`` of months."""
    returns = monthly_returns(store)
    parts = []
    for key, (signal, labels) in regime_signals(store).items():
        table = regime_averages(returns, signal, labels)
        table.insert(0, "signal", key)
        parts.append(table)
    table = pd.concat(parts)
    table.index.name = "regime"
    return table.reset_index()


def spread_spike_table(store: Store) -> pd.DataFrame:
    """High-yield spread spikes (above the 90th percentile of all earlier days, after six calm
    months) and the price returns of both indexes 3, 6 and 12 months later."""
    spread = load_values(store, "BAMLH0A0HYM2")
    events = spike_events(spread, SPIKE_QUANTILE, SPIKE_MIN_HISTORY, SPIKE_RESET_DAYS)
    rut = forward_returns(load_values(store, "^RUT"), events.index, HORIZONS)
    spx = forward_returns(load_values(store, "^GSPC"), events.index, HORIZONS)
    table = events.rename(columns={"value": "spread", "threshold": "threshold"})
    for h in HORIZONS:
        table[f"r2k_m{h}"] = rut[f"m{h}"]
        table[f"spx_m{h}"] = spx[f"m{h}"]
        table[f"rel_m{h}"] = rut[f"m{h}"] - spx[f"m{h}"]
    return table


def rotation_pairs(store: Store) -> pd.DataFrame:
    """For each complete month end: the trailing 36-month and the following 12-month return of
    the Russell 2000 relative to the S&P 500 (ratio of growth − 1, fractions). The latest
    months have no following return yet (NaN)."""
    prices = aligned(store, "^RUT", "^GSPC")
    ratio = month_end_prices(prices["^RUT"] / prices["^GSPC"]).iloc[:-1]
    trailing = rolling_horizon_returns(ratio, ROTATION_LOOKBACK)
    ahead = (ratio.shift(-ROTATION_AHEAD) / ratio - 1.0).reindex(trailing.index)
    return pd.DataFrame({"trailing_36m": trailing, "next_12m": ahead})


def regime_side(row: pd.Series, label: str) -> dict[str, Any]:
    """One regime's averages with units: mean monthly returns as fractions, the lead over the
    S&P 500 (a difference of two returns) in points, the months counted."""
    return row.to_dict() | {
        "label": label, "count": Count(row["count"]),
        "russell_2000": Fraction(row["russell_2000"], 2), "sp_500": Fraction(row["sp_500"], 2),
        "relative": Points.of(row["relative"], 2)}


def regime_facts(regimes: pd.DataFrame) -> dict[str, Any]:
    """Per signal: the regime where it is on, where it is off, and how far apart the two leads
    over the S&P 500 are (``gap``, in points)."""
    by = regimes.set_index(["signal", "regime"])
    out = {}
    for key in regimes["signal"].unique():
        rows = by.loc[key]
        on, off = (regime_side(rows.iloc[i], rows.index[i]) for i in (0, 1))
        out[key] = {"on": on, "off": off, "gap": Points.between(
            rows.iloc[0]["relative"], rows.iloc[1]["relative"], 2)}
    return out


@provides
def scenarios_facts(store: Store) -> dict[str, Any]:
    """Regime averages, spread-spike outcomes and the rotation relationship."""
    regimes = regime_table(store)
    spikes = spread_spike_table(store)
    pairs = rotation_pairs(store)
    complete = pairs.dropna()
    low_cut = complete["trailing_36m"].quantile(0.2)
    low = complete[complete["trailing_36m"] <= low_cut]
    latest = pairs["trailing_36m"].iloc[-1]
    return {"scenarios": {
        "regimes": regimes,
        "regime": regime_facts(regimes),
        "months_first": monthly_returns(store).index[0].to_timestamp().date(),
        "spikes": spikes, "spike_count": Count(len(spikes)),
        "spike_mean_rel_m12": Points.of(spikes["rel_m12"].mean()),
        "spike_mean_r2k_m12": Fraction(spikes["r2k_m12"].mean()),
        "spike_r2k_m12_negative": Count((spikes["r2k_m12"] < 0).sum()),
        "spike_rel_m12_positive": Count((spikes["rel_m12"] > 0).sum()),
        "spike_complete_m12": Count(spikes["r2k_m12"].notna().sum()),
        "rotation_corr": Level(
            np.corrcoef(complete["trailing_36m"], complete["next_12m"])[0, 1]),
        "rotation_n": Count(len(complete)), "rotation_years": Level(len(complete) / 12, 0),
        "rotation_low_cut": Fraction(low_cut),
        "rotation_low_mean": Fraction(low["next_12m"].mean()),
        "rotation_all_mean": Fraction(complete["next_12m"].mean()),
        "rotation_low_share_positive": Fraction((low["next_12m"] > 0).mean()),
        "rotation_latest": Fraction(latest),
        "rotation_latest_month": pairs.index[-1].to_timestamp(how="end").date(),
        "rotation_latest_percentile": Fraction((complete["trailing_36m"] <= latest).mean()),
    }}
