"""How returns are spread: histograms, the worst periods, time spent below a high."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd


def histogram(values: pd.Series, width: float, low: float | None = None,
              high: float | None = None) -> pd.DataFrame:
    """Values -> counts in bins of `width` whose edges are multiples of `width`.

    Bins are [left, right); they span `low`..`high` (default: the data's own range widened to
    multiples of `width`). Columns: ``left``, ``right``, ``count``, ``share`` (count / number of
    values, so shares sum to 1 when every value falls inside).
    """
    data = values.dropna().to_numpy(dtype=float)
    bottom = float(data.min() if low is None else low)
    top = float(data.max() if high is None else high)

    def edge(k: int) -> float:  # rounded so that 0.06 is 0.06, not 0.06000000000000001
        return round(k * width, 10)

    first = math.floor(bottom / width)
    while edge(first) > bottom:  # float division can land a hair above the true edge
        first -= 1
    last = math.floor(top / width) + 1
    while edge(last) <= top:
        last += 1
    edges = np.array([edge(k) for k in range(first, last + 1)])
    counts, _ = np.histogram(data, bins=edges)
    # numpy closes the last bin on the right; our bins are [left, right), and the upper edge is
    # strictly above the maximum, so nothing lands on it.
    return pd.DataFrame({"left": edges[:-1], "right": edges[1:], "count": counts,
                         "share": counts / len(data)})


def worst(values: pd.Series, count: int = 10) -> pd.Series:
    """The `count` smallest values, smallest first (ties keep date order)."""
    return values.dropna().sort_values(kind="stable").head(count)


def share_at_or_below(values: pd.Series, thresholds: tuple[float, ...]) -> dict[float, float]:
    """Share of observations at or below each threshold (e.g. drawdowns of −0.2 or worse)."""
    data = values.dropna()
    return {t: float((data <= t).mean()) for t in thresholds}
