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
from generator.sources.french import Dataset as FrenchDataset
from generator.sources.french import FrenchFile
from generator.sources.french import Section as FrenchSection
from generator.units import Fraction


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
# Quarterly: the last two quarters, so a revised latest survey is compared too.
DEFAULT_OVERLAP_DAYS = {"daily": 10, "monthly": 95, "quarterly": 190}


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


# --- Fund holdings and members' closes --------------------------------------------------------
# A holdings file is checked as a whole (a bad one is refused). Members' closes are raw vendor
# data for ~1,850 single stocks: the table as a whole must be well-formed, but a flawed *member*
# is not refused or repaired — `screen_members` lists it, and figures leave it out.

HOLDINGS = "IWM holdings"
MEMBERS = "members' closes"


# The equity lines of IWM's holdings file weigh 90-101 % of the fund together (cash and futures
# make up the rest); far less means a truncated download, far more a change of units.
EQUITY_WEIGHTS_PCT = (90.0, 101.0)


def validate_holdings(table: pd.DataFrame, as_of: dt.date, path: Path | str | None = None,
                      today: dt.date | None = None) -> pd.DataFrame:
    """Check a clean holdings table (see `sources.ishares`); return it unchanged if it passes.

    Rules: an as-of date not in the future; at least one equity line; no negative market value
    or weight; equity weights (percent of the fund) summing to a plausible 90–101 %.
    """
    where = str(path) if path else None
    on = [as_of.isoformat()]

    def fail(rule: str, detail: str) -> ValidationError:
        return ValidationError(HOLDINGS, rule, detail, on, path=where)

    if as_of > (today or dt.date.today()):
        raise fail("future date", f"holdings as of {as_of} is after today")
    equity = table[table["asset_class"] == "Equity"]
    if equity.empty:
        raise fail("no equities", "the table has no line with asset class 'Equity'")
    for col in ("market_value", "weight_pct"):
        negative = equity[equity[col] < 0]
        if len(negative):
            raise fail("negative value", f"{col} < 0 for {', '.join(negative['ticker'][:5])}")
        if equity[col].isna().any():
            bad = equity.loc[equity[col].isna(), "ticker"]
            raise fail("missing value", f"{col} is empty for {', '.join(bad[:5])}")
    total = float(equity["weight_pct"].sum())
    low, high = EQUITY_WEIGHTS_PCT
    if not low <= total <= high:
        raise fail("implausible weights", f"equity weights sum to {total:.2f}% (expected "
                   f"{low:g}–{high:g}%: units changed, or a truncated table?)")
    return table


def validate_members_frame(frame: pd.DataFrame, path: Path | str | None = None,
                           today: dt.date | None = None) -> pd.DataFrame:
    """Check the members' close table as a whole; return it unchanged if it passes.

    Rules: not empty; ticker columns unique; dates unique, increasing, not in the future; float
    values. Individual members' flaws are not errors here: see `screen_members`.
    """
    where = str(path) if path else None
    if frame is None or frame.empty or frame.shape[1] == 0:
        raise ValidationError(MEMBERS, "empty", "no rows or no ticker columns", path=where)
    dup_cols = frame.columns[frame.columns.duplicated()]
    if len(dup_cols):
        raise ValidationError(MEMBERS, "duplicate ticker",
                              f"columns appear twice: {', '.join(map(str, dup_cols[:5]))}",
                              path=where)
    index = pd.DatetimeIndex(frame.index)
    dup = index[index.duplicated()]
    if len(dup):
        raise ValidationError(MEMBERS, "duplicate date", "a date appears more than once",
                              _dates(dup), path=where)
    backwards = index[1:][np.diff(index.asi8) < 0]
    if len(backwards):
        raise ValidationError(MEMBERS, "dates out of order",
                              "a date is earlier than the row before it", _dates(backwards),
                              path=where)
    today = today or dt.date.today()
    future = index[index.date > today]
    if len(future):
        raise ValidationError(MEMBERS, "future date", f"dates after today ({today})",
                              _dates(future), path=where)
    not_float = [c for c, kind in frame.dtypes.items() if kind != "float64"]
    if not_float:
        raise ValidationError(MEMBERS, "non-numeric", f"columns {not_float[:5]} are not float",
                              path=where)
    return frame


