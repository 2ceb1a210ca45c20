"""Figures' reader-facing words (title, method, source note) live in each topic's figures.yml;
the code declares what a figure reads. These tests need no store and no site."""

from __future__ import annotations

import sys
import types
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from generator.figures import spec
from generator.figures.spec import REGISTRY, Builder, Drawn, figure
from generator.store import Store
from generator.topics import TOPICS_DIR, discover


@pytest.fixture()
def trial_module(tmp_path: Path) -> Iterator[types.ModuleType]:
    """A stand-in `generator.topics.trial_words.figures` module beside a figures.yml."""
    name = "generator.topics.trial_words.figures"
    module = types.ModuleType(name)
    module.__file__ = str(tmp_path / "figures.py")
    module.WINDOW = 126
    sys.modules[name] = module
    yield module
    del sys.modules[name]
    for figure_id in [k for k, s in REGISTRY.items() if s.build.__module__ == name]:
        del REGISTRY[figure_id]
    spec._words.cache_clear()


def _builder(module: types.ModuleType) -> Builder:
    def build(store: Store) -> Drawn:
        raise AssertionError("not built here")

    build.__module__ = module.__name__
    return build


def test_words_come_from_the_topic_file_with_constants_filled(
        trial_module: types.ModuleType, tmp_path: Path) -> None:
    (tmp_path / "figures.yml").write_text(
        "trial-words:\n  title: \"Half a year, {{literally}}\"\n  method: >-\n"
        "    Daily closes over the past\n    {WINDOW} sessions.\n  source_note: A note\n")
    figure("trial-words", sources=("^RUT",))(_builder(trial_module))
    declared = REGISTRY["trial-words"]
    assert declared.title == "Half a year, {literally}"
    assert declared.method == "Daily closes over the past 126 sessions."
    assert declared.source_note == "A note"
    assert declared.page == "trial-words.md"
    assert declared.sources == ("^RUT",)


def test_words_given_in_code_win_and_a_missing_method_is_named(
        trial_module: types.ModuleType, tmp_path: Path) -> None:
    (tmp_path / "figures.yml").write_text("trial-words-2:\n  title: From the file\n"
                                         "trial-words-3:\n  title: Only a title\n")
    figure("trial-words-2", sources=("^RUT",), title="From the code", page="other.md",
           method="Given.")(_builder(trial_module))
    assert (REGISTRY["trial-words-2"].title, REGISTRY["trial-words-2"].page) == \
        ("From the code", "other.md")
    with pytest.raises(ValueError, match=r"'trial-words-3' has no method in figures\.yml"):
        figure("trial-words-3", sources=("^RUT",))(_builder(trial_module))


def test_every_entry_of_every_figures_yml_is_a_figure_of_its_topic() -> None:
    discover()
    files = sorted(TOPICS_DIR.glob("*/figures.yml"))
    assert len(files) >= 17
    for path in files:
        entries = yaml.safe_load(path.read_text(encoding="utf-8"))
        for figure_id, words in entries.items():
            assert figure_id in REGISTRY, f"{path}: {figure_id} is not a figure"
            assert REGISTRY[figure_id].build.__module__.split(".")[2] == path.parent.name
            assert set(words) <= {"title", "method", "source_note"}, figure_id
    for declared in REGISTRY.values():
        assert declared.title and declared.method
        assert "{" not in declared.method + declared.title, declared.id
