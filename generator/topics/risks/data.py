"""Facts for the Risks & misperceptions page: volatility, drawdowns, the range of 12-month
outcomes and how closely small caps follow large caps. (Fund liquidity and leveraged funds are
measured on the ETFs page; this page quotes those facts.)"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from generator.analytics.horizon_returns import month_end_prices, rolling_horizon_returns
from generator.analytics.returns import cagr, simple_returns
from generator.analytics.risk import annualised_volatility, max_drawdown
from generator.store import Store
from generator.topics import aligned, provides
from generator.units import Count, Fraction, Level, Multiple, Points

BIG_LOSS = -0.20  # a "bear-market" size loss over twelve months


def twelve_month_returns(store: Store) -> pd.DataFrame:
    """Rolling 12-month price returns at each complete month end (overlapping windows) of both
    indexes, on the months both have (``russell_2000``, ``sp_500``, fractions)."""
    prices = aligned(store, "^RUT", "^GSPC")
    # The month of the last observation is unfinished (as in calendar_month_returns).
    ends = prices.apply(month_end_prices).iloc[:-1]
    table = ends.apply(rolling_horizon_returns, months=12).dropna()
    return table.rename(columns={"^RUT": "russell_2000", "^GSPC": "sp_500"})


def monthly_comovement(prices: pd.DataFrame, asset: str, market: str) -> dict[str, float]:
    """Monthly price returns of `asset` against `market`: ``beta`` (covariance / market
    variance), ``correlation``, ``r_squared`` (share of the asset's variance shared with the
    market) and ``vol_ratio`` (asset / market standard deviation)."""
    monthly = prices.apply(month_end_prices).iloc[:-1].pct_change().dropna()
    cov = np.cov(monthly[asset], monthly[market], ddof=1)
    correlation = float(cov[0, 1] / np.sqrt(cov[0, 0] * cov[1, 1]))
    return {"beta": float(cov[0, 1] / cov[1, 1]), "correlation": correlation,
            "r_squared": correlation ** 2, "vol_ratio": float(np.sqrt(cov[0, 0] / cov[1, 1]))}


@provides
def risks_facts(store: Store) -> dict[str, Any]:
    """Volatility, drawdown, 12-month outcome and co-movement facts."""
    prices = aligned(store, "^RUT", "^GSPC")
    daily = prices.apply(simple_returns)
    vol = {sid: annualised_volatility(daily[sid]) for sid in prices.columns}
    windows = twelve_month_returns(store)
    outcomes = {col: {"share_loss": Fraction((windows[col] < 0).mean()),
                      "share_big_loss": Fraction((windows[col] < BIG_LOSS).mean()),
                      "worst": Fraction(windows[col].min()),
                      "worst_end": windows[col].idxmin().to_timestamp(how="end").date(),
                      "best": Fraction(windows[col].max()),
                      "best_end": windows[col].idxmax().to_timestamp(how="end").date(),
                      # how far apart the best and worst windows lie: two returns' difference
                      "spread": abs(Points.between(windows[col].max(), windows[col].min(), 0))}
                for col in windows.columns}
    monthly = monthly_comovement(prices, "^RUT", "^GSPC")
    return {"risks": {
        "start": prices.index[0].date(), "end": prices.index[-1].date(),
        "vol_r2k": Fraction(vol["^RUT"]), "vol_spx": Fraction(vol["^GSPC"]),
        "vol_ratio": Multiple(vol["^RUT"] / vol["^GSPC"]),
        "monthly": {"beta": Level(monthly["beta"]), "correlation": Level(monthly["correlation"]),
                    "r_squared": Fraction(monthly["r_squared"]),
                    # the share of small caps' monthly variance large caps do not explain
                    "own_share": Fraction(1 - monthly["r_squared"]),
                    "vol_ratio": Multiple(monthly["vol_ratio"])},
        "cagr_r2k": Fraction(cagr(prices["^RUT"])), "cagr_spx": Fraction(cagr(prices["^GSPC"])),
        "mdd_r2k": Fraction(max_drawdown(prices["^RUT"])),
        "mdd_spx": Fraction(max_drawdown(prices["^GSPC"])),
        "windows": Count(len(windows)), "windows_first_end": windows.index[0].to_timestamp(
            how="end").date(), "outcomes_r2k": outcomes["russell_2000"],
        "outcomes_spx": outcomes["sp_500"],
    }}
