"""Fill the store: import the snapshot on first build (sources -> validate -> store).

`make site` calls `ensure_store`: every catalog series already in the store is left alone
(the store, not the snapshot, is the truth once filled: `make update` extends it). A series
missing from the store is imported from the snapshot; if there is no snapshot folder at all
(a clone away from `../shared`), the live feeds fill it once, and the build says so.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from generator.catalog import (
    EXCLUSIONS_TABLE,
    HOLDINGS_TABLE,
    MEMBERS_TABLE,
    SERIES,
    TABLES_BY_ID,
    Series,
)
from generator.errors import DataError
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
    screen_members,
    validate_french,
    validate_holdings,
    validate_members_frame,
    validate_series,
)

HOLDINGS_SNAPSHOT_FILE = "ishares/IWM_holdings.csv"


@dataclass(frozen=True)
class IngestReport:
    imported: list[str]
    already_stored: list[str]
    missing_optional: list[str]


def import_from_snapshot(settings: Settings, store: Store, series: Series) -> SeriesMeta:
    """Read, validate and store one series from the snapshot."""
    path = snapshot_path(settings.snapshot_dir, series)
    frame = read_snapshot_series(settings.snapshot_dir, series)
    validate_series(series, frame, path=path)
    return store.write_series(series, frame, origin=f"snapshot:{series.source}/{path.name}")


def ensure_store(settings: Settings, log: Callable[[str], None] = print,
                 tables: bool = True) -> IngestReport:
    """Make sure every required series (and, with `tables`, the holdings and members' closes)
    is in the store; import or fetch what is missing."""
    store = Store(settings.store_dir)
    missing = [s for s in SERIES if not store.has(s)]
    report = IngestReport(imported=[], already_stored=[s.id for s in SERIES if store.has(s)],
                          missing_optional=[])
    if tables and settings.snapshot_dir.is_dir():
        report.imported.extend(ensure_tables(settings, store, log))
    if settings.snapshot_dir.is_dir():
        report.imported.extend(ensure_french(settings, store, log))
    if not missing:
        return report
    if settings.snapshot_dir.is_dir():
        for series in missing:
            if not snapshot_path(settings.snapshot_dir, series).is_file() and not series.required:
                report.missing_optional.append(series.id)
                continue
            import_from_snapshot(settings, store, series)
            report.imported.append(series.id)
        if report.imported:
            log(f"Imported {len(report.imported)} series from the snapshot "
                f"{settings.snapshot_dir} into {settings.store_dir}")
        return report
    log(f"No snapshot at {settings.snapshot_dir}: filling the store from the live feeds "
        "(Yahoo Finance, FRED) once; later builds are offline.")
    from generator.update import (
        run_update,  # the live path, only when there is no snapshot
    )

    result = run_update(settings, [s.id for s in missing], today=dt.date.today())
    if result.failed_required:
        raise DataError("could not fill the store from the live feeds: "
                        + "; ".join(result.failed_required))
    report.imported.extend(result.updated)
    if tables and not all(store.has_table(t.id) for t in (HOLDINGS_TABLE, MEMBERS_TABLE)):
        from generator.update_tables import run_table_updates

        # Not fatal here: the series are in; the pages that need a missing table fail the build
        # later with "table ...: not in the store", and `make update` can fill it.
        for row in run_table_updates(settings, dt.date.today(), log):
            if row["status"] not in ("updated", "unchanged", "partial"):
                log(f"could not fill {row['series']} from the live feeds: {row['reason']}")
    return report


# --- Tables: the fund's holdings and its members' closes --------------------------------------

def store_holdings(store: Store, holdings: Holdings, origin: str, where: str | None = None,
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


def store_members(store: Store, closes: pd.DataFrame, origin: str, where: str | None = None,
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


def ensure_tables(settings: Settings, store: Store,
                  log: Callable[[str], None] = print) -> list[str]:
    """Import the holdings and members' closes from the snapshot if the store lacks them, and
    keep the exclusion list in step with the stored closes and current rules."""
    imported: list[str] = []
    snapshot = settings.snapshot_dir
    if not store.has_table(HOLDINGS_TABLE.id):
        path = snapshot / HOLDINGS_SNAPSHOT_FILE
        store_holdings(store, parse_holdings_csv(path), origin=f"snapshot:{HOLDINGS_SNAPSHOT_FILE}",
                       where=str(path))
        imported.append(HOLDINGS_TABLE.id)
    if not store.has_table(MEMBERS_TABLE.id):
        path = snapshot / MEMBERS_SNAPSHOT_FILE
        store_members(store, parse_members_csv(path),
                      origin=f"snapshot:{MEMBERS_SNAPSHOT_FILE.as_posix()}", where=str(path))
        imported.append(MEMBERS_TABLE.id)
    else:
        screen_stored_members(store)
    if imported:
        log(f"Imported {', '.join(imported)} from the snapshot {snapshot} into {store.root}")
    return imported



# --- Kenneth R. French Data Library tables -----------------------------------------------------

def store_french(store: Store, file: FrenchFile, origin: str, where: str | None = None,
                 today: dt.date | None = None) -> TableMeta:
    """Validate a parsed library file and store its monthly sections as one table (snapshot
    or live: one path). Values stay in the library's units (returns in percent)."""
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


def ensure_french(settings: Settings, store: Store,
                  log: Callable[[str], None] = print) -> list[str]:
    """Import each library file the store lacks from the snapshot (`french/<name>.csv`)."""
    imported = []
    for dataset in FRENCH_DATASETS:
        if store.has_table(dataset.id):
            continue
        path = settings.snapshot_dir / dataset.snapshot_file
        store_french(store, read_french_snapshot(settings.snapshot_dir, dataset),
                     origin=f"snapshot:{dataset.snapshot_file}", where=str(path))
        imported.append(dataset.id)
    if imported:
        log(f"Imported {', '.join(imported)} from the snapshot {settings.snapshot_dir} "
            f"into {store.root}")
    return imported
