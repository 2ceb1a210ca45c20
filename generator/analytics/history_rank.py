"""Where a value stands within its own history: percentile ranks and percentile levels."""

from __future__ import annotations

import pandas as pd


def percentile_rank(history: pd.Series, value: float) -> float:
    """Share (0–1) of the observations in `history` at or below `value` (NaNs ignored)."""
    clean = history.dropna()
    if clean.empty:
        raise ValueError("percentile_rank needs at least one observation")
    return float((clean <= value).mean())


def latest_percentile_rank(history: pd.Series) -> float:
    """Share (0–1) of the observations in `history` at or below its last value."""
    clean = history.dropna()
    return percentile_rank(clean, float(clean.iloc[-1]))


def percentile_levels(history: pd.Series, quantiles: tuple[float, ...]) -> dict[float, float]:
    """The value at each quantile of `history` (linear interpolation, NaNs ignored)."""
    clean = history.dropna()
    return {q: float(clean.quantile(q)) for q in quantiles}
