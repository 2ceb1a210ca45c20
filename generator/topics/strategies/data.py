"""Facts for the Strategies & allocation page: the core-satellite grid (SPY + IWM, rebalanced
annually), value vs growth (IWN vs IWO) and dollar-cost averaging vs a lump sum (IWM)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from generator.analytics.hedging import payoff_diagram, puts_in_drawdowns, rolling_puts
from generator.analytics.portfolio import (
    core_satellite_grid,
    dca_vs_lump_sum,
    first_trading_day_of_each_year,
)
from generator.analytics.returns import cagr, calendar_year_returns, growth_of, simple_returns
from generator.analytics.risk import rolling_volatility
from generator.store import Store, load_values
from generator.topics import aligned, provides
from generator.units import Count, Dollars, Fraction, Level, Points

CORE, SATELLITE = "SPY", "IWM"
SHARES = (0.0, 0.05, 0.10, 0.15, 0.20, 0.25, 0.30)
DCA_MONTHS = 12


def grid_table(store: Store) -> pd.DataFrame:
    """The core-satellite grid on SPY's and IWM's shared dates (adjusted closes, so total
    return after fund costs), one row per small-cap share; see `core_satellite_grid`."""
    prices = aligned(store, CORE, SATELLITE)
    return core_satellite_grid(prices[CORE], prices[SATELLITE], SHARES)


def value_growth_prices(store: Store) -> pd.DataFrame:
    """IWN (Russell 2000 Value), IWO (Growth) and IWM adjusted closes on shared dates."""
    return aligned(store, "IWN", "IWO", "IWM")


def value_growth_years(store: Store) -> pd.DataFrame:
    """Per complete calendar year: IWN, IWO and IWM total returns and IWN − IWO (fractions)."""
    prices = value_growth_prices(store)
    table = prices.apply(calendar_year_returns).rename(
        columns={"IWN": "value_iwn", "IWO": "growth_iwo", "IWM": "blend_iwm"})
    table["value_minus_growth"] = table["value_iwn"] - table["growth_iwo"]
    table.index.name = "year"
    return table


@provides
def strategy_facts(store: Store) -> dict[str, Any]:
    """Everything the Strategies page states, under one key: ``strategies``."""
    prices = aligned(store, CORE, SATELLITE)
    grid = grid_table(store)
    zero, top = grid.iloc[0], grid.iloc[-1]
    resets = first_trading_day_of_each_year(prices.index)[1:]
    vg_prices = value_growth_prices(store)
    vg = value_growth_years(store)
    growth = vg_prices.apply(growth_of)
    dca = dca_vs_lump_sum(load_values(store, SATELLITE), DCA_MONTHS)
    lead = dca["lump_sum"] - dca["dca"]
    return {"strategies": {
        "grid": grid.set_index("small_cap_share"),
        "start": prices.index[0].date(), "end": prices.index[-1].date(),
        "first_rebalance": resets[0].date() if len(resets) else None,
        "rebalances": Count(len(resets)),
        "years": Count(prices.index[-1].year - prices.index[0].year),
        "zero": _mix(zero), "top": _mix(top),
        "worst_years": sorted({int(y) for y in grid["worst_year"]}),
        "cagr_range": Points.between(top["cagr"], zero["cagr"], digits=2),
        "vol_range": Points.between(top["volatility"], zero["volatility"], digits=2),
        "mdd_range": Points.between(top["max_drawdown"], zero["max_drawdown"], digits=2),
        "spy_cagr": Fraction(cagr(prices[CORE])), "iwm_cagr": Fraction(cagr(prices[SATELLITE])),
        "value_growth": vg,
        "vg_start": vg_prices.index[0].date(), "vg_end": vg_prices.index[-1].date(),
        # growth_of starts at $10,000
        "vg_growth": {c: Dollars(growth[c].iloc[-1]) for c in growth.columns},
        "vg_cagr": {c: Fraction(cagr(vg_prices[c])) for c in vg_prices.columns},
        "value_wins": Count((vg["value_minus_growth"] > 0).sum()), "vg_years": Count(len(vg)),
        "vg_first_year": int(vg.index[0]), "vg_last_year": int(vg.index[-1]),
        "vg_best_value": {"year": int(vg["value_minus_growth"].idxmax()),
                          "gap": Points.of(vg["value_minus_growth"].max())},
        "vg_best_growth": {"year": int(vg["value_minus_growth"].idxmin()),
                           "gap": Points.of(vg["value_minus_growth"].min())},
        "dca": {
            "months": Count(DCA_MONTHS), "windows": Count(len(dca)),
            "lump_wins": Count(dca["lump_sum_wins"].sum()),
            "lump_share": Fraction(dca["lump_sum_wins"].mean()),
            # lump sum minus instalments, each the value of $1: a difference of two returns
            "median_lead": Points.of(lead.median()),
            "first_start": dca["start"].iloc[0].date(), "last_end": dca["end"].iloc[-1].date(),
            "worst_lump": {"start": dca.loc[lead.idxmin(), "start"].date(),
                           "lump_sum": Dollars(dca.loc[lead.idxmin(), "lump_sum"], digits=2),
                           "dca": Dollars(dca.loc[lead.idxmin(), "dca"], digits=2)},
        },
    }}


def _mix(row: pd.Series) -> dict[str, Any]:
    """One row of the core-satellite grid in its units."""
    return {"small_cap_share": Fraction(row["small_cap_share"]),
            "cagr": Fraction(row["cagr"]), "volatility": Fraction(row["volatility"]),
            "max_drawdown": Fraction(row["max_drawdown"]), "worst_year": int(row["worst_year"]),
            "worst_year_return": Fraction(row["worst_year_return"]),
            "final_value": Dollars(row["final_value"])}


# --- Hedging with options: payoffs from definitions, a rolling put on index levels -----------

PUT_MONEYNESS = 0.90  # strike 10 % below the index when bought
CALL_MONEYNESS = 1.10  # the collar's call, 10 % above
VOL_WINDOW = 63  # trading days (about three months, an option's life here)


def hedge_diagram() -> pd.DataFrame:
    """Illustrative payoffs at expiry for index moves from −40 % to +30 % (before premiums)."""
    moves = np.round(np.arange(-0.40, 0.3001, 0.01), 2)
    return payoff_diagram(moves, PUT_MONEYNESS, CALL_MONEYNESS)


def rolling_put_table(store: Store) -> pd.DataFrame:
    """The Russell 2000's quarter-by-quarter 10 %-out-of-the-money put (see `rolling_puts`)."""
    return rolling_puts(load_values(store, "^RUT"), PUT_MONEYNESS)


