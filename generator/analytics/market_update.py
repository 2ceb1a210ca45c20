"""The market update for one date: the numbers behind the desk note, from data on or before it.

Pure pandas. `market_update(series, as_of)` takes value series by role (``r2k`` and ``spx``
index *prices*; ``dgs10``, ``dgs2``, ``dff``, ``fed_target`` and ``hy`` values in *percent*) and
cuts every one of them at `as_of` before computing anything, so the update for a date can
never see a later observation. Output is plain values (floats, dates, bools, None for "not in
the data") in a nested dict; `flatten` names every value by a dotted key (``r2k.change.m1``)
so sentences can cite the exact fact they rest on.

Conventions:
- Changes of indexes are price returns (fractions: 0.012 = +1.2 %), from the last close on or
  before the window's start date to the last close on or before `as_of`: 1 day = previous
  trading day; 1 week = 7 calendar days; 1 and 3 months, 1 year = calendar offsets; year to date
  = from the last close of the previous calendar year.
- Each series is anchored at its own last observation on or before `as_of` (FRED often lags a
  day); its date is reported beside it.
- Changes of rates and spreads are differences in percentage points, rounded to 4 decimals
  (FRED prints two; the rounding removes binary noise such as 0.0999999 so a rule threshold of
  0.10 is met exactly when the printed values differ by 0.10).
- The 52-week range uses closes (not intraday highs and lows) on dates after `as_of` − 364 days.
- A spread's percentile is the share of all its observations up to and including the current
  one that are at or below the current value (0.9 = wider than or equal to 90 % of its history).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

# (key, label) of the windows shown for each index, in reading order.
WINDOWS: tuple[tuple[str, str], ...] = (
    ("d1", "1 day"), ("w1", "1 week"), ("m1", "1 month"), ("m3", "3 months"),
    ("ytd", "Year to date"), ("y1", "1 year"),
)
INDEX_ROLES = ("r2k", "spx")
RATE_ROLES = ("dgs10", "dgs2", "dff", "fed_target")
SPREAD_ROLES = ("hy",)
RANGE_WEEKS = 52
CHANGE_DECIMALS = 4


def upto(values: pd.Series, when: pd.Timestamp | dt.date) -> pd.Series:
    """The observations of a date-sorted series on or before `when` (a positional slice:
    cheap, and it never looks past `when`)."""
    return values.iloc[:values.index.searchsorted(pd.Timestamp(when), side="right")]


def truncate(series: Mapping[str, pd.Series],
             as_of: pd.Timestamp | dt.date) -> dict[str, pd.Series]:
    """Every series cut to its observations on or before `as_of`, missing values dropped."""
    cut = {role: upto(values, as_of) for role, values in series.items()}
    return {role: values.dropna() if values.hasnans else values for role, values in cut.items()}


def window_starts(last: pd.Timestamp) -> dict[str, pd.Timestamp]:
    """The start date of each window except ``d1`` (the previous observation) for `last`."""
    return {
        "w1": last - pd.Timedelta(days=7),
        "m1": last - pd.DateOffset(months=1),
        "m3": last - pd.DateOffset(months=3),
        "ytd": pd.Timestamp(last.year - 1, 12, 31),
        "y1": last - pd.DateOffset(years=1),
    }


def _value_on_or_before(values: pd.Series, when: pd.Timestamp) -> tuple[dt.date, float] | None:
    at = values.index.searchsorted(when, side="right") - 1
    if at < 0:
        return None
    return values.index[at].date(), float(values.iloc[at])


def index_changes(prices: pd.Series) -> tuple[dict[str, float | None], dict[str, dt.date | None]]:
    """Prices -> (price return per window key, the base date of each window); None if the
    history does not reach back far enough."""
    last = prices.index[-1]
    close = float(prices.iloc[-1])
    change: dict[str, float | None] = {}
    base: dict[str, dt.date | None] = {}
    if len(prices) >= 2:
        change["d1"] = close / float(prices.iloc[-2]) - 1.0
        base["d1"] = prices.index[-2].date()
    else:
        change["d1"], base["d1"] = None, None
    for key, start in window_starts(last).items():
        found = _value_on_or_before(prices.iloc[:-1], start)
        change[key] = None if found is None else close / found[1] - 1.0
        base[key] = None if found is None else found[0]
    return change, base


def index_snapshot(prices: pd.Series) -> dict[str, Any] | None:
    """Prices (already cut at the as-of date) -> close, window changes, all-time high, current
    drawdown and the 52-week closing range. None if there is no observation."""
    prices = prices.dropna()
    if prices.empty:
        return None
    dates, closes = prices.index, prices.to_numpy()
    last, close = dates[-1], float(closes[-1])
    change, base = index_changes(prices)
    # Positions, not labels: argmax/argmin return the first occurrence, i.e. the day a record
    # level was first reached.
    high_at = int(closes.argmax())
    ath = float(closes[high_at])
    low_at = high_at + int(closes[high_at:].argmin())  # lowest close since the high
    prior_at = int(closes[:-1].argmax()) if len(closes) > 1 else None
    facts: dict[str, Any] = {
        "date": last.date(), "close": close, "change": change, "base_date": base,
        "ath": ath, "ath_date": dates[high_at].date(), "new_ath": high_at == len(closes) - 1,
        # the record as it stood before this close
        "prior_ath": None if prior_at is None else float(closes[prior_at]),
        "prior_ath_date": None if prior_at is None else dates[prior_at].date(),
        "from_ath": close / ath - 1.0,
        "days_since_ath": len(closes) - 1 - high_at,
        "drawdown_low": float(closes[low_at]), "drawdown_low_date": dates[low_at].date(),
        "drawdown_max": float(closes[low_at]) / ath - 1.0,
    }
    window_start = last - pd.Timedelta(weeks=RANGE_WEEKS)
    if dates[0] > window_start:  # less than 52 weeks of history: no 52-week range
        facts.update({"high_52w": None, "high_52w_date": None, "low_52w": None,
                      "low_52w_date": None, "range_position": None,
                      "new_52w_high": False, "new_52w_low": False})
        return facts
    first = int(dates.searchsorted(window_start, side="right"))
    window = closes[first:]
    top, bottom = first + int(window.argmax()), first + int(window.argmin())
    high, low = float(closes[top]), float(closes[bottom])
    facts.update({
        "high_52w": high, "high_52w_date": dates[top].date(),
        "low_52w": low, "low_52w_date": dates[bottom].date(),
        "range_position": (close - low) / (high - low) if high > low else None,
        "new_52w_high": top == len(closes) - 1, "new_52w_low": bottom == len(closes) - 1,
    })
    return facts


def rate_snapshot(values: pd.Series) -> dict[str, Any] | None:
    """Values in percent (already cut) -> latest value and date, and its change in percentage
    points from the last value on or before one month earlier. None if there is no value."""
    values = values.dropna()
    if values.empty:
        return None
    last = values.index[-1]
    value = float(values.iloc[-1])
    found = _value_on_or_before(values.iloc[:-1], last - pd.DateOffset(months=1))
    return {
        "value": value, "date": last.date(),
        "base_value": None if found is None else found[1],
        "base_date": None if found is None else found[0],
        "change_m1": None if found is None else round(value - found[1], CHANGE_DECIMALS),
    }


def percentile_in_history(values: pd.Series) -> float:
    """Share of observations at or below the last one (the last one included): 0 < p ≤ 1."""
    current = values.iloc[-1]
    return float((values <= current).mean())


def spread_snapshot(values: pd.Series) -> dict[str, Any] | None:
    """`rate_snapshot` plus the spread's percentile over its whole history up to its date."""
    facts = rate_snapshot(values)
    if facts is None:
        return None
    values = values.dropna()
    facts.update({"percentile": percentile_in_history(values),
                  "history_start": values.index[0].date(), "observations": len(values)})
    return facts


