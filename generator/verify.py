"""The build checks what it publishes: every stored series and table, on every build.

The store is restored each night from a git branch, and the build's caches skip reading data
whose checksum they have seen. A checksum only proves that a file matches its metadata, and
whoever edits one can recompute the other. So before anything is rendered, every stored file is
read, its checksum checked, and its data run through `validate.py`'s rules again (the same
rules an import or an update applies), with the build date as "today". A failure stops the
build with the series, the rule and the dates; nothing is rendered or deployed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd

from generator.catalog import HOLDINGS_TABLE, MEMBERS_TABLE, SERIES, TABLES
from generator.errors import DataError, ValidationError
from generator.sources.french import DATASETS_BY_ID as FRENCH_DATASETS_BY_ID
from generator.store import Store, _table_meta_path, table_path
from generator.validate import (
    validate_french_table,
    validate_holdings,
    validate_members_frame,
    validate_series,
)


@dataclass
class StoreCheck:
    """What `verify_store` read: series and table ids, and total rows."""

    series: list[str] = field(default_factory=list)
    tables: list[str] = field(default_factory=list)
    rows: int = 0


def _check_dated_index(name: str, frame: pd.DataFrame, path: str, today: dt.date) -> None:
    """A dated table's index: unique, increasing, not after `today`."""
    if not isinstance(frame.index, pd.DatetimeIndex) or frame.empty:
        return
    index = frame.index
    if index.has_duplicates:
        raise ValidationError(name, "duplicate date", "a date appears more than once",
                              [str(d.date()) for d in index[index.duplicated()]], path=path)
    if not index.is_monotonic_increasing:
        raise ValidationError(name, "dates out of order", "a date is earlier than the one "
                              "before it", path=path)
    future = index[index.date > today]
    if len(future):
        raise ValidationError(name, "future date", f"dates after the build date ({today})",
                              [str(d.date()) for d in future], path=path)


def verify_store(store: Store, today: dt.date) -> StoreCheck:
    """Re-validate every series and table in `store`; raise `DataError` on the first failure.

    A series or table is either complete (data and metadata, matching) or absent; an optional
    series may be absent. Metadata that cannot be read is an error, never "absent".
    """
    check = StoreCheck()
    for series in SERIES:
        csv, meta_path = store.csv_path(series), store.meta_path(series)
        if not csv.exists() and not meta_path.exists():
            continue  # not stored (fill_store already required what is required)
        frame = store.read_series(series)  # both files present, checksum matches
        meta = store.read_meta(series)
        validate_series(series, frame, path=csv, today=today)
        last = frame.index[-1].strftime("%Y-%m-%d")
        if meta.rows != len(frame) or meta.last != last:
            raise ValidationError(series.id, "metadata mismatch",
                                  f"{meta_path.name} says {meta.rows} rows to {meta.last}, the "
                                  f"data has {len(frame)} rows to {last}", path=str(csv))
        check.series.append(series.id)
        check.rows += len(frame)
    for table in TABLES:
        meta_file = _table_meta_path(store.root, table.id)
        data_file = table_path(store.root, table.id, table.format)
        if not meta_file.exists():
            if data_file.exists():
                raise DataError(f"table {table.id}: {data_file} has no metadata "
                                f"({meta_file.name}); restore both or delete both")
            continue
        meta = store.read_table_meta(table.id)  # unreadable metadata: DataError
        frame = store.read_table(table.id)  # missing data or checksum mismatch: DataError
        where = str(table_path(store.root, table.id, meta.format))
        if meta.rows != len(frame):
            raise ValidationError(f"table {table.id}", "metadata mismatch",
                                  f"{meta_file.name} says {meta.rows} rows, the data has "
                                  f"{len(frame)}", path=where)
        if table.id == HOLDINGS_TABLE.id:
            validate_holdings(frame, meta.as_of_date, path=where, today=today)
        elif table.id == MEMBERS_TABLE.id:
            validate_members_frame(frame, path=where, today=today)
        elif table.id in FRENCH_DATASETS_BY_ID:
            _check_dated_index(f"table {table.id}", frame, where, today)
            validate_french_table(FRENCH_DATASETS_BY_ID[table.id], frame, path=where,
                                  today=today)
        else:
            _check_dated_index(f"table {table.id}", frame, where, today)
        check.tables.append(table.id)
        check.rows += len(frame)
    return check
