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
from generator.units import Count, Fraction, Points

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
    best_median, all_median = best["next_year"].median(), table["next_year"].median()
    return {"mistakes": {
        "best_share": Fraction(BEST_SHARE), "threshold": Fraction(table.attrs["threshold"]),
        "years": Count(len(table)), "first_year": int(table.index[0]),
        "last_year": int(table.index[-1]) + 1,
        "best_count": Count(len(best)), "best_years": [int(y) for y in best.index],
        "next_after_best_median": Fraction(best_median),
        "next_after_all_median": Fraction(all_median),
        # after the best years minus after all years: a difference of two returns
        "median_gap": Points.between(best_median, all_median),
        "next_after_best_mean": Fraction(best["next_year"].mean()),
        "next_after_all_mean": Fraction(table["next_year"].mean()),
        "losses_after_best": Count((best["next_year"] < 0).sum()),
        "losses_after_all": Count((table["next_year"] < 0).sum()),
        "repeat_best": Count((best["next_year"] >= table.attrs["threshold"]).sum()),
    }}
