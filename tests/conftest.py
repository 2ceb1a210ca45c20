"""Shared fixtures: a site built once per session from the real snapshot, served on localhost,
and headless Chromium (Debian's /usr/bin/chromium) driven by Playwright."""

from __future__ import annotations

import dataclasses
import functools
import http.server
import os
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from generator.settings import Settings
from generator.topics import discover

discover()  # every topic's providers and figures registered, as a build does

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = os.environ.get("CHROME_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


@pytest.fixture(scope="session")
def snapshot_dir() -> Path:
    path = Settings.from_env().snapshot_dir
    if not path.is_dir():
        pytest.skip(f"no snapshot at {path}")
    return path


@pytest.fixture(scope="session")
def session_settings(tmp_path_factory: pytest.TempPathFactory, snapshot_dir: Path) -> Settings:
    """Settings with every writable folder in a temp dir (the developer's build is untouched)."""
    base = tmp_path_factory.mktemp("primer")
    return dataclasses.replace(
        Settings.from_env(), snapshot_dir=snapshot_dir, store_dir=base / "store",
        docs_dir=base / "docs", site_dir=base / "site", cache_dir=base / "cache")


@pytest.fixture(scope="session")
def built_site(session_settings: Settings) -> Settings:
    """The whole site built once from the real snapshot."""
    from generator.build import build_site

    build_site(session_settings, log=lambda _: None)
    return session_settings


@pytest.fixture(scope="session")
def store(built_site: Settings):
    from generator.store import Store

    return Store(built_site.store_dir)


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:  # keep test output clean
        pass


@pytest.fixture(scope="session")
def site_url(built_site: Settings) -> Iterator[str]:
    """The built site served on 127.0.0.1 (a random free port)."""
    handler = functools.partial(_QuietHandler, directory=str(built_site.site_dir))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()


@pytest.fixture(scope="session")
def browser():
    """Headless Debian Chromium through Playwright (no browser download needed)."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: apt-get install chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True,
                                             args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    """Folder for screenshots and other test artefacts (kept after the run)."""
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


@pytest.fixture()
def tmp_settings(tmp_path: Path, snapshot_dir: Path) -> Settings:
    """Settings with a fresh, empty store and output folders under tmp_path."""
    return dataclasses.replace(
        Settings.from_env(), snapshot_dir=snapshot_dir, store_dir=tmp_path / "store",
        docs_dir=tmp_path / "docs", site_dir=tmp_path / "site", cache_dir=tmp_path / "cache")


def snapshot_variant(snapshot_dir: Path, target: Path, changes: dict[str, str | None]) -> Path:
    """A snapshot at `target` that links every file of the real one, except `changes`:
    relative path -> new text, or None to leave the file out."""
    for source in snapshot_dir.rglob("*"):
        rel = source.relative_to(snapshot_dir)
        dest = target / rel
        if source.is_dir():
            dest.mkdir(parents=True, exist_ok=True)
        elif rel.as_posix() not in changes:
            dest.parent.mkdir(parents=True, exist_ok=True)
            dest.symlink_to(source)
    for rel, text in changes.items():
        if text is not None:
            (target / rel).parent.mkdir(parents=True, exist_ok=True)
            (target / rel).write_text(text)
    return target
