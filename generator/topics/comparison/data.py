"""Facts for Compared with the S&P 500 and Russell 1000, namespaced under ``compare``.

The Russell 1000's index level is not in the data; IWB (iShares Russell 1000 ETF, adjusted
closes = total return after fund costs) stands in for it, always against IWM (the Russell 2000
fund), so both sides are total return from the same fund family.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pandas as pd

from generator.analytics.relative import (
    period_end_prices,
    relative_line,
    rolling_beta,
    rolling_correlation,
    rolling_return_difference,
)
from generator.analytics.returns import cagr
from generator.store import Store
from generator.topics import aligned, provides
from generator.units import Count, Fraction, Level, Points, Quantity

DIFFERENCE_DAYS = 756  # three years of trading days
WEEKS = 156  # three years of weekly returns

PAIRS = {  # name -> (small, large, label)
    "price": ("^RUT", "^GSPC", "Russell 2000 ÷ S&P 500 (price)"),
    "total": ("IWM", "SPY", "IWM ÷ SPY (total return)"),
    "r1000": ("IWM", "IWB", "IWM ÷ IWB, Russell 1000 proxy (total return)"),
}


def relative_strength_table(store: Store) -> pd.DataFrame:
    """Relative lines of the three pairs on each pair's shared dates. The price line is rebased to
    100 on the Russell 2000's first day; each fund line starts at the price line's value on its
    own first day, so the lines overlay where they overlap."""
    price = _line(store, "price")
    lines = {"price": price}
    for name in ("total", "r1000"):
        line = _line(store, name)
        start = price.loc[:line.index[0]].iloc[-1]
        lines[name] = line / 100.0 * start
    table = pd.concat(lines, axis=1, sort=True)
    table.columns = ["russell_2000_vs_sp_500_price", "iwm_vs_spy_total_return",
                     "iwm_vs_iwb_total_return"]
    table.index.name = "date"
    return table


def _line(store: Store, pair: str) -> pd.Series:
    small, large, _ = PAIRS[pair]
    prices = aligned(store, small, large)
    return relative_line(prices[small], prices[large])


def rolling_difference_table(store: Store) -> pd.DataFrame:
    """Rolling 3-year (756 trading days) annualised return difference, small minus large
    (fractions), for each pair."""
    columns = {}
    for name, (small, large, _) in PAIRS.items():
        prices = aligned(store, small, large)
        columns[name] = rolling_return_difference(prices[small], prices[large], DIFFERENCE_DAYS)
    table = pd.concat(columns, axis=1, sort=True)
    table.columns = ["russell_2000_minus_sp_500_price", "iwm_minus_spy_total_return",
                     "iwm_minus_iwb_total_return"]
    table.index.name = "date"
    return table


def weekly_returns(store: Store, small: str, large: str) -> pd.DataFrame:
    """Week-to-week returns (last close of each calendar week) of two series, shared weeks."""
    prices = aligned(store, small, large)
    weekly = pd.concat([period_end_prices(prices[c], "W") for c in (small, large)], axis=1,
                       sort=True)
    return weekly.pct_change().iloc[1:].dropna()


def correlation_beta_table(store: Store) -> pd.DataFrame:
    """Rolling 156-week correlation and beta of small-cap to large-cap weekly returns: Russell
    2000 on S&P 500 (price) and IWM on IWB (total return, Russell 1000 proxy)."""
    parts = {}
    for name, small, large in (("russell_2000_sp_500", "^RUT", "^GSPC"),
                               ("iwm_iwb", "IWM", "IWB")):
        weekly = weekly_returns(store, small, large)
        parts[f"{name}_correlation"] = rolling_correlation(weekly[small], weekly[large], WEEKS)
        parts[f"{name}_beta"] = rolling_beta(weekly[small], weekly[large], WEEKS)
    table = pd.concat(parts, axis=1, sort=True)
    table.index.name = "week_ending"
    return table


def extremes(series: pd.Series) -> dict[str, Any]:
    """Latest, lowest and highest values of a series with their dates."""
    data = series.dropna()
    return {"latest": float(data.iloc[-1]), "latest_date": data.index[-1].date(),
            "min": float(data.min()), "min_date": data.idxmin().date(),
            "max": float(data.max()), "max_date": data.idxmax().date(),
            "first_date": data.index[0].date(), "share_positive": float((data > 0).mean())}


def extremes_in(series: pd.Series, unit: Callable[[float], Quantity]) -> dict[str, Any]:
    """`extremes` with units: latest, lowest and highest made by `unit` (``Points.of`` for a
    difference of two returns), the share above 0 a fraction."""
    out = extremes(series)
    out.update({k: unit(out[k]) for k in ("latest", "min", "max")},
               share_positive=Fraction(out["share_positive"]))
    return out


@provides
def comparison_facts(store: Store) -> dict[str, Any]:
    """Relative strength, rolling 3-year gaps, correlation and beta."""
    strength = relative_strength_table(store)
    price = strength["russell_2000_vs_sp_500_price"].dropna()
    total = strength["iwm_vs_spy_total_return"].dropna()
    r1000 = strength["iwm_vs_iwb_total_return"].dropna()
    diff = rolling_difference_table(store)
    corr = correlation_beta_table(store)
    weekly = weekly_returns(store, "^RUT", "^GSPC")
    full_corr = float(weekly["^RUT"].corr(weekly["^GSPC"]))
    full_beta = float(weekly["^RUT"].cov(weekly["^GSPC"]) / weekly["^GSPC"].var())
    proxy = weekly_returns(store, "IWM", "IWB")
    funds = aligned(store, "IWM", "SPY", "^RUT", "^GSPC")
    return {"compare": {
        # What dividends (net of fund costs) added a year: fund CAGR minus index CAGR.
        "dividends_small": Points.of(cagr(funds["IWM"]) - cagr(funds["^RUT"])),
        "dividends_large": Points.of(cagr(funds["SPY"]) - cagr(funds["^GSPC"])),
        "dividends_from": funds.index[0].date(),
        "ratio": extremes_in(price, Level),
        "ratio_change_since_start": Fraction(price.iloc[-1] / price.iloc[0] - 1),
        "ratio_change_since_peak": Fraction(price.iloc[-1] / price.max() - 1),
        "total_change": Fraction(total.iloc[-1] / total.iloc[0] - 1),
        "total_first_date": total.index[0].date(),
        "r1000_change": Fraction(r1000.iloc[-1] / r1000.iloc[0] - 1),
        "r1000_first_date": r1000.index[0].date(), "r1000_last_date": r1000.index[-1].date(),
        "diff_price": extremes_in(diff["russell_2000_minus_sp_500_price"], Points.of),
        "diff_total": extremes_in(diff["iwm_minus_spy_total_return"], Points.of),
        "diff_r1000": extremes_in(diff["iwm_minus_iwb_total_return"], Points.of),
        "corr": extremes_in(corr["russell_2000_sp_500_correlation"], Level),
        "beta": extremes_in(corr["russell_2000_sp_500_beta"], Level),
        "corr_proxy": extremes_in(corr["iwm_iwb_correlation"], Level),
        "beta_proxy": extremes_in(corr["iwm_iwb_beta"], Level),
        "full_corr": Level(full_corr), "full_beta": Level(full_beta), "weeks": Count(len(weekly)),
        "full_corr_proxy": Level(proxy["IWM"].corr(proxy["IWB"])),
        "full_beta_proxy": Level(proxy["IWM"].cov(proxy["IWB"]) / proxy["IWB"].var()),
        "window_weeks": Count(WEEKS), "window_days": Count(DIFFERENCE_DAYS),
    }}
