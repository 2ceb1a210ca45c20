"""One cache-key recipe for every cache: the whole `generator/` package's source.

At this size (about a megabyte of Python and assets) hashing every file on each build costs a
few milliseconds and nothing can be forgotten: a cache keyed by `code_digest()` is invalid as
soon as any module it could reach changes, whichever stage that module belongs to. Each cache
adds the data it reads (store checksums, reference files) to this key.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent  # generator/


def _package_files() -> Iterable[Path]:
    for path in sorted(PACKAGE.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc":
            yield path


@lru_cache(maxsize=1)
def code_digest() -> str:
    """sha256 over the path and bytes of every file in the `generator` package."""
    digest = hashlib.sha256()
    for path in _package_files():
        digest.update(path.relative_to(PACKAGE).as_posix().encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()
