"""Shared fixtures, in tiers (README "Tests"):

- `filled_store`: Settings whose store holds every series and table (no mkdocs) — for data,
  facts and figure tests. Found in this order: `PRIMER_STORE` if set and filled (copied, the
  original is never written: the nightly's `data` branch checkout); else the snapshot
  (`PRIMER_SNAPSHOT`, default ../shared/data) imported once per session; else `data/store` if
  filled; else every test that needs it skips, saying why.
- `raw_dir`: where hand computations read their independent inputs with plain pandas: the
  snapshot when it is reachable, else the filled store (tests/snapshot_raw.py reads both).
- `snapshot_excerpt`: tests/fixtures/snapshot, small real excerpts in the snapshot's formats,
  for tests about importing and updating (they never need ../shared).
- `built_site` / `site_url`: the whole site built once per session from the filled store,
  served on localhost; `browser` / `open_page`: one headless Chromium per session (the one the
  build draws its chart images with: CHROME_PATH, else Debian's chromium-headless-shell, else
  its chromium) driven by Playwright, a fresh page per test.
- `site_visits`: every page of the built site visited once per width, all per-page browser
  checks run in that visit (tests/site_visits.py); the tests read what was seen.

`make test` runs the suite on every core (pytest-xdist, `-n auto`): the filled store and the
built site are made once, by whichever worker asks first, under a file lock, and read by the
others (`shared`); the page visits are shared out, a few pages at a time, between the workers
that need them (`shared_parts`), so each page is visited once per width.
"""

from __future__ import annotations

import contextlib
import dataclasses
import http.server
import io
import json
import os
import pickle
import shutil
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TypeVar

import pytest
from filelock import FileLock, Timeout

from generator import bench
from generator.figures.images import find_browser
from generator.settings import Settings
from generator.topics import discover

T = TypeVar("T")
R = TypeVar("R")

