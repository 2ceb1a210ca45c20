"""Event dates derived from FRED series, and index returns after them.

Two kinds of event, both read from the data rather than typed in:

- **Recession troughs** from USREC (monthly 0/1). USREC flags the months from the one after an
  NBER peak through the trough, so the trough is the last month of each run of 1s.
- **First cuts of Fed easing cycles** from the fed funds rate: every day the rate was lowered
  (the target range's upper limit DFEDTARU where it exists, since December 2008; before that a
  step detector on the daily effective rate DFF), then the first decrease after at least
  `quiet_months` months with no decrease.

Rates are in percent; changes in percentage points; returns are simple fractions.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

# Effective-rate step detector (daily DFF, business days). The values are rules, explained in
# `effective_rate_decreases`; they are tuned to tell a policy move (a lasting step of a quarter
# point or more) from the effective rate's everyday noise, not to hit any particular date.
PRE_WINDOW = 10  # business days whose median is the level before a day
POST_WINDOW = 10  # business days whose median is the level after it
CONFIRM_DAYS = 3  # the day itself and the next two must all be lower...
CONFIRM_DROP = 0.10  # ...by more than this (percentage points)
STEP = 0.15  # the median of the next two weeks is lower by at least this
HOLD_DAYS = 30  # for six weeks...
HOLD_MARGIN = 0.10  # ...the 5-day median never climbs back to within this of the old level
SMOOTH_DAYS = 5
EPS = 1e-9  # rates are printed to 0.01: compare with a tolerance, not exact floats


def recession_troughs(usrec: pd.Series) -> pd.DatetimeIndex:
    """USREC (monthly 0/1, month-start dates) -> trough months: the last month flagged 1 in each
    run of 1s. A recession still flagged in the last month of data has no trough yet and is
    left out."""
    flags = usrec.astype(int)
    following = flags.shift(-1)
    is_trough = (flags == 1) & (following == 0)
    return pd.DatetimeIndex(flags.index[is_trough.to_numpy()], name="trough_month")


def target_decreases(target: pd.Series) -> pd.DataFrame:
    """A policy rate target (daily, percent) -> one row per day it fell.

    Columns: ``date`` (first day at the lower level), ``before``, ``after`` (percent),
    ``change`` (percentage points, < 0).
    """
    values = target.dropna()
    change = values.diff()
    down = change < -EPS
    return pd.DataFrame({
        "date": values.index[down.to_numpy()],
        "before": values.shift(1)[down].to_numpy(),
        "after": values[down].to_numpy(),
        "change": change[down].to_numpy(),
    })


def effective_rate_decreases(effective: pd.Series) -> pd.DataFrame:
    """The daily effective fed funds rate (percent) -> the days the policy level stepped down.

    Weekend rows (FRED's DFF repeats Friday's rate) are dropped. Day t is a decrease when:

    1. the rate on t and the next two business days is each more than ``CONFIRM_DROP`` below
       the median of the previous ``PRE_WINDOW`` days (a one-day dip at a month or year end,
       which reverses the next day, does not count);
    2. the median of the ``POST_WINDOW`` days from t is at least ``STEP`` lower than before
       (the size of most of a quarter-point move);
    3. for ``HOLD_DAYS`` business days the rolling ``SMOOTH_DAYS``-day median never climbs back
       to within ``HOLD_MARGIN`` of the old level (a liquidity dip that fades while the target
       is unchanged, as in August 2007, does not count).

    After a detected step the next ``POST_WINDOW`` days are skipped (one date per step). Days too
    close to the end of the data to check are not tested. Columns as in `target_decreases`,
    with ``before`` and ``after`` the two medians.
    """
    rates = effective.dropna()
    rates = rates[rates.index.day_of_week < 5]
    # Each test as a whole column (day t in row t), then one pass to keep one date per step.
    before = rates.rolling(PRE_WINDOW).median().shift(1)
    after = rates.rolling(POST_WINDOW).median().shift(-(POST_WINDOW - 1))
    highest_next = rates.rolling(CONFIRM_DAYS).max().shift(-(CONFIRM_DAYS - 1))
    smooth = rates.rolling(SMOOTH_DAYS).median()
    # The 5-day medians that use only day t onwards: those ending on t+4 .. t+HOLD_DAYS-1.
    span = HOLD_DAYS - SMOOTH_DAYS + 1
    highest_smooth = smooth.rolling(span).max().shift(-(HOLD_DAYS - 1))
    confirmed = before - highest_next > CONFIRM_DROP + EPS
    stepped = before - after >= STEP - EPS
    held = highest_smooth <= before - HOLD_MARGIN + EPS
    candidate = (confirmed & stepped & held).to_numpy()
    rows = []
    next_allowed = 0
    for i in np.flatnonzero(candidate):
        if i < next_allowed:
            continue
        rows.append({"date": rates.index[i], "before": float(before.iloc[i]),
                     "after": float(after.iloc[i]),
                     "change": float(after.iloc[i] - before.iloc[i])})
        next_allowed = i + POST_WINDOW
    return pd.DataFrame(rows, columns=["date", "before", "after", "change"])


def policy_rate_decreases(effective: pd.Series, target: pd.Series) -> pd.DataFrame:
    """Every decrease of the fed funds rate: from the target (`target`, e.g. DFEDTARU) from its
    first date on, from the effective rate (`effective`, DFF) before it.

    Adds a ``source`` column naming the series each date came from.
    """
    target = target.dropna()
    switch = target.index[0]
    # Detect on data past the switch so the last weeks before it can be confirmed too.
    early = effective_rate_decreases(effective.loc[:switch + pd.DateOffset(months=3)])
    early = early[early["date"] < switch].assign(source=str(effective.name or "effective"))
    late = target_decreases(target).assign(source=str(target.name or "target"))
    frame = pd.concat([early, late], ignore_index=True)
    return frame.sort_values("date", kind="stable").reset_index(drop=True)


def first_cuts(decreases: pd.DatetimeIndex, quiet_months: int,
               covered_from: pd.Timestamp) -> pd.DatetimeIndex:
    """Decrease dates -> the first decrease of each easing cycle.

    A decrease is a first cut when the `quiet_months` months before it hold no other decrease.
    The earliest decreases count only if the data covers that whole quiet period
    (`covered_from` = first date the decreases were looked for).
    """
    dates = pd.DatetimeIndex(sorted(decreases))
    chosen = []
    previous = None
    for when in dates:
        quiet_since = when - pd.DateOffset(months=quiet_months)
        if previous is None:
            if covered_from <= quiet_since:
                chosen.append(when)
        elif previous <= quiet_since:
            chosen.append(when)
        previous = when
    return pd.DatetimeIndex(chosen, name="first_cut")


def stable_quiet_range(decreases: pd.DatetimeIndex, quiet_months: int,
                       covered_from: pd.Timestamp, since: pd.Timestamp,
                       search: range = range(1, 121)) -> tuple[int, int]:
    """The range of quiet periods (months, inclusive) that give exactly the same first cuts on
    or after `since` as `quiet_months` does: how sensitive the event list is to the choice."""
    def listed(months: int) -> list[pd.Timestamp]:
        cuts = first_cuts(decreases, months, covered_from)
        return list(cuts[cuts >= since])

    reference = listed(quiet_months)
    low = high = quiet_months
    while low - 1 in search and listed(low - 1) == reference:
        low -= 1
    while high + 1 in search and listed(high + 1) == reference:
        high += 1
    return low, high


def close_on_or_before(prices: pd.Series, when: pd.Timestamp) -> pd.Timestamp | None:
    """The date of the last close on or before `when` (None if there is none)."""
    upto = prices.loc[:when]
    return None if upto.empty else pd.Timestamp(upto.index[-1])


def returns_after(prices: pd.Series, start: pd.Timestamp,
                  horizons: tuple[int, ...] = (3, 6, 12),
                  month_end: bool = False) -> dict[int, float]:
    """Prices -> price return from the last close on or before `start` to the last close on or
    before `start` + h calendar months, for each horizon h. With `month_end`, the horizon ends
    on the last day of that month (an event dated 30 April runs to 31 July, not 30 July).
    NaN where the horizon ends after the data does, or `start` is before it begins."""
    base_date = close_on_or_before(prices, start)
    out: dict[int, float] = {}
    for months in horizons:
        end = start + pd.DateOffset(months=months)
        if month_end:
            end = end + pd.offsets.MonthEnd(0)
        if base_date is None or end > prices.index[-1]:
            out[months] = float("nan")
            continue
        end_date = close_on_or_before(prices, end)
        out[months] = float(prices.loc[end_date] / prices.loc[base_date] - 1.0)
    return out


def event_study(small: pd.Series, large: pd.Series, events: pd.DatetimeIndex,
                horizons: tuple[int, ...] = (3, 6, 12), month_end: bool = False) -> pd.DataFrame:
    """Two price series and event reference dates -> one row per event with each series' return
    over each horizon and the difference (small − large, fractions).

    The reference close is the last close on or before the event date in both series;
    `month_end` as in `returns_after` (for events dated by month).
    Columns: ``event``, ``reference_close``, ``small_<h>m``, ``large_<h>m``, ``diff_<h>m``.
    """
    rows = []
    for when in events:
        base = close_on_or_before(small, when)
        row: dict[str, object] = {"event": when, "reference_close": base}
        r_small = returns_after(small, when, horizons, month_end)
        r_large = returns_after(large, when, horizons, month_end)
        for months in horizons:
            row[f"small_{months}m"] = r_small[months]
            row[f"large_{months}m"] = r_large[months]
            row[f"diff_{months}m"] = r_small[months] - r_large[months]
        rows.append(row)
    return pd.DataFrame(rows)
