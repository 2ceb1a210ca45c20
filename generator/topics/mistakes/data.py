"""Facts for Mistakes to avoid, under ``mistakes``: what followed the Russell 2000's best
calendar years. The page's other evidence comes from the pages that measure it (Strategies,
Inside, ETFs, Volatility), linked rather than recomputed."""

from __future__ import annotations

from typing import Any

import pandas as pd

from generator.analytics.followups import next_year_table
from generator.analytics.returns import calendar_year_returns
from generator.store import Store, load_values
from generator.topics import provides

BEST_SHARE = 0.25  # "a big year": among the best quarter of calendar years


def after_best_years(store: Store) -> pd.DataFrame:
    """The Russell 2000's complete calendar years (price return) with the next year's return
    and whether the year was among its best quarter (see `next_year_table`)."""
    return next_year_table(calendar_year_returns(load_values(store, "^RUT")), BEST_SHARE)


@provides
def mistakes_facts(store: Store) -> dict[str, Any]:
    """After the best years against after all years: median next-year return, losses."""
    table = after_best_years(store)
    best = table[table["best"]]
    return {"mistakes": {
        "best_share": BEST_SHARE, "threshold": table.attrs["threshold"],
        "years": len(table), "first_year": int(table.index[0]),
        "last_year": int(table.index[-1]) + 1,
        "best_count": len(best), "best_years": [int(y) for y in best.index],
        "next_after_best_median": float(best["next_year"].median()),
        "next_after_all_median": float(table["next_year"].median()),
        "next_after_best_mean": float(best["next_year"].mean()),
        "next_after_all_mean": float(table["next_year"].mean()),
        "losses_after_best": int((best["next_year"] < 0).sum()),
        "losses_after_all": int((table["next_year"] < 0).sum()),
        "repeat_best": int((best["next_year"] >= table.attrs["threshold"]).sum()),
    }}
