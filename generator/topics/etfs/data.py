"""Facts for the ETFs page: fund growth, costs, the dividend gap to the price index, same-index
comparisons, dollar volume and the daily-reset leverage of TNA."""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
import pandas as pd

from generator.analytics.portfolio import daily_reset_leveraged
from generator.analytics.returns import (
    TRADING_DAYS,
    cagr,
    calendar_month_returns,
    calendar_year_returns,
    growth_of,
    simple_returns,
    years_between,
)
from generator.catalog import get
from generator.sources.reference import read_expense_ratios
from generator.store import Store, load_values
from generator.topics import aligned, provides
from generator.units import Count, Day, Dollars, Fraction, Level, Multiple, Percent, Points

# Unleveraged funds compared on the page, Russell 2000 trackers first. VTWO is optional: the
# snapshot lacks it and only the live update fills it.
FUNDS = ("IWM", "VTWO", "IJR", "SPSM", "VB", "SCHA", "IWC", "IWN", "IWO")
LEVERAGED = "TNA"
LEVERAGE = 3.0
# Funds with a volume column in the data (the others are close-only files).
WITH_VOLUME = ("IWM", "SPY")
DOLLAR_VOLUME_DAYS = 252

# SPSM's benchmark history, as its issuer's filings and FactSet's fund profile give it
# (https://www.etf.com/SPSM): the fund launched as the SPDR Russell 2000 ETF (TWOK), switched
# on 2017-11-16 and again on 2020-01-24. Only the last period is a same-index comparison with IJR.
SPSM_BENCHMARKS = (
    ("2013-07-08", "Russell 2000 Index (as TWOK)"),
    ("2017-11-16", "SSGA Small Cap Index"),
    ("2020-01-24", "S&P SmallCap 600 Index"),
)
SPSM_SOURCE = "https://www.etf.com/SPSM"


def expense_ratios(store: Store) -> pd.DataFrame:
    """The checked expense-ratio table, indexed by ticker (percent a year, as published)."""
    return read_expense_ratios(store.reference_file("expense_ratios.csv"))


def funds_in_store(store: Store) -> list[str]:
    """The page's unleveraged funds that the store holds (VTWO only after a live update)."""
    return [t for t in FUNDS if store.has(get(t))]


def fund_growth(store: Store) -> dict[str, pd.Series]:
    """Each fund's adjusted closes (total return after costs) as growth of $10,000 from one
    common start: the first day every fund has a close, so the lines race over the same dates
    (each to its own last close)."""
    prices = {t: load_values(store, t) for t in funds_in_store(store)}
    start = max(series.index[0] for series in prices.values())
    return {t: growth_of(series.loc[start:]) for t, series in prices.items()}


def fund_table(store: Store) -> pd.DataFrame:
    """One row per fund: name, index tracked, expense ratio (fraction), first and last date,
    growth of $10,000 since its start, CAGR since start and over the common period."""
    ratios = expense_ratios(store)
    prices = {t: load_values(store, t) for t in funds_in_store(store)}
    common = pd.concat(prices, axis=1, join="inner").dropna()
    rows = []
    for ticker, series in prices.items():
        ref = ratios.loc[ticker] if ticker in ratios.index else None
        rows.append({
            "ticker": ticker, "fund": get(ticker).title,
            "index_tracked": ref["index_tracked"] if ref is not None else "—",
            "expense_ratio": ref["expense_ratio_pct"] / 100 if ref is not None else np.nan,
            "first": series.index[0].date(), "last": series.index[-1].date(),
            "growth_of_10000": float(growth_of(series).iloc[-1]),
            "cagr_since_start": cagr(series),
            "cagr_common_period": cagr(common[ticker]),
        })
    table = pd.DataFrame(rows).set_index("ticker")
    table.attrs["common_start"] = common.index[0].date()
    table.attrs["common_end"] = common.index[-1].date()
    return table


