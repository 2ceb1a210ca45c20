"""Figure cache: a figure whose inputs did not change is not recomputed.

An entry is valid while two things hold:

- the **code** is unchanged: `generator.fingerprint.code_digest`, the whole package's source
  (one recipe for every cache; nothing hand-listed can be forgotten);
- every **input** has the checksum it had: the sha256 of each series' stored CSV, read from the
  store's metadata (no CSV is re-read), for the figure's declared `sources` *and* for every
  series the builder actually read (recorded while it ran, so a builder that reads a series it
  forgot to declare is still invalidated correctly). A declared source that is not a catalog
  series is hashed from its file: a project-relative path (``data/reference/…``) or the store
  files named after it (a store table). An input that cannot be found never hits.

Layout under ``<cache_dir>/figures/``: ``<id>.meta.json`` (keys, takeaway, as-of, notes, the
summary table, the written files) and ``<id>/`` (copies of the JSON and CSV files). A hit copies
those files into the docs folder and restores the `FigureResult` without importing the data.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import shutil
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from generator.catalog import BY_ID, Series
from generator.errors import DataError
from generator.figures.data_table import DataTable
from generator.figures.spec import FigureResult, FigureSpec
from generator.fingerprint import code_digest
from generator.store import Store, atomic_write_bytes, atomic_write_text

FORMAT = 2  # bump when the entry layout or what a FigureResult holds changes


class RecordingStore(Store):
    """A `Store` that remembers which catalog series a builder read."""

    def __init__(self, store: Store) -> None:
        super().__init__(store.root, store.reference_dir)
        self.read: set[str] = set()

    def read_series(self, series: Series) -> pd.DataFrame:
        self.read.add(series.id)
        return super().read_series(series)


def _optional(name: str) -> bool:
    """True for a catalog series the store may lack (filled by the live update only)."""
    series = BY_ID.get(name)
    return series is not None and not series.required


def code_hash(spec: FigureSpec) -> str:
    """The cache format plus the whole package's source (`code_digest`)."""
    return hashlib.sha256(f"{FORMAT}\n{code_digest()}\n".encode()).hexdigest()


def input_checksum(store: Store, name: str) -> str | None:
    """The stored checksum of input `name` (None if it is not in the store)."""
    series = BY_ID.get(name)
    if series is not None:
        try:
            return store.read_meta(series).sha256 if store.has(series) else None
        except DataError:
            return None
    # A reference file named by its project-relative path (e.g. data/reference/x.csv).
    if "/" in name:
        path = store.reference_file(Path(name).name)
        return hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else None
    # A store table named `name`: hash every stored file named after it.
    matches = sorted(p for p in store.root.rglob(f"{name}*") if p.is_file())
    if not matches:
        return None
    digest = hashlib.sha256()
    for path in matches:
        digest.update(path.relative_to(store.root).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def input_checksums(store: Store, names: Iterable[str]) -> dict[str, str | None]:
    return {name: input_checksum(store, name) for name in sorted(set(names))}


@dataclass(frozen=True)
class FigureCache:
    """The figure cache rooted at `root` (``<cache_dir>/figures``)."""

    root: Path

    def _meta(self, figure_id: str) -> Path:
        return self.root / f"{figure_id}.meta.json"

    def lookup(self, spec: FigureSpec, store: Store, out_dir: Path) -> FigureResult | None:
        """Restore figure `spec` into `out_dir` if its code and inputs are unchanged."""
        try:
            entry = json.loads(self._meta(spec.id).read_text())
        except (FileNotFoundError, ValueError):
            return None
        if entry.get("format") != FORMAT or entry.get("code") != code_hash(spec):
            return None
        inputs: dict[str, str | None] = entry.get("inputs", {})
        # A missing input is fine only for an optional series (VTWO, DRTSCIS before the live
        # update): "absent" is then its checksum, and its arrival changes the key.
        if any(v is None and not _optional(k) for k, v in inputs.items()):
            return None
        if set(spec.sources) - set(inputs):
            return None
        if input_checksums(store, inputs) != inputs:
            return None
        stored = self.root / spec.id
        for rel in entry["files"]:
            source = stored / rel
            if not source.is_file():
                return None
        for rel in entry["files"]:
            target = out_dir / rel
            data = (stored / rel).read_bytes()
            if not target.is_file() or target.read_bytes() != data:
                atomic_write_bytes(target, data, durable=False)  # into the docs folder
        return FigureResult(
            spec=spec, as_of=dt.date.fromisoformat(entry["as_of"]), takeaway=entry["takeaway"],
            notes=entry["notes"], json_path=entry["json_path"], csv_path=entry["csv_path"],
            extra_csv_paths=tuple(entry["extra_csv_paths"]),
            table=DataTable.from_dict(entry["table"]) if entry.get("table") else None)

    def save(self, result: FigureResult, inputs: dict[str, str | None], out_dir: Path) -> None:
        """Keep copies of the figure's files and what is needed to restore its result."""
        files = [result.json_path, result.csv_path, *result.extra_csv_paths]
        stored = self.root / result.spec.id
        if stored.exists():
            shutil.rmtree(stored)
        for rel in files:
            atomic_write_bytes(stored / rel, (out_dir / rel).read_bytes())
        entry = {
            "format": FORMAT, "id": result.spec.id, "code": code_hash(result.spec),
            "inputs": inputs, "files": files, "as_of": result.as_of.isoformat(),
            "takeaway": result.takeaway, "notes": result.notes, "json_path": result.json_path,
            "csv_path": result.csv_path, "extra_csv_paths": list(result.extra_csv_paths),
            "table": result.table.to_dict() if result.table else None,
        }
        atomic_write_text(self._meta(result.spec.id), json.dumps(entry, indent=1) + "\n")
