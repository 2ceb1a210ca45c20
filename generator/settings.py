"""All paths and tunables in one place; each can be overridden by an environment variable."""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from pathlib import Path

from generator.errors import BuildError

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
    site_url: str = "http://localhost:8000/"  # public URL, absolute links in feeds (SITE_URL)
    # The day the site is built: how old the data is is measured against it (PRIMER_BUILD_DATE,
    # ISO date, pins it for reproducible builds and tests; default: today, UTC).
    build_date: dt.date = field(default_factory=lambda: dt.datetime.now(dt.UTC).date())
    # `make update` is bounded: the whole run (PRIMER_UPDATE_DEADLINE, seconds) and each source
    # (PRIMER_SOURCE_DEADLINE: Yahoo, FRED, iShares, the members, the French library). What the
    # deadline does not reach is reported unreachable and the rest saved. 15 minutes sits well
    # inside the nightly update job's 30-minute timeout (.github/workflows/publish.yml).
    update_deadline: float = 900.0
    source_deadline: float = 360.0
    # The Chrome/Chromium that renders the chart images (CHROME_PATH; empty: look for one,
    # e.g. Debian's /usr/bin/chromium; a path that does not exist: build without images).
    chrome_path: str = ""

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
            site_url=site_url_from_env(),
            build_date=build_date_from_env(),
            update_deadline=seconds_from_env("PRIMER_UPDATE_DEADLINE", 900.0),
            source_deadline=seconds_from_env("PRIMER_SOURCE_DEADLINE", 360.0),
            chrome_path=os.environ.get("CHROME_PATH", ""),
        )


def site_url_from_env() -> str:
    """`SITE_URL` (the same variable mkdocs.yml reads), always ending in a slash."""
    url = os.environ.get("SITE_URL") or "http://localhost:8000/"
    return url if url.endswith("/") else url + "/"


def seconds_from_env(name: str, default: float) -> float:
    """A positive number of seconds from the environment variable `name`, else `default`."""
    value = os.environ.get(name)
    if not value:
        return default
    try:
        seconds = float(value)
    except ValueError:
        seconds = -1.0
    if not seconds > 0:
        raise BuildError(f"{name}={value!r} is not a positive number of seconds")
    return seconds


def build_date_from_env() -> dt.date:
    """`PRIMER_BUILD_DATE` (YYYY-MM-DD) if set, else today's date in UTC."""
    value = os.environ.get("PRIMER_BUILD_DATE")
    if not value:
        return dt.datetime.now(dt.UTC).date()
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise BuildError(f"PRIMER_BUILD_DATE={value!r} is not an ISO date (YYYY-MM-DD)") from None


# Site identity (also in mkdocs.yml, which is the engine's copy).
SITE_NAME = "Small-Cap Primer"
