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

from generator.catalog import SERIES, Series
from generator.errors import DataError
from generator.settings import Settings
from generator.sources.snapshot import read_snapshot_series, snapshot_path
from generator.store import SeriesMeta, Store
from generator.validate import validate_series


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


def ensure_store(settings: Settings, log: Callable[[str], None] = print) -> IngestReport:
    """Make sure every required series is in the store; import or fetch what is missing."""
    store = Store(settings.store_dir)
    missing = [s for s in SERIES if not store.has(s)]
    report = IngestReport(imported=[], already_stored=[s.id for s in SERIES if store.has(s)],
                          missing_optional=[])
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
    return report
