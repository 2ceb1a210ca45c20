"""Stage 3 — store: validated series on disk, one CSV plus one metadata record each.

Layout: ``<store>/<source>/<id>.csv`` (``date`` then value columns) and ``<id>.meta.json``
(source, series id, title, origin, fetched at, first/last date, rows, sha256 of the CSV).
Every write is atomic: a temp file in the same folder, fsync, then `os.replace`, so a crash
or a full disk leaves the previous good file in place.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, TypeVar

import numpy as np
import pandas as pd

from generator.catalog import Series
from generator.errors import DataError
from generator.settings import ROOT

M = TypeVar("M")  # a metadata record's dataclass

REFERENCE_DIR = ROOT / "data" / "reference"  # hand-kept files, each row with its source

TEMP_SUFFIX = ".tmp"


@dataclass(frozen=True)
class SeriesMeta:
    """Provenance of one stored series, shown to readers as "Source" and "As of"."""

    series_id: str
    source: str
    title: str
    publisher: str
    origin: str  # "snapshot:<path>" or "live:<url or api>"
    fetched_at: str  # ISO timestamp (UTC) of the import or fetch
    first: str
    last: str
    rows: int
    sha256: str

    @property
    def last_date(self) -> dt.date:
        return dt.date.fromisoformat(self.last)


def atomic_write_bytes(path: Path, data: bytes, durable: bool = True) -> None:
    """Write `data` to `path` atomically (temp file in the same folder, fsync, replace)."""
    atomic_write_files({path: data}, durable=durable)


def atomic_write_files(files: dict[Path, bytes], durable: bool = True) -> None:
    """Write several files so that none is replaced unless all were written.

    Every file is first written in full to a temp file beside it and fsynced (this is where a
    full disk or a kill strikes: the old files are untouched and the temp files are removed or,
    after a kill, left as hidden ``.<name>.*.tmp``); only then is each renamed over its target
    with `os.replace`, which needs no space and cannot leave a half-written file.

    `durable=False` skips the fsyncs (two per file, about half the write cost of a full build):
    still atomic against a kill, not against a power cut. Only for the docs folder, which every
    build writes again from the store and the caches, compares, and hands to mkdocs.
    """
    staged: list[tuple[str, Path]] = []
    try:
        for path, data in files.items():
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=TEMP_SUFFIX,
                                       dir=path.parent)
            staged.append((tmp, path))
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                if durable:
                    handle.flush()
                    os.fsync(handle.fileno())
        for tmp, path in staged:
            os.replace(tmp, path)
    except BaseException:
        for tmp, _ in staged:
            Path(tmp).unlink(missing_ok=True)
        raise
    for folder in {path.parent for path in files} if durable else ():
        dir_fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)


def atomic_write_text(path: Path, text: str, durable: bool = True) -> None:
    """`atomic_write_bytes` for UTF-8 text."""
    atomic_write_bytes(path, text.encode("utf-8"), durable=durable)


def series_csv_bytes(frame: pd.DataFrame) -> bytes:
    """The canonical CSV bytes of a normalised frame (deterministic, full float precision).

    ``date`` as YYYY-MM-DD, then each column as the shortest repr that round-trips the float
    (NaN as an empty cell): byte for byte what ``frame.to_csv(index_label="date",
    date_format="%Y-%m-%d")`` writes, about five times faster (pandas formats dates and floats
    one Python call at a time, and an update rewrites decades of daily rows).
    """
    dates = np.datetime_as_string(
        pd.DatetimeIndex(frame.index).to_numpy().astype("datetime64[D]"), unit="D").tolist()
    cells = [[repr(v) if v == v else "" for v in frame[c].to_numpy(dtype="float64").tolist()]
             for c in frame.columns]
    lines = [",".join(["date", *map(str, frame.columns)])]
    lines += [",".join(row) for row in zip(dates, *cells, strict=True)]
    return ("\n".join(lines) + "\n").encode("utf-8")


class Store:
    """The project's data store rooted at `root`, with the hand-kept reference files beside it
    (`reference_dir`, default the project's ``data/reference``): what topics read comes from
    here, never from the environment."""

    def __init__(self, root: Path, reference_dir: Path | None = None) -> None:
        self.root = root
        self.reference_dir = reference_dir if reference_dir is not None else REFERENCE_DIR

    def reference_file(self, name: str) -> Path:
        """A hand-kept reference file by name (e.g. ``expense_ratios.csv``)."""
        return self.reference_dir / name

    def csv_path(self, series: Series) -> Path:
        return self.root / series.source / f"{series.id}.csv"

    def meta_path(self, series: Series) -> Path:
        return self.root / series.source / f"{series.id}.meta.json"

    def has(self, series: Series) -> bool:
        return self.csv_path(series).is_file() and self.meta_path(series).is_file()

    def write_series(self, series: Series, frame: pd.DataFrame, origin: str,
                     fetched_at: dt.datetime | None = None) -> SeriesMeta:
        """Store a validated frame and its metadata (together, atomically)."""
        data = series_csv_bytes(frame)
        index = pd.DatetimeIndex(frame.index)
        meta = SeriesMeta(
            series_id=series.id, source=series.source, title=series.title,
            publisher=series.publisher, origin=origin,
            fetched_at=(fetched_at or dt.datetime.now(dt.UTC)).strftime("%Y-%m-%dT%H:%M:%SZ"),
            first=index[0].strftime("%Y-%m-%d"), last=index[-1].strftime("%Y-%m-%d"),
            rows=len(frame), sha256=hashlib.sha256(data).hexdigest(),
        )
        # Both files or neither: a CSV without its matching metadata would fail its checksum.
        atomic_write_files({
            self.csv_path(series): data,
            self.meta_path(series): (json.dumps(asdict(meta), indent=2) + "\n").encode("utf-8"),
        })
        return meta

    def remove_stale_temp_files(self, older_than_seconds: float = 600.0) -> list[Path]:
        """Delete temp files a killed writer left behind (hidden ``.*.tmp``), if old enough
        that no live writer can still own them. Returns what was removed."""
        if not self.root.is_dir():
            return []
        cutoff = time.time() - older_than_seconds
        removed = []
        for path in self.root.rglob(f".*{TEMP_SUFFIX}"):
            if path.is_file() and path.stat().st_mtime < cutoff:
                path.unlink(missing_ok=True)
                removed.append(path)
        return removed

    def read_meta(self, series: Series) -> SeriesMeta:
        return _read_meta(self.meta_path(series), series.id, lambda fields: SeriesMeta(**fields))

    def read_series(self, series: Series) -> pd.DataFrame:
        """The stored frame (DatetimeIndex ``date``, float columns); checks its checksum."""
        meta = self.read_meta(series)
        data = _read_checked(self.csv_path(series), series.id, meta.sha256,
                             self.meta_path(series).name,
                             "re-import with `make site` after deleting it")
        return _parsed_series(meta.sha256, data).copy()

    # --- tables (see TableMeta below) ---

    def has_table(self, name: str) -> bool:
        """Whether the table is stored. Metadata that cannot be read is an error, not
        "absent": absent would re-import an older snapshot table over the stored one."""
        meta = _table_meta_path(self.root, name)
        if not meta.is_file():
            return False
        try:
            fmt = json.loads(meta.read_text())["format"]
        except (ValueError, KeyError, TypeError) as exc:
            raise DataError(f"table {name}: unreadable metadata {meta}: {exc}; restore the "
                            "store (or delete the table's files to re-import it)") from None
        return table_path(self.root, name, fmt).is_file()

    def write_table(self, name: str, frame: pd.DataFrame, *, title: str, publisher: str,
                    origin: str, as_of: dt.date, fmt: TableFormat,
                    notes: dict[str, str] | None = None,
                    fetched_at: dt.datetime | None = None) -> TableMeta:
        """Store a validated table and its metadata, together (both files or neither).

        When the data bytes equal what is stored, nothing is written (a no-op update leaves the
        store byte-identical) and the stored metadata is returned.
        """
        data = _table_bytes(frame, fmt)
        digest = hashlib.sha256(data).hexdigest()
        if self.has_table(name):
            current = self.read_table_meta(name)
            if current.sha256 == digest and current.format == fmt:
                return current
        dated = isinstance(frame.index, pd.DatetimeIndex) and len(frame)
        meta = TableMeta(
            name=name, title=title, publisher=publisher, origin=origin,
            fetched_at=(fetched_at or dt.datetime.now(dt.UTC)).strftime("%Y-%m-%dT%H:%M:%SZ"),
            as_of=as_of.isoformat(),
            first=frame.index[0].strftime("%Y-%m-%d") if dated else as_of.isoformat(),
            last=frame.index[-1].strftime("%Y-%m-%d") if dated else as_of.isoformat(),
            format=fmt, rows=len(frame), columns=frame.shape[1],
            dtypes={str(c): _dtype_name(frame[c]) for c in frame.columns} if fmt == "csv" else {},
            sha256=digest, notes=dict(notes or {}),
        )
        # Data and metadata land together or not at all (one atomic unit, like a series).
        atomic_write_files({
            table_path(self.root, name, fmt): data,
            _table_meta_path(self.root, name): (json.dumps(asdict(meta), indent=2)
                                                + "\n").encode("utf-8"),
        })
        return meta

    def read_table_meta(self, name: str) -> TableMeta:
        def make(fields: dict[str, Any]) -> TableMeta:
            # Records written before `first` and `last` existed have only `as_of`.
            return TableMeta(**{"first": fields.get("as_of"), "last": fields.get("as_of"),
                                **fields})

        return _read_meta(_table_meta_path(self.root, name), f"table {name}", make)

    def read_table(self, name: str) -> pd.DataFrame:
        """A stored table, after checking its checksum."""
        meta = self.read_table_meta(name)
        data = _read_checked(table_path(self.root, name, meta.format), f"table {name}",
                             meta.sha256, f"{name}.meta.json",
                             "delete both and rebuild to re-import it")
        return _parsed_table(meta, data).copy()


def _parsed_once(cache: dict[Any, pd.DataFrame], limit: int, key: Any,
                 parse: Callable[[], pd.DataFrame]) -> pd.DataFrame:
    """`cache[key]`, made by `parse` the first time (the oldest entry dropped past `limit`).
    Callers hand out copies, so a cached frame is never changed."""
    frame = cache.get(key)
    if frame is None:
        frame = parse()
        if len(cache) >= limit:
            cache.pop(next(iter(cache)))
        cache[key] = frame
    return frame


_PARSED_TABLES: dict[tuple[str, str, str], pd.DataFrame] = {}  # (sha256, format, dtypes) ->
_PARSED_TABLES_MAX = 16  # the parsed table; a build reads the members' closes three times


def _parsed_table(meta: TableMeta, data: bytes) -> pd.DataFrame:
    """The frame a table file's bytes parse to, parsed once per content."""
    def parse() -> pd.DataFrame:
        if meta.format == "parquet":
            return pd.read_parquet(io.BytesIO(data), engine="pyarrow")
        frame = pd.read_csv(io.BytesIO(data), dtype=str, keep_default_na=False)
        for col, kind in meta.dtypes.items():
            if kind in ("float64", "int64"):
                frame[col] = pd.to_numeric(frame[col].replace("", None)).astype(kind)
            elif kind == "date":
                frame[col] = pd.to_datetime(frame[col])
        return frame

    key = (meta.sha256, meta.format, json.dumps(meta.dtypes, sort_keys=True))
    return _parsed_once(_PARSED_TABLES, _PARSED_TABLES_MAX, key, parse)


_PARSED: dict[str, pd.DataFrame] = {}  # sha256 of a series file -> its parsed frame
_PARSED_MAX = 64


def _parsed_series(digest: str, data: bytes) -> pd.DataFrame:
    """The frame a series file's bytes parse to, parsed once per content (a build reads each
    series a dozen times)."""
    return _parsed_once(_PARSED, _PARSED_MAX, digest, lambda: pd.read_csv(
        io.BytesIO(data), index_col="date", parse_dates=["date"]).astype("float64"))


def _read_meta(path: Path, what: str, make: Callable[[dict[str, Any]], M]) -> M:
    """Metadata record `path` (JSON) made into its dataclass; a missing or unreadable record is
    a `DataError` naming `what` (a series id, "table <name>")."""
    try:
        return make(json.loads(path.read_text()))
    except FileNotFoundError:
        raise DataError(f"{what}: not in the store (missing {path})") from None
    except (ValueError, TypeError) as exc:
        raise DataError(f"{what}: unreadable metadata {path}: {exc}") from None


def _read_checked(path: Path, what: str, sha256: str, meta_name: str, remedy: str) -> bytes:
    """The stored bytes at `path`, checked against the checksum its metadata (`meta_name`)
    recorded; a missing or altered file is a `DataError` naming `what` and the `remedy`."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise DataError(f"{what}: not in the store (missing {path})") from None
    if hashlib.sha256(data).hexdigest() != sha256:
        raise DataError(f"{what}: {path} does not match its checksum in {meta_name}; {remedy}")
    return data


def load_values(store: Store, series_id: str) -> pd.Series:
    """A stored series' value column (``close`` for Yahoo, ``value`` for FRED), named by id."""
    from generator.catalog import get

    series = get(series_id)
    frame = store.read_series(series)
    column = "close" if series.source == "yahoo" else "value"
    return frame[column].rename(series_id)


# --- Tables: frames that are not one dated series (fund holdings, the members' closes) ---------
# Each table is one file plus one metadata record, written atomically like a series. Small
# tables are CSV (readable, diff-friendly); the members' closes (~1,850 × ~1,400 floats) are
# Parquet: read in about 0.1 s instead of about 0.5 s for the gzipped CSV.

TableFormat = str  # "csv" or "parquet"


@dataclass(frozen=True)
class TableMeta:
    """Provenance of one stored table."""

    name: str
    title: str
    publisher: str
    origin: str  # "snapshot:<path>" or "live:<url or api>"
    fetched_at: str  # ISO timestamp (UTC)
    as_of: str  # the date the data describes (holdings date, last close)
    first: str  # first date of a dated table (its index), else the as-of date
    last: str  # last date of a dated table, else the as-of date
    format: TableFormat
    rows: int
    columns: int
    dtypes: dict[str, str]  # column -> "float64" | "int64" | "str" | "date" (CSV round trip)
    sha256: str
    notes: dict[str, str]

    @property
    def as_of_date(self) -> dt.date:
        return dt.date.fromisoformat(self.as_of)


def _table_bytes(frame: pd.DataFrame, fmt: TableFormat) -> bytes:
    if fmt == "parquet":
        out = io.BytesIO()
        # zstd: a third of the raw size and still fast to read; no row-group stats churn.
        frame.to_parquet(out, engine="pyarrow", compression="zstd", index=True)
        return out.getvalue()
    if fmt == "csv":
        out = io.StringIO()
        frame.to_csv(out, index=False, date_format="%Y-%m-%d", lineterminator="\n")
        return out.getvalue().encode("utf-8")
    raise ValueError(f"unknown table format {fmt!r}")


def _dtype_name(series: pd.Series) -> str:
    if pd.api.types.is_datetime64_any_dtype(series):
        return "date"
    if pd.api.types.is_float_dtype(series):
        return "float64"
    if pd.api.types.is_integer_dtype(series):
        return "int64"
    return "str"


def _tables_dir(root: Path) -> Path:
    return root / "tables"


def table_path(root: Path, name: str, fmt: TableFormat) -> Path:
    return _tables_dir(root) / f"{name}.{fmt}"


def _table_meta_path(root: Path, name: str) -> Path:
    return _tables_dir(root) / f"{name}.meta.json"