def dividend_gap_table(store: Store) -> pd.DataFrame:
    """Per complete calendar year: IWM total return, Russell 2000 price return and their
    difference (fractions). The difference is dividends minus fund costs (plus market-price
    noise), NOT a tracking difference: the index level has no dividends."""
    prices = aligned(store, "IWM", "^RUT")
    iwm = calendar_year_returns(prices["IWM"])
    rut = calendar_year_returns(prices["^RUT"])
    table = pd.DataFrame({"iwm_total_return": iwm, "russell_2000_price_return": rut})
    table["difference"] = table["iwm_total_return"] - table["russell_2000_price_return"]
    return table


def same_index_pairs(store: Store) -> list[tuple[str, str, pd.Timestamp]]:
    """Fund pairs tracking the same index, with the first date both did: (cheaper-or-newer,
    older, since). IJR/SPSM always; IWM/VTWO only when the store has VTWO."""
    pairs = [("SPSM", "IJR", pd.Timestamp(SPSM_BENCHMARKS[-1][0]))]
    if store.has(get("VTWO")):
        pairs.append(("VTWO", "IWM", load_values(store, "VTWO").index[0]))
    return pairs


def same_index_comparison(store: Store, fund: str, other: str,
                          since: pd.Timestamp) -> dict[str, Any]:
    """Two funds on one index from `since` (the first shared close on or after it): growth of
    $10,000 paths, each CAGR, the gap in CAGR (fund − other) and the annualised tracking error
    of monthly returns (standard deviation of the monthly difference × √12)."""
    prices = aligned(store, fund, other).loc[since:]
    monthly = prices.apply(calendar_month_returns)
    gap = monthly[fund] - monthly[other]
    return {
        "fund": fund, "other": other, "start": prices.index[0].date(),
        "end": prices.index[-1].date(), "growth": prices.apply(growth_of),
        "cagr_fund": cagr(prices[fund]), "cagr_other": cagr(prices[other]),
        "cagr_gap": cagr(prices[fund]) - cagr(prices[other]),
        "monthly_tracking_error": float(gap.std(ddof=1) * np.sqrt(12)),
        "months": len(gap),
    }


def spsm_benchmark_check(store: Store) -> pd.DataFrame:
    """For each of SPSM's benchmark periods: annualised tracking error of SPSM's monthly returns
    against IJR (S&P 600) and against IWM (Russell 2000). Whichever is smaller is the index the
    fund behaved like — a check of the published history against the prices."""
    prices = aligned(store, "SPSM", "IJR", "IWM")
    monthly = prices.apply(calendar_month_returns)
    starts = [pd.Timestamp(d) for d, _ in SPSM_BENCHMARKS]
    rows = []
    for i, (start, (_, name)) in enumerate(zip(starts, SPSM_BENCHMARKS, strict=True)):
        # Whole months inside the period only: the switch month mixes two benchmarks.
        first = (start + pd.offsets.MonthEnd(0)) + pd.offsets.MonthEnd(1)
        stop = starts[i + 1] + pd.offsets.MonthEnd(-1) if i + 1 < len(starts) else None
        part = monthly.loc[first:stop]
        rows.append({
            "benchmark": name, "from": start.date(),
            "months": len(part),
            "te_vs_ijr": float((part["SPSM"] - part["IJR"]).std(ddof=1) * np.sqrt(12)),
            "te_vs_iwm": float((part["SPSM"] - part["IWM"]).std(ddof=1) * np.sqrt(12)),
        })
    return pd.DataFrame(rows)


def s600_vs_r2k_table(store: Store) -> pd.DataFrame:
    """Per complete calendar year: IJR (S&P 600) and IWM (Russell 2000) total returns and
    IJR − IWM (fractions)."""
    prices = aligned(store, "IJR", "IWM")
    table = pd.DataFrame({"ijr": calendar_year_returns(prices["IJR"]),
                          "iwm": calendar_year_returns(prices["IWM"])})
    table["difference"] = table["ijr"] - table["iwm"]
    return table


