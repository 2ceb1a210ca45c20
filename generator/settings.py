"""All paths and tunables in one place; each can be overridden by an environment variable."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _path(env: str, default: Path) -> Path:
    value = os.environ.get(env)
    return Path(value).expanduser().resolve() if value else default


@dataclass(frozen=True)
class Settings:
    """Where things live. Build with `Settings.from_env()`."""

    root: Path
    snapshot_dir: Path  # read-only snapshot of real history (never copied into git)
    store_dir: Path  # the project's validated data store (git-ignored)
    content_dir: Path  # page sources (Jinja-flavoured Markdown)
    docs_dir: Path  # generated Markdown + assets that mkdocs renders
    site_dir: Path  # mkdocs output
    cache_dir: Path  # figure cache keyed by input checksum
    reference_dir: Path  # small hand-maintained reference files (with sources)

    @classmethod
    def from_env(cls) -> Settings:
        root = _path("PRIMER_ROOT", ROOT)
        return cls(
            root=root,
            snapshot_dir=_path("PRIMER_SNAPSHOT", (root / ".." / "shared" / "data").resolve()),
            store_dir=_path("PRIMER_STORE", root / "data" / "store"),
            content_dir=_path("PRIMER_CONTENT", root / "content"),
            docs_dir=_path("PRIMER_DOCS", root / "build" / "docs"),
            site_dir=_path("PRIMER_SITE", root / "site"),
            cache_dir=_path("PRIMER_CACHE", root / "data" / "cache"),
            reference_dir=root / "data" / "reference",
        )


# Site identity (also in mkdocs.yml, which is the engine's copy).
SITE_NAME = "Small-Cap Primer"
