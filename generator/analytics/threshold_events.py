"""Events where a series jumps above a high percentile of its own past (e.g. credit-spread
spikes), defined without look-ahead: each day's threshold uses only earlier observations."""

from __future__ import annotations

import pandas as pd


def expanding_threshold(values: pd.Series, quantile: float, min_history: int) -> pd.Series:
    """Each day's `quantile` of all observations *before* that day (NaN until `min_history`
    observations exist)."""
    return values.expanding(min_periods=min_history).quantile(quantile).shift(1)


def spike_events(values: pd.Series, quantile: float = 0.9, min_history: int = 756,
                 reset_days: int = 126) -> pd.DataFrame:
    """Days when `values` first closes above its expanding `quantile` threshold after at
    least `reset_days` observations at or below it (so one episode counts once).

    Returns columns ``value`` and ``threshold`` indexed by event date. Units are the series'
    own (percent for a spread). The first eligible day counts as an event if it is above.
    """
    clean = values.dropna()
    threshold = expanding_threshold(clean, quantile, min_history)
    rows = []
    calm_days = reset_days  # before any event, the series counts as having been calm
    for day, value in clean.items():
        limit = threshold.get(day)
        if pd.isna(limit):
            continue
        if value > limit:
            if calm_days >= reset_days:
                rows.append({"date": day, "value": float(value), "threshold": float(limit)})
            calm_days = 0
        else:
            calm_days += 1
    frame = pd.DataFrame(rows, columns=["date", "value", "threshold"])
    # Same dtypes with or without events (an empty frame would otherwise be of objects).
    frame["date"] = pd.to_datetime(frame["date"])
    return frame.set_index("date").astype("float64")
