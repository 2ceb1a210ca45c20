"""Facts for the pages: analytics applied to stored series, as plain values and tables.

This is where stored data meets the pure functions. Each page topic has a module here with
functions decorated `@provides`; `build_facts` merges what they return. Figures read the same
functions, so a number on a page and the chart beside it can never disagree.
"""

from __future__ import annotations

from collections.abc import Callable
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
    _register_all()
    facts: dict[str, Any] = {}
    for provider in PROVIDERS:
        provided = provider(store)
        clash = set(provided) & set(facts)
        if clash:
            raise ValueError(f"facts provided twice: {sorted(clash)} (by {provider.__name__})")
        facts.update(provided)
    return facts


def _register_all() -> None:
    """Import every topic module so its providers register (one line per topic)."""
    from generator.analytics.facts import (
        checklist,  # noqa: F401
        comparison,  # noqa: F401
        construction,  # noqa: F401
        drivers,  # noqa: F401
        etfs,  # noqa: F401
        faq,  # noqa: F401
        history,  # noqa: F401
        history_periods,  # noqa: F401
        inside,  # noqa: F401
        market_update,  # noqa: F401
        risks,  # noqa: F401
        scenarios,  # noqa: F401
        strategies,  # noqa: F401
        valuation,  # noqa: F401
        volatility,  # noqa: F401
        what_it_is,  # noqa: F401
        year_review,  # noqa: F401
    )
