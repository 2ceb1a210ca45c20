"""Facts cache: `build_facts` is not rerun when neither the data nor the analytics code changed.

Facts come from every provider in `generator/topics/` reading the store and the reference files,
so the key covers all of them: the whole package's source (`fingerprint.code_digest`), every
stored series' checksum (from its metadata, no CSV re-read), every other file in the store (e.g.
the last update report) and every reference file. Facts that depend on the build day are not
computed by `build_facts` (see `data_freshness`), so a cached entry stays valid across days
while the data is unchanged.

The entry is a pickle of the facts dict (DataFrames included) in ``<cache_dir>/facts.pickle``;
it is only ever read back by this project, from a folder the project writes."""

from __future__ import annotations

import hashlib
import pickle
from pathlib import Path
from typing import Any

from generator.fingerprint import code_digest
from generator.store import Store, atomic_write_bytes
from generator.topics import build_facts

FORMAT = 1


def facts_key(store: Store, reference_dir: Path) -> str:
    """sha256 of the code, the store's checksums and other files, and the reference files."""
    digest = hashlib.sha256(f"facts {FORMAT}\n".encode())
    digest.update(code_digest().encode())
    if store.root.is_dir():
        for path in sorted(p for p in store.root.rglob("*") if p.is_file()):
            rel = path.relative_to(store.root).as_posix()
            if path.suffix == ".csv" and path.with_suffix(".meta.json").is_file():
                continue  # its metadata (hashed below) holds the CSV's sha256
            digest.update(rel.encode() + b"\0" + path.read_bytes())
    if reference_dir.is_dir():
        for path in sorted(p for p in reference_dir.rglob("*") if p.is_file()):
            digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def cached_facts(store: Store, cache_dir: Path, reference_dir: Path) -> tuple[dict[str, Any], bool]:
    """The page facts, from the cache when the key matches; returns (facts, hit)."""
    key = facts_key(store, reference_dir)
    path = cache_dir / "facts.pickle"
    try:
        stored_key, facts = pickle.loads(path.read_bytes())
        if stored_key == key:
            return facts, True
    except (FileNotFoundError, pickle.UnpicklingError, EOFError, ValueError, TypeError,
            AttributeError, ImportError):
        pass
    facts = build_facts(store)
    atomic_write_bytes(path, pickle.dumps((key, facts), protocol=pickle.HIGHEST_PROTOCOL))
    return facts, False
