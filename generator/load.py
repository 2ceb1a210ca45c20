"""The load stage: validate, then write. One path into the store for everything that enters it,
the snapshot import and the live update alike (sources -> **load** = validate + store).

- `load_series`: a whole series (the snapshot's file, or a feed's full history).
- `load_update`: a feed's recent rows checked against the stored history and merged
  (`validate.plan_update`), written only when something changed.
- `load_holdings`, `load_members`: the fund's holdings and its members' closes (the latter with
  its exclusion list, `screen_stored_members`); `load_french`: a French Data Library table.
- `import_snapshot`: whatever the store lacks, from the read-only snapshot, through the above.

Nothing here fetches; `generator.fill.fill_store` (the build) and `generator.update` (the live
feeds) call these.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import pandas as pd

from generator.catalog import (
    EXCLUSIONS_TABLE,
    HOLDINGS_TABLE,
    MEMBERS_TABLE,
    SERIES,
    TABLES_BY_ID,
    Series,
)
from generator.settings import Settings
from generator.sources.french import DATASETS as FRENCH_DATASETS
from generator.sources.french import FrenchFile
from generator.sources.french import read_snapshot as read_french_snapshot
from generator.sources.ishares import Holdings, parse_holdings_csv
from generator.sources.members import SNAPSHOT_FILE as MEMBERS_SNAPSHOT_FILE
from generator.sources.members import parse_members_csv
from generator.sources.snapshot import read_snapshot_series, snapshot_path
from generator.store import SeriesMeta, Store, TableMeta
from generator.validate import (
    MemberRules,
    UpdatePlan,
    plan_update,
    screen_members,
    validate_french,
    validate_holdings,
    validate_members_frame,
    validate_series,
)

HOLDINGS_SNAPSHOT_FILE = "ishares/IWM_holdings.csv"
Log = Callable[[str], None]


# --- Series ------------------------------------------------------------------------------------

def load_series(store: Store, series: Series, frame: pd.DataFrame, origin: str,
                where: str | None = None, fetched_at: dt.datetime | None = None) -> SeriesMeta:
    """Validate a whole series and store it (CSV and metadata together, atomically)."""
    validate_series(series, frame, path=where)
    return store.write_series(series, frame, origin=origin, fetched_at=fetched_at)


def load_update(store: Store, series: Series, stored: pd.DataFrame | None,
                fetched: pd.DataFrame, origin: str, today: dt.date, where: str,
                fetched_at: dt.datetime | None = None) -> UpdatePlan:
    """Check fetched rows against the stored history, merge, and store the merged whole if it
    changed. Raises `ValidationError` (nothing written) or `OSError` (the old files stay)."""
    plan = plan_update(series, stored, fetched, today=today, where=where)
    if plan.changed:
        store.write_series(series, plan.merged, origin=origin, fetched_at=fetched_at)
    return plan


# --- Tables: the fund's holdings and its members' closes ----------------------------------------

def load_holdings(store: Store, holdings: Holdings, origin: str, where: str | None = None,
                  today: dt.date | None = None) -> TableMeta:
    """Validate and store a parsed holdings file (snapshot or live: one path)."""
    validate_holdings(holdings.table, holdings.as_of, path=where, today=today)
    return store.write_table(HOLDINGS_TABLE.id, holdings.table, title=HOLDINGS_TABLE.title,
                             publisher=HOLDINGS_TABLE.publisher, origin=origin,
                             as_of=holdings.as_of, fmt=HOLDINGS_TABLE.format,
                             notes={"fund": holdings.fund})


def rules_signature(rules: MemberRules) -> str:
    """The screening rules as stored beside the exclusion list (a change re-screens)."""
    return repr(rules)


def load_members(store: Store, closes: pd.DataFrame, origin: str, where: str | None = None,
                 today: dt.date | None = None, notes: dict[str, str] | None = None) -> TableMeta:
    """Validate the members' close table as a whole, store it, and store its exclusion list."""
    validate_members_frame(closes, path=where, today=today)
    closes = closes.sort_index(axis=1)
    as_of = pd.Timestamp(closes.index[-1]).date()
    meta = store.write_table(MEMBERS_TABLE.id, closes, title=MEMBERS_TABLE.title,
                             publisher=MEMBERS_TABLE.publisher, origin=origin, as_of=as_of,
                             fmt=MEMBERS_TABLE.format, notes=notes)
    screen_stored_members(store, force=True)
    return meta


def screen_stored_members(store: Store, rules: MemberRules | None = None,
                          force: bool = False) -> TableMeta:
    """(Re)compute the exclusion list when the closes or the rules changed since it was made."""
    rules = rules or MemberRules()
    members = store.read_table_meta(MEMBERS_TABLE.id)
    wanted = {"rules": rules_signature(rules), "members_sha256": members.sha256}
    if not force and store.has_table(EXCLUSIONS_TABLE.id):
        current = store.read_table_meta(EXCLUSIONS_TABLE.id)
        if current.notes == wanted:
            return current
    exclusions = screen_members(store.read_table(MEMBERS_TABLE.id), rules)
    return store.write_table(EXCLUSIONS_TABLE.id, exclusions, title=EXCLUSIONS_TABLE.title,
                             publisher=EXCLUSIONS_TABLE.publisher,
                             origin=f"validate.screen_members over {MEMBERS_TABLE.id}",
                             as_of=members.as_of_date, fmt=EXCLUSIONS_TABLE.format, notes=wanted)


