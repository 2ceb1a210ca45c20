"""`make serve`: which changes trigger which rebuild (no server started here)."""

from __future__ import annotations

import dataclasses
import threading
from pathlib import Path

import pytest
from watchdog.events import DirModifiedEvent, FileModifiedEvent

from generator import serve
from generator.settings import Settings


@pytest.mark.parametrize(("path", "expected"), [
    ("content/history.md", True),
    ("generator/topics/etfs/figures.py", True),
    ("mkdocs.yml", True),
    ("generator/topics/etfs/__pycache__/figures.cpython-311.pyc", False),
    ("content/.history.md.swp", False),
    ("content/history.md~", False),
    ("content/.#history.md", False),
])
def test_relevant_changes(path: str, expected: bool) -> None:
    assert serve.relevant(path) is expected


def test_a_burst_of_events_rebuilds_once_with_every_path() -> None:
    calls: list[list[str]] = []
    done = threading.Event()

    def rebuild(changed: list[str]) -> None:
        calls.append(changed)
        done.set()

    handler = serve.Rebuilder(rebuild)
    for name in ("content/a.md", "content/b.md", "content/a.md"):
        handler.on_any_event(FileModifiedEvent(name))
    handler.on_any_event(DirModifiedEvent("content"))  # folders are not changes
    handler.on_any_event(FileModifiedEvent("generator/__pycache__/x.pyc"))
    assert done.wait(5)
    assert calls == [["content/a.md", "content/b.md"]]


def test_watched_paths_cover_code_content_reference_and_config() -> None:
    settings = Settings.from_env()
    watched = serve.watched_paths(settings)
    assert Path(serve.__file__).resolve().parent in watched  # the whole generator package
    assert settings.content_dir in watched and settings.reference_dir in watched
    assert settings.root / "mkdocs.yml" in watched


def test_prose_edits_rerender_in_process_code_edits_rerun_the_generator(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    settings = dataclasses.replace(Settings.from_env(), content_dir=tmp_path / "content")
    settings.content_dir.mkdir()
    preview = serve.Preview(settings)
    preview.inputs = ({}, {})
    rendered: list[str] = []
    monkeypatch.setattr(preview, "_rerender", lambda: rendered.append("pages"))
    monkeypatch.setattr(serve, "generate", lambda s: rendered.append("generator") or True)

    preview.update([str(settings.content_dir / "history.md")])
    assert rendered == ["pages"]
    preview.update([str(settings.root / "generator" / "topics" / "etfs" / "figures.py")])
    assert rendered == ["pages", "generator"]
    # The facts held in-process may now be stale: prose edits rerun the generator too.
    preview.update([str(settings.content_dir / "history.md")])
    assert rendered == ["pages", "generator", "generator"]
