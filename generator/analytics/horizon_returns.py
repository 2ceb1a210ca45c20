"""Returns over fixed horizons: rolling N-month returns and returns after given dates."""

from __future__ import annotations

import numpy as np
import pandas as pd


def month_end_prices(prices: pd.Series) -> pd.Series:
    """Daily prices -> the last close of each calendar month, indexed by monthly Period."""
    return prices.groupby(pd.DatetimeIndex(prices.index).to_period("M")).last()


def rolling_horizon_returns(month_end: pd.Series, months: int) -> pd.Series:
    """Month-end prices -> the return over the `months` months ending at each month end
    (overlapping windows; the first `months` entries are dropped)."""
    return (month_end / month_end.shift(months) - 1.0).dropna()


def forward_return(prices: pd.Series, start: pd.Timestamp, months: int) -> float:
    """Daily prices -> return from the last close on or before `start` to the last close on or
    before `start` + `months` (NaN when the data does not reach that far yet)."""
    end = start + pd.DateOffset(months=months)
    if end > prices.index[-1]:
        return float("nan")
    base = prices.loc[:start]
    if base.empty:
        return float("nan")
    return float(prices.loc[:end].iloc[-1] / base.iloc[-1] - 1.0)


def forward_returns(prices: pd.Series, starts: pd.DatetimeIndex,
                    horizons: tuple[int, ...] = (3, 6, 12)) -> pd.DataFrame:
    """Daily prices -> a table of forward returns, one row per start date, one column per
    horizon in months (``m3``, ``m6``, …); NaN where the horizon is not over yet."""
    rows = {f"m{h}": [forward_return(prices, d, h) for d in starts] for h in horizons}
    table = pd.DataFrame(rows, index=pd.DatetimeIndex(starts, name="date"))
    return table.astype(np.float64)
