"""Small caps against large caps: relative lines, rolling return gaps, correlation and beta.

`small` and `large` are two price series (index levels or adjusted fund closes) or their
returns, as each function says. Returns are simple fractions; rolling windows count
observations (trading days, weeks or months, whatever the input's frequency is).
"""

from __future__ import annotations

import pandas as pd

from generator.analytics.returns import TRADING_DAYS


def relative_line(small: pd.Series, large: pd.Series, base: float = 100.0) -> pd.Series:
    """Prices -> small / large on their shared dates, rebased to `base` on the first one.

    It rises when small caps do better than large caps and falls when they do worse;
    its change between two dates is (1 + small's return) / (1 + large's return) − 1.
    """
    both = pd.concat([small, large], axis=1, join="inner").dropna()
    ratio = both.iloc[:, 0] / both.iloc[:, 1]
    return (base * ratio / ratio.iloc[0]).rename("relative")


def period_end_prices(prices: pd.Series, freq: str) -> pd.Series:
    """Prices -> the last close of each calendar week (``"W"``) or month (``"M"``), indexed by
    the date of that close."""
    periods = pd.DatetimeIndex(prices.index).to_period(freq)
    return prices.groupby(periods).tail(1)


def rolling_annualised_return(prices: pd.Series, window: int,
                              periods_per_year: float = TRADING_DAYS) -> pd.Series:
    """Prices -> annualised return over the trailing `window` observations:
    (p_t / p_{t−window}) ** (periods_per_year / window) − 1. NaN until `window` + 1 prices."""
    growth = prices / prices.shift(window)
    return growth ** (periods_per_year / window) - 1.0


def rolling_return_difference(small: pd.Series, large: pd.Series, window: int,
                              periods_per_year: float = TRADING_DAYS) -> pd.Series:
    """Prices -> rolling annualised return of `small` minus that of `large` (fractions, i.e.
    0.02 = 2 percentage points a year), on their shared dates."""
    both = pd.concat([small, large], axis=1, join="inner").dropna()
    small_r = rolling_annualised_return(both.iloc[:, 0], window, periods_per_year)
    large_r = rolling_annualised_return(both.iloc[:, 1], window, periods_per_year)
    return (small_r - large_r).dropna().rename("difference")


def rolling_correlation(small: pd.Series, large: pd.Series, window: int) -> pd.Series:
    """Returns -> rolling Pearson correlation over `window` shared observations."""
    both = pd.concat([small, large], axis=1, join="inner").dropna()
    return both.iloc[:, 0].rolling(window).corr(both.iloc[:, 1]).dropna().rename("correlation")


def rolling_beta(small: pd.Series, large: pd.Series, window: int) -> pd.Series:
    """Returns -> rolling beta of `small` on `large`: cov(small, large) / var(large) over
    `window` shared observations (both with ddof=1). A beta of 1.2 means small caps moved
    1.2 % on average for each 1 % move of large caps in that window."""
    both = pd.concat([small, large], axis=1, join="inner").dropna()
    s, m = both.iloc[:, 0], both.iloc[:, 1]
    cov = s.rolling(window).cov(m)
    var = m.rolling(window).var()
    return (cov / var).dropna().rename("beta")


def returns_by_regime(relative_returns: pd.Series, change: pd.Series,
                      threshold: float) -> pd.DataFrame:
    """Per-period relative returns (small − large, fractions) grouped by a change in another
    series over the same periods (e.g. the 12-month change in a yield, percentage points):
    ``rising`` (change ≥ threshold), ``falling`` (≤ −threshold), ``little changed`` (between).

    Only periods present in both are used. Columns: ``periods``, ``mean`` (average relative
    return per period), ``share_small_won`` (share of periods with relative return > 0).
    """
    both = pd.concat([relative_returns.rename("rel"), change.rename("chg")], axis=1,
                     join="inner").dropna()
    labels = pd.Series("little changed", index=both.index)
    labels[both["chg"] >= threshold] = "rising"
    labels[both["chg"] <= -threshold] = "falling"
    rows = []
    for regime in ("rising", "little changed", "falling"):
        part = both.loc[labels == regime, "rel"]
        rows.append({"regime": regime, "periods": len(part),
                     "mean": float(part.mean()) if len(part) else float("nan"),
                     "share_small_won": float((part > 0).mean()) if len(part) else float("nan")})
    return pd.DataFrame(rows).set_index("regime")