def dollar_volume(store: Store, ticker: str) -> pd.Series:
    """Daily dollar volume of a fund in USD: adjusted close × shares traded.

    The adjusted close is lowered for dividends paid later, so older values are understated by
    the dividends paid since; over the trailing year the effect is at most a year's dividends.
    """
    frame = store.read_series(get(ticker))
    if "volume" not in frame.columns:
        raise ValueError(f"{ticker} has no volume column in the store")
    return (frame["close"] * frame["volume"]).dropna().rename(ticker)


def leverage_paths(store: Store) -> pd.DataFrame:
    """Growth of $10,000 from TNA's first close: TNA itself (after its costs), 3× IWM's daily
    return reset daily (no costs), IWM, and 3 × IWM's cumulative gain (what '3×' naively
    suggests)."""
    prices = aligned(store, LEVERAGED, "IWM")
    iwm = growth_of(prices["IWM"])
    return pd.DataFrame({
        "tna": growth_of(prices[LEVERAGED]),
        "daily_3x_iwm_no_costs": 10_000.0 * daily_reset_leveraged(prices["IWM"], LEVERAGE),
        "iwm": iwm,
        "three_times_iwm_gain": 10_000.0 + LEVERAGE * (iwm - 10_000.0),
    })


def leverage_years(store: Store) -> pd.DataFrame:
    """Per complete calendar year from TNA's start: IWM's return, 3 × it, TNA's return, TNA minus
    3 × IWM, and IWM's annualised daily volatility that year (fractions)."""
    prices = aligned(store, LEVERAGED, "IWM")
    iwm = calendar_year_returns(prices["IWM"])
    tna = calendar_year_returns(prices[LEVERAGED])
    daily = simple_returns(prices["IWM"])
    vol = daily.groupby(daily.index.year).std(ddof=1) * np.sqrt(TRADING_DAYS)
    table = pd.DataFrame({"iwm": iwm, "three_times_iwm": LEVERAGE * iwm, "tna": tna})
    table["tna_minus_three_times"] = table["tna"] - table["three_times_iwm"]
    table["iwm_volatility"] = vol.reindex(table.index)
    table.index.name = "year"
    return table


def _date(value: pd.Timestamp | dt.date) -> dt.date:
    return value.date() if isinstance(value, pd.Timestamp) else value


def _years(frame: pd.DataFrame) -> float:
    return years_between(frame.index[0], frame.index[-1])


def two_day_example() -> dict[str, float]:
    """A worked example of daily reset (illustrative numbers, not market data): an index goes
    100 → 110 → 99. Returns the index's two-day return, the 3× daily fund's and 3 × the
    index's (fractions)."""
    index = pd.Series([100.0, 110.0, 99.0], index=pd.date_range("2000-01-03", periods=3))
    fund = daily_reset_leveraged(index, LEVERAGE)
    move = float(index.iloc[-1] / index.iloc[0] - 1.0)
    return {"up": float(index.iloc[1] / index.iloc[0] - 1.0),
            "down": float(index.iloc[2] / index.iloc[1] - 1.0),
            "index": move, "fund": float(fund.iloc[-1] - 1.0), "naive": LEVERAGE * move,
            "levels": [float(v) for v in index],
            "fund_day1": float(fund.iloc[1]) * 100, "fund_day2": float(fund.iloc[2]) * 100}


def example_facts(example: dict[str, Any]) -> dict[str, Any]:
    """The worked example with units: the moves as fractions, the levels as whole numbers."""
    return {**{k: Fraction(example[k]) for k in ("up", "down", "index", "fund", "naive")},
            "levels": [Level(v, 0) for v in example["levels"]],
            "fund_day1": Level(example["fund_day1"], 0),
            "fund_day2": Level(example["fund_day2"], 0)}


