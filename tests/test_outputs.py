"""Atomic outputs and one builder at a time: the site is swapped in whole (a failed or killed
render leaves the last good one), leftovers of killed writers are swept, a build takes a lock,
and a table's data and metadata land together."""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import subprocess
import threading
import time
from pathlib import Path

import pandas as pd
import pytest

from generator import build, outputs
from generator.errors import BuildError
from generator.settings import Settings
from generator.store import Store


def settings_in(tmp_path: Path) -> Settings:
    return dataclasses.replace(
        Settings.from_env(), store_dir=tmp_path / "store", docs_dir=tmp_path / "docs",
        site_dir=tmp_path / "site", cache_dir=tmp_path / "cache")


def old_site(settings: Settings) -> None:
    settings.site_dir.mkdir(parents=True)
    (settings.site_dir / "index.html").write_text("last good site")
    settings.docs_dir.mkdir(parents=True)


def test_a_failed_render_leaves_the_last_good_site(tmp_path: Path, monkeypatch) -> None:
    settings = settings_in(tmp_path)
    old_site(settings)

    def half_render(command, **kwargs):
        target = Path(command[command.index("--site-dir") + 1])
        assert target.parent == settings.site_dir.parent and target != settings.site_dir
        target.mkdir()
        (target / "half.html").write_text("half")
        return subprocess.CompletedProcess(command, 1, "", "ERROR - killed halfway")

    monkeypatch.setattr(build.subprocess, "run", half_render)
    with pytest.raises(BuildError, match="killed halfway"):
        build.run_mkdocs(settings)
    assert (settings.site_dir / "index.html").read_text() == "last good site"
    assert not list(tmp_path.glob(".rendering-*"))  # the half-rendered folder is gone


def test_a_finished_render_is_swapped_in_whole(tmp_path: Path, monkeypatch) -> None:
    settings = settings_in(tmp_path)
    old_site(settings)
    (settings.site_dir / "gone.html").write_text("a page the new site no longer has")

    def render(command, **kwargs):
        target = Path(command[command.index("--site-dir") + 1])
        target.mkdir()
        (target / "index.html").write_text("new site")
        return subprocess.CompletedProcess(command, 0, "", "")

    monkeypatch.setattr(build.subprocess, "run", render)
    build.run_mkdocs(settings)
    assert sorted(p.name for p in settings.site_dir.iterdir()) == ["index.html"]
    assert (settings.site_dir / "index.html").read_text() == "new site"
    assert not list(tmp_path.glob(".rendering-*")) and not list(tmp_path.glob(".retired-*"))


def test_sweep_removes_leftovers_and_restores_a_retired_site(tmp_path: Path) -> None:
    settings = settings_in(tmp_path)
    store_tmp = settings.store_dir / "yahoo" / ".^RUT.csv.abc123.tmp"
    fresh_tmp = settings.store_dir / "fred" / ".DGS10.csv.def456.tmp"
    docs_tmp = settings.docs_dir / ".index.md.x1.tmp"
    for path in (store_tmp, fresh_tmp, docs_tmp):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("partial")
    hour_ago = time.time() - 3600
    os.utime(store_tmp, (hour_ago, hour_ago))
    # A kill between the two renames of the fallback swap: only the retired site is left.
    retired = tmp_path / ".retired-site-999"
    retired.mkdir()
    (retired / "index.html").write_text("last good site")
    rendering = tmp_path / ".rendering-site-998"
    rendering.mkdir()
    removed = outputs.sweep(settings.store_dir, settings.docs_dir, settings.cache_dir,
                            settings.site_dir)
    assert (settings.site_dir / "index.html").read_text() == "last good site"
    assert not store_tmp.exists() and not docs_tmp.exists() and not rendering.exists()
    assert fresh_tmp.exists()  # young: a running update may still own it
    assert set(removed) == {store_tmp, docs_tmp, rendering}


def test_a_second_build_waits_or_says_why_it_cannot_run(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    held = r"another build is running \(build pid " rf"{os.getpid()} since .*\) and holds .*lock"
    with outputs.build_lock(cache, wait=0), pytest.raises(BuildError, match=held), \
            outputs.build_lock(cache, wait=0.3, log=lambda _: None):
        pass
    # Released: the next one gets it at once. A waiting one gets it when the first ends.
    events: list[str] = []
    first_in, second_waits = threading.Event(), threading.Event()

    def first() -> None:
        with outputs.build_lock(cache, wait=0):
            first_in.set()
            second_waits.wait(30)  # hold the lock until the second build says it waits
            events.append("first done")

    def log(line: str) -> None:
        events.append(line)
        second_waits.set()

    thread = threading.Thread(target=first)
    thread.start()
    first_in.wait(5)
    with outputs.build_lock(cache, wait=30, log=log):
        events.append("second in")
    thread.join()
    assert events[0].startswith("waiting for another build to finish (build pid")
    assert events[1:] == ["first done", "second in"]


def test_a_table_lands_with_its_metadata_or_not_at_all(tmp_path: Path, monkeypatch) -> None:
    store = Store(tmp_path / "store")
    frame = pd.DataFrame({"ticker": ["AAA"], "weight_pct": [1.0]})
    kwargs = dict(title="t", publisher="p", origin="test", as_of=dt.date(2026, 8, 21), fmt="csv")
    store.write_table("t", frame, **kwargs)
    before = {p.name: p.read_bytes() for p in (tmp_path / "store" / "tables").iterdir()}
    calls = {"n": 0}
    real_fsync = os.fsync

    def failing_fsync(fd: int) -> None:
        calls["n"] += 1
        if calls["n"] == 2:  # the metadata's temp file: the disk is full, or a kill
            raise OSError(28, "No space left on device")
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", failing_fsync)
    with pytest.raises(OSError):
        store.write_table("t", frame.assign(weight_pct=[2.0]), **kwargs)
    monkeypatch.undo()
    after = {p.name: p.read_bytes() for p in (tmp_path / "store" / "tables").iterdir()}
    assert after == before  # neither file changed, no temp file left
    assert store.read_table("t")["weight_pct"].tolist() == [1.0]


def test_builds_share_the_store_an_update_holds_alone(tmp_path: Path) -> None:
    store_dir = tmp_path / "data" / "store"
    assert outputs.store_lock_path(store_dir) == tmp_path / "data" / ".store.lock"
    # Two readers at once; a writer cannot start while they read.
    with outputs.store_lock(store_dir, wait=0), outputs.store_lock(store_dir, wait=0), \
            pytest.raises(BuildError, match="a build is reading the store holds"), \
            outputs.store_lock(store_dir, exclusive=True, wait=0.3, log=lambda _: None):
        pass
    with outputs.store_lock(store_dir, exclusive=True, wait=0), \
            pytest.raises(BuildError, match="an update is writing the store holds"), \
            outputs.store_lock(store_dir, wait=0.3, log=lambda _: None):
        pass
