"""The store on its `data` branch: seeded on the first night, restored and extended on the next,
left alone on a quiet night. Real git, a local bare repository standing in for GitHub."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pandas as pd
import pytest

from generator.catalog import get
from generator.errors import DataError
from generator.store import Store
from generator.store_branch import (
    BOT_EMAIL,
    commit_message,
    describe_changes,
    read_metas,
    restore_store,
    save_store,
)


def sh(*args: str, cwd: Path) -> str:
    return subprocess.run(["git", "-c", "user.name=dev", "-c", "user.email=dev@example.org",
                           *args], cwd=cwd, check=True, capture_output=True, text=True).stdout


@pytest.fixture()
def origin(tmp_path: Path) -> Path:
    """A bare 'GitHub' repository whose main holds a project file (never copied to data)."""
    bare = tmp_path / "origin.git"
    sh("init", "--quiet", "--bare", "--initial-branch=main", str(bare), cwd=tmp_path)
    seed = tmp_path / "seed"
    sh("clone", "--quiet", str(bare), str(seed), cwd=tmp_path)
    (seed / "README.md").write_text("the project\n")
    sh("add", "README.md", cwd=seed)
    sh("commit", "--quiet", "-m", "main", cwd=seed)
    sh("push", "--quiet", "origin", "HEAD:refs/heads/main", cwd=seed)
    return bare


def clone(origin: Path, name: str) -> Path:
    """A fresh checkout of main, as a nightly runner gets it."""
    work = origin.parent / name
    sh("clone", "--quiet", "--depth=1", f"file://{origin}", str(work), cwd=origin.parent)
    return work


def prices(days: int, start: str = "2026-08-17") -> pd.DataFrame:
    index = pd.DatetimeIndex(pd.bdate_range(start, periods=days), name="date")
    return pd.DataFrame({"close": [100.0 + i for i in range(days)]}, index=index)


def test_first_night_seeds_an_orphan_data_branch(origin: Path) -> None:
    work = clone(origin, "night1")
    store_dir = work / "data" / "store"
    restored = restore_store(work, store_dir)
    assert restored.sha is None and restored.series == 0
    assert list(p.name for p in store_dir.iterdir()) == [".git"]  # nothing of main in it

    store = Store(store_dir)
    store.write_series(get("^RUT"), prices(5), origin="live:test")
    store.write_series(get("DGS10"), prices(3).rename(columns={"close": "value"}),
                       origin="live:test")
    saved = save_store(store_dir)
    assert saved.pushed and saved.message is not None
    assert saved.message.startswith("Store seeded: 2 series, full history to 2026-08-21\n")
    assert "^RUT: new, 2026-08-17 .. 2026-08-21, 5 rows" in saved.message
    assert "DGS10: new, 2026-08-17 .. 2026-08-19, 3 rows" in saved.message

    remote = sh("ls-remote", "--heads", str(origin), "data", cwd=work).split()
    assert remote[0] == saved.sha
    files = sh("ls-tree", "-r", "--name-only", saved.sha, cwd=work).split()
    assert files == ["fred/DGS10.csv", "fred/DGS10.meta.json",
                     "yahoo/^RUT.csv", "yahoo/^RUT.meta.json"]
    parents = sh("rev-list", "--parents", "-n", "1", saved.sha, cwd=work).split()
    assert parents == [saved.sha]  # an orphan: no history shared with main
    author = sh("log", "-1", "--format=%ae", saved.sha, cwd=work).strip()
    assert author == BOT_EMAIL


def test_next_night_restores_extends_and_says_what_changed(origin: Path) -> None:
    first = clone(origin, "night1")
    store = Store(first / "data" / "store")
    restore_store(first, store.root)
    store.write_series(get("^RUT"), prices(5), origin="live:test")
    store.write_series(get("DGS10"), prices(3).rename(columns={"close": "value"}),
                       origin="live:test")
    seeded = save_store(store.root)

    second = clone(origin, "night2")
    store2 = Store(second / "data" / "store")
    restored = restore_store(second, store2.root)
    assert (restored.sha, restored.series) == (seeded.sha, 2)
    pd.testing.assert_frame_equal(store2.read_series(get("^RUT")), prices(5), check_freq=False)

    store2.write_series(get("^RUT"), prices(6), origin="live:test")  # one more day
    saved = save_store(store2.root, update_status=1)
    assert saved.message is not None
    subject, _, body = saved.message.partition("\n\n")
    assert subject == "Store: 1 series updated, latest date 2026-08-24"
    assert body.splitlines()[0] == "^RUT: 2026-08-21 -> 2026-08-24, +1 rows"
    assert "update exited 1: at least one series was rejected" in body
    log = sh("log", "--format=%s", saved.sha, cwd=second).splitlines()
    assert log == [subject, "Store seeded: 2 series, full history to 2026-08-21"]


def test_quiet_night_commits_nothing(origin: Path) -> None:
    first = clone(origin, "night1")
    store = Store(first / "data" / "store")
    restore_store(first, store.root)
    store.write_series(get("^RUT"), prices(5), origin="live:test")
    seeded = save_store(store.root)

    second = clone(origin, "night2")
    restore_store(second, second / "data" / "store")
    saved = save_store(second / "data" / "store")
    assert (saved.sha, saved.message, saved.pushed) == (seeded.sha, None, False)
    assert sh("ls-remote", "--heads", str(origin), "data", cwd=second).split()[0] == seeded.sha


def test_restore_refuses_a_non_empty_store(origin: Path) -> None:
    work = clone(origin, "dev")
    (work / "data" / "store").mkdir(parents=True)
    (work / "data" / "store" / "keep.csv").write_text("mine")
    with pytest.raises(DataError, match="is not empty"):
        restore_store(work, work / "data" / "store")
    assert (work / "data" / "store" / "keep.csv").read_text() == "mine"


def test_save_without_restore_and_empty_store_fail_clearly(origin: Path, tmp_path: Path) -> None:
    with pytest.raises(DataError, match="not a checkout of the data branch"):
        save_store(tmp_path / "plain")
    work = clone(origin, "empty")
    restore_store(work, work / "data" / "store")
    with pytest.raises(DataError, match="still empty after the update"):
        save_store(work / "data" / "store")
    assert sh("ls-remote", "--heads", str(origin), "data", cwd=work) == ""


def test_describe_changes_names_revisions_and_removals() -> None:
    old = {"yahoo/IWM.meta.json": {"series_id": "IWM", "first": "2000-05-26",
                                   "last": "2026-08-21", "rows": 10, "sha256": "a"},
           "fred/X.meta.json": {"series_id": "X", "first": "2001-01-01", "last": "2026-08-01",
                                "rows": 3, "sha256": "b"}}
    new = {"yahoo/IWM.meta.json": {**old["yahoo/IWM.meta.json"], "sha256": "c"}}
    assert describe_changes(old, new) == [
        "X: removed (was 2001-01-01 .. 2026-08-01)",
        "IWM: revised, still ending 2026-08-21",
    ]
    assert commit_message(old, old) is None
    message = commit_message(old, new, run_url="https://example.org/run/1")
    assert message is not None and message.endswith("Run: https://example.org/run/1\n")


def test_read_metas_skips_git_internals(tmp_path: Path) -> None:
    store = Store(tmp_path)
    store.write_series(get("^RUT"), prices(2), origin="live:test")
    (tmp_path / ".git" / "x").mkdir(parents=True)
    (tmp_path / ".git" / "x" / "stale.meta.json").write_text("{not json")
    assert list(read_metas(tmp_path)) == ["yahoo/^RUT.meta.json"]


def _pack_bytes(repo: Path) -> int:
    """The repository's size once garbage-collected (what GitHub keeps after its own gc)."""
    sh("gc", "--quiet", "--prune=now", cwd=repo)
    stats = dict(line.split(": ") for line in sh("count-objects", "-v", cwd=repo).splitlines())
    return (int(stats["size-pack"]) + int(stats["size"])) * 1024


