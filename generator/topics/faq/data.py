"""Facts for the FAQ: the few numbers no other page computes (the lag since 2021, the 2021
high, rates then and now, IWM vs SPY with dividends). Fund costs, the rolling 10-year
scorecard and leveraged-fund results come from the ETFs and History facts."""

from __future__ import annotations

from typing import Any

import pandas as pd

from generator.analytics.returns import cagr, price_on_or_before, return_since
from generator.store import Store, load_values
from generator.topics import aligned, provides
from generator.units import Fraction, Level, Percent

LAG_SINCE = pd.Timestamp("2020-12-31")  # "since 2021": from the last close of 2020


def high_of_year(prices: pd.Series, year: int) -> dict[str, Any]:
    """Prices -> the highest close of `year`, its date, and the first later close above it
    (``regained``, None if never) — a new high needs a close *above* the old one."""
    in_year = prices[prices.index.year == year]
    level, day = float(in_year.max()), in_year.idxmax()
    later = prices.loc[day:]
    above = later[later > level]
    return {"level": level, "date": day.date(),
            "regained": above.index[0].date() if len(above) else None,
            "from_high": float(prices.iloc[-1] / level - 1.0)}


def level_then_and_now(values: pd.Series, when: pd.Timestamp) -> dict[str, Any]:
    """A rate's value on or before `when` and its latest value, with their dates (percent)."""
    clean = values.dropna()
    then_date, then = price_on_or_before(clean, when)
    return {"then": then, "then_date": then_date.date(), "now": float(clean.iloc[-1]),
            "now_date": clean.index[-1].date()}


@provides
def faq_facts(store: Store) -> dict[str, Any]:
    """The lag since 2021, the 2021 high, rates then and now, and IWM vs SPY CAGRs."""
    rut, spx = load_values(store, "^RUT"), load_values(store, "^GSPC")
    funds = aligned(store, "IWM", "SPY")
    return {"faq": {
        "lag_start": LAG_SINCE.date(),
        "lag_r2k": Fraction(return_since(rut, LAG_SINCE)),
        "lag_spx": Fraction(return_since(spx, LAG_SINCE)),
        "high_2021": _units(high_of_year(rut, 2021), level=Level, from_high=Fraction),
        "funds_start": funds.index[0].date(), "funds_end": funds.index[-1].date(),
        "cagr_iwm": Fraction(cagr(funds["IWM"])), "cagr_spy": Fraction(cagr(funds["SPY"])),
        # rates are published in percent
        "dgs10": _units(level_then_and_now(load_values(store, "DGS10"), LAG_SINCE),
                        then=Percent, now=Percent),
        "dff": _units(level_then_and_now(load_values(store, "DFF"), LAG_SINCE),
                      then=Percent, now=Percent),
    }}


def _units(facts: dict[str, Any], **units: Any) -> dict[str, Any]:
    """`facts` with the named numbers given their unit."""
    return facts | {k: unit(facts[k]) for k, unit in units.items()}