def pair_facts(pair: dict[str, Any]) -> dict[str, Any]:
    """One same-index comparison with units (its growth path left out)."""
    return {k: v for k, v in pair.items() if k != "growth"} | {
        "cagr_fund": Fraction(pair["cagr_fund"]), "cagr_other": Fraction(pair["cagr_other"]),
        "cagr_gap": Points.of(pair["cagr_gap"], digits=2),
        "monthly_tracking_error": Fraction(pair["monthly_tracking_error"], digits=2),
        "months": Count(pair["months"])}


@provides
def etf_facts(store: Store) -> dict[str, Any]:
    """Everything the ETFs page states, under one key: ``etfs``."""
    ratios = expense_ratios(store)
    funds = fund_table(store)
    gap = dividend_gap_table(store)
    rut_iwm = aligned(store, "IWM", "^RUT")
    pairs = [same_index_comparison(store, *pair) for pair in same_index_pairs(store)]
    spsm = next(p for p in pairs if p["fund"] == "SPSM")
    check = spsm_benchmark_check(store)
    s600 = s600_vs_r2k_table(store)
    s600_prices = aligned(store, "IJR", "IWM")
    volumes = {}
    for ticker in WITH_VOLUME:
        dv = dollar_volume(store, ticker)
        recent = dv.iloc[-DOLLAR_VOLUME_DAYS:]
        volumes[ticker] = {"average": Dollars(recent.mean()), "start": Day.of(recent.index[0]),
                           "end": Day.of(recent.index[-1]), "days": Count(len(recent))}
    paths = leverage_paths(store)
    years = leverage_years(store)
    worst = years["tna_minus_three_times"].idxmin()
    best = years["tna_minus_three_times"].idxmax()
    costs = ratios.copy()
    costs["expense_ratio"] = costs["expense_ratio_pct"] / 100
    costs["cost_per_10000"] = costs["expense_ratio"] * 10_000
    costs = costs.sort_values("expense_ratio")
    fund_costs = {t: {"ticker": t, "fund": row["fund"], "index_tracked": row["index_tracked"],
                      "expense_ratio": Fraction(row["expense_ratio"], digits=-1),
                      "cost_per_10000": Dollars(row["cost_per_10000"]), "as_of": row["as_of"]}
                  for t, row in costs.iterrows()}
    unlevered = {t: item for t, item in fund_costs.items() if t != "TNA"}
    r2k_trackers = ratios[ratios["index_tracked"] == "Russell 2000 Index"]
    return {"etfs": {
        "funds": funds,
        "common_start": funds.attrs["common_start"], "common_end": funds.attrs["common_end"],
        "vtwo_in_store": "VTWO" in funds.index,
        "vtwo_ratio": Fraction(ratios.loc["VTWO", "expense_ratio_pct"] / 100, digits=-1)
        if "VTWO" in ratios.index else None,
        "costs": costs,
        # each fund's costs, cheapest first; the cheapest and dearest without leverage (TNA)
        "fund_costs": fund_costs,
        "cheapest_fund": next(iter(unlevered.values())),
        "dearest_fund": list(unlevered.values())[-1],
        "cheapest_r2k": r2k_trackers["expense_ratio_pct"].idxmin(),
        # The fee gap in dollars a year on $10,000 (percent × 100).
        "cost_gap_iwm_vtwo": Dollars((ratios.loc["IWM", "expense_ratio_pct"]
                                      - ratios.loc["VTWO", "expense_ratio_pct"]) * 100, digits=-1)
        if {"IWM", "VTWO"} <= set(ratios.index) else None,
        "iwm_ratio": Fraction(ratios.loc["IWM", "expense_ratio_pct"] / 100, digits=-1),
        "reference_as_of": {t: ratios.loc[t, "as_of"] for t in ratios.index},
        "dividend_gap": gap,
        "dividend_gap_mean": Points.of(gap["difference"].mean(), digits=2).with_sign(False),
        "dividend_gap_min": Points.of(gap["difference"].min(), digits=2).with_sign(False),
        "dividend_gap_max": Points.of(gap["difference"].max(), digits=2).with_sign(False),
        "dividend_gap_first": int(gap.index[0]), "dividend_gap_last": int(gap.index[-1]),
        "iwm_start": Day.of(rut_iwm.index[0]),
        "iwm_cagr": Fraction(cagr(rut_iwm["IWM"])), "rut_cagr": Fraction(cagr(rut_iwm["^RUT"])),
        # Dividends net of costs, a year: IWM's CAGR minus the price index's, in points.
        "iwm_minus_rut_cagr": Points.between(cagr(rut_iwm["IWM"]), cagr(rut_iwm["^RUT"])),
        "spsm": {k: v for k, v in spsm.items() if k != "growth"} | {
            "cagr_fund": Fraction(spsm["cagr_fund"]), "cagr_other": Fraction(spsm["cagr_other"]),
            "cagr_gap": Points.of(spsm["cagr_gap"], digits=2),
            "monthly_tracking_error": Fraction(spsm["monthly_tracking_error"], digits=2),
            "months": Count(spsm["months"]), "start": Day.of(spsm["start"]),
            "end": Day.of(spsm["end"])},
        "spsm_benchmarks": check,
        "spsm_source": SPSM_SOURCE,
        "pairs": [pair_facts(p) for p in pairs],
        "s600": s600,
        "s600_wins": Count((s600["difference"] > 0).sum()), "s600_years": Count(len(s600)),
        "s600_last_year": int(s600.index[-1]),
        "s600_last_diff": Points.of(s600["difference"].iloc[-1]),
        "s600_start": s600_prices.index[0].date(), "s600_end": s600_prices.index[-1].date(),
        "ijr_cagr": Fraction(cagr(s600_prices["IJR"])),
        "iwm_cagr_vs_ijr": Fraction(cagr(s600_prices["IWM"])),
        "volume": volumes,
        "volume_ratio": Multiple(volumes["SPY"]["average"].value
                                 / volumes["IWM"]["average"].value),
        "tna": {
            "start": _date(paths.index[0]), "end": _date(paths.index[-1]),
            "tna": Dollars(paths["tna"].iloc[-1]),
            "daily_3x": Dollars(paths["daily_3x_iwm_no_costs"].iloc[-1]),
            "iwm": Dollars(paths["iwm"].iloc[-1]),
            # Gains on $10,000: the daily-reset 3x path's, IWM's, and three times IWM's.
            "daily_3x_gain": Dollars(paths["daily_3x_iwm_no_costs"].iloc[-1] - 10_000.0),
            "iwm_gain": Dollars(paths["iwm"].iloc[-1] - 10_000.0),
            "three_times_gain": Dollars(LEVERAGE * (paths["iwm"].iloc[-1] - 10_000.0)),
            "ratio": Fraction(ratios.loc[LEVERAGED, "expense_ratio_pct"] / 100, digits=-1),
            "years": years,
            "worst_year": int(worst),
            "worst_gap": Points.of(years.loc[worst, "tna_minus_three_times"]),
            "worst_iwm": Fraction(years.loc[worst, "iwm"], signed=True),
            "worst_tna": Fraction(years.loc[worst, "tna"], signed=True),
            "best_year": int(best),
            "best_gap": Points.of(years.loc[best, "tna_minus_three_times"]),
            "lagged_years": Count((years["tna_minus_three_times"] < 0).sum()),
            "n_years": Count(len(years)),
            "cost_gap": Fraction((paths["daily_3x_iwm_no_costs"].iloc[-1]
                               / paths["tna"].iloc[-1]) ** (1 / _years(paths)) - 1.0),
            "avg_tbill": Percent(load_values(store, "DGS3MO")
                                 .loc[paths.index[0]:paths.index[-1]].mean()),
        },
        "example": example_facts(two_day_example()),
    }}

