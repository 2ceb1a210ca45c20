"""Facts for the investor checklist: the numbers that make each item concrete.

Live market levels (rates, the credit spread, the current drawdown) come from the market
update's latest facts; this module adds the long-history numbers: the worst drawdown and its
recovery, multi-year holding periods, volatility against the S&P 500, fund costs, leverage
decay and the cost of missing the best days.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from generator.analytics.holding_periods import annualised_without_best_days, down_shares
from generator.analytics.periods import rolling_window_returns
from generator.analytics.returns import TRADING_DAYS, return_since, simple_returns
from generator.analytics.risk import annualised_volatility, drawdown_episodes, max_drawdown
from generator.catalog import HOLDINGS_TABLE, MEMBERS_TABLE, get
from generator.sources.reference import read_expense_ratios
from generator.store import Store, load_values
from generator.topics import aligned, provides
from generator.topics.inside.data import members_panel, usable_closes
from generator.units import Count, Dollars, Fraction, Level, Multiple

# Examples and conventions the items use (rules, not data).
ALLOCATION_EXAMPLE = 0.10  # a 10 % small-cap slice of a portfolio
HORIZON_YEARS = 10
BEST_DAYS = 10
SMALL_CAP_FUNDS = ("IWM", "VTWO", "IJR", "SPSM", "VB", "SCHA", "IWC")  # plain index funds
LEVERAGED_FUND = "TNA"
# A share price under $5: the usual line below which quoted spreads, in percent of the price,
# widen and many institutions may not buy (SEC "penny stock" rules start there too).
LOW_PRICE = 5.0


def worst_drawdown(prices: pd.Series) -> dict[str, Any]:
    """Prices -> the deepest drawdown episode: depth, dates, trading days down and to recover,
    and calendar years from peak to recovery (None while not recovered)."""
    episode = drawdown_episodes(prices).iloc[0]
    recovered = not pd.isna(episode["recovery"])
    return {
        "depth": float(episode["depth"]),
        "peak": episode["peak"].date(), "trough": episode["trough"].date(),
        "recovery": episode["recovery"].date() if recovered else None,
        "days_to_trough": int(episode["days_to_trough"]),
        "days_to_recover": int(episode["days_to_recover"]) if recovered else None,
        "years_peak_to_recovery":
            (episode["recovery"] - episode["peak"]).days / 365.25 if recovered else None,
    }


def longest_underwater(prices: pd.Series) -> dict[str, Any]:
    """Prices -> the recovered drawdown episode that lasted longest from peak to recovery."""
    episodes = drawdown_episodes(prices).dropna(subset=["recovery"])
    longest = episodes.loc[(episodes["recovery"] - episodes["peak"]).idxmax()]
    return {"peak": longest["peak"].date(), "recovery": longest["recovery"].date(),
            "depth": float(longest["depth"]),
            "years": (longest["recovery"] - longest["peak"]).days / 365.25}


def horizon_facts(prices: pd.Series, years: int) -> dict[str, Any]:
    """Rolling `years`-year annualised price returns (complete months only, the same windows as
    History's): share positive, worst, best."""
    rolling = rolling_window_returns(prices, years)
    return {"years": years, "windows": len(rolling), "share_positive": float((rolling > 0).mean()),
            "worst": float(rolling.min()), "worst_end": rolling.idxmin().date(),
            "best": float(rolling.max()), "best_end": rolling.idxmax().date()}


def volatility_facts(store: Store) -> dict[str, Any]:
    """Annualised volatility of daily price returns, Russell 2000 vs S&P 500, on shared days:
    whole shared history and the last 252 returns."""
    both = aligned(store, "^RUT", "^GSPC")
    returns = both.pct_change().iloc[1:]
    recent = returns.iloc[-TRADING_DAYS:]
    r2k, spx = annualised_volatility(returns["^RUT"]), annualised_volatility(returns["^GSPC"])
    r2k_1y = annualised_volatility(recent["^RUT"])
    spx_1y = annualised_volatility(recent["^GSPC"])
    return {"r2k": r2k, "spx": spx, "ratio": r2k / spx, "since": both.index[0].date(),
            "r2k_1y": r2k_1y, "spx_1y": spx_1y, "ratio_1y": r2k_1y / spx_1y,
            "recent_from": recent.index[0].date()}


def rebalancing_drift(r2k: pd.Series, spx: pd.Series, weight: float) -> dict[str, Any]:
    """A `weight` small-cap / rest S&P 500 mix left alone for the last year: its end weight."""
    start = r2k.index[-1] - pd.DateOffset(years=1)
    r, s = return_since(r2k, start), return_since(spx, start)
    end = weight * (1 + r) / (weight * (1 + r) + (1 - weight) * (1 + s))
    return {"start_weight": weight, "end_weight": end, "r2k_1y": r, "spx_1y": s}


def funds_table(store: Store) -> pd.DataFrame:
    """Small-cap index funds: what each tracks, its expense ratio (``expense_ratio`` a fraction
    per year, ``expense_ratio_pct`` as the issuer prints it), the yearly cost on $10,000 and
    whether its prices are in the store."""
    ratios = read_expense_ratios(store.reference_file("expense_ratios.csv"))
    rows = ratios.loc[[t for t in SMALL_CAP_FUNDS if t in ratios.index]].copy()
    rows["expense_ratio"] = rows["expense_ratio_pct"] / 100
    rows["cost_10k"] = rows["expense_ratio"] * 10_000
    rows["in_data"] = [store.has(get(t)) for t in rows.index]
    return rows[["fund", "index_tracked", "expense_ratio", "expense_ratio_pct", "cost_10k",
                 "as_of", "in_data"]]


def leverage_facts(store: Store) -> dict[str, Any]:
    """The 3x daily fund (TNA) against IWM since TNA's first day: max drawdown and total return
    of each (both adjusted closes, i.e. total return after fund costs)."""
    both = aligned(store, LEVERAGED_FUND, "IWM")
    tna, iwm = both[LEVERAGED_FUND], both["IWM"]
    return {"since": both.index[0].date(), "to": both.index[-1].date(),
            "tna_max_drawdown": max_drawdown(tna), "iwm_max_drawdown": max_drawdown(iwm),
            "tna_return": float(tna.iloc[-1] / tna.iloc[0] - 1),
            "iwm_return": float(iwm.iloc[-1] / iwm.iloc[0] - 1)}


def low_priced_members(store: Store) -> dict[str, Any]:
    """Members of the index fund whose close on the data's last day is under `LOW_PRICE`: how
    many, their share of the members with a close that day (members flagged by the single-stock
    checks on that day left out), and their combined weight in the fund's stocks."""
    panel = members_panel(store)
    end = pd.Timestamp(panel.closes.index[-1])
    last = usable_closes(panel, end, end).iloc[-1].dropna()
    low = last[last < LOW_PRICE]
    weights = panel.equities.groupby("ticker")["weight"].sum()
    return {"threshold": LOW_PRICE, "count": len(low), "members": len(last),
            "share": len(low) / len(last), "as_of": panel.closes_as_of,
            "weight": float(weights.reindex(low.index).fillna(0.0).sum())}


def _in(facts: dict[str, Any], **units: Any) -> dict[str, Any]:
    """`facts` with the named values given their unit (None, for a missing value, stays)."""
    return facts | {k: None if facts[k] is None else unit(facts[k]) for k, unit in units.items()}


def _tenth(value: float) -> Level:
    return Level(value, 1)


def _times(value: float) -> Multiple:
    return Multiple(value, 2)


@provides
def checklist_facts(store: Store) -> dict[str, Any]:
    """Everything the checklist shows beside its items, under one key."""
    rut = load_values(store, "^RUT")
    spx = load_values(store, "^GSPC")
    worst = worst_drawdown(rut)
    every, without = annualised_without_best_days(rut, BEST_DAYS)
    funds = funds_table(store)
    ratio = funds["expense_ratio"]
    cheapest = ", ".join(ratio.index[ratio == ratio.min()])
    priciest = ", ".join(ratio.index[ratio == ratio.max()])
    low_priced = (low_priced_members(store) if store.has_table(HOLDINGS_TABLE.id)
                  and store.has_table(MEMBERS_TABLE.id) else None)
    return {"checklist": {
        "as_of": rut.index[-1].date(), "first": rut.index[0].date(),
        "worst": _in(worst, depth=Fraction, days_to_trough=Count, days_to_recover=Count,
                     years_peak_to_recovery=_tenth),
        "worst_at_allocation": {"weight": Fraction(ALLOCATION_EXAMPLE),
                                "portfolio_loss": Fraction(worst["depth"] * ALLOCATION_EXAMPLE)},
        "longest_underwater": _in(longest_underwater(rut), depth=Fraction, years=_tenth),
        "horizon": _in(horizon_facts(rut, HORIZON_YEARS), years=Count, windows=Count,
                       share_positive=Fraction, worst=Fraction, best=Fraction),
        "volatility": _in(volatility_facts(store), r2k=Fraction, spx=Fraction, r2k_1y=Fraction,
                          spx_1y=Fraction, ratio=_times, ratio_1y=_times),
        "drift": _in(rebalancing_drift(rut, spx, ALLOCATION_EXAMPLE), start_weight=Fraction,
                     end_weight=Fraction, r2k_1y=Fraction, spx_1y=Fraction),
        "funds": funds, "fund_count": Count(len(funds)),
        "fund_indexes": Count(funds["index_tracked"].nunique()),
        "cheapest": {"tickers": cheapest, "expense_ratio": Fraction(funds["expense_ratio"].min())},
        "priciest": {"tickers": priciest, "expense_ratio": Fraction(funds["expense_ratio"].max())},
        "leverage": _in(leverage_facts(store), tna_max_drawdown=Fraction,
                        iwm_max_drawdown=Fraction, tna_return=Fraction, iwm_return=Fraction),
        "best_days": {"days": Count(BEST_DAYS), "every_day": Fraction(every),
                      "without": Fraction(without)},
        "down": _in(down_shares(rut), days=Fraction, years=Fraction, day_count=Count,
                    year_count=Count),
        "daily_returns": Count(len(simple_returns(rut))),
        "low_priced": None if low_priced is None else _in(
            low_priced, threshold=Dollars, count=Count, members=Count, share=Fraction,
            weight=Fraction),
    }}
