"""Facts for the market update (its page, its archive, its feed and the home headline).

Every update is computed by `analytics.market_update` for one date from series cut at that date,
so an archive page never depends on data after its own date. How fresh the data is depends on
the day of the build, not on the data alone, so it is a separate function (`data_freshness`)
that the build calls with its build date.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from generator.analytics.market_update import (
    WINDOWS,
    business_days_after,
    market_update,
    members_day,
    next_events,
    trading_days_for_archive,
)
from generator.analytics.narrative import desk_note
from generator.catalog import BY_ID, HOLDINGS_TABLE, MEMBERS_TABLE, get
from generator.errors import DataError
from generator.sources.reference import read_calendar
from generator.store import Store, load_values
from generator.topics import provides
from generator.topics.inside.data import members_panel, usable_closes
from generator.units import Count, Fraction, Level, Percent, Points

# Role in the update -> stored series id.
ROLES: dict[str, str] = {
    "r2k": "^RUT", "spx": "^GSPC", "dgs10": "DGS10", "dgs2": "DGS2", "dff": "DFF",
    "fed_target": "DFEDTARU", "hy": "BAMLH0A0HYM2",
}
# The archive keeps one page per trading day from its first day on (pages stay where they
# are as the data grows), and at least the last 30 trading days.
ARCHIVE_START = dt.date(2026, 7, 1)
ARCHIVE_MIN_DAYS = 30
CALENDAR = "calendar.csv"  # reference file: FOMC decisions, Russell reconstitution dates
UPDATE_REPORT = "_update_report.json"  # written into the store by `make update`
OK_STATUSES = frozenset({"updated", "unchanged"})
RATE_ROWS: tuple[tuple[str, str], ...] = (
    ("dgs10", "10-year Treasury yield"), ("dgs2", "2-year Treasury yield"),
    ("dff", "Fed funds rate (effective)"), ("fed_target", "Fed funds target (upper limit)"),
    ("hy", "High-yield spread (option-adjusted)"),
)


def load_inputs(store: Store) -> dict[str, pd.Series]:
    """The stored series the update reads, by role (a series not in the store is left out)."""
    series = {}
    for role, series_id in ROLES.items():
        if store.has(get(series_id)):
            series[role] = load_values(store, series_id)
    if "r2k" not in series:
        raise DataError("^RUT: not in the store; the market update needs the Russell 2000")
    return series


def windows_table(facts: dict[str, Any]) -> pd.DataFrame:
    """Price change per window (fractions): Russell 2000, S&P 500 and small minus large."""
    rows = []
    for key, label in WINDOWS:
        spx = facts["spx"]["change"][key] if facts["spx"] else None
        rows.append({"window": label, "r2k": facts["r2k"]["change"][key], "spx": spx,
                     "gap": facts["gap"][key], "since": facts["r2k"]["base_date"][key]})
    return pd.DataFrame(rows).set_index("window")


def rates_table(facts: dict[str, Any]) -> pd.DataFrame:
    """Latest level (percent), its date and its 1-month change (percentage points) per rate."""
    rows = []
    for role, label in RATE_ROWS:
        item = facts.get(role) or {}
        # Reader words only: the FRED ids are in the method note and the CSV.
        rows.append({"series": label, "value": item.get("value"),
                     "date": item.get("date"), "change_m1": item.get("change_m1")})
    return pd.DataFrame(rows).set_index("series")


@dataclass(frozen=True)
class Surface:
    """What the note reads beyond the index levels: the members' closes with their sectors,
    weights and names from the holdings (None without the tables), and the dated calendar."""

    closes: pd.DataFrame | None
    sectors: pd.Series
    weights: pd.Series
    names: pd.Series
    calendar: pd.DataFrame


def load_surface(store: Store) -> Surface:
    """The members' closes (less the members the single-stock checks flag) and the calendar."""
    calendar = read_calendar(store.reference_file(CALENDAR))
    empty = pd.Series(dtype="object")
    if not (store.has_table(HOLDINGS_TABLE.id) and store.has_table(MEMBERS_TABLE.id)):
        return Surface(None, empty, empty, empty, calendar)
    panel = members_panel(store)
    equities = panel.equities.drop_duplicates("ticker").set_index("ticker")
    weights = panel.equities.groupby("ticker")["weight"].sum()
    closes = usable_closes(panel, None, None)
    # Tickers, sectors and names as plain Python strings: the archive runs `members_day` once
    # per day, and its lookups by ticker and grouping by sector take twice as long on pandas'
    # Arrow-backed strings (same values, same results).
    return Surface(closes=closes.set_axis(closes.columns.astype(object), axis=1),
                   sectors=_plain(equities["sector"]), weights=_plain(weights),
                   names=_plain(equities["name"].str.title()), calendar=calendar)


