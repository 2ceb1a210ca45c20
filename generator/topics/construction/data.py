"""Facts for the Construction & reconstitution page: is June (reconstitution month) special?"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

import pandas as pd

from generator.analytics.returns import calendar_month_returns
from generator.analytics.seasonality import MonthEffect, calendar_month_profile, month_effect
from generator.store import Store, load_values
from generator.topics import provides
from generator.units import Count, Fraction, Level, Points

RECON_MONTH = 6  # June: reconstitution takes effect after the close on its fourth Friday
ANNUAL_RECON_SINCE = 1989  # the first year of the annual June schedule (FTSE Russell)


def recon_monthly_returns(store: Store) -> pd.DataFrame:
    """Complete calendar-month price returns since January 1989: ``russell_2000`` and
    ``relative`` (Russell 2000 minus S&P 500, in fractions), indexed by monthly Period."""
    rut = calendar_month_returns(load_values(store, "^RUT"))
    spx = calendar_month_returns(load_values(store, "^GSPC"))
    frame = pd.concat({"russell_2000": rut, "sp_500": spx}, axis=1, join="inner").dropna()
    frame = frame[frame.index.year >= ANNUAL_RECON_SINCE]
    frame["relative"] = frame["russell_2000"] - frame["sp_500"]
    return frame[["russell_2000", "relative"]]


def month_profiles(returns: pd.DataFrame) -> pd.DataFrame:
    """Per calendar month: mean, sem, count and share positive of both columns (fractions)."""
    parts = {}
    for column in returns.columns:
        profile = calendar_month_profile(returns[column])
        parts[column] = profile[["mean", "median", "sem", "count", "share_positive"]]
    table = pd.concat(parts, axis=1)
    table.columns = [f"{col}_{stat}" for col, stat in table.columns]
    return table


def effect_dict(effect: MonthEffect, relative: bool = False) -> dict[str, Any]:
    """A month effect with units: counts, the means as fractions (a relative return, itself a
    difference of two returns, in points), the June-minus-rest difference in points."""
    mean = Points.of if relative else Fraction
    return {**asdict(effect), "reliable": effect.reliable,
            "n_in": Count(effect.n_in), "n_out": Count(effect.n_out),
            "mean_in": mean(effect.mean_in), "mean_out": mean(effect.mean_out),
            "difference": Points.of(effect.difference), "t_stat": Level(effect.t_stat),
            "p_value": Level(effect.p_value)}


@provides
def construction_facts(store: Store) -> dict[str, Any]:
    """June vs the other months, absolute and relative to the S&P 500."""
    returns = recon_monthly_returns(store)
    absolute = month_effect(returns["russell_2000"], RECON_MONTH)
    relative = month_effect(returns["relative"], RECON_MONTH)
    months = returns.index
    return {"recon": {
        "first_month": months[0].to_timestamp().date(),
        "last_month": months[-1].to_timestamp().date(),
        "months": Count(len(returns)),
        "absolute": effect_dict(absolute),
        "relative": effect_dict(relative, relative=True),
        "june_beats_spx_share": Fraction((returns.loc[months.month == RECON_MONTH, "relative"]
                                       > 0).mean()),
        "other_beats_spx_share": Fraction((returns.loc[months.month != RECON_MONTH, "relative"]
                                        > 0).mean()),
    }}
