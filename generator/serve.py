"""`make serve`: a live preview that rebuilds on change and reloads the browser.

Two processes cooperate, each doing one job:

- the generator's watcher (here) regenerates the docs folder on every change. An edit under
  `content/` (prose, templates, the glossary) re-renders the pages in this process from the
  facts and figures it already holds (about a second); a change to generator code, a reference
  file or mkdocs.yml reruns the stages in a fresh Python process, so the edited code is what
  runs, with the facts and figure caches sparing whatever it did not touch;
- `mkdocs serve --dirty` watches the docs folder the generator writes (and mkdocs.yml and the
  theme overrides), re-renders the pages that changed and reloads the browser.
"""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer

from generator.settings import Settings

DEBOUNCE_SECONDS = 0.3  # editors write a file in several events; rebuild once per burst
IGNORED_PARTS = ("__pycache__", ".git", ".pytest_cache", ".ruff_cache")


def watched_paths(settings: Settings) -> list[Path]:
    """What the generator reads besides the store: its code, the page sources, the reference
    files and the engine's config (a nav change needs the pages stage's checks too)."""
    package = Path(__file__).resolve().parent
    paths = [package, settings.content_dir, settings.reference_dir, settings.root / "mkdocs.yml"]
    return [p for p in paths if p.exists()]


def relevant(path: str) -> bool:
    """A change worth a rebuild: not a bytecode file, a cache or an editor's swap file."""
    parts = Path(path).parts
    name = parts[-1] if parts else ""
    return not (any(p in IGNORED_PARTS for p in parts) or name.endswith((".pyc", ".swp", "~"))
                or name.startswith(".#"))


class Rebuilder(FileSystemEventHandler):
    """Collects change events and runs `rebuild` once per burst of changes, never two at once."""

    def __init__(self, rebuild: Callable[[list[str]], None]) -> None:
        self._rebuild = rebuild
        self._pending: set[str] = set()
        self._lock = threading.Lock()
        self._timer: threading.Timer | None = None

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type in ("opened", "closed_no_write") or event.is_directory:
            return
        path = str(event.src_path)
        if not relevant(path):
            return
        with self._lock:
            self._pending.add(path)
            if self._timer is not None:
                self._timer.cancel()
            self._timer = threading.Timer(DEBOUNCE_SECONDS, self._flush)
            self._timer.daemon = True
            self._timer.start()

    def _flush(self) -> None:
        with self._lock:
            changed, self._pending = sorted(self._pending), set()
        if changed:
            self._rebuild(changed)


def generate(settings: Settings, log: Callable[[str], None] = print) -> bool:
    """Run the generator's stages up to the docs folder in a fresh process; True if it built.
    A failure (a template error, a bad fact) is printed and the last good docs stay served."""
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "generator", "site", "--no-mkdocs"],
                          cwd=settings.root, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        log((done.stderr or done.stdout).strip() or f"generator exited {done.returncode}")
        log(f"build failed after {seconds:.1f} s; the preview keeps the last good pages")
        return False
    log(f"docs regenerated in {seconds:.1f} s; mkdocs reloads the browser")
    return True


def mkdocs_serve_command(settings: Settings, port: int) -> list[str]:
    return [sys.executable, "-m", "mkdocs", "serve", "--dirty", "--config-file",
            str(settings.root / "mkdocs.yml"), "--dev-addr", f"127.0.0.1:{port}"]


def observe(paths: Iterable[Path], handler: FileSystemEventHandler) -> Observer:
    observer = Observer()
    for path in paths:
        observer.schedule(handler, str(path if path.is_dir() else path.parent),
                          recursive=path.is_dir())
    observer.start()
    return observer


class Preview:
    """The docs folder kept current: pages re-rendered in-process for content edits, the whole
    generator rerun in a fresh process for anything else."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.inputs: tuple[dict, dict] | None = None  # facts and figures of the running code

    def first_build(self) -> bool:
        from generator.build import generate_docs
        from generator.errors import PrimerError

        try:
            self.inputs = generate_docs(self.settings, log=lambda _: None)
        except PrimerError as exc:
            print(f"error: {exc}")
            return False
        return True

    def update(self, changed: list[str]) -> None:
        content = self.settings.content_dir.resolve()
        prose_only = all(Path(c).resolve().is_relative_to(content) for c in changed)
        if prose_only and self.inputs is not None:
            self._rerender()
        else:
            # New code or inputs: the facts held here may be stale from now on.
            self.inputs = None
            generate(self.settings)

    def _rerender(self) -> None:
        from generator.build import write_pages
        from generator.errors import PrimerError

        assert self.inputs is not None
        start = time.perf_counter()
        try:
            write_pages(self.settings, *self.inputs)
        except PrimerError as exc:
            print(f"error: {exc}\nthe preview keeps the last good pages")
            return
        print(f"pages re-rendered in {time.perf_counter() - start:.1f} s; "
              "mkdocs reloads the browser")


def serve(settings: Settings, port: int) -> int:
    """Build, then serve on 127.0.0.1:`port`, rebuilding on every change until Ctrl+C."""
    preview = Preview(settings)
    if not preview.first_build():
        return 2
    watched = {p.resolve() for p in watched_paths(settings)}

    def rebuild(changed: list[str]) -> None:
        # mkdocs.yml sits in the root folder: only its own changes count from there.
        wanted = [c for c in changed
                  if any(Path(c).resolve().is_relative_to(w) for w in watched)]
        if wanted:
            shown = ", ".join(Path(c).name for c in wanted[:3])
            print(f"changed: {shown}{' …' if len(wanted) > 3 else ''}")
            preview.update(wanted)

    observer = observe(watched, Rebuilder(rebuild))
    print(f"Serving on http://127.0.0.1:{port}/ — rebuilds on every change (Ctrl+C to stop)")
    engine = subprocess.Popen(mkdocs_serve_command(settings, port), cwd=settings.root)
    try:
        return engine.wait()
    except KeyboardInterrupt:
        engine.terminate()
        engine.wait()
        return 0
    finally:
        observer.stop()
        observer.join()