discover()  # every topic's providers and figures registered, as a build does

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "test-artifacts"
SNAPSHOT_EXCERPT = ROOT / "tests" / "fixtures" / "snapshot"
# The build's browser (generator/figures/images.py `find_browser`): CHROME_PATH, else Debian's
# chromium-headless-shell, else its chromium...
CHROMIUM = find_browser(os.environ.get("CHROME_PATH")) or os.environ.get(
    "CHROME_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


def store_is_filled(store_dir: Path) -> bool:
    """Whether `store_dir` holds every required series and table (holdings, members' closes,
    Ken French's files): a build from it then needs neither the snapshot nor the network."""
    from generator.catalog import HOLDINGS_TABLE, MEMBERS_TABLE, SERIES
    from generator.sources.french import DATASETS as FRENCH
    from generator.store import Store

    if not store_dir.is_dir():
        return False
    store = Store(store_dir)
    tables = [t.id for t in (HOLDINGS_TABLE, MEMBERS_TABLE)] + [d.id for d in FRENCH]
    return (all(store.has(s) for s in SERIES if s.required)
            and all(store.has_table(name) for name in tables))


def find_data() -> tuple[str, Path] | str:
    """("store", path) or ("snapshot", path) for the session's filled store, or the reason
    there is none (README "Tests": the order in which the suite looks)."""
    settings = Settings.from_env()
    given = os.environ.get("PRIMER_STORE")
    if given and store_is_filled(settings.store_dir):
        return "store", settings.store_dir
    if settings.snapshot_dir.is_dir():
        return "snapshot", settings.snapshot_dir
    default = settings.root / "data" / "store"
    if not given and store_is_filled(default):
        return "store", default
    return (f"no filled store (PRIMER_STORE={given or 'unset'}) and no snapshot at "
            f"{settings.snapshot_dir}")


@pytest.fixture(scope="session")
def snapshot_dir() -> Path:
    path = Settings.from_env().snapshot_dir
    if not path.is_dir():
        pytest.skip(f"no snapshot at {path}")
    return path


@pytest.fixture(scope="session")
def snapshot_excerpt() -> Path:
    """Committed real excerpts in the snapshot's formats (tests/fixtures/snapshot/README.md)."""
    return SNAPSHOT_EXCERPT


def _run_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The run's temp folder: under pytest-xdist, the one common to its workers."""
    root = tmp_path_factory.getbasetemp()
    return root.parent if os.environ.get("PYTEST_XDIST_WORKER") else root


def shared(tmp_path_factory: pytest.TempPathFactory, name: str, make) -> Path:
    """The folder `name`, made once per run by `make(folder)`: under pytest-xdist the first
    worker to ask makes it while the others wait on a file lock, then all read it."""
    root = _run_folder(tmp_path_factory)
    folder, done = root / name, root / f"{name}.done"
    with FileLock(str(root / f"{name}.lock")):
        if not done.exists():
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir(parents=True)
            make(folder)
            done.touch()
    return folder


def shared_parts(tmp_path_factory: pytest.TempPathFactory, name: str,
                 parts: Sequence[T], make: Callable[[T], R]) -> list[R]:
    """[make(part) for part in parts], the work shared by the run's workers: each worker makes
    the parts no worker has begun (one file lock per part, taken without waiting), then waits
    for those others are making and reads their results (pickled beside the lock)."""
    root = _run_folder(tmp_path_factory)
    results: dict[int, R] = {}

    def take(index: int, wait: bool) -> None:
        lock = FileLock(str(root / f"{name}-{index}.lock"))
        try:
            lock.acquire(timeout=-1 if wait else 0)
        except Timeout:
            return  # another worker is making it
        try:
            file = root / f"{name}-{index}.pickle"
            if not file.exists():  # not made yet, or its maker failed: make it here
                partial = file.with_suffix(".partial")
                partial.write_bytes(pickle.dumps(make(parts[index])))
                partial.replace(file)
            results[index] = pickle.loads(file.read_bytes())
        finally:
            lock.release()

    for index in range(len(parts)):
        take(index, wait=False)
    for index in range(len(parts)):
        if index not in results:
            take(index, wait=True)
    return [results[index] for index in range(len(parts))]


@pytest.fixture(scope="session")
def session_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """Settings with every writable folder in a temp dir (the developer's build is untouched)
    and the store filled: copied from a filled store, or imported from the snapshot."""
    found = find_data()
    if isinstance(found, str):
        pytest.skip(found)
    kind, path = found
    base = shared(tmp_path_factory, "primer",
                  lambda folder: _fill(_session_settings(folder, kind, path), kind, path))
    return _session_settings(base, kind, path)


def _session_settings(base: Path, kind: str, path: Path) -> Settings:
    env = Settings.from_env()
    return dataclasses.replace(
        env, store_dir=base / "store", docs_dir=base / "docs", site_dir=base / "site",
        cache_dir=base / "cache",
        # Without a snapshot the build must never reach for one (nor for the network).
        snapshot_dir=path if kind == "snapshot" else base / "no-snapshot")


def _fill(settings: Settings, kind: str, path: Path) -> None:
    if kind == "store":
        shutil.copytree(path, settings.store_dir, ignore=shutil.ignore_patterns(".git", "*.lock"))
    else:
        from generator.fill import fill_store

        fill_store(settings, log=lambda _: None)


@pytest.fixture(scope="session")
def filled_store(session_settings: Settings) -> Settings:
    """Settings whose store is filled (no pages, no mkdocs): the tier for data and figures."""
    return session_settings


@pytest.fixture(scope="session")
def raw_dir(filled_store: Settings) -> Path:
    """Independent inputs for hand computations: the snapshot if reachable, else the store."""
    snapshot = Settings.from_env().snapshot_dir
    return snapshot if snapshot.is_dir() else filled_store.store_dir


@pytest.fixture(scope="session")
def built_site(session_settings: Settings,
               tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """The whole site built once from the filled store; or, with `PRIMER_TEST_SITE` (the
    nightly and CI set it), the site already built there from the same store (its Markdown in
    PRIMER_DOCS), so the tests check the very site that is uploaded."""
    given = os.environ.get("PRIMER_TEST_SITE")
    if given:
        env = Settings.from_env()
        site = Path(given).expanduser().resolve()
        if not (site / "index.html").is_file() or not (env.docs_dir / "index.md").is_file():
            pytest.fail(f"PRIMER_TEST_SITE={given}: no built site there (or no Markdown in "
                        f"{env.docs_dir}): run `make site` first")
        return dataclasses.replace(session_settings, site_dir=site, docs_dir=env.docs_dir,
                                   cache_dir=env.cache_dir)
    from generator.build import build_site

    shared(tmp_path_factory, "primer-built", lambda _: build_site(session_settings,
                                                                  log=lambda _: None))
    return session_settings


@pytest.fixture(scope="session")
def store(filled_store: Settings):
    from generator.store import Store

    return Store(filled_store.store_dir)


SEARCH_INDEX = "/search/search_index.json"


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    """Serves a folder; with `search_index` bytes set (see `serve`), those for the index."""

    search_index: bytes | None = None

    def log_message(self, *args: object) -> None:  # keep test output clean
        pass

    def send_head(self) -> object:
        if self.search_index is None or self.path.partition("?")[0] != SEARCH_INDEX:
            return super().send_head()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(self.search_index)))
        self.end_headers()
        return io.BytesIO(self.search_index)


