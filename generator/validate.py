"""Stage 2 — validate: the one place that decides whether a series is fit to store.

Snapshot imports and live updates go through the same rules. A failed rule raises
`ValidationError` naming the series, the rule, the dates and (when known) the file.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
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


# --- Live updates: rules that compare what a feed sends with what is stored ----------------------

# Re-downloads of the same Yahoo bar differ in the last float digits (~1e-7); FRED prints fixed
# decimals, so any change in a printed value is a revision.
PRICE_REVISION_TOLERANCE = 1e-4  # relative (0.01 %)
LEVEL_REVISION_TOLERANCE = 1e-6  # absolute, in the series' units
# An auto-adjusted ETF's whole history moves by one factor when a dividend goes ex after the
# stored copy was fetched; quarterly distributions of these funds stay well inside ±5 %.
READJUSTMENT_LIMIT = 0.05
# Percent vs fraction is ×100; genuine moves over a few overlapping days are nowhere near ×20.
UNIT_CHANGE_FACTOR = 20.0
DEFAULT_OVERLAP_DAYS = {"daily": 10, "monthly": 95}


def overlap_days(series: Series) -> int:
    """Calendar days before the last stored date that an update re-fetches for comparison."""
    return series.overlap_days or DEFAULT_OVERLAP_DAYS[series.frequency]


@dataclass(frozen=True)
class UpdatePlan:
    """What an update will store: the stored history with the feed's new rows appended.

    `rescale` is the factor applied to the new rows' prices to keep them on the stored
    adjustment basis (1.0 unless an ETF was re-adjusted for a dividend); `revised` lists the
    stored dates whose values the publisher revised (applied only for `revised_by_publisher`
    series; any other revision is rejected).
    """

    merged: pd.DataFrame
    added: pd.DatetimeIndex
    revised: pd.DatetimeIndex
    rescale: float = 1.0
    notes: tuple[str, ...] = ()

    @property
    def changed(self) -> bool:
        return len(self.added) > 0 or len(self.revised) > 0


def plan_update(series: Series, stored: pd.DataFrame | None, fetched: pd.DataFrame,
                today: dt.date | None = None, where: str = "live feed") -> UpdatePlan:
    """Check a fetched frame against the stored history and merge it (never replacing history).

    Rules, in order: the fetched rows pass `validate_series` on their own; no stored column is
    missing from the feed ("columns changed"); the feed does not end before the stored last date
    ("dates go backwards"); values on shared dates are on the same scale ("unit change"); shared
    values agree within tolerance and no stored date inside the fetched window has vanished
    ("revision in overlap"); the merged whole passes `validate_series` (which also catches a jump
    at the seam). Raises `ValidationError` naming the series, rule and dates.
    """
    validate_series(series, fetched, path=where, today=today)
    empty = pd.DatetimeIndex([], name="date")
    if stored is None or stored.empty:
        return UpdatePlan(merged=fetched, added=pd.DatetimeIndex(fetched.index), revised=empty)

    def fail(rule: str, detail: str, index: pd.Index | list) -> ValidationError:
        return ValidationError(series.id, rule, detail, _dates(pd.DatetimeIndex(index)),
                               path=where)

    col = value_column(series)
    gone = [c for c in stored.columns if c not in fetched.columns]
    if gone:
        raise fail("columns changed", f"the feed no longer has {gone} (stored columns: "
                   f"{list(stored.columns)}; feed: {list(fetched.columns)})", [])
    fetched = fetched[list(stored.columns)]
    stored_last, fetched_last = stored.index[-1], fetched.index[-1]
    if fetched_last < stored_last:
        raise fail("dates go backwards",
                   f"the feed ends on {fetched_last:%Y-%m-%d}, before the stored last date "
                   f"{stored_last:%Y-%m-%d}", [fetched_last, stored_last])

    shared = stored.index.intersection(fetched.index)
    old = stored.loc[shared, col]
    _check_scale(series, old, fetched.loc[shared, col], fail)

    rescale, notes = 1.0, []
    price_cols = [c for c in ("open", "high", "low", "close") if c in fetched.columns]
    if series.total_return and len(shared):
        factor = float((old / fetched.loc[shared, col]).median())
        if PRICE_REVISION_TOLERANCE < abs(factor - 1) <= READJUSTMENT_LIMIT:
            rescale = factor
            fetched = fetched.copy()
            fetched[price_cols] = fetched[price_cols] * factor
            notes.append(f"feed re-adjusted (dividend): new rows scaled ×{factor:.6f} "
                         "to the stored basis")

    new = fetched.loc[shared, col]
    if series.is_price:
        off = ((new / old - 1).abs() > PRICE_REVISION_TOLERANCE).to_numpy()
    else:
        off = ((new - old).abs() > LEVEL_REVISION_TOLERANCE).to_numpy()
    window = stored.index[stored.index >= fetched.index[0]]
    withdrawn = window.difference(fetched.index)
    revised = pd.DatetimeIndex(shared[off].union(withdrawn), name="date")
    if len(revised):
        shown = [f"{d:%Y-%m-%d} stored {old[d]:g}, feed {new[d]:g}" for d in shared[off][:3]]
        shown += [f"{d:%Y-%m-%d} stored {stored.at[d, col]:g}, feed has no value"
                  for d in withdrawn[:3]]
        detail = f"{len(revised)} stored value(s) differ from the feed: " + "; ".join(shown)
        if not series.revised_by_publisher:
            raise fail("revision in overlap", detail + " (kept the stored history)", revised)
        notes.append(f"publisher revision applied: {detail}")

    base = stored.drop(index=withdrawn) if len(withdrawn) else stored.copy()
    if off.any():
        base.loc[shared[off]] = fetched.loc[shared[off]]
    added = fetched.index[fetched.index > stored_last]
    merged = pd.concat([base, fetched.loc[added]])
    validate_series(series, merged, path=where, today=today)
    return UpdatePlan(merged=merged, added=pd.DatetimeIndex(added, name="date"), revised=revised,
                      rescale=rescale, notes=tuple(notes))


def _check_scale(series: Series, old: pd.Series, new: pd.Series, fail) -> None:
    """Reject a unit change (percent vs fraction, cents vs dollars) seen on shared dates."""
    stored_level, feed_level = float(old.abs().median()), float(new.abs().median())
    if not len(old) or stored_level == 0 or feed_level == 0 or np.isnan(stored_level):
        return  # nothing shared, or a 0/1 flag at 0: no scale to compare
    ratio = feed_level / stored_level
    if ratio >= UNIT_CHANGE_FACTOR or ratio <= 1 / UNIT_CHANGE_FACTOR:
        raise fail("unit change",
                   f"on shared dates the feed's values are ×{ratio:.3g} the stored ones "
                   f"(median {feed_level:g} vs {stored_level:g} {series.units}): "
                   "percent vs fraction?", old.index)


def stale_warning(series: Series, last: dt.date, today: dt.date) -> str | None:
    """A warning (not a rejection) when the last observation is older than the series allows."""
    behind = business_days_behind(last, today)
    if behind <= series.stale_business_days:
        return None
    return (f"{series.id}: stale feed: last observation {last} is {behind} business days old "
            f"(allowed {series.stale_business_days})")
