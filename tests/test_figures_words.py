"""Figures' reader-facing words (title, method, source note, the takeaway's template) live in
each topic's figures.yml; the code declares what a figure reads. These tests need no store and
no site."""

from __future__ import annotations

import sys
import types
from collections.abc import Iterator
from pathlib import Path

import jinja2
import pytest
import yaml

from generator.figures import spec
from generator.figures.spec import REGISTRY, Builder, Drawn, figure
from generator.store import Store
from generator.topics import TOPICS_DIR, discover
from generator.units import Count, Day, Fraction, Points, UnitError


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
        "    Daily closes over the past\n    {WINDOW} sessions.\n  source_note: A note\n"
        "  takeaway: Up {{ change }} in {WINDOW}.\n")
    figure("trial-words", sources=("^RUT",))(_builder(trial_module))
    declared = REGISTRY["trial-words"]
    assert declared.title == "Half a year, {literally}"
    assert declared.method == "Daily closes over the past 126 sessions."
    assert declared.source_note == "A note"
    assert declared.takeaway == "Up {{ change }} in {WINDOW}."  # a template, kept as written
    assert declared.page == "trial-words.md"
    assert declared.sources == ("^RUT",)


def test_words_given_in_code_win_and_a_missing_method_is_named(
        trial_module: types.ModuleType, tmp_path: Path) -> None:
    (tmp_path / "figures.yml").write_text("trial-words-2:\n  title: From the file\n"
                                         "  takeaway: Said.\n"
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
            assert set(words) <= {"title", "method", "source_note", "takeaway"}, figure_id
    for declared in REGISTRY.values():
        assert declared.title and declared.method
        assert "{" not in declared.method + declared.title, declared.id


def test_a_takeaway_is_a_template_filled_with_the_figures_values(
        trial_module: types.ModuleType, tmp_path: Path) -> None:
    (tmp_path / "figures.yml").write_text(
        "trial-says:\n  title: T\n  method: M over {WINDOW} sessions.\n  takeaway: >-\n"
        "    Since {{ start | month }} small caps\n"
        "    {% if gap > 0 %}beat{% else %}trailed{% endif %} large caps by {{ gap | abs }}\n"
        "    a year in {{ wins }} of {{ years }} years\n"
        "    ({{ share }}, {WINDOW} kept as written).\n")
    figure("trial-says", sources=("^RUT",))(_builder(trial_module))
    declared = REGISTRY["trial-says"]
    says = {"start": Day(1987, 9, 10), "gap": Points.between(0.061, 0.075), "wins": Count(1234),
            "years": Count(2000), "share": Fraction(0.617)}
    assert declared.say(says) == ("Since September 1987 small caps trailed large caps by "
                                  "1.4 percentage points a year in 1,234 of 2,000 years (61.7%, "
                                  "{WINDOW} kept as written).")
    assert declared.say({**says, "gap": Points(1.23)}).startswith(
        "Since September 1987 small caps beat large caps by 1.2 percentage points a year")
    with pytest.raises(jinja2.UndefinedError, match="'wins' is undefined"):
        declared.say({k: v for k, v in says.items() if k != "wins"})
    with pytest.raises(UnitError, match="bare number"):  # a float has no unit to print with
        declared.say({**says, "share": 0.617})
    with pytest.raises(UnitError, match="arithmetic"):  # and a template does not compute
        figure("trial-sums", sources=("^RUT",), title="T", method="M",
               takeaway="{{ wins + 1 }}")(_builder(trial_module))
        REGISTRY["trial-sums"].say(says)
