"""Topics: one folder per page, beside its source in `content/`.

``generator/topics/<topic>/`` holds a page's data and its figures:

- ``data.py``: functions that read the store and hand the page finished facts, registered with
  `@provides` (their keys become the page's Jinja variables), plus the table-building helpers
  its figures share, so a number on a page and the chart beside it can never disagree;
- ``figures.py``: the page's `@figure` definitions (chart, CSV and manifest entry).

The folder's name is the page's (``what_it_is`` is ``content/what-it-is.md``). Topics are
discovered, never listed: `discover` imports every module of every topic folder, which
registers its providers and figures. Pure computations stay in `generator.analytics`.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd

from generator.store import Store, load_values

Provider = Callable[[Store], dict[str, Any]]
PROVIDERS: list[Provider] = []


def provides(function: Provider) -> Provider:
    """Register a function whose returned keys become page facts."""
    PROVIDERS.append(function)
    return function


def aligned(store: Store, *ids: str) -> pd.DataFrame:
    """Stored value series `ids`, on the dates they all share (an inner join)."""
    return pd.concat([load_values(store, i) for i in ids], axis=1, join="inner").dropna()


def build_facts(store: Store) -> dict[str, Any]:
    """Every number the page sources use; a key provided twice is a bug and fails the build."""
    discover()
    facts: dict[str, Any] = {}
    for provider in PROVIDERS:
        provided = provider(store)
        clash = set(provided) & set(facts)
        if clash:
            raise ValueError(f"facts provided twice: {sorted(clash)} (by {provider.__name__})")
        facts.update(provided)
    facts["data_dates"] = data_dates(store)
    return facts


def data_dates(store: Store) -> dict[str, Any]:
    """The date each stored series and table describes: a series' last observation, a table's
    as-of (the holdings date; the members' last close). Pages state them as each page's as-of."""
    from generator.catalog import SERIES, TABLES
    from generator.errors import DataError

    dates: dict[str, Any] = {}
    for series in SERIES:
        try:
            dates[series.id] = store.read_meta(series).last_date
        except DataError:
            continue
    for table in TABLES:
        if store.has_table(table.id):
            dates[table.id] = store.read_table_meta(table.id).as_of_date
    return dates


TOPICS_DIR = Path(__file__).resolve().parent


def topic_names() -> list[str]:
    """Every topic folder (a package under ``generator/topics/``), sorted."""
    return sorted(p.parent.name for p in TOPICS_DIR.glob("*/__init__.py"))


def page_of(topic: str) -> str:
    """The page source a topic serves: ``what_it_is`` -> ``what-it-is.md``."""
    return topic.replace("_", "-") + ".md"


def discover() -> list[str]:
    """Import every module of every topic (registering its providers and figures); return
    the module names imported. Importing twice is harmless: Python imports a module once."""
    imported = []
    for topic in topic_names():
        package = f"{__name__}.{topic}"
        importlib.import_module(package)
        for module in sorted(pkgutil.iter_modules([str(TOPICS_DIR / topic)]),
                             key=lambda m: m.name):
            imported.append(importlib.import_module(f"{package}.{module.name}").__name__)
    return imported


def topic_facts(store: Store, topic: str) -> dict[str, Any]:
    """The facts provided by one topic's modules (a page source name works too)."""
    discover()
    name = topic.removesuffix(".md").replace("-", "_")
    if name not in topic_names():
        raise KeyError(f"no topic {topic!r}; topics: {', '.join(topic_names())}")
    facts: dict[str, Any] = {}
    for provider in PROVIDERS:
        if provider.__module__.split(".")[2:3] == [name]:
            facts.update(provider(store))
    return facts


def fact_lines(facts: dict[str, Any], prefix: str = "") -> list[tuple[str, str, str]]:
    """Every fact as (dotted key, formatted value, unit), tables summarised by their shape:
    what a writer can place on a page (``{{ key }}`` prints the formatted value)."""
    from generator.units import Quantity, text

    rows: list[tuple[str, str, str]] = []
    for key, value in facts.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            rows += fact_lines(value, name + ".")
        elif isinstance(value, list | tuple) and value and isinstance(value[0], dict):
            for i, item in enumerate(value):
                rows += fact_lines(item, f"{name}[{i}].")
        elif isinstance(value, pd.DataFrame):
            rows.append((name, f"{len(value)} rows: {', '.join(map(str, value.columns))}",
                         "table"))
        elif isinstance(value, pd.Series):
            rows.append((name, f"{len(value)} values", "series"))
        elif isinstance(value, Quantity):
            rows.append((name, text(value), value.unit))
        elif isinstance(value, float):
            rows.append((name, repr(value), "bare number: give it a unit (generator/units.py)"))
        elif isinstance(value, int) and not isinstance(value, bool):
            rows.append((name, str(value), "int (a year or a count: give a count its unit)"))
        else:
            rows.append((name, text(value), type(value).__name__))
    return rows
