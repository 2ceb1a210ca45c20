"""The size premium, valuation and quality by size: pure functions over the Kenneth R. French
Data Library's monthly portfolio returns (percent per month, as the library prints them).

Conventions: a *return* argument is a monthly simple return in percent (1.25 = 1.25 %), indexed
by month-end dates. Annualised returns are geometric (compound growth per year); the size
*premium* from SMB is its arithmetic mean monthly return times 12 (the usual factor
convention). Results are fractions (0.05 = 5 %).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

MONTHS = 12


def growth_of_one(returns_pct: pd.Series | pd.DataFrame) -> pd.Series | pd.DataFrame:
    """Value of $1 invested at the start of the first month, at each month-end."""
    return (1.0 + returns_pct / 100.0).cumprod()


def annualised(returns_pct: pd.Series | pd.DataFrame) -> float | pd.Series:
    """Compound annual growth rate over the whole sample: prod(1 + r)^(12 / n) - 1."""
    growth = np.log1p(returns_pct / 100.0)
    return np.expm1(growth.mean() * MONTHS)


def annualised_since_start(returns_pct: pd.DataFrame) -> pd.DataFrame:
    """For each December, the annualised return from the first month to that December (the
    ladder's rows); a column per portfolio. Index: the year."""
    logs = np.log1p(returns_pct / 100.0).cumsum()
    months = pd.Series(np.arange(1, len(returns_pct) + 1), index=returns_pct.index)
    december = returns_pct.index.month == MONTHS
    ladder = np.expm1(logs[december].div(months[december], axis=0) * MONTHS)
    ladder.index = ladder.index.year.rename("year")
    return ladder


def rolling_annualised_gap(small_pct: pd.Series, big_pct: pd.Series, years: int) -> pd.Series:
    """Annualised return of `small` minus that of `big` over each trailing `years` window
    (fractions; labelled by the window's last month; NaN until a window is full)."""
    window = years * MONTHS

    def rolling(r: pd.Series) -> pd.Series:
        return np.expm1(np.log1p(r / 100.0).rolling(window).mean() * MONTHS)

    return (rolling(small_pct) - rolling(big_pct)).rename(f"{years}y")


def premium(smb_pct: pd.Series) -> float:
    """Average annual premium: mean monthly SMB (percent) x 12, as a fraction."""
    return float(smb_pct.mean() * MONTHS / 100.0)


def premium_by_decade(smb_pct: pd.Series) -> pd.DataFrame:
    """SMB's average annual premium per calendar decade, with each decade's first and last
    month and its number of months (the 1920s and 2020s are partial)."""
    decade = (smb_pct.index.year // 10) * 10
    grouped = smb_pct.groupby(decade)
    table = pd.DataFrame({"premium": grouped.mean() * MONTHS / 100.0,
                          "first": grouped.apply(lambda s: s.index[0]),
                          "last": grouped.apply(lambda s: s.index[-1]),
                          "months": grouped.size()})
    table.index = table.index.rename("decade")
    return table


def premium_split(smb_pct: pd.Series, split: str) -> tuple[float, float]:
    """Average annual premium before the month `split` (YYYY-MM) and from it on."""
    cut = pd.Timestamp(split)
    return premium(smb_pct[smb_pct.index < cut]), premium(smb_pct[smb_pct.index >= cut])


def premium_january(smb_pct: pd.Series) -> tuple[float, float]:
    """Average SMB in Januaries and in the other months, each as a monthly mean x 12 (what the
    premium would be if every month were like them)."""
    january = smb_pct.index.month == 1
    return premium(smb_pct[january]), premium(smb_pct[~january])


def weighted_ratio(ratios: pd.DataFrame, weights: pd.DataFrame) -> pd.Series:
    """Value-weighted average of portfolio ratios (e.g. BE/ME) per month; `weights` are each
    portfolio's total market equity (firms x average size), same shape as `ratios`."""
    return (ratios * weights).sum(axis=1) / weights.sum(axis=1)


def percentile_rank(series: pd.Series) -> float:
    """Share of observations at or below the last one (its percentile in its own history)."""
    clean = series.dropna()
    return float((clean <= clean.iloc[-1]).mean())


def forward_annualised_gap(small_pct: pd.Series, big_pct: pd.Series, years: int) -> pd.Series:
    """For each month, the annualised return of `small` minus `big` over the *next* `years`
    (from the following month on); NaN where the future window is not complete."""
    gap = rolling_annualised_gap(small_pct, big_pct, years)
    return gap.shift(-years * MONTHS).rename(f"next_{years}y")


def by_quintile(signal: pd.Series, outcomes: pd.DataFrame) -> pd.DataFrame:
    """Mean of each outcome column by quintile of `signal` (1 = lowest fifth of its values),
    with the number of months behind each mean. Rows where an outcome is missing are left out
    of that outcome's mean."""
    quintile = pd.qcut(signal.rank(method="first"), 5, labels=[1, 2, 3, 4, 5])
    frame = outcomes.assign(quintile=quintile.to_numpy())
    table = frame.groupby("quintile", observed=True).agg(["mean", "count"])
    table.columns = [f"{a}_{b}" for a, b in table.columns]
    bounds = signal.groupby(quintile.to_numpy(), observed=True).agg(["min", "max"])
    table["signal_min"] = bounds["min"].to_numpy()
    table["signal_max"] = bounds["max"].to_numpy()
    return table


def quintile_of(signal: pd.Series, value: float) -> int:
    """Which fifth (1..5) of `signal`'s history `value` falls in."""
    edges = signal.dropna().quantile([0.2, 0.4, 0.6, 0.8]).to_numpy()
    return int(np.searchsorted(edges, value, side="right") + 1)


def rank_range_in_buckets(firms: pd.Series, first_rank: int, last_rank: int) -> list[str]:
    """The buckets (ordered largest first in `firms`' index order reversed) that hold firms
    ranked `first_rank`..`last_rank` by size, given the number of firms in each bucket.

    `firms` lists buckets from smallest to largest (the library's order, ``Lo 10`` … ``Hi 10``).
    """
    largest_first = firms.iloc[::-1]
    upper = largest_first.cumsum()
    lower = upper - largest_first + 1
    held = (upper >= first_rank) & (lower <= last_rank)
    return list(largest_first.index[held.to_numpy()])