NIGHTS = 8


def test_night_after_night_the_branch_keeps_two_stores(origin: Path) -> None:
    """Eight nights, each rewriting a members-like table whole (as a dividend re-adjustment does)
    and appending a row to a series: the remote holds two stores, not eight, and the newest two."""
    import numpy as np

    rng = np.random.default_rng(7)
    tables: list[int] = []
    work = clone(origin, "runner")  # one clone; each night restores a fresh worktree
    store = Store(work / "data" / "store")
    for night in range(NIGHTS):
        if store.root.exists():
            sh("worktree", "remove", "--force", str(store.root), cwd=work)
        restored = restore_store(work, store.root)
        assert (restored.sha is None) == (night == 0)
        store.write_series(get("^RUT"), prices(5 + night), origin="live:test")
        table = store.root / "tables" / "members_close.parquet"
        table.parent.mkdir(parents=True, exist_ok=True)
        # Random floats: incompressible, like re-adjusted closes (~0.5 MB; the real one ~10 MB).
        pd.DataFrame(rng.random((250, 250))).rename(columns=str).to_parquet(table)
        tables.append(table.stat().st_size)
        saved = save_store(store.root)
        assert saved.pushed and saved.message is not None
        log = sh("log", "--format=%s", saved.sha, cwd=work).splitlines()
        assert len(log) == min(night + 1, 2)
        if night > 1:  # the previous night, re-rooted with its own message
            last = f"{prices(4 + night).index[-1]:%Y-%m-%d}"
            assert log[1] == f"Store: 1 series updated, latest date {last}"
    shutil.rmtree(origin.parent / "seed")
    size = _pack_bytes(origin)
    # Two stores (tonight's, the previous night's) plus main's one file; a commit per night
    # would hold all eight tables (~4 MB here, ~2.5 GB a year at the real table's size).
    assert sh("rev-list", "--count", "data", cwd=origin).strip() == "2"
    assert tables[-1] < size < 2.5 * tables[-1]  # git's zlib gets a little out of the floats
    newest = sh("show", "data:yahoo/^RUT.meta.json", cwd=origin)
    assert f'"rows": {4 + NIGHTS}' in newest


def test_a_push_that_raced_another_is_refused(origin: Path) -> None:
    first = clone(origin, "night1")
    store = Store(first / "data" / "store")
    restore_store(first, store.root)
    store.write_series(get("^RUT"), prices(5), origin="live:test")
    seeded = save_store(store.root)
    late, early = clone(origin, "late"), clone(origin, "early")
    for days, work in ((6, late), (7, early)):
        restore_store(work, work / "data" / "store")
        Store(work / "data" / "store").write_series(get("^RUT"), prices(days), origin="live:test")
    save_store(early / "data" / "store")
    with pytest.raises(DataError, match=r"stale info|rejected"):
        save_store(late / "data" / "store")
    remote = sh("ls-remote", "--heads", str(origin), "data", cwd=late).split()[0]
    assert remote != seeded.sha
