"""Facts for the home and History & performance pages."""

from __future__ import annotations

from typing import Any

import pandas as pd

from generator.analytics.facts import provides
from generator.analytics.returns import (
    calendar_year_returns,
    return_since,
    trailing_return,
    year_to_date,
)
from generator.analytics.risk import drawdown, drawdown_episodes, risk_table
from generator.catalog import get
from generator.store import Store, load_values

TRAILING_YEARS = (1, 3, 5, 10)


def calendar_returns_table(store: Store) -> pd.DataFrame:
    """Calendar-year price returns in percent (`russell_2000_pct`, `sp_500_pct`) by `year`,
    for the complete years both indexes have."""
    rut = calendar_year_returns(load_values(store, "^RUT"))
    spx = calendar_year_returns(load_values(store, "^GSPC"))
    table = pd.concat({"russell_2000_pct": rut * 100, "sp_500_pct": spx * 100}, axis=1,
                      join="inner")
    table.index.name = "year"
    return table


def trailing_table(store: Store) -> pd.DataFrame:
    """Trailing annualised return, volatility and max drawdown (fractions) for 1/3/5/10 years."""
    rows = []
    for sid in ("^RUT", "^GSPC"):
        prices = load_values(store, sid)
        for years in TRAILING_YEARS:
            risk = risk_table(prices, years)
            rows.append({"series": get(sid).title, "years": years,
                         "annualised_return": trailing_return(prices, years),
                         "annualised_volatility": risk["volatility"],
                         "max_drawdown": risk["max_drawdown"]})
    return pd.DataFrame(rows)


def worst_drawdowns(store: Store, series_id: str = "^RUT", count: int = 10) -> pd.DataFrame:
    """The `count` deepest drawdown episodes of a stored price series."""
    return drawdown_episodes(load_values(store, series_id)).head(count)


def index_headline(prices: pd.Series) -> dict[str, Any]:
    """Prices -> latest close and date, YTD and 1-year change, all-time high and distance to it."""
    last_date = prices.index[-1]
    high_date = prices.idxmax()
    return {
        "close": float(prices.iloc[-1]),
        "date": last_date.date(),
        "ytd": year_to_date(prices),
        "one_year": return_since(prices, last_date - pd.DateOffset(years=1)),
        "ath": float(prices.max()),
        "ath_date": high_date.date(),
        "from_ath": float(drawdown(prices).iloc[-1]),
    }


@provides
def history_facts(store: Store) -> dict[str, Any]:
    """Headline numbers (home) and the History & performance tables."""
    rut = load_values(store, "^RUT")
    spx = load_values(store, "^GSPC")
    calendar = calendar_returns_table(store)
    diff = calendar["russell_2000_pct"] - calendar["sp_500_pct"]
    episodes = worst_drawdowns(store)
    return {
        "r2k": index_headline(rut),
        "spx": index_headline(spx),
        "r2k_first_date": rut.index[0].date(),
        "calendar": calendar,
        "calendar_best": {"year": int(calendar["russell_2000_pct"].idxmax()),
                          "pct": float(calendar["russell_2000_pct"].max())},
        "calendar_worst": {"year": int(calendar["russell_2000_pct"].idxmin()),
                           "pct": float(calendar["russell_2000_pct"].min())},
        "calendar_wins": int((diff > 0).sum()),
        "calendar_years": len(calendar),
        "trailing": trailing_table(store),
        "worst_drawdowns": episodes,
    }