@contextlib.contextmanager
def serve(site_dir: Path, search: bool = False) -> Iterator[str]:
    """`site_dir` served on 127.0.0.1 (a random free port); yields its URL. Without `search`,
    the search index is served with its configuration but no pages: Material's search worker
    then has nothing to index on every page load (about 0.4 s of CPU each with the real one),
    which only the search test needs."""
    index = site_dir / SEARCH_INDEX.lstrip("/")
    empty = None
    if not search and index.is_file():
        empty = json.dumps({"config": json.loads(index.read_text())["config"], "docs": []})
    handler = type("SiteHandler", (_QuietHandler,), {
        "search_index": None if empty is None else empty.encode()})
    with bench.serve(site_dir, handler) as url:
        yield url


@pytest.fixture(scope="session")
def site_url(built_site: Settings) -> Iterator[str]:
    """The built site served on 127.0.0.1, its search index without pages (`serve`)."""
    with serve(built_site.site_dir) as url:
        yield url


@pytest.fixture(scope="session")
def search_site_url(built_site: Settings) -> Iterator[str]:
    """The built site served with its whole search index."""
    with serve(built_site.site_dir, search=True) as url:
        yield url


@pytest.fixture(scope="session")
def browser():
    """Headless Chromium through Playwright (no browser download needed): `CHROMIUM`."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: apt-get install chromium-headless-shell "
                    "(or chromium), or set CHROME_PATH")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True,
                                             args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def site_visits(browser, built_site: Settings, site_url: str, artifacts: Path,
                tmp_path_factory: pytest.TempPathFactory) -> dict:
    """{(page, width): tests.site_visits.Visit}: every page of the built site loaded once per
    width (phone, desktop) with all its per-page checks run in that one visit (charts drawn,
    console, overflow, chart controls, screenshots, axe-core); tests assert on what was seen.
    Under pytest-xdist the workers share the visits, a few pages each (`shared_parts`)."""
    from tests.site_pages import site_pages
    from tests.site_visits import contrast_pages, parts, representatives, visit_part

    pages = site_pages(built_site.site_dir)
    contrast = contrast_pages(built_site.site_dir, sorted(representatives(pages)))
    visits: dict = {}
    for seen in shared_parts(tmp_path_factory, "visits", parts(pages, contrast),
                             lambda part: visit_part(browser, site_url, part)):
        visits.update(seen)
    return visits


@dataclasses.dataclass
class OpenPage:
    """A page in its own browser context, with the console errors it logged."""

    context: object
    page: object
    errors: list[str]


@pytest.fixture()
def open_page(browser, site_url: str) -> Iterator:
    """open_page(path, width=1280, scheme="light") -> OpenPage: a fresh context and page at
    `site_url + path`, loaded (the `load` event: later work is waited for by its own state)
    and, unless `material=False`, with Material's bundle started as a reader's first
    interaction starts it (`start_material`); every context is closed after the test."""
    opened: list[OpenPage] = []

    def open_(path: str = "", width: int = 1280, height: int = 900,
              scheme: str = "light", wait_until: str = "load", material: bool = True) -> OpenPage:
        context = browser.new_context(viewport={"width": width, "height": height},
                                      color_scheme=scheme)
        page = context.new_page()
        errors: list[str] = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        opened.append(OpenPage(context, page, errors))
        page.goto(site_url + path, wait_until=wait_until)
        if material:
            start_material(page)
        return opened[-1]

    yield open_
    for item in opened:
        item.context.close()


def sitemap_for(site_url: str, built_site: Settings):
    """Material navigates instantly only to URLs listed in sitemap.xml, whose hosts it rebases
    to the page's but whose port it keeps; the test server's random port would make every
    link look external. Serve the sitemap with the test server's own origin."""
    text = (built_site.site_dir / "sitemap.xml").read_text()
    body = text.replace(built_site.site_url, site_url)

    def handle(route):
        route.fulfill(status=200, content_type="application/xml", body=body)
    return handle