@provides
def hedging_facts(store: Store) -> dict[str, Any]:
    """What the rolling put paid, in all quarters and in the worst falls, and the gauges of
    option cost our data has (realised volatility, VIX), under ``hedging``."""
    rut = load_values(store, "^RUT")
    puts = rolling_puts(rut, PUT_MONEYNESS)
    falls = puts_in_drawdowns(rut, puts)
    realised = rolling_volatility(simple_returns(rut), VOL_WINDOW).dropna()
    vix = load_values(store, "^VIX")
    paid = puts[puts["payoff"] > 0]
    best = puts.loc[puts["payoff"].idxmax()]
    return {"hedging": {
        # strikes as a share of the index level when bought (0.9: 10 % below)
        "put_moneyness": Fraction(PUT_MONEYNESS), "call_moneyness": Fraction(CALL_MONEYNESS),
        "otm": Fraction(round(1.0 - PUT_MONEYNESS, 4)),
        "call_otm": Fraction(round(CALL_MONEYNESS - 1.0, 4)),
        "quarters": Count(len(puts)), "paid": Count(len(paid)),
        "paid_share": Fraction(len(paid) / len(puts)),
        "first_start": puts["start"].iloc[0].date(), "last_end": puts["end"].iloc[-1].date(),
        # payoffs as a share of the index level when the put was bought
        "mean_payoff": Fraction(puts["payoff"].mean()),
        "mean_payoff_when_paid": Fraction(paid["payoff"].mean() if len(paid) else float("nan")),
        "best": {"start": best["start"].date(), "end": best["end"].date(),
                 "payoff": Fraction(best["payoff"]),
                 "index_return": Fraction(best["index_return"])},
        "falls": falls,
        "vol_window": Count(VOL_WINDOW),
        "realised_latest": Fraction(realised.iloc[-1]),
        "realised_date": realised.index[-1].date(),
        "realised_median": Fraction(realised.median()),
        "realised_start": realised.index[0].date(),
        "realised_max": Fraction(realised.max()), "realised_max_date": realised.idxmax().date(),
        "vix_latest": Level(vix.iloc[-1]), "vix_date": vix.index[-1].date(),
        "vix_median": Level(vix.median()), "vix_start": vix.index[0].date(),
        "vix_share_below": Fraction((vix < vix.iloc[-1]).mean()),
    }}