def _plain(series: pd.Series) -> pd.Series:
    """`series` with its index (and its values, if text) as Python-object strings."""
    series = series.set_axis(series.index.astype(object))
    return series if pd.api.types.is_numeric_dtype(series) else series.astype(object)


def day_update(series: dict[str, pd.Series], as_of: dt.date,
               surface: Surface | None = None) -> dict[str, Any]:
    """The update for `as_of`: its facts, its desk-note sentences and its two tables."""
    facts = market_update(series, as_of)
    if surface is not None:
        facts["members"] = (members_day(surface.closes, surface.sectors, surface.weights,
                                        surface.names, facts["as_of"])
                            if surface.closes is not None else None)
        facts["coming"] = {event["kind"]: event
                           for event in next_events(surface.calendar, facts["as_of"])}
    facts["sentences"] = desk_note(facts)
    facts["windows_table"] = windows_table(facts)
    facts["rates_table"] = rates_table(facts)
    return facts


# The unit of each number an update holds, by its key (rates: by the key under a rate's role).
RATE_ROLES = {"dgs10", "dgs2", "dff", "fed_target", "hy"}
LEVELS = {"close", "ath", "prior_ath", "drawdown_low", "high_52w", "low_52w"}
FRACTIONS = {"from_ath", "drawdown_max", "range_position", "share_up", "weighted_return",
             "best_return", "worst_return", "return", "weight", "percentile"}
COUNTS = {"days_since_ath", "observations", "count", "up", "down", "new_highs", "new_lows",
          "tested_52w", "days"}


def _with_unit(path: tuple[str, ...], value: float) -> Any:
    """One number of an update with its unit, from where it sits (`path` of keys)."""
    key, parent = path[-1], path[-2] if len(path) > 1 else ""
    if parent == "gap":  # small minus large, a difference of two returns
        return Points.of(value)
    if parent == "change":
        return Fraction(value)
    if path[0] in RATE_ROLES and key in ("value", "base_value"):
        return Percent(value)
    if path[0] in RATE_ROLES and key == "change_m1":  # rates are in percent: a change in points
        return Points(value, 2)
    for keys, unit in ((LEVELS, Level), (FRACTIONS, Fraction), (COUNTS, Count)):
        if key in keys:
            return unit(value)
    return value


def with_units(facts: Any, path: tuple[str, ...] = ()) -> Any:
    """An update's facts for the page: every number given its unit (the desk note and the
    tables are computed before, from the plain numbers)."""
    if isinstance(facts, dict):
        return {k: with_units(v, (*path, str(k))) for k, v in facts.items()}
    if isinstance(facts, bool) or not isinstance(facts, int | float | np.integer | np.floating):
        return facts
    return _with_unit(path, facts)


@provides
def market_update_facts(store: Store) -> dict[str, Any]:
    """The latest update and the archive (newest first), one update per trading day, their
    numbers with units."""
    series = load_inputs(store)
    surface = load_surface(store)
    days = trading_days_for_archive(series["r2k"].index, ARCHIVE_START, ARCHIVE_MIN_DAYS)
    archive = [with_units(day_update(series, day, surface)) for day in reversed(days)]
    return {"market_update": {"latest": archive[0], "archive": archive,
                              "archive_first": days[0], "archive_days": Count(len(days))}}


