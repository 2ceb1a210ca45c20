"""What followed: each period's return next to the next period's."""

from __future__ import annotations

import pandas as pd


def next_year_table(yearly: pd.Series, best_share: float = 0.25) -> pd.DataFrame:
    """Calendar-year returns (indexed by year) -> one row per year that has a following year:
    ``return``, ``next_year`` and ``best`` (True for the years at or above the
    (1 − `best_share`) quantile of all years' returns, i.e. the best quarter of years)."""
    threshold = float(yearly.quantile(1.0 - best_share))
    table = pd.DataFrame({"return": yearly, "next_year": yearly.shift(-1)}).dropna()
    table["best"] = table["return"] >= threshold
    table.attrs["threshold"] = threshold
    return table
