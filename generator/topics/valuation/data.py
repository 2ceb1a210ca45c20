"""Facts for the Valuation page: only what the data supports — the high-yield credit spread's
level within its history, and the Russell 2000 / S&P 500 price ratio (a relative-price gauge,
not a valuation ratio)."""

from __future__ import annotations

from typing import Any

import pandas as pd

from generator.analytics.history_rank import latest_percentile_rank, percentile_levels
from generator.store import Store, load_values
from generator.topics import aligned, provides
from generator.units import Count, Fraction, Level, Percent, Quantity

BANDS = (0.1, 0.5, 0.9)


def relative_price(store: Store) -> pd.Series:
    """Russell 2000 level / S&P 500 level on shared dates (a unitless price ratio)."""
    prices = aligned(store, "^RUT", "^GSPC")
    return (prices["^RUT"] / prices["^GSPC"]).rename("ratio")


def standing(series: pd.Series) -> dict[str, Any]:
    """A series' last value, its percentile in its own history and its 10/50/90th percentiles."""
    clean = series.dropna()
    levels = percentile_levels(clean, BANDS)
    return {"last": float(clean.iloc[-1]), "date": clean.index[-1].date(),
            "first_date": clean.index[0].date(), "percentile": latest_percentile_rank(clean),
            "p10": levels[0.1], "median": levels[0.5], "p90": levels[0.9],
            "min": float(clean.min()), "min_date": clean.idxmin().date(),
            "max": float(clean.max()), "max_date": clean.idxmax().date(),
            "observations": len(clean)}


def standing_facts(series: pd.Series, unit: type[Quantity], digits: int = 2) -> dict[str, Any]:
    """`standing` with units: the levels in `unit`, the percentile and its complement (the
    share of days with a higher value) as fractions, the count of observations."""
    out = standing(series)
    out.update({k: unit(out[k], digits) for k in ("last", "p10", "median", "p90", "min", "max")},
               percentile=Fraction(out["percentile"]),
               share_higher=Fraction(1 - out["percentile"]),
               observations=Count(out["observations"]))
    return out


@provides
def valuation_facts(store: Store) -> dict[str, Any]:
    """Credit spreads (published in percent) and the relative-price ratio, each placed within
    its own history."""
    ratio = relative_price(store)
    ratio_facts = standing_facts(ratio, Level, 3)
    five_years_ago = ratio.loc[:ratio.index[-1] - pd.DateOffset(years=5)]
    ratio_facts["change_5y"] = Fraction(ratio.iloc[-1] / five_years_ago.iloc[-1] - 1.0)
    ratio_facts["below_peak"] = Fraction(1 - ratio.iloc[-1] / ratio.max())
    return {"valuation": {
        "hy": standing_facts(load_values(store, "BAMLH0A0HYM2"), Percent),
        "ig": standing_facts(load_values(store, "BAMLC0A0CM"), Percent),
        "ratio": ratio_facts,
    }}
