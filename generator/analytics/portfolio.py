"""Portfolios of several price series: fixed-weight mixes rebalanced on given dates, the
core-satellite grid, leveraged daily-reset paths and dollar-cost averaging.

All functions take *prices* (adjusted closes, so total return for funds) on a shared
DatetimeIndex and return value paths or plain numbers. Weights are fractions summing to 1.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from generator.analytics.returns import cagr, calendar_year_returns, simple_returns
from generator.analytics.risk import annualised_volatility, max_drawdown

WEIGHT_TOLERANCE = 1e-9


def first_trading_day_of_each_year(index: pd.DatetimeIndex) -> pd.DatetimeIndex:
    """The first date of each calendar year present in `index` (the annual rebalance dates)."""
    dates = pd.DatetimeIndex(index)
    years = pd.Series(dates, index=dates).groupby(dates.year).min()
    return pd.DatetimeIndex(years.to_numpy(), name=dates.name)


def _check_weights(prices: pd.DataFrame, weights: Mapping[str, float]) -> pd.Series:
    target = pd.Series(dict(weights), dtype="float64")
    unknown = sorted(set(target.index) - set(prices.columns))
    if unknown:
        raise ValueError(f"weights name series not in the prices: {unknown}")
    if (target < 0).any():
        raise ValueError(f"weights must not be negative: {dict(target)}")
    if abs(float(target.sum()) - 1.0) > WEIGHT_TOLERANCE:
        raise ValueError(f"weights must sum to 1, got {float(target.sum())!r}")
    return target


def rebalanced_holdings(prices: pd.DataFrame, weights: Mapping[str, float],
                        rebalance_on: Sequence[pd.Timestamp] | pd.DatetimeIndex) -> pd.DataFrame:
    """Prices of several assets -> the value held in each, starting from a total of 1.

    The portfolio buys the target `weights` at the first close, lets them drift with prices,
    and resets them to the targets at the close of every date in `rebalance_on` (dates not in
    the index are ignored). No costs or taxes. Columns are the assets named in `weights`; the
    row sum is the portfolio value.
    """
    target = _check_weights(prices, weights)
    frame = prices[target.index.to_list()]
    if frame.isna().to_numpy().any():
        raise ValueError("prices must have no gaps (align them on shared dates first)")
    if (frame <= 0).to_numpy().any():
        raise ValueError("prices must be positive")
    index = frame.index
    resets = sorted({index.get_loc(d) for d in pd.DatetimeIndex(rebalance_on) if d in index}
                    | {0})
    values = frame.to_numpy(dtype="float64")
    held = np.empty_like(values)
    weights = target.to_numpy()
    units = weights / values[0]  # units of each asset bought with a total of 1 at the first close
    for start, stop in itertools.pairwise([*resets, len(index)]):
        # The reset trades at this close, at the value the drifted holdings reached by it.
        units = float((units * values[start]).sum()) * weights / values[start]
        held[start:stop] = units * values[start:stop]
    return pd.DataFrame(held, index=index, columns=frame.columns)


def rebalanced_value(prices: pd.DataFrame, weights: Mapping[str, float],
                     rebalance_on: Sequence[pd.Timestamp] | pd.DatetimeIndex) -> pd.Series:
    """Prices -> value path of the rebalanced mix (1.0 at the first close); see
    `rebalanced_holdings`."""
    return rebalanced_holdings(prices, weights, rebalance_on).sum(axis=1).rename("portfolio")


def mix_statistics(value: pd.Series) -> dict[str, float | int]:
    """Value path -> CAGR, annualised daily volatility, max drawdown (fractions) and the worst
    complete calendar year (``worst_year`` as an int, ``worst_year_return`` a fraction)."""
    years = calendar_year_returns(value)
    return {
        "cagr": cagr(value),
        "volatility": annualised_volatility(simple_returns(value)),
        "max_drawdown": max_drawdown(value),
        "worst_year": int(years.idxmin()) if len(years) else -1,
        "worst_year_return": float(years.min()) if len(years) else float("nan"),
    }


def core_satellite_grid(core: pd.Series, satellite: pd.Series,
                        shares: Sequence[float] = (0.0, 0.05, 0.10, 0.15, 0.20, 0.25, 0.30),
                        amount: float = 10_000.0) -> pd.DataFrame:
    """Two price series -> one row per satellite share, rebalanced annually.

    Each mix holds ``1 − share`` in `core` and ``share`` in `satellite`, bought at the first
    shared close and reset to target at the close of the first trading day of each later
    calendar year. Columns: ``small_cap_share`` (fraction), ``cagr``, ``volatility``,
    ``max_drawdown``, ``worst_year`` (int), ``worst_year_return`` (fractions) and
    ``final_value`` (dollars from `amount`).
    """
    prices = pd.concat({"core": core, "satellite": satellite}, axis=1, join="inner").dropna()
    resets = first_trading_day_of_each_year(prices.index)[1:]
    rows = []
    for share in shares:
        value = rebalanced_value(prices, {"core": 1.0 - share, "satellite": share}, resets)
        rows.append({"small_cap_share": share, **mix_statistics(value),
                     "final_value": amount * float(value.iloc[-1])})
    return pd.DataFrame(rows)


def daily_reset_leveraged(prices: pd.Series, leverage: float) -> pd.Series:
    """Prices -> value path (1.0 at the first close) of `leverage` × each day's return,
    reset every day, with no fees or financing costs: what a daily leveraged fund aims for
    before its costs."""
    daily = simple_returns(prices)
    path = (1.0 + leverage * daily).cumprod()
    return pd.concat([pd.Series([1.0], index=prices.index[:1]), path]).rename(prices.name)


def dca_vs_lump_sum(prices: pd.Series, months: int = 12) -> pd.DataFrame:
    """Prices -> for each start month, lump sum vs dollar-cost averaging over `months`.

    Lump sum invests everything at the last close of the start month; DCA invests equal parts
    at the last close of that month and the next ``months − 1`` month-ends, holding cash at 0 %
    until then. Both are valued at the month-end `months` after the start (so DCA's last part
    has been invested a month too). Columns: ``start``, ``end`` (month-end dates),
    ``lump_sum`` and ``dca`` (growth multiples of the money invested) and ``lump_sum_wins``.
    """
    month_end = prices.groupby(prices.index.to_period("M")).tail(1)
    # Only complete months: the current month's last close is not a month-end yet.
    if len(month_end) and month_end.index[-1] == prices.index[-1]:
        month_end = month_end.iloc[:-1]
    values = month_end.to_numpy(dtype="float64")
    rows = []
    for start in range(len(values) - months):
        end = start + months
        lump = values[end] / values[start]
        dca = float(np.mean(values[end] / values[start:end]))
        rows.append({"start": month_end.index[start], "end": month_end.index[end],
                     "lump_sum": lump, "dca": dca, "lump_sum_wins": bool(lump > dca)})
    return pd.DataFrame(rows, columns=["start", "end", "lump_sum", "dca", "lump_sum_wins"])
