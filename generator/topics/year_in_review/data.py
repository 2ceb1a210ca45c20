"""Facts for the year-in-review page: the last complete calendar year and the current year to
date, both derived from the last data date so the page moves on by itself."""

from __future__ import annotations

from typing import Any

import pandas as pd

from generator.analytics.returns import price_on_or_before
from generator.analytics.review import (
    deepest_fall,
    period_window,
    quarter_returns,
    rate_move,
    record_closes,
    review_years,
)
from generator.catalog import get
from generator.store import Store, load_values
from generator.topics import provides
from generator.units import Count, Fraction, Level, Percent, Points

INDEXES = ("^RUT", "^GSPC")
FUNDS = ("IWM", "SPY")
RATES = ("DGS10", "DGS2", "DFF", "BAMLH0A0HYM2")


def years(store: Store) -> tuple[int, int]:
    """(last complete year, current year) from the Russell 2000's last close."""
    return review_years(load_values(store, "^RUT").index[-1])


def quarter_table(store: Store) -> pd.DataFrame:
    """Quarter price returns of both indexes for the review year and the current year to date:
    ``label`` ("2025 Q1"; "… to date" when unfinished), ``year``, ``quarter``, ``end`` (date of
    the quarter's last close), ``russell_2000`` and ``sp_500`` (fractions), ``complete``."""
    rut, spx = load_values(store, "^RUT"), load_values(store, "^GSPC")
    frames = []
    for year in years(store):
        r, s = quarter_returns(rut, year), quarter_returns(spx, year)
        frame = pd.DataFrame({"year": year, "quarter": r["quarter"], "end": r["end"],
                              "russell_2000": r["return"], "sp_500": s["return"],
                              "complete": r["complete"]})
        frames.append(frame)
    table = pd.concat(frames, ignore_index=True)
    table.insert(0, "label", [f"{y} Q{q}" + ("" if c else " to date") for y, q, c in
                              zip(table["year"], table["quarter"], table["complete"],
                                  strict=True)])
    return table


def path_table(store: Store) -> pd.DataFrame:
    """Both indexes rebased to 100 at the last close before the review year, through the last
    date (price return)."""
    first, _ = years(store)
    frame = pd.concat([load_values(store, s) for s in INDEXES], axis=1, join="inner").dropna()
    base, _ = price_on_or_before(frame.iloc[:, 0], pd.Timestamp(first - 1, 12, 31))
    frame = frame.loc[base:]
    return 100.0 * frame / frame.iloc[0]


def rates_table(store: Store) -> pd.DataFrame:
    """Daily DGS10, DGS2, DFF and the high-yield spread (percent) from the last observation
    before the review year through the last date, on the dates each has (outer join)."""
    first, _ = years(store)
    start = pd.Timestamp(first - 1, 12, 1)
    frame = pd.concat([load_values(store, s).loc[start:] for s in RATES], axis=1, sort=True)
    base = max(price_on_or_before(frame[s].dropna(), pd.Timestamp(first - 1, 12, 31))[0]
               for s in RATES)
    return frame.loc[base:]


def period_facts(store: Store, year: int) -> dict[str, Any]:
    """The review of one calendar year (or the year to date): returns, the deepest fall of each
    index and its rebound, record closes and rate moves."""
    out: dict[str, Any] = {"year": year}
    for sid in (*INDEXES, *FUNDS):
        prices = load_values(store, sid)
        window = period_window(prices, year)
        key = {"^RUT": "rut", "^GSPC": "spx", "IWM": "iwm", "SPY": "spy"}[sid]
        item: dict[str, Any] = {
            "return": Fraction(window.iloc[-1] / window.iloc[0] - 1.0),
            "start": window.index[0].date(), "end": window.index[-1].date(),
        }
        if sid in INDEXES:
            fall = deepest_fall(window)
            records = record_closes(prices, year)
            # How far below the all-time closing high (as it stood then) the trough was.
            record_then = prices.loc[:pd.Timestamp(fall["trough"])].max()
            fall["from_record"] = fall["trough_level"] / record_then - 1.0
            fall["first_half"] = fall["trough"].month <= 6
            fall["first_quarter"] = fall["trough"].month <= 3
            item.update({"fall": _in_units(fall, FALL_UNITS),
                         "records": _in_units(records, RECORD_UNITS)})
        out[key] = item
    out["relative"] = Points.between(out["rut"]["return"].value, out["spx"]["return"].value)
    out["rates"] = {sid: _in_units(rate_move(load_values(store, sid), year), RATE_UNITS)
                    for sid in RATES}
    return out


# The unit of each number in the analytics' dictionaries (dates and flags stay as they are).
FALL_UNITS = {"peak_level": Level, "trough_level": Level, "depth": Fraction,
              "rebound": Fraction, "from_record": Fraction}
RECORD_UNITS = {"prior_high": Level, "count": Count, "first_level": Level, "high": Level,
                "high_vs_prior": Fraction}
# Rates are levels in percent; their change is in percentage points, shown with two decimals.
RATE_UNITS = {"start": Percent, "end": Percent, "high": Percent, "low": Percent,
              "change": lambda value: Points(value, digits=2)}


def _in_units(facts: dict[str, Any], units: dict[str, Any]) -> dict[str, Any]:
    """`facts` with each number named in `units` wrapped in its unit."""
    return {key: units[key](value) if key in units else value for key, value in facts.items()}


def rates_summary(done: dict[str, Any], ytd: dict[str, Any]) -> pd.DataFrame:
    """One row per rate: level at the start of the review year, at its end and at the last
    date, and the change over each period (percent and percentage points)."""
    rows = []
    for sid in RATES:
        a, b = done["rates"][sid], ytd["rates"][sid]
        rows.append({"series": get(sid).title, "year_start": a["start"].value,
                     "year_end": a["end"].value, "year_change": a["change"].value,
                     "latest": b["end"].value, "latest_date": b["end_date"],
                     "ytd_change": b["change"].value})
    return pd.DataFrame(rows).set_index("series")


@provides
def year_review_facts(store: Store) -> dict[str, Any]:
    """Everything the year-in-review page states, under one key: ``year_review``."""
    review, current = years(store)
    quarters = quarter_table(store)
    done, ytd = period_facts(store, review), period_facts(store, current)
    return {"year_review": {
        "year": review, "current": current, "before": review - 1,
        "review": done, "ytd": ytd,
        "rates_table": rates_summary(done, ytd),
        "quarters": quarters,
        "review_quarters": quarters[quarters["year"] == review].set_index("label"),
        "current_quarters": quarters[quarters["year"] == current].set_index("label"),
        "last_date": load_values(store, "^RUT").index[-1].date(),
    }}
