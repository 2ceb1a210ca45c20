"""Calendar-month effects in monthly returns: a per-month profile and a month-vs-rest test."""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np
import pandas as pd


def calendar_month_profile(monthly_returns: pd.Series) -> pd.DataFrame:
    """Monthly returns (fractions, indexed by a monthly PeriodIndex or DatetimeIndex) -> one row
    per calendar month 1–12: ``mean``, ``median``, ``std`` (ddof=1), ``count``,
    ``share_positive`` and ``sem`` (standard error of the mean, std / √count)."""
    months = _month_numbers(monthly_returns.index)
    grouped = monthly_returns.groupby(months)
    profile = pd.DataFrame({
        "mean": grouped.mean(), "median": grouped.median(), "std": grouped.std(ddof=1),
        "count": grouped.count(), "share_positive": grouped.apply(lambda r: float((r > 0).mean())),
    })
    profile["sem"] = profile["std"] / np.sqrt(profile["count"])
    profile.index.name = "month"
    return profile


@dataclass(frozen=True)
class MonthEffect:
    """One calendar month against all the others (returns as fractions per month).

    ``p_value`` is two-sided, from a permutation test: the share of random relabellings of the
    same months whose mean difference is at least as large in absolute value as the real one.
    """

    month: int
    n_in: int
    n_out: int
    mean_in: float
    mean_out: float
    difference: float
    t_stat: float  # Welch's t (unequal variances)
    p_value: float

    @property
    def reliable(self) -> bool:
        """True when chance alone would rarely (under 5 % of relabellings) give such a gap."""
        return self.p_value < 0.05


def month_effect(monthly_returns: pd.Series, month: int, permutations: int = 10_000,
                 seed: int = 0) -> MonthEffect:
    """Monthly returns -> the difference between the mean return in calendar `month` and the
    mean of every other month, with Welch's t and a permutation p-value (fixed `seed`, so a
    build is reproducible)."""
    values = monthly_returns.to_numpy(dtype=float)
    in_month = _month_numbers(monthly_returns.index) == month
    if in_month.sum() < 2 or (~in_month).sum() < 2:
        raise ValueError(f"month_effect needs at least two returns in and out of month {month}")
    # The page's facts and its figure test the same returns: shuffle them once.
    return _month_effect(values.tobytes(), in_month.tobytes(), month, permutations, seed)


@functools.lru_cache(maxsize=16)
def _month_effect(values_bytes: bytes, in_month_bytes: bytes, month: int, permutations: int,
                  seed: int) -> MonthEffect:
    values = np.frombuffer(values_bytes, dtype=float)
    in_month = np.frombuffer(in_month_bytes, dtype=bool)
    inside, outside = values[in_month], values[~in_month]
    difference = inside.mean() - outside.mean()
    se = np.sqrt(inside.var(ddof=1) / len(inside) + outside.var(ddof=1) / len(outside))
    rng = np.random.default_rng(seed)
    # Each row is one relabelling: the same labels shuffled independently per row.
    labels = rng.permuted(np.tile(in_month, (permutations, 1)), axis=1)
    sums_in = labels.astype(float) @ values
    diffs = sums_in / len(inside) - (values.sum() - sums_in) / len(outside)
    p_value = float((np.abs(diffs) >= abs(difference) - 1e-15).mean())
    return MonthEffect(month=month, n_in=len(inside), n_out=len(outside),
                       mean_in=float(inside.mean()), mean_out=float(outside.mean()),
                       difference=float(difference),
                       t_stat=float(difference / se) if se > 0 else float("nan"),
                       p_value=p_value)


def _month_numbers(index: pd.Index) -> np.ndarray:
    if isinstance(index, pd.PeriodIndex):
        return index.month.to_numpy()
    return pd.DatetimeIndex(index).month.to_numpy()