# Material intercepts a click only once it holds the sitemap: wait until it has arrived.
SITEMAP_HELD = ("performance.getEntriesByType('resource').some("
                "e => e.name.endsWith('/sitemap.xml') && e.responseEnd > 0)")


MATERIAL_READY = "document.documentElement.dataset.primerMaterial === 'ready'"


def start_material(page) -> None:
    """Start Material's bundle as a reader's first interaction does (a pointer that moves: it
    loads on demand, overrides/partials/javascripts/material.js) and wait until it has run."""
    page.mouse.move(1, 1)
    page.mouse.move(2, 2)
    page.wait_for_function(MATERIAL_READY, timeout=30_000)


def navigate_instantly(page, link: str, arrived: str) -> bool:
    """Click the first `link` (a selector) the way instant navigation takes it, and wait until
    `arrived` (a JS expression) holds; whether the page was swapped in without a reload.
    Material intercepts a click only once it has started and holds the sitemap (routed with
    `sitemap_for`); a click just before that is a full load: then the first page is loaded
    again, and the click tried again (three times at most)."""
    here = page.url
    for _ in range(3):
        start_material(page)
        page.wait_for_function(SITEMAP_HELD)
        page.evaluate("window.__sameDocument = true")  # survives instant navigation only
        page.locator(link).first.click()
        page.wait_for_function(arrived)
        if page.evaluate("window.__sameDocument === true"):
            return True
        page.goto(here, wait_until="load")
    return False


CHARTS_SETTLED = ("() => [...document.querySelectorAll('.primer-chart')].every(el =>"
                  " el.dataset.state === 'error' || (el.dataset.state === 'drawn'"
                  " && (!('ready' in el.dataset) || el.dataset.ready === 'true')))")


def draw_all_charts(page, timeout: float = 30_000) -> int:
    """Draw every chart of the page (they draw lazily near the viewport) and wait until each
    is drawn (and themed, where charts.js marks that with data-ready); returns the count."""
    count = page.locator(".primer-chart").count()
    if count:
        page.evaluate("window.primerCharts && window.primerCharts.drawAll()")
        page.wait_for_function(CHARTS_SETTLED, timeout=timeout)
    return count


@pytest.fixture(scope="session")
def artifacts() -> Path:
    """Folder for screenshots and other test artefacts (kept after the run)."""
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


# The holdings excerpt keeps 47 of the file's 1,924 equity lines (16.81 % of the fund): the one
# rule that refuses it as a truncated file (test_ishares) is relaxed where tests load it.
EXCERPT_EQUITY_WEIGHTS_PCT = (15.0, 101.0)


@pytest.fixture()
def tmp_settings(tmp_path: Path, snapshot_excerpt: Path, monkeypatch) -> Settings:
    """Settings with a fresh, empty store and output folders under tmp_path; the snapshot is
    the committed excerpt (tests/fixtures/snapshot), its holdings accepted as they are."""
    monkeypatch.setattr("generator.validate.EQUITY_WEIGHTS_PCT", EXCERPT_EQUITY_WEIGHTS_PCT)
    return dataclasses.replace(
        Settings.from_env(), snapshot_dir=snapshot_excerpt, store_dir=tmp_path / "store",
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


TIERS = (("site_visits",), ("browser", "open_page"), ("built_site", "site_url"),
         ("session_settings", "filled_store", "store", "raw_dir"))


def tier(item: pytest.Item) -> int:
    """0 for tests that need no store, 1 a filled store, 2 the built site, 3 a browser,
    4 the shared page visits."""
    names = set(getattr(item, "fixturenames", ()))
    return next((len(TIERS) - i for i, needs in enumerate(TIERS) if names & set(needs)), 0)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The order for pytest-xdist's workers, which take tests in turn from the front: one
    test of the built site first (its worker fills the store and builds the site while the
    others run the tests that need neither), then the tiers, fastest first, and last the
    page visits, which every worker still running joins (`shared_parts`)."""
    items.sort(key=tier)
    first = next((i for i, item in enumerate(items) if tier(item) == 2), None)
    if first is not None:
        items.insert(0, items.pop(first))