@dataclass(frozen=True)
class MemberRules:
    """Single-stock screening rules (see `screen_members`).

    `spike_factor`: a one-day move of at least this factor either way (1.8 = +80 % or −44 %)
    is suspect; it is a flaw only if, within `revert_days` sessions, an opposite move of the
    same size brings the close back within `revert_tolerance` (0.15 = 15 %) of where it was:
    the signature of a bad tick or a split applied late. A real +90 % day that holds is kept.
    `extreme_factor`: a one-day move of this factor or more either way, even one that holds
    (×10: a listed stock almost never does that without a corporate action, so it is far more
    often an unadjusted split than news).
    `stale_days`: the same close on this many consecutive sessions (a dead quote).
    `large_up` / `large_down`: a one-day move to at least `large_up` times (+80 %) or at most
    `large_down` times (−80 %) the previous close, even one that holds: an unadjusted split or
    a bad print more often than news, though real news does it too (the pages show how much
    screening these out changes a result).
    `split_tolerance`: a one-day move within this of a split ratio (×2, 3, 4, 5, 8, 10, 20 or
    ÷ the same: 0.5 is a 2-for-1 split) is a likely unadjusted split, whatever its size.
    """

    spike_factor: float = 1.8
    revert_days: int = 5
    revert_tolerance: float = 0.15
    extreme_factor: float = 10.0
    stale_days: int = 15
    large_up: float = 1.8
    large_down: float = 0.2
    split_tolerance: float = 0.005

    def describe(self) -> str:
        """The rules in reader words (percentages through the site's one formatter)."""
        revert, split = Fraction(self.revert_tolerance), Fraction(self.split_tolerance)
        up, down = Fraction(self.large_up - 1, signed=True), Fraction(self.large_down - 1)
        return (f"a close ≤ 0; a one-day move of ×{self.spike_factor:g} or more (either way) "
                f"undone within {self.revert_days} sessions by an opposite move of the same "
                f"size, back within {revert:.0} of the earlier close (bad tick "
                f"or a split applied late); a one-day move of ×{self.extreme_factor:g} or more "
                f"either way (most likely an unadjusted split); a one-day move by a split ratio "
                f"(×2, ×3, ÷2, ÷3 … within {split:.1}: a likely unadjusted "
                f"split); a one-day move of {up:.0} or more or "
                f"{down:.0} or less that holds (an unadjusted split or a bad "
                f"print, sometimes real news); the same close on {self.stale_days} or more "
                f"consecutive sessions (stale quote)")


EXCLUSION_COLUMNS = ("ticker", "rule", "first_date", "last_date", "days", "detail")
RULE_NON_POSITIVE = "non-positive close"
RULE_SPIKE = "move that reverses"
RULE_EXTREME = "extreme move"
RULE_STALE = "stale run"
RULE_LARGE = "large move"
RULE_SPLIT = "split-ratio move"
SPLIT_RATIOS = (2.0, 3.0, 4.0, 5.0, 8.0, 10.0, 20.0)


def _flag_rows(mask: np.ndarray, index: pd.DatetimeIndex, columns: pd.Index,
               rule: str) -> pd.DataFrame:
    """One row per ticker with any flagged day: first and last flagged date, count."""
    rows, cols = np.nonzero(mask)
    if not len(rows):
        return pd.DataFrame(columns=list(EXCLUSION_COLUMNS))
    flagged = pd.DataFrame({"ticker": columns[cols], "date": index[rows]})
    out = flagged.groupby("ticker", sort=True)["date"].agg(["min", "max", "size"]).reset_index()
    out.columns = ["ticker", "first_date", "last_date", "days"]
    out.insert(1, "rule", rule)
    return out


