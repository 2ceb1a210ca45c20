"""Stage 2 — validate: the one place that decides whether a series is fit to store.

Snapshot imports and live updates go through the same rules. A failed rule raises
`ValidationError` naming the series, the rule, the dates and (when known) the file.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd

from generator.catalog import Series
from generator.errors import ValidationError


def _dates(index: pd.Index) -> list[str]:
    return [d.strftime("%Y-%m-%d") for d in pd.DatetimeIndex(index)]


def value_column(series: Series) -> str:
    """The column that carries the series' value: ``close`` for Yahoo, ``value`` for FRED."""
    return "close" if series.source == "yahoo" else "value"


def validate_series(series: Series, frame: pd.DataFrame, path: Path | str | None = None,
                    today: dt.date | None = None) -> pd.DataFrame:
    """Check a normalised frame against every rule for `series`; return it unchanged if it passes.

    Rules: not empty; dates unique, increasing and not in the future; the value column has no
    NaN; prices are strictly positive; values within the catalog's plausible range (catches a
    percent/fraction unit change); no one-observation move beyond `series.max_move` except on
    the catalog's allowed dates.
    """
    where = str(path) if path else None

    def fail(rule: str, detail: str, index: pd.Index | None = None) -> ValidationError:
        dates = _dates(index) if index is not None else None
        return ValidationError(series.id, rule, detail, dates, path=where)

    col = value_column(series)
    if frame is None or frame.empty or col not in frame.columns:
        raise fail("empty", "no rows (or no value column) in the data")
    index = pd.DatetimeIndex(frame.index)

    dup = index[index.duplicated()]
    if len(dup):
        raise fail("duplicate date", f"{len(dup)} date(s) appear more than once", dup)
    backwards = index[1:][np.diff(index.asi8) < 0]
    if len(backwards):
        raise fail("dates out of order", "a date is earlier than the row before it", backwards)
    today = today or dt.date.today()
    future = index[index.date > today]
    if len(future):
        raise fail("future date", f"dates after today ({today})", future)

    values = frame[col]
    missing = index[values.isna().to_numpy()]
    if len(missing):
        raise fail("missing value", f"{col} is empty or NaN", missing)

    if series.is_price:
        price_cols = [c for c in ("open", "high", "low", "close") if c in frame.columns]
        nonpositive = frame[price_cols].le(0).any(axis=1).to_numpy()
        if nonpositive.any():
            raise fail("non-positive price", "a price is zero or negative", index[nonpositive])

    if series.value_range is not None:
        low, high = series.value_range
        outside = ((values < low) | (values > high)).to_numpy()
        if outside.any():
            first = values[outside].iloc[0]
            raise fail("value out of range",
                       f"{first:g} outside the plausible {low:g}..{high:g} {series.units} "
                       "(units changed?)", index[outside])

    if series.max_move is not None and len(values) > 1:
        step = values.pct_change() if series.is_price else values.diff()
        jumps = step.abs() > series.max_move
        allowed = pd.DatetimeIndex(pd.to_datetime(list(series.allowed_move_dates)))
        jumps &= ~index.isin(allowed)
        if jumps.any():
            worst = step[jumps].iloc[0]
            unit = "%" if series.is_price else f" {series.units}"
            shown = f"{worst * 100:+.1f}%" if series.is_price else f"{worst:+g}{unit}"
            bound = (f"{series.max_move * 100:g}%" if series.is_price
                     else f"{series.max_move:g}{unit}")
            raise fail("implausible move", f"one-day change {shown} exceeds ±{bound}",
                       index[jumps.to_numpy()])
    return frame


def business_days_behind(last: dt.date, today: dt.date) -> int:
    """Business days (Mon–Fri) after `last` up to and including `today`."""
    return int(np.busday_count(last + dt.timedelta(days=1), today + dt.timedelta(days=1)))


def is_stale(series: Series, last: dt.date, today: dt.date) -> bool:
    """True when the series' last observation is older than its staleness allowance."""
    return business_days_behind(last, today) > series.stale_business_days
