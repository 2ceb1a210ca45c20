"""`make site`: run every stage in order, time each one, and say where the site is."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.errors import BuildError
from generator.figures import build_figures
from generator.figures.images import (
    NO_BROWSER,
    Renderer,
    RenderError,
    chart_images_for,
    find_browser,
    with_cards,
    with_images,
)
from generator.fill import fill_store
from generator.outputs import build_lock, rendering_dir, store_lock, swap_in, sweep
from generator.pages import copy_assets, render_pages
from generator.pages.market_update import write_feed
from generator.settings import Settings
from generator.store import Store, atomic_write_text
from generator.topics import discover
from generator.topics.facts_cache import cached_facts
from generator.topics.market_update.data import data_freshness
from generator.verify import verify_store


@dataclass
class Timings:
    """Seconds per stage, in the order run."""

    stages: dict[str, float] = field(default_factory=dict)

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        start = time.perf_counter()
        try:
            yield
        finally:
            self.stages[name] = time.perf_counter() - start

    @property
    def total(self) -> float:
        return sum(self.stages.values())


def run_mkdocs(settings: Settings) -> None:
    """`mkdocs build --strict` on the generated docs folder (the engine only renders)."""
    config = settings.root / "mkdocs.yml"
    if settings.docs_dir != settings.root / "build" / "docs":
        # Built elsewhere (tests, parallel builds): inherit the real config, swap the folders.
        config = settings.docs_dir.parent / f"{settings.docs_dir.name}.mkdocs.yml"
        # Relative paths in the inherited file resolve against this one: pin the theme folder.
        config.write_text(f"INHERIT: {settings.root / 'mkdocs.yml'}\n"
                          f"docs_dir: {settings.docs_dir}\nsite_dir: {settings.site_dir}\n"
                          f"theme:\n  custom_dir: {settings.root / 'overrides'}\n")
    # Rendered beside site/ and swapped in whole: a kill or a failure leaves the last good site.
    target = rendering_dir(settings.site_dir)
    shutil.rmtree(target, ignore_errors=True)
    # No --quiet: it silences warnings before --strict counts them, so a broken link would pass.
    command = [sys.executable, "-m", "mkdocs", "build", "--strict",
               "--config-file", str(config), "--site-dir", str(target)]
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    try:
        done = subprocess.run(command, cwd=settings.root, capture_output=True, text=True,
                              env=env)
        if done.returncode != 0:
            lines = (done.stderr + done.stdout).strip().splitlines()
            problems = [line for line in lines
                        if line.startswith(("WARNING", "ERROR", "Aborted"))]
            raise BuildError("mkdocs build failed: " + " | ".join(problems or lines[-8:]))
        if not (target / "index.html").is_file():
            raise BuildError(f"mkdocs build wrote no index.html into {target}")
        swap_in(target, settings.site_dir)
    finally:
        shutil.rmtree(target, ignore_errors=True)


def engine_input_digest(settings: Settings) -> str:
    """sha256 of everything `mkdocs build` reads: the docs folder, mkdocs.yml, the theme
    overrides, the site URL and the engine's versions. Equal digests render equal sites."""
    from importlib.metadata import version

    digest = hashlib.sha256()
    digest.update(f"{version('mkdocs')} {version('mkdocs-material')} "
                  f"{settings.site_url} {settings.site_dir}\n".encode())
    roots = [settings.docs_dir, settings.root / "overrides", settings.root / "mkdocs.yml"]
    for root in roots:
        files = sorted(p for p in root.rglob("*") if p.is_file()) if root.is_dir() else \
            [root] if root.is_file() else []
        for path in files:
            digest.update(f"{path}\0".encode() + path.read_bytes())
    return digest.hexdigest()


def render_site(settings: Settings) -> bool:
    """Run mkdocs unless the site was already rendered from identical inputs; True if it ran."""
    stamp = settings.cache_dir / "mkdocs.stamp.json"
    digest = engine_input_digest(settings)
    try:
        current = json.loads(stamp.read_text()).get("digest") == digest
    except (FileNotFoundError, ValueError):
        current = False
    if current and (settings.site_dir / "sitemap.xml").is_file() and \
            (settings.site_dir / "index.html").is_file():
        return False
    stamp.unlink(missing_ok=True)
    run_mkdocs(settings)
    atomic_write_text(stamp, json.dumps({"digest": digest}) + "\n")
    return True