def _run_lengths(flags: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For a boolean (time × member) array: length of the run of True ending at each cell
    (forward) and starting at each cell (backward), counted in cells."""
    def forward(a: np.ndarray) -> np.ndarray:
        count = np.cumsum(a, axis=0, dtype=np.int32)
        reset = np.maximum.accumulate(np.where(~a, count, 0), axis=0)
        return count - reset

    return forward(flags), forward(flags[::-1])[::-1]


def screen_members(closes: pd.DataFrame, rules: MemberRules | None = None) -> pd.DataFrame:
    """Members' closes -> the exclusion list: one row per (ticker, rule) with the first and last
    flagged date, the number of flagged days and a detail. Vectorised over the whole frame.

    Prices are never changed: a flagged member is left out of the figures whose dates it
    touches (`excluded_between`).
    """
    rules = rules or MemberRules()
    index = pd.DatetimeIndex(closes.index)
    values = closes.to_numpy(dtype="float64")
    present = ~np.isnan(values)
    parts = []

    nonpositive = present & (values <= 0)
    part = _flag_rows(nonpositive, index, closes.columns, RULE_NON_POSITIVE)
    part["detail"] = [f"{n} close(s) ≤ 0" for n in part["days"]]
    parts.append(part)

    # Moves on log prices, carried over gaps (a NaN day is no move); non-positive closes are
    # flagged above and left out of the log.
    with np.errstate(divide="ignore", invalid="ignore"):
        logs = pd.DataFrame(np.where(present & (values > 0), np.log(values), np.nan)).ffill()
    log_prices = logs.to_numpy()
    step = np.vstack([np.full((1, values.shape[1]), np.nan), np.diff(log_prices, axis=0)])
    threshold = np.log(rules.spike_factor)
    tolerance = np.log1p(rules.revert_tolerance)
    jump = np.abs(step) >= threshold
    before = np.vstack([np.full((1, values.shape[1]), np.nan), log_prices[:-1]])
    spike = np.zeros_like(jump)
    spike_end = np.zeros_like(jump)
    for k in range(1, rules.revert_days + 1):  # a loop over offsets, not over tickers
        later_step = np.vstack([step[k:], np.full((k, values.shape[1]), np.nan)])
        later_price = np.vstack([log_prices[k:], np.full((k, values.shape[1]), np.nan)])
        with np.errstate(invalid="ignore"):
            undone = (jump & (np.abs(later_step) >= threshold) & (later_step * step < 0)
                      & (np.abs(later_price - before) <= tolerance))
        new = undone & ~spike
        spike |= new
        rows, cols = np.nonzero(new)
        spike_end[np.minimum(rows + k, len(index) - 1), cols] = True
    part = _flag_rows(spike | spike_end, index, closes.columns, RULE_SPIKE)
    if len(part):
        rows, cols = np.nonzero(spike)
        first = pd.DataFrame({"ticker": closes.columns[cols],
                              "factor": np.exp(step[rows, cols]), "date": index[rows]})
        first = first.groupby("ticker").agg(events=("factor", "size"),
                                            factor=("factor", "first"), date=("date", "first"))
        first = first.reindex(part["ticker"])
        part["days"] = first["events"].to_numpy()
        part["detail"] = [f"×{f:.3g} on {d:%Y-%m-%d}, undone within {rules.revert_days} "
                          f"sessions ({n} event(s))"
                          for f, d, n in zip(first["factor"], first["date"], first["events"],
                                             strict=True)]
    parts.append(part)

    with np.errstate(invalid="ignore"):
        extreme = np.abs(step) >= np.log(rules.extreme_factor)

    # Moves by a split ratio (a 2-for-1 split halves the price), and other large one-day moves
    # that hold (those that reverse are flagged above as spikes).
    with np.errstate(invalid="ignore"):
        near = np.log1p(rules.split_tolerance)
        split = np.zeros_like(jump)
        for ratio in SPLIT_RATIOS:
            split |= np.abs(np.abs(step) - np.log(ratio)) <= near
        split &= ~(spike | spike_end)
        large = ((step >= np.log(rules.large_up)) | (step <= np.log(rules.large_down))) & ~(
            spike | spike_end | split)
    for mask, rule in ((extreme, RULE_EXTREME), (split, RULE_SPLIT), (large, RULE_LARGE)):
        part = _flag_rows(mask, index, closes.columns, rule)
        if len(part):
            rows, cols = np.nonzero(mask)
            first = pd.DataFrame({"ticker": closes.columns[cols],
                                  "factor": np.exp(step[rows, cols]),
                                  "date": index[rows]}).groupby("ticker").first()
            first = first.reindex(part["ticker"])
            part["detail"] = [f"×{f:.3g} on {d:%Y-%m-%d}"
                              for f, d in zip(first["factor"], first["date"], strict=True)]
        parts.append(part)

    with np.errstate(invalid="ignore"):
        repeat = present & np.vstack([np.zeros((1, values.shape[1]), dtype=bool),
                                      values[1:] == values[:-1]])
    fwd, bwd = _run_lengths(repeat)
    in_long_run = repeat & (fwd + bwd - 1 >= rules.stale_days - 1)
    # The first close of a run is not a repeat itself but belongs to it.
    in_long_run |= np.vstack([in_long_run[1:], np.zeros((1, values.shape[1]), dtype=bool)])
    part = _flag_rows(in_long_run, index, closes.columns, RULE_STALE)
    part["detail"] = [f"{n} sessions on a repeated close" for n in part["days"]]
    parts.append(part)

    out = pd.concat([p for p in parts if len(p)], ignore_index=True) if any(
        len(p) for p in parts) else pd.DataFrame(columns=list(EXCLUSION_COLUMNS))
    out = out[list(EXCLUSION_COLUMNS)].sort_values(["ticker", "rule"], ignore_index=True)
    out["days"] = out["days"].astype("int64")
    return out


def excluded_between(exclusions: pd.DataFrame, start: pd.Timestamp | None = None,
                     end: pd.Timestamp | None = None) -> pd.DataFrame:
    """The exclusion rows whose flagged dates touch [start, end] (open ends mean all dates)."""
    first = pd.to_datetime(exclusions["first_date"])
    last = pd.to_datetime(exclusions["last_date"])
    keep = np.ones(len(exclusions), dtype=bool)
    if start is not None:
        keep &= (last >= start).to_numpy()
    if end is not None:
        keep &= (first <= end).to_numpy()
    return exclusions[keep]


# --- Kenneth R. French Data Library files (generator/sources/french.py) -------------------------

# Plausible values by kind, in the library's units (returns in percent).
FRENCH_RETURN_RANGE = (-100.0, 1000.0)
# The median absolute return of a section, in percent: a file in fractions (0.0125 for 1.25 %)
# falls far below it, one scaled by 100 far above.
FRENCH_MEDIAN_ABS_RETURN = {"monthly": (0.3, 30.0), "annual": (2.0, 200.0)}
FRENCH_RATIO_BOUND = 1000.0
# A portfolio's annual return is its monthly returns compounded (the library rounds each to the
# hundredth): a larger gap means a section was mis-read (shifted columns, swapped sections).
FRENCH_ANNUAL_TOLERANCE_PP = 0.5


def validate_french_table(dataset: FrenchDataset, table: pd.DataFrame,
                          path: Path | str | None = None,
                          today: dt.date | None = None) -> pd.DataFrame:
    """Re-check a stored library table (its monthly sections, ``<section>:<column>``) with the
    same per-section rules as the file it came from (the annual sections are not stored)."""
    sections = {}
    for spec in dataset.sections:
        if spec.frequency != "monthly":
            continue
        prefix = f"{spec.key}:"
        part = table[[c for c in table.columns if c.startswith(prefix)]]
        part.columns = [c[len(prefix):] for c in part.columns]
        sections[spec.key] = part.dropna(how="all")
    validate_french(FrenchFile(dataset, sections, ()), path, today, monthly_only=True)
    return table


def validate_french(file: FrenchFile, path: Path | str | None = None,
                    today: dt.date | None = None, monthly_only: bool = False) -> FrenchFile:
    """Check a parsed library file; return it unchanged if it passes.

    Rules, per section: not empty; dates unique, in order, consecutive (no missing month or
    year) and not in the future; the dataset's key columns complete (the library's -99.99/-999
    only where the pages do not look); values plausible for their kind (returns above -100 % and
    in percent units, firm counts whole and non-negative, sizes and BE/ME positive). Across
    sections: every monthly section ends in the same month, and each annual portfolio return
    equals its monthly returns compounded.
    """
    dataset = file.dataset
    where = str(path) if path else None
    today = today or dt.date.today()

    def fail(rule: str, section: str, detail: str, index: pd.Index | None = None
             ) -> ValidationError:
        dates = ([str(i) for i in index] if index is not None and not isinstance(
            index, pd.DatetimeIndex) else _months(index) if index is not None else None)
        return ValidationError(dataset.name, rule, f"section {section!r}: {detail}", dates,
                               path=where)

    ends = set()
    for spec in dataset.sections:
        if monthly_only and spec.frequency != "monthly":
            continue
        frame = file.sections.get(spec.key)
        if frame is None or frame.empty:
            raise fail("section missing", spec.title, "no rows")
        index = frame.index
        dup = index[index.duplicated()]
        if len(dup):
            raise fail("duplicate date", spec.title, "a date appears more than once", dup)
        if spec.frequency == "monthly":
            months = pd.DatetimeIndex(index).to_period("M").asi8
            if np.any(np.diff(months) < 0):
                raise fail("dates out of order", spec.title, "a month precedes the one above it")
            gaps = np.flatnonzero(np.diff(months) != 1)
            if len(gaps):
                raise fail("gap", spec.title, "months missing after the dates shown",
                           index[gaps])
            first_days = pd.DatetimeIndex(index).to_period("M").start_time
            future = index[first_days.date > today]
            if len(future):
                raise fail("future date", spec.title, f"months after today ({today})", future)
            ends.add(pd.Timestamp(index[-1]))
        else:
            years = np.asarray(index, dtype="int64")
            if np.any(np.diff(years) != 1):
                raise fail("gap", spec.title, "years missing or out of order",
                           index[1:][np.diff(years) != 1])
            if years[-1] > today.year:
                raise fail("future date", spec.title, f"years after {today.year}", index[-1:])
        key = frame[list(dataset.key_columns)]
        holes = key.isna().any(axis=1)
        if holes.any():
            column = key.columns[key.loc[holes].isna().any().to_numpy()][0]
            raise fail("missing value", spec.title,
                       f"column {column!r} is marked missing (-99.99 or -999)", index[holes])
        _check_french_values(frame, spec, fail)
    if len(ends) > 1:
        raise fail("sections disagree", "all monthly", "monthly sections end in different "
                   f"months: {sorted(e.strftime('%Y-%m') for e in ends)}")
    for monthly, annual in (("vw", "vw_annual"), ("ew", "ew_annual")):
        if monthly in file.sections and annual in file.sections:
            _check_annual(file.sections[monthly], file.sections[annual],
                          dict((s.key, s.title) for s in dataset.sections)[annual], fail)
    return file


def _months(index: pd.Index) -> list[str]:
    return [d.strftime("%Y-%m") for d in pd.DatetimeIndex(index)]


def _check_french_values(frame: pd.DataFrame, spec: FrenchSection, fail) -> None:
    values = frame.to_numpy(dtype="float64")
    present = ~np.isnan(values)

    def rows_where(mask: np.ndarray) -> pd.Index:
        return frame.index[mask.any(axis=1)]

    if spec.kind == "return":
        low, high = FRENCH_RETURN_RANGE
        bad = present & ((values <= low) | (values > high))
        if bad.any():
            raise fail("implausible value", spec.title, f"a return outside {low:g}..{high:g} "
                       "percent", rows_where(bad))
        lo, hi = FRENCH_MEDIAN_ABS_RETURN[spec.frequency]
        median = float(np.nanmedian(np.abs(values)))
        if not lo <= median <= hi:
            raise fail("unit change", spec.title, f"median absolute return {median:.4g} is "
                       f"outside {lo:g}..{hi:g}: percent expected (1.25 means 1.25%)")
    elif spec.kind == "count":
        bad = present & ((values < 0) | (values != np.round(values)))
        if bad.any():
            raise fail("implausible value", spec.title, "a firm count that is negative or not "
                       "a whole number", rows_where(bad))
    elif spec.kind == "size" or spec.key.startswith("beme"):
        bad = present & (values <= 0)
        if bad.any():
            raise fail("implausible value", spec.title, "a size or BE/ME that is not positive",
                       rows_where(bad))
    else:
        bad = present & (np.abs(values) > FRENCH_RATIO_BOUND)
        if bad.any():
            raise fail("implausible value", spec.title,
                       f"a ratio beyond ±{FRENCH_RATIO_BOUND:g}", rows_where(bad))


def _check_annual(monthly: pd.DataFrame, annual: pd.DataFrame, title: str, fail) -> None:
    growth = (monthly / 100.0 + 1.0)
    counts = growth.groupby(growth.index.year).size()
    compounded = (growth.groupby(growth.index.year).prod() - 1.0) * 100.0
    whole = counts.index[counts.to_numpy() == 12]
    shared = annual.index.intersection(whole)
    gap = (compounded.loc[shared] - annual.loc[shared]).abs()
    bad = gap.max(axis=1) > FRENCH_ANNUAL_TOLERANCE_PP
    if bad.any():
        worst = gap.loc[bad].stack().idxmax()
        raise fail("sections disagree", title,
                   f"{worst[1]!r} annual return differs from its monthly returns compounded by "
                   f"{gap.loc[worst]:.2f} percentage points (more than "
                   f"{FRENCH_ANNUAL_TOLERANCE_PP:g})", shared[bad.to_numpy()])
