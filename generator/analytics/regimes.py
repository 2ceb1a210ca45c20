"""Average returns by regime: months split by the sign of an economic signal."""

from __future__ import annotations

import numpy as np
import pandas as pd


def regime_averages(monthly_returns: pd.DataFrame, signal: pd.Series,
                    labels: tuple[str, str]) -> pd.DataFrame:
    """Monthly returns (columns of fractions, monthly PeriodIndex) and a monthly `signal` ->
    mean return of each column in months where the signal is > 0 (labels[0]) and < 0
    (labels[1]), with the month ``count``. Months where the signal is 0 or missing are left out.
    """
    joined = monthly_returns.join(signal.rename("_signal"), how="inner").dropna()
    joined = joined[joined["_signal"] != 0]
    regime = np.where(joined["_signal"] > 0, labels[0], labels[1])
    grouped = joined.drop(columns="_signal").groupby(regime)
    table = grouped.mean()
    table["count"] = grouped.size()
    return table.reindex(list(labels))


def change_over(series: pd.Series, periods: int) -> pd.Series:
    """A monthly series -> its change over the previous `periods` months (same units)."""
    return series - series.shift(periods)
