"""Facts for the "What the Russell 2000 is" page."""

from __future__ import annotations

from typing import Any

import pandas as pd

from generator.analytics.cycle import recession_periods
from generator.analytics.returns import cagr
from generator.store import Store, load_values
from generator.topics import provides
from generator.units import Count, Fraction, Level, Multiple, records


def recessions_in_index_history(prices: pd.Series, usrec: pd.Series) -> pd.DataFrame:
    """Prices (index levels) and USREC -> one row per NBER recession that starts inside the
    price history: ``start``/``end`` (first and last recession month), ``change`` (from the
    last close before the recession to the last close of its final month, a fraction) and
    ``worst`` (the lowest close inside the recession against that same starting close)."""
    rows = []
    for period in recession_periods(usrec).itertuples():
        before = prices.loc[:period.start - pd.Timedelta(days=1)]
        if before.empty:
            continue
        base = float(before.iloc[-1])
        during = prices.loc[period.start:period.end]
        if during.empty:
            continue
        rows.append({"start": period.start, "end": period.end.to_period("M").to_timestamp(),
                     "change": float(during.iloc[-1] / base - 1.0),
                     "worst": float(during.min() / base - 1.0)})
    return pd.DataFrame(rows, columns=["start", "end", "change", "worst"])


@provides
def what_it_is_facts(store: Store) -> dict[str, Any]:
    """The index's span in our data, its growth, and how it fared in each recession."""
    rut = load_values(store, "^RUT")
    recessions = recessions_in_index_history(rut, load_values(store, "USREC"))
    worst = recessions.loc[recessions["worst"].idxmin()] if len(recessions) else None
    return {"what": {
        "first_date": rut.index[0].date(), "first_close": Level(rut.iloc[0]),
        "last_date": rut.index[-1].date(), "last_close": Level(rut.iloc[-1]),
        "multiple": Multiple(rut.iloc[-1] / rut.iloc[0]), "cagr": Fraction(cagr(rut)),
        "high": Level(rut.max()), "high_date": rut.idxmax().date(),
        "recessions": recessions, "recession_count": Count(len(recessions)),
        "recession_rows": records(recessions, {"change": Fraction, "worst": Fraction}),
        "recessions_up": Count((recessions["change"] > 0).sum()),
        # The recession the index fell furthest in, and how far below its level before it.
        "worst_recession": None if worst is None else {
            "start": worst["start"].date(), "end": worst["end"].date(),
            "fall": Fraction(-worst["worst"])},
        "sessions": Count(len(rut)),
    }}
