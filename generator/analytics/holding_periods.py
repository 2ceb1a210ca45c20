"""What holding an index for a while looked like: rolling multi-year returns, the cost of
missing the best days, and how often days and years were down. All from prices (price return)."""

from __future__ import annotations

import pandas as pd

from generator.analytics.returns import (
    calendar_year_returns,
    simple_returns,
    years_between,
)


def annualised_without_best_days(prices: pd.Series, days: int) -> tuple[float, float]:
    """Prices -> (annualised return of every day, annualised return with the `days` best daily
    returns replaced by zero, i.e. out of the market on those days). Fractions per year."""
    returns = simple_returns(prices)
    span = years_between(prices.index[0], prices.index[-1])
    every = float((1.0 + returns).prod()) ** (1.0 / span) - 1.0
    best = returns.nlargest(days).index
    without = float((1.0 + returns.drop(best)).prod()) ** (1.0 / span) - 1.0
    return every, without


def down_shares(prices: pd.Series) -> dict[str, float | int]:
    """Prices -> share of trading days and of complete calendar years with a price fall."""
    daily = simple_returns(prices)
    yearly = calendar_year_returns(prices)
    return {"days": float((daily < 0).mean()), "years": float((yearly < 0).mean()),
            "day_count": len(daily), "year_count": len(yearly)}
