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
from dataclasses import asdict, dataclass
from pathlib import Path

import pandas as pd

from generator.catalog import Series
from generator.errors import DataError


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


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write `data` to `path` atomically (temp file in the same folder, fsync, replace)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    dir_fd = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)


def atomic_write_text(path: Path, text: str) -> None:
    """`atomic_write_bytes` for UTF-8 text."""
    atomic_write_bytes(path, text.encode("utf-8"))


def series_csv_bytes(frame: pd.DataFrame) -> bytes:
    """The canonical CSV bytes of a normalised frame (deterministic, full float precision)."""
    out = io.StringIO()
    frame.to_csv(out, index_label="date", date_format="%Y-%m-%d", lineterminator="\n")
    return out.getvalue().encode("utf-8")


class Store:
    """The project's data store rooted at `root`."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def csv_path(self, series: Series) -> Path:
        return self.root / series.source / f"{series.id}.csv"

    def meta_path(self, series: Series) -> Path:
        return self.root / series.source / f"{series.id}.meta.json"

    def has(self, series: Series) -> bool:
        return self.csv_path(series).is_file() and self.meta_path(series).is_file()

    def write_series(self, series: Series, frame: pd.DataFrame, origin: str,
                     fetched_at: dt.datetime | None = None) -> SeriesMeta:
        """Store a validated frame and its metadata; the CSV is written before the metadata."""
        data = series_csv_bytes(frame)
        index = pd.DatetimeIndex(frame.index)
        meta = SeriesMeta(
            series_id=series.id, source=series.source, title=series.title,
            publisher=series.publisher, origin=origin,
            fetched_at=(fetched_at or dt.datetime.now(dt.UTC)).strftime("%Y-%m-%dT%H:%M:%SZ"),
            first=index[0].strftime("%Y-%m-%d"), last=index[-1].strftime("%Y-%m-%d"),
            rows=len(frame), sha256=hashlib.sha256(data).hexdigest(),
        )
        atomic_write_bytes(self.csv_path(series), data)
        atomic_write_text(self.meta_path(series), json.dumps(asdict(meta), indent=2) + "\n")
        return meta

    def read_meta(self, series: Series) -> SeriesMeta:
        path = self.meta_path(series)
        try:
            return SeriesMeta(**json.loads(path.read_text()))
        except FileNotFoundError:
            raise DataError(f"{series.id}: not in the store (missing {path})") from None
        except (ValueError, TypeError) as exc:
            raise DataError(f"{series.id}: unreadable metadata {path}: {exc}") from None

    def read_series(self, series: Series) -> pd.DataFrame:
        """The stored frame (DatetimeIndex ``date``, float columns); checks its checksum."""
        path = self.csv_path(series)
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            raise DataError(f"{series.id}: not in the store (missing {path})") from None
        meta = self.read_meta(series)
        if hashlib.sha256(data).hexdigest() != meta.sha256:
            raise DataError(f"{series.id}: {path} does not match its checksum in "
                            f"{self.meta_path(series).name}; re-import with `make site` "
                            "after deleting it")
        frame = pd.read_csv(io.BytesIO(data), index_col="date", parse_dates=["date"])
        return frame.astype("float64")


def load_values(store: Store, series_id: str) -> pd.Series:
    """A stored series' value column (``close`` for Yahoo, ``value`` for FRED), named by id."""
    from generator.catalog import get

    series = get(series_id)
    frame = store.read_series(series)
    column = "close" if series.source == "yahoo" else "value"
    return frame[column].rename(series_id)
