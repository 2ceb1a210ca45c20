"""Fill the store before a build: the snapshot first, the live feeds only when there is none.

`make site` calls `fill_store`: every catalog series already in the store is left alone (the
store, not the snapshot, is the truth once filled: `make update` extends it). What the store
lacks is imported from the snapshot (`generator.load.import_snapshot`); with no snapshot folder
at all (a clone away from `../shared`), the live feeds fill it once, and the build says so.
"""

from __future__ import annotations

from generator.catalog import HOLDINGS_TABLE, MEMBERS_TABLE, SERIES
from generator.errors import DataError
from generator.load import ImportReport, Log, import_snapshot
from generator.settings import Settings
from generator.sources.french import DATASETS as FRENCH
from generator.store import Store
from generator.update import run_update

TABLES = (HOLDINGS_TABLE.id, MEMBERS_TABLE.id, *(dataset.id for dataset in FRENCH))


def fill_store(settings: Settings, log: Log = print, tables: bool = True) -> ImportReport:
    """Make sure every required series (and, with `tables`, every table: the holdings, the
    members' closes, Ken French's files) is in the store; import or fetch what is missing."""
    if settings.snapshot_dir.is_dir():
        return import_snapshot(settings, log=log, tables=tables)
    store = Store(settings.store_dir)
    missing = [s for s in SERIES if not store.has(s)]
    report = ImportReport(already_stored=[s.id for s in SERIES if store.has(s)])
    # Every table a build reads: the holdings, the members' closes and Ken French's files (a
    # store from before a table was added has every series and still lacks it).
    need_tables = tables and not all(store.has_table(name) for name in TABLES)
    if not need_tables and not any(s.required for s in missing):
        # Filled: an optional series not stored (VTWO is not in the snapshot) is `make
        # update`'s to fetch; a build stays offline and writes no update report.
        report.missing_optional.extend(s.id for s in missing)
        return report
    log(f"No snapshot at {settings.snapshot_dir}: filling the store from the live feeds "
        "(Yahoo Finance, FRED, iShares) once; later builds are offline.")
    result = run_update(settings, [s.id for s in missing], tables=need_tables)
    if result.failed_required:
        raise DataError("could not fill the store from the live feeds: "
                        + "; ".join(result.failed_required))
    report.imported.extend(result.updated)
    # A table (or optional series) that could not be fetched is not fatal here: the pages that
    # need it fail the build later with "table ...: not in the store"; `make update` can fill it.
    for outcome in result.outcomes:
        if not outcome.required and not outcome.ok:
            log(f"could not fill {outcome.series} from the live feeds: {outcome.reason}")
    return report
