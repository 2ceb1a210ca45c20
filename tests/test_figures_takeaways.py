"""Every chart's takeaway is a template in its topic's figures.yml, filled from the values the
figure returns (each carrying its unit) by the pages' own Jinja environment. Built here from the
real store (no site, no mkdocs)."""

from __future__ import annotations

import re

import jinja2
import jinja2.meta
import pytest

from generator.figures.spec import REGISTRY
from generator.store import Store
from generator.topics import discover
from generator.units import environment


def test_every_figure_has_a_takeaway_template_that_renders_for_the_real_store(
        store: Store) -> None:
    discover()
    assert len(REGISTRY) >= 60
    parse = environment().parse
    for figure_id, spec in REGISTRY.items():
        assert spec.takeaway, f"{figure_id}: no takeaway in figures.yml"
        names = jinja2.meta.find_undeclared_variables(parse(spec.takeaway))
        drawn = spec.build(store)
        assert isinstance(drawn.values, dict), figure_id
        # Every value the figure hands over is read by the template (none computed for nothing).
        assert set(drawn.values) <= names, (figure_id, set(drawn.values) - names)
        text = spec.say(drawn.values)  # StrictUndefined: a name it lacks fails here
        assert text.endswith(".") and "{" not in text and "  " not in text, (figure_id, text)
        assert not re.search(r"(?<!\w)-\d", text), (figure_id, text)  # a minus is "−"


def test_a_takeaway_names_only_what_its_figure_gives(store: Store) -> None:
    """A template's unknown name is an error naming it, not a blank in the sentence."""
    discover()
    spec = REGISTRY["r2k-drawdown"]
    values = dict(spec.build(store).values)
    del values["below_high"]
    with pytest.raises(jinja2.UndefinedError, match="'below_high' is undefined"):
        spec.say(values)
