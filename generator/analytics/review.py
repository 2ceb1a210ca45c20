"""Reviewing a calendar period: quarter returns, the deepest fall and its rebound, record closes
and how a rate moved. Pure functions over *prices* (levels) or *rates* (percent)."""

from __future__ import annotations

from typing import Any

import pandas as pd

from generator.analytics.returns import price_on_or_before


def review_years(last_date: pd.Timestamp) -> tuple[int, int]:
    """The last complete calendar year and the current (partial) one, from the last data date.

    A year counts as complete only once data exists in a later year, so a series ending on
    31 December still treats that year as current until the next year's first close.
    """
    return last_date.year - 1, last_date.year


def quarter_returns(prices: pd.Series, year: int) -> pd.DataFrame:
    """Prices -> price return of each calendar quarter of `year` that has started.

    Each quarter runs from the last close of the previous quarter to its own last close (or
    the last close in the data for the quarter in progress). Columns: ``quarter`` (1–4),
    ``start``/``end`` (dates of the two closes), ``return`` (fraction) and ``complete``
    (False for a quarter still in progress at the last date).
    """
    last = prices.index[-1]
    rows = []
    for quarter in range(1, 5):
        begins = pd.Timestamp(year, 3 * quarter - 2, 1)
        ends = begins + pd.offsets.QuarterEnd(0)
        if begins > last:
            break
        base_date, base = price_on_or_before(prices, begins - pd.Timedelta(days=1))
        end_date, close = price_on_or_before(prices, ends)
        rows.append({"quarter": quarter, "start": base_date, "end": end_date,
                     "return": close / base - 1.0, "complete": bool(last >= ends)})
    return pd.DataFrame(rows, columns=["quarter", "start", "end", "return", "complete"])


def period_window(prices: pd.Series, year: int) -> pd.Series:
    """Prices from the last close before `year` through the year's last close in the data
    (the base close first, so returns and drawdowns inside the year start from it)."""
    base_date, _ = price_on_or_before(prices, pd.Timestamp(year - 1, 12, 31))
    return prices.loc[base_date:pd.Timestamp(year, 12, 31)]


def deepest_fall(window: pd.Series) -> dict[str, Any]:
    """Prices over a window -> its deepest peak-to-trough fall, the peak being the highest close
    in the window before the trough (the first close counts as a possible peak).

    Returns ``peak``/``trough`` dates and levels, ``depth`` (fraction ≤ 0), ``recovered`` (first
    later close in the window at or above the peak, or None) and ``rebound`` (trough to the
    window's last close, fraction).
    """
    drawdown = window / window.cummax() - 1.0
    trough = drawdown.idxmin()
    peak = window.loc[:trough].idxmax()
    after = window.loc[trough:]
    back = after[after >= window.loc[peak]]
    return {
        "peak": peak.date(), "peak_level": float(window.loc[peak]),
        "trough": trough.date(), "trough_level": float(window.loc[trough]),
        "depth": float(drawdown.loc[trough]),
        "recovered": back.index[0].date() if len(back) else None,
        "rebound": float(window.iloc[-1] / window.loc[trough] - 1.0),
    }


def record_closes(prices: pd.Series, year: int) -> dict[str, Any]:
    """Prices -> closing records set in `year`, measured against every close before it.

    Returns the record standing at the start of the year (``prior_high`` level and
    ``prior_high_date``), ``count`` of closes in the year above every earlier close, the
    ``first`` and ``last`` such dates (None if none), the year's ``high``/``high_date`` and
    ``high_vs_prior``, the year's high relative to the prior record (fraction).
    """
    before = prices.loc[:pd.Timestamp(year - 1, 12, 31)]
    inside = prices.loc[pd.Timestamp(year, 1, 1):pd.Timestamp(year, 12, 31)]
    running = pd.concat([before, inside]).cummax().shift(1).loc[inside.index]
    records = inside[inside > running]
    return {
        "prior_high": float(before.max()), "prior_high_date": before.idxmax().date(),
        "count": len(records),
        "first": records.index[0].date() if len(records) else None,
        "first_level": float(records.iloc[0]) if len(records) else None,
        "last": records.index[-1].date() if len(records) else None,
        "high": float(inside.max()), "high_date": inside.idxmax().date(),
        "high_vs_prior": float(inside.max() / before.max() - 1.0),
    }


def rate_move(rates: pd.Series, year: int) -> dict[str, Any]:
    """Rates (percent) -> level at the last observation before `year` and at the last one in
    it, the change in percentage points, and the year's high and low with their dates."""
    start_date, start = price_on_or_before(rates, pd.Timestamp(year - 1, 12, 31))
    inside = rates.loc[pd.Timestamp(year, 1, 1):pd.Timestamp(year, 12, 31)]
    return {
        "start": start, "start_date": start_date.date(),
        "end": float(inside.iloc[-1]), "end_date": inside.index[-1].date(),
        "change": float(inside.iloc[-1] - start),
        "high": float(inside.max()), "high_date": inside.idxmax().date(),
        "low": float(inside.min()), "low_date": inside.idxmin().date(),
    }
