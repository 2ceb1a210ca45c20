"""One builder at a time, and outputs that are replaced whole.

- `build_lock`: a build holds an exclusive lock on its cache folder (the figure and facts caches
  and the docs it writes are not safe to share with a second build). A second build waits for
  it, up to `PRIMER_BUILD_WAIT` seconds (default 900), then stops with a message naming the
  holder.
- `sweep`: at the start of a locked build, the temp files a killed writer left behind are
  removed (hidden ``.*.tmp`` in the docs and cache folders; in the store only when old enough
  that a running update cannot own them), and so are half-rendered site folders.
- `store_lock`: a build reads the store under a shared lock; a writer that saves many series
  (an update) takes it exclusively, so a build never reads half of one night's update. The
  lock file sits beside the store (``data/.store.lock``), never inside it (the store is
  committed to the data branch).
- `rendering_dir` / `swap_in`: mkdocs renders into a hidden folder beside ``site/``, which is
  then swapped in whole (one atomic `renameat2(RENAME_EXCHANGE)` on Linux, else two renames,
  repaired at the next start). A kill or a failed render leaves the last good site.
"""

from __future__ import annotations

import ctypes
import datetime as dt
import fcntl
import os
import shutil
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from generator.errors import BuildError
from generator.store import Store

LOCK_NAME = "build.lock"
DEFAULT_WAIT_SECONDS = 900.0
RENDERING = ".rendering-"  # prefix + site folder name + pid: a render in progress
RETIRED = ".retired-"  # the previous site while it is being swapped out


def wait_seconds() -> float:
    """How long a build waits for another one (`PRIMER_BUILD_WAIT`, seconds)."""
    value = os.environ.get("PRIMER_BUILD_WAIT", "")
    try:
        return float(value) if value else DEFAULT_WAIT_SECONDS
    except ValueError:
        raise BuildError(f"PRIMER_BUILD_WAIT={value!r} is not a number of seconds") from None


def _acquire(handle, mode: int, path: Path, wait: float, what: str,
             log: Callable[[str], None]) -> None:
    deadline = time.monotonic() + wait
    told = False
    while True:
        try:
            fcntl.flock(handle, mode | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            if time.monotonic() >= deadline:
                raise BuildError(f"{what} holds {path}; gave up after waiting {wait:.0f} s "
                                 "(PRIMER_BUILD_WAIT)") from None
            if not told:
                log(f"waiting: {what} …")
                told = True
            time.sleep(0.2)


def store_lock_path(store_dir: Path) -> Path:
    """The store's lock file, beside it (``data/store`` -> ``data/.store.lock``)."""
    return store_dir.parent / f".{store_dir.name}.lock"


@contextmanager
def store_lock(store_dir: Path, exclusive: bool = False, wait: float | None = None,
               log: Callable[[str], None] = print) -> Iterator[None]:
    """Hold the store's lock: shared for readers (builds), exclusive for a writer (an update
    saving its series), waiting up to `wait` seconds (default `PRIMER_BUILD_WAIT`)."""
    wait = wait_seconds() if wait is None else wait
    path = store_lock_path(store_dir)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a+", encoding="utf-8") as handle:
        what = ("a build is reading the store" if exclusive
                else "an update is writing the store")
        _acquire(handle, fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH, path, wait, what, log)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


@contextmanager
def build_lock(cache_dir: Path, wait: float | None = None,
               log: Callable[[str], None] = print) -> Iterator[None]:
    """Hold the build lock of `cache_dir` (waiting up to `wait` seconds for another build)."""
    wait = wait_seconds() if wait is None else wait
    cache_dir.mkdir(parents=True, exist_ok=True)
    path = cache_dir / LOCK_NAME
    with open(path, "a+", encoding="utf-8") as handle:
        deadline = time.monotonic() + wait
        told = False
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                holder = path.read_text(encoding="utf-8").strip() or "another build"
                if time.monotonic() >= deadline:
                    raise BuildError(
                        f"another build is running ({holder}) and holds {path}; gave up after "
                        f"waiting {wait:.0f} s (PRIMER_BUILD_WAIT)") from None
                if not told:
                    log(f"waiting for another build to finish ({holder}) …")
                    told = True
                time.sleep(0.2)
        since = dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        handle.seek(0)
        handle.truncate()
        handle.write(f"build pid {os.getpid()} since {since}\n")
        handle.flush()
        try:
            yield
        finally:
            handle.seek(0)
            handle.truncate()
            handle.flush()
            fcntl.flock(handle, fcntl.LOCK_UN)


def rendering_dir(site_dir: Path) -> Path:
    """The folder beside `site_dir` that this process renders into."""
    return site_dir.with_name(f"{RENDERING}{site_dir.name}-{os.getpid()}")


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one step (Linux `renameat2` with RENAME_EXCHANGE); False where the
    system or file system cannot."""
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    return renameat2(at_fdcwd, os.fsencode(str(a)), at_fdcwd, os.fsencode(str(b)),
                     rename_exchange) == 0


def swap_in(new: Path, target: Path) -> None:
    """Make the finished folder `new` the `target` folder, the old one removed afterwards."""
    if not target.exists():
        os.replace(new, target)
        return
    if _exchange(new, target):
        shutil.rmtree(new)  # now the previous site
        return
    retired = target.with_name(f"{RETIRED}{target.name}-{os.getpid()}")
    os.replace(target, retired)
    os.replace(new, target)  # a kill between the two renames: `sweep` puts `retired` back
    shutil.rmtree(retired)


def _remove_temp_files(folder: Path, older_than: float) -> list[Path]:
    return Store(folder).remove_stale_temp_files(older_than_seconds=older_than)


def sweep(store_dir: Path, docs_dir: Path, cache_dir: Path, site_dir: Path) -> list[Path]:
    """Remove what killed writers left behind (call with the build lock held); put a site back
    that a kill left retired with no replacement. Returns what was removed."""
    removed = _remove_temp_files(store_dir, 600.0)  # an update may be writing right now
    removed += _remove_temp_files(docs_dir, 0.0) + _remove_temp_files(cache_dir, 0.0)
    parent = site_dir.parent
    if parent.is_dir():
        retired = sorted(parent.glob(f"{RETIRED}{site_dir.name}-*"))
        if retired and not site_dir.exists():
            os.replace(retired.pop(), site_dir)
        for folder in [*retired, *parent.glob(f"{RENDERING}{site_dir.name}-*")]:
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(folder)
    return removed
