"""`make site`: run every stage in order, time each one, and say where the site is."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from generator.analytics.facts import build_facts
from generator.analytics.facts.market_update import data_freshness
from generator.errors import BuildError
from generator.figures import build_figures
from generator.ingest import ensure_store
from generator.pages import copy_assets, render_pages
from generator.pages.market_update import write_feed
from generator.settings import Settings
from generator.store import Store


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
    # No --quiet: it silences warnings before --strict counts them, so a broken link would pass.
    command = [sys.executable, "-m", "mkdocs", "build", "--strict",
               "--config-file", str(config), "--site-dir", str(settings.site_dir)]
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    done = subprocess.run(command, cwd=settings.root, capture_output=True, text=True, env=env)
    if done.returncode != 0:
        lines = (done.stderr + done.stdout).strip().splitlines()
        problems = [line for line in lines if line.startswith(("WARNING", "ERROR", "Aborted"))]
        raise BuildError("mkdocs build failed: " + " | ".join(problems or lines[-8:]))


def build_site(settings: Settings, log: Callable[[str], None] = print,
               mkdocs: bool = True) -> Timings:
    """Import (if needed) -> analytics -> figures -> pages -> mkdocs. Never touches the network
    unless the store is empty and there is no snapshot to import."""
    timings = Timings()
    store = Store(settings.store_dir)
    docs = settings.docs_dir
    with timings.stage("import"):
        ensure_store(settings, log=log)
    with timings.stage("analytics"):
        facts = build_facts(store)
        facts.update(data_freshness(store, settings.build_date))  # depends on the build day
    with timings.stage("figures"):
        figures = build_figures(store, docs, cache_dir=settings.cache_dir)
    with timings.stage("pages"):
        copy_assets(docs)
        render_pages(settings.content_dir, docs, facts, figures)
        write_feed(docs, facts, settings.site_url)
    if mkdocs:
        with timings.stage("mkdocs"):
            run_mkdocs(settings)
    return timings


def site_index(settings: Settings) -> Path:
    return settings.site_dir / "index.html"