def market_update(series: Mapping[str, pd.Series], as_of: pd.Timestamp | dt.date) -> dict[str, Any]:
    """Every fact of the update for `as_of`, from data on or before it.

    `series` maps roles (see module docstring) to value series; ``r2k`` is required and its last
    trading day on or before `as_of` becomes the update's ``as_of``. A missing role, or one
    without data yet, gives None.
    """
    cut = truncate(series, as_of)
    if "r2k" not in cut or cut["r2k"].empty:
        raise ValueError(f"no Russell 2000 close on or before {pd.Timestamp(as_of).date()}")
    facts: dict[str, Any] = {"as_of": cut["r2k"].index[-1].date()}
    for role in INDEX_ROLES:
        facts[role] = index_snapshot(cut[role]) if role in cut else None
    small, large = facts["r2k"], facts["spx"]
    facts["gap"] = {
        key: (small["change"][key] - large["change"][key]
              if large and small["change"][key] is not None
              and large["change"][key] is not None else None)
        for key, _ in WINDOWS}
    for role in RATE_ROLES:
        facts[role] = rate_snapshot(cut[role]) if role in cut else None
    for role in SPREAD_ROLES:
        facts[role] = spread_snapshot(cut[role]) if role in cut else None
    return facts


def flatten(facts: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    """Nested facts -> {dotted key: value}, e.g. ``{"r2k.change.m1": 0.012}``."""
    flat: dict[str, Any] = {}
    for key, value in facts.items():
        name = f"{prefix}{key}"
        if isinstance(value, Mapping):
            flat.update(flatten(value, name + "."))
        else:
            flat[name] = value
    return flat


def trading_days_for_archive(dates: pd.DatetimeIndex, start: dt.date,
                             minimum: int) -> list[dt.date]:
    """Trading days on or after `start`, extended back so there are at least `minimum`
    (all of them if fewer exist), oldest first."""
    days = pd.DatetimeIndex(dates).sort_values()
    count = max(int((days >= pd.Timestamp(start)).sum()), minimum)
    return [d.date() for d in days[-count:]]


def business_days_after(start: dt.date, end: dt.date) -> int:
    """Weekdays after `start` up to and including `end` (0 if `end` ≤ `start`).

    US market holidays are not removed, so this can overstate the lag by a holiday or two.
    """
    if end <= start:
        return 0
    return int(np.busday_count(start + dt.timedelta(days=1), end + dt.timedelta(days=1)))


# --- Under the surface: the index's members on one day ---------------------------------------

MOVERS = 2  # leading and lagging contributors named in the note
MIN_HISTORY_FOR_52W = 200  # closes a member needs in the past 52 weeks to count a new high/low


def members_day(closes: pd.DataFrame, sectors: pd.Series, weights: pd.Series,
                names: pd.Series, as_of: pd.Timestamp | dt.date) -> dict[str, Any] | None:
    """The members' move on `as_of`, from their closes on it and the trading day before.

    `closes`: members' closes (dates x tickers); `sectors`, `weights` (fractions of the fund's
    stocks) and `names` by ticker, from the holdings file. None when the closes do not reach
    `as_of` (members' prices can lag the index). Returns breadth (share of members up, new
    52-week closing highs and lows among members with `MIN_HISTORY_FOR_52W` closes in the
    window), each sector's weighted one-day return (weights renormalised over the members with
    a return that day) and the largest contributions to the weighted move (weight × return).
    """
    when = pd.Timestamp(as_of)
    cut = closes.iloc[:closes.index.searchsorted(when, side="right")]
    if len(cut) < 2 or cut.index[-1] != when:
        return None
    today, before = cut.iloc[-1], cut.iloc[-2]
    returns = (today / before - 1.0).dropna()
    returns = returns[returns.index.isin(weights.index)]
    if returns.empty:
        return None
    weight = weights.reindex(returns.index).fillna(0.0)
    weight = weight / weight.sum()
    window = cut.loc[cut.index > when - pd.Timedelta(weeks=RANGE_WEEKS)].iloc[:-1]
    enough = window.count() >= MIN_HISTORY_FOR_52W
    tested = today.dropna().index.intersection(enough[enough].index)
    new_high = today[tested] > window[tested].max()
    new_low = today[tested] < window[tested].min()
    frame = pd.DataFrame({"ret": returns, "w": weight, "sector": sectors.reindex(returns.index)})
    by_sector = frame.groupby("sector").apply(
        lambda g: float((g["ret"] * g["w"]).sum() / g["w"].sum()) if g["w"].sum() > 0 else np.nan,
        include_groups=False).dropna().sort_values(ascending=False)
    contribution = (frame["ret"] * frame["w"]).sort_values()

    def mover(ticker: str) -> dict[str, Any]:
        return {"ticker": ticker, "name": str(names.get(ticker, ticker)),
                "sector": str(sectors.get(ticker, "")), "return": float(returns[ticker]),
                "weight": float(weights.get(ticker, 0.0))}

    return {
        "date": when.date(), "previous": cut.index[-2].date(), "count": len(returns),
        "up": int((returns > 0).sum()), "down": int((returns < 0).sum()),
        "share_up": float((returns > 0).mean()),
        "weighted_return": float((frame["ret"] * frame["w"]).sum()),
        "new_highs": int(new_high.sum()), "new_lows": int(new_low.sum()),
        "tested_52w": len(tested),
        "sectors": {"count": len(by_sector), "up": int((by_sector > 0).sum()),
                    "best": str(by_sector.index[0]), "best_return": float(by_sector.iloc[0]),
                    "worst": str(by_sector.index[-1]),
                    "worst_return": float(by_sector.iloc[-1])},
        # Keyed "1", "2"… so every value has a dotted fact key (``members.leaders.1.return``).
        "leaders": {str(i): mover(t)
                    for i, t in enumerate(contribution.index[::-1][:MOVERS], start=1)},
        "laggards": {str(i): mover(t)
                     for i, t in enumerate(contribution.index[:MOVERS], start=1)},
    }


def next_events(calendar: pd.DataFrame, as_of: pd.Timestamp | dt.date,
                horizon_days: int = 120) -> list[dict[str, Any]]:
    """Dated events after `as_of` within `horizon_days` (the calendar as known on the build
    day: a schedule published in advance, so reading it is no look-ahead into market data).
    `calendar` has ``date`` (datetime), ``kind`` and ``event`` columns; one event per kind,
    soonest first."""
    when = pd.Timestamp(as_of)
    ahead = calendar[(calendar["date"] > when)
                     & (calendar["date"] <= when + pd.Timedelta(days=horizon_days))]
    first = ahead.sort_values("date").drop_duplicates("kind")
    return [{"date": row.date.date(), "kind": row.kind, "event": row.event,
             "days": int((row.date - when).days)} for row in first.itertuples()]
