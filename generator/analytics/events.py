"""Event dates derived from FRED series, and index returns after them.

Two kinds of event, both read from the data rather than typed in:

- **Recession troughs** from USREC (monthly 0/1). USREC flags the months from the one after an
  NBER peak through the trough, so the trough is the last month of each run of 1s.
- **First cuts of Fed easing cycles** from a policy target: every day the target was lowered,
  then the first decrease after at least `quiet_months` months with no decrease. (The pages
  date first cuts by the Fed's recorded decisions, a reference file; the target series checks
  them. The daily effective rate is not used: its quarter- and year-end swings look like cuts.)

Rates are in percent; changes in percentage points; returns are simple fractions.
"""

from __future__ import annotations

import pandas as pd

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