def generate_docs(settings: Settings, timings: Timings | None = None,
                  log: Callable[[str], None] = print) -> tuple[dict[str, Any], dict[str, Any]]:
    """Import (if needed) -> analytics -> figures -> pages: the docs folder mkdocs renders.
    Returns the facts and figures the pages were rendered from. Never touches the network
    unless the store is empty and there is no snapshot to import."""
    timings = timings if timings is not None else Timings()
    with timings.stage("import"):
        # Outside the store lock: with no snapshot, filling runs the live update (a writer).
        fill_store(settings, log=log)
    with store_lock(settings.store_dir, log=log):  # one consistent state, even during an update
        return _generate_docs(settings, timings, log)


def _generate_docs(settings: Settings, timings: Timings,
                   log: Callable[[str], None]) -> tuple[dict[str, Any], dict[str, Any]]:
    store = Store(settings.store_dir, settings.reference_dir)
    with timings.stage("verify"):
        # Every stored series and table passes validate.py's rules again before anything is
        # rendered (caches would otherwise skip reading data they have seen).
        verify_store(store, settings.build_date)
    with timings.stage("analytics"):
        discover()  # every topic's providers and figures register themselves
        facts, _ = cached_facts(store, settings.cache_dir, settings.reference_dir)
        facts.update(data_freshness(store, settings.build_date))  # depends on the build day
    browser = find_browser(settings.chrome_path)
    if browser is None:
        log(NO_BROWSER)
    renderer = Renderer(browser) if browser else None  # opens only if something is not cached
    try:
        # Each chart's images are handed to the browser as soon as its figure is written: it
        # draws them while the next figures are made ("images" is the wait that is left).
        images = chart_images_for(settings.docs_dir, settings.cache_dir, renderer, log=quiet)
        with timings.stage("figures"):
            figures = build_figures(store, settings.docs_dir, cache_dir=settings.cache_dir,
                                    on_figure=images.add)
        with timings.stage("images"):
            try:
                figures = with_images(figures, settings.docs_dir, settings.cache_dir, renderer,
                                      log=quiet, images=images)
            except RenderError as exc:
                log(f"Chart images could not be rendered ({exc}): building without them.")
                renderer.close()
                renderer = None
                figures = with_images(figures, settings.docs_dir, settings.cache_dir, None,
                                      log=quiet)
        with timings.stage("pages"):
            write_pages(settings, facts, figures, cards=False)
        with timings.stage("cards"):
            write_cards(settings, renderer, log)
    finally:
        if renderer is not None:
            renderer.close()
    return facts, figures


def write_pages(settings: Settings, facts: dict[str, Any], figures: dict[str, Any],
                cards: bool = True) -> None:
    """The pages stage: assets, every page and generated page, the feed; with `cards`, the
    pages' preview cards from the cache (`make serve` re-rendering pages alone)."""
    copy_assets(settings.docs_dir)
    render_pages(settings.content_dir, settings.docs_dir, facts, figures)
    write_feed(settings.docs_dir, facts, settings.site_url)
    if cards:
        write_cards(settings, None, quiet)


def write_cards(settings: Settings, renderer: Renderer | None,
                log: Callable[[str], None]) -> None:
    """Every page's preview card, named in its front matter (rendered if not cached)."""
    try:
        with_cards(settings.docs_dir, settings.cache_dir, renderer, log=quiet)
    except RenderError as exc:
        log(f"Preview cards could not be rendered ({exc}): pages keep the cached ones.")
        with_cards(settings.docs_dir, settings.cache_dir, None, log=quiet)


def quiet(_: str) -> None:
    """Per-image progress is not worth a line each."""


def build_site(settings: Settings, log: Callable[[str], None] = print,
               mkdocs: bool = True) -> Timings:
    """The whole build: `generate_docs`, then mkdocs renders the docs folder to the site.

    One build at a time per cache folder (`outputs.build_lock`); it starts by sweeping what a
    killed build or writer left behind, and the site is swapped in whole at the end.
    """
    timings = Timings()
    with build_lock(settings.cache_dir, log=log):
        sweep(settings.store_dir, settings.docs_dir, settings.cache_dir, settings.site_dir)
        generate_docs(settings, timings, log)
        if mkdocs:
            with timings.stage("mkdocs"):
                if not render_site(settings):
                    log("mkdocs: docs unchanged since the last render, site kept")
    return timings


def site_index(settings: Settings) -> Path:
    return settings.site_dir / "index.html"