def load_french(store: Store, file: FrenchFile, origin: str, where: str | None = None,
                today: dt.date | None = None) -> TableMeta:
    """Validate a parsed Kenneth R. French Data Library file and store its monthly sections as
    one table (snapshot or live: one path). Values stay in the library's units (percent)."""
    validate_french(file, path=where, today=today)
    dataset = file.dataset
    table = TABLES_BY_ID[dataset.id]
    frame = file.monthly()
    units = "; ".join(f"{s.key}: {s.kind}" for s in dataset.sections if s.frequency == "monthly")
    notes = {"dataset": dataset.name, "sections": units,
             "vintage": next((line for line in file.description if "CRSP" in line), "")}
    return store.write_table(dataset.id, frame, title=table.title, publisher=table.publisher,
                             origin=origin, as_of=pd.Timestamp(frame.index[-1]).date(),
                             fmt=table.format, notes=notes)


# --- The snapshot import -------------------------------------------------------------------------

@dataclass
class ImportReport:
    """What `import_snapshot` (or `fill_store`) did: ids imported, already stored, and optional
    series the snapshot does not hold."""

    imported: list[str] = field(default_factory=list)
    already_stored: list[str] = field(default_factory=list)
    missing_optional: list[str] = field(default_factory=list)


def import_series(settings: Settings, store: Store, series: Series) -> SeriesMeta:
    """Read, validate and store one series from the snapshot."""
    path = snapshot_path(settings.snapshot_dir, series)
    frame = read_snapshot_series(settings.snapshot_dir, series)
    return load_series(store, series, frame, origin=f"snapshot:{series.source}/{path.name}",
                       where=str(path))


def import_tables(settings: Settings, store: Store, log: Log = print) -> list[str]:
    """Import the holdings and members' closes from the snapshot if the store lacks them, and
    keep the exclusion list in step with the stored closes and current rules."""
    imported: list[str] = []
    snapshot = settings.snapshot_dir
    if not store.has_table(HOLDINGS_TABLE.id):
        path = snapshot / HOLDINGS_SNAPSHOT_FILE
        load_holdings(store, parse_holdings_csv(path), origin=f"snapshot:{HOLDINGS_SNAPSHOT_FILE}",
                      where=str(path))
        imported.append(HOLDINGS_TABLE.id)
    if not store.has_table(MEMBERS_TABLE.id):
        path = snapshot / MEMBERS_SNAPSHOT_FILE
        load_members(store, parse_members_csv(path),
                     origin=f"snapshot:{MEMBERS_SNAPSHOT_FILE.as_posix()}", where=str(path))
        imported.append(MEMBERS_TABLE.id)
    else:
        screen_stored_members(store)
    if imported:
        log(f"Imported {', '.join(imported)} from the snapshot {snapshot} into {store.root}")
    return imported


def import_french(settings: Settings, store: Store, log: Log = print) -> list[str]:
    """Import each library file the store lacks from the snapshot (`french/<name>.csv`)."""
    imported = []
    for dataset in FRENCH_DATASETS:
        if store.has_table(dataset.id):
            continue
        path = settings.snapshot_dir / dataset.snapshot_file
        load_french(store, read_french_snapshot(settings.snapshot_dir, dataset),
                    origin=f"snapshot:{dataset.snapshot_file}", where=str(path))
        imported.append(dataset.id)
    if imported:
        log(f"Imported {', '.join(imported)} from the snapshot {settings.snapshot_dir} "
            f"into {store.root}")
    return imported


def import_snapshot(settings: Settings, log: Log = print, tables: bool = True,
                    series: Sequence[Series] = SERIES) -> ImportReport:
    """Import every series in `series` (and, with `tables`, the tables) that the store lacks
    from the snapshot. The store, once filled, is the truth: nothing stored is replaced.
    A required series missing from the snapshot is an error naming the file."""
    store = Store(settings.store_dir)
    report = ImportReport(already_stored=[s.id for s in series if store.has(s)])
    if not settings.snapshot_dir.is_dir():
        return report
    if tables:
        report.imported.extend(import_tables(settings, store, log))
    report.imported.extend(import_french(settings, store, log))
    count = 0
    for item in series:
        if store.has(item):
            continue
        if not snapshot_path(settings.snapshot_dir, item).is_file() and not item.required:
            report.missing_optional.append(item.id)
            continue
        import_series(settings, store, item)
        report.imported.append(item.id)
        count += 1
    if count:
        log(f"Imported {count} series from the snapshot {settings.snapshot_dir} into "
            f"{settings.store_dir}")
    return report