def read_update_report(store: Store) -> list[dict[str, Any]] | None:
    """Entries of the last `make update` report (None if no update has run).

    The report is a JSON list of ``{series, status, reason, last_date, checked_at}`` (or an
    object holding that list under ``series``).
    """
    path = store.root / UPDATE_REPORT
    if not path.is_file():
        return None
    try:
        report = json.loads(path.read_text())
    except ValueError as exc:
        raise DataError(f"{path}: unreadable update report: {exc}") from None
    entries = report.get("series") if isinstance(report, dict) else report
    if not isinstance(entries, list) or not all(
            isinstance(e, dict) and "series" in e and "status" in e for e in entries):
        raise DataError(f"{path}: expected a list of {{series, status, reason, last_date, "
                        "checked_at}} entries")
    return entries


# Who publishes each source, as readers know them (report entries name a source; a series id
# from the catalog or a table name is enough for older reports).
PUBLISHERS: dict[str, str] = {"yahoo": "Yahoo Finance", "fred": "FRED", "ishares": "iShares",
                              "french": "the Kenneth R. French Data Library"}


def publisher_of(entry: dict[str, Any]) -> str:
    """The publisher a run-report entry's data comes from, by the name readers know."""
    source = entry.get("source")
    if source not in PUBLISHERS:
        series = BY_ID.get(str(entry.get("series")))
        source = series.source if series else (
            "ishares" if "holdings" in str(entry.get("series", "")).lower() else None)
    return PUBLISHERS.get(str(source), "another source")


def by_publisher(entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Reader entries (`_reader_entry`) grouped by publisher, in a fixed order:
    ``[{name, count}]``."""
    order = [*PUBLISHERS.values(), "another source"]
    counts: dict[str, int] = {}
    for entry in entries:
        name = entry["publisher"]
        counts[name] = counts.get(name, 0) + 1
    return [{"name": name, "count": counts[name]} for name in order if name in counts]


def _reader_entry(entry: dict[str, Any]) -> dict[str, Any]:
    """What a page may know of a report entry: no `reason` (library and network messages stay
    in the report and the logs), the last date only if it is a date."""
    try:
        last = dt.date.fromisoformat(str(entry.get("last_date"))[:10])
    except ValueError:
        last = None
    title = BY_ID[entry["series"]].title if entry.get("series") in BY_ID else None
    return {"series": str(entry["series"]), "title": title, "status": str(entry["status"]),
            "last_date": last, "publisher": publisher_of(entry)}


def data_freshness(store: Store, build_date: dt.date) -> dict[str, Any]:
    """How old the data is on `build_date` and whether the last update rejected anything.

    Stale when the last Russell 2000 close is more than the catalog's `stale_business_days`
    weekdays before the build date, when the last update report lists a series whose status is
    not "updated" or "unchanged" (rejected, unreachable, failed), or when it flags a series the
    market update reads as a stale feed. Pages get the failures grouped by publisher
    (`failed_sources`, `lagging_sources`), never the report's reasons.
    """
    rut = get("^RUT")
    meta = store.read_meta(rut)
    as_of = meta.last_date
    behind = business_days_after(as_of, build_date)
    report = read_update_report(store)
    problems = [_reader_entry(e) for e in (report or []) if e["status"] not in OK_STATUSES]
    # Fetched fine but the feed itself has not moved on (the update flags it `stale`).
    lagging = [_reader_entry(e) for e in (report or []) if e["status"] in OK_STATUSES
               and e.get("stale") and e["series"] in ROLES.values()]
    checked = sorted(str(e["checked_at"]) for e in (report or []) if e.get("checked_at"))
    try:
        checked_on = dt.date.fromisoformat(checked[-1][:10]) if checked else None
    except ValueError:
        checked_on = None
    return {"freshness": {
        "as_of": as_of, "build_date": build_date,
        "business_days_behind": behind, "calendar_days_behind": (build_date - as_of).days,
        "limit": rut.stale_business_days, "behind": behind > rut.stale_business_days,
        "problems": problems, "lagging": lagging,
        "failed_sources": by_publisher(problems), "lagging_sources": by_publisher(lagging),
        "stale": behind > rut.stale_business_days or bool(problems) or bool(lagging),
        "report": None if report is None else len(report),
        "last_checked": checked[-1] if checked else None, "checked_on": checked_on,
        "from_snapshot": meta.origin.startswith("snapshot:"),
    }}
