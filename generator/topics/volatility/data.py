"""Facts for Volatility & drawdowns, namespaced under ``vol``."""

from __future__ import annotations

from typing import Any

import pandas as pd

from generator.analytics.distribution import histogram, share_at_or_below, worst
from generator.analytics.returns import TRADING_DAYS, calendar_month_returns
from generator.analytics.risk import annualised_volatility, drawdown, rolling_volatility
from generator.store import Store
from generator.topics import aligned, provides
from generator.units import Count, Fraction, Level, records

ROLLING_WINDOW = TRADING_DAYS  # one year of trading days
REALISED_WINDOW = 21  # one month of trading days, the horizon the VIX quotes
HISTOGRAM_WIDTH = 0.02  # monthly returns binned in 2-percentage-point steps
WORST_COUNT = 10
DRAWDOWN_LEVELS = (-0.10, -0.20, -0.30, -0.40)
BIG_MONTH = 0.10  # a monthly move this large (either way) counts as a big month


def daily_returns(store: Store) -> pd.DataFrame:
    """Daily price returns of the Russell 2000 and S&P 500 on the days both have a close."""
    prices = aligned(store, "^RUT", "^GSPC")
    return prices.pct_change().iloc[1:]


def rolling_volatility_table(store: Store) -> pd.DataFrame:
    """Rolling 1-year (252 trading days) annualised volatility of both indexes (fractions) and
    their ratio (Russell 2000 / S&P 500)."""
    returns = daily_returns(store)
    vol = returns.apply(rolling_volatility, window=ROLLING_WINDOW).dropna()
    table = pd.DataFrame({"russell_2000": vol["^RUT"], "sp_500": vol["^GSPC"]})
    table["ratio"] = table["russell_2000"] / table["sp_500"]
    table.index.name = "date"
    return table


def monthly_returns_table(store: Store) -> pd.DataFrame:
    """Calendar-month price returns of both indexes (fractions), complete months only, indexed
    by month (a Period)."""
    prices = aligned(store, "^RUT", "^GSPC")
    return pd.DataFrame({"russell_2000": calendar_month_returns(prices["^RUT"]),
                         "sp_500": calendar_month_returns(prices["^GSPC"])}).dropna()


def monthly_histogram(monthly: pd.DataFrame) -> pd.DataFrame:
    """Both indexes' monthly returns counted in the same 2-point bins."""
    low, high = float(monthly.min().min()), float(monthly.max().max())
    small = histogram(monthly["russell_2000"], HISTOGRAM_WIDTH, low, high)
    large = histogram(monthly["sp_500"], HISTOGRAM_WIDTH, low, high)
    return pd.DataFrame({"bin_from": small["left"], "bin_to": small["right"],
                         "russell_2000_months": small["count"],
                         "sp_500_months": large["count"],
                         "russell_2000_share": small["share"], "sp_500_share": large["share"]})


def worst_months(monthly: pd.DataFrame) -> pd.DataFrame:
    """The ten worst Russell 2000 months, with the S&P 500's return in the same month."""
    picked = worst(monthly["russell_2000"], WORST_COUNT)
    table = monthly.loc[picked.index].copy()
    table.index = table.index.to_timestamp(how="end").normalize()
    table.index.name = "month"
    return table


def worst_days(store: Store) -> pd.DataFrame:
    """The ten worst Russell 2000 days, with the S&P 500's return on the same day."""
    returns = daily_returns(store)
    picked = worst(returns["^RUT"], WORST_COUNT)
    table = returns.loc[picked.index].rename(columns={"^RUT": "russell_2000", "^GSPC": "sp_500"})
    table.index.name = "date"
    return table


def vix_vs_realised_table(store: Store) -> pd.DataFrame:
    """VIX close (points) and the Russell 2000's and S&P 500's realised volatility over the past
    21 trading days, annualised, in the same points (percent a year)."""
    prices = aligned(store, "^RUT", "^GSPC", "^VIX")
    realised = prices[["^RUT", "^GSPC"]].pct_change().apply(rolling_volatility,
                                                           window=REALISED_WINDOW) * 100
    table = pd.DataFrame({"vix": prices["^VIX"],
                          "russell_2000_realised": realised["^RUT"],
                          "sp_500_realised": realised["^GSPC"]}).dropna()
    table.index.name = "date"
    return table


def summary_of_rolling(table: pd.DataFrame) -> dict[str, Any]:
    """Latest, average, lowest and highest rolling volatility ratio, with dates."""
    ratio = table["ratio"]
    return {"latest_small": float(table["russell_2000"].iloc[-1]),
            "latest_large": float(table["sp_500"].iloc[-1]),
            "latest_ratio": float(ratio.iloc[-1]), "mean_ratio": float(ratio.mean()),
            "min_ratio": float(ratio.min()), "min_date": ratio.idxmin().date(),
            "max_ratio": float(ratio.max()), "max_date": ratio.idxmax().date(),
            "share_above_one": float((ratio > 1).mean()),
            "first_date": table.index[0].date(), "last_date": table.index[-1].date()}


def time_below_high(store: Store) -> pd.DataFrame:
    """Share of trading days each index closed at least 10/20/30/40 % below its previous high.
    Indexed by the threshold as a label ("10%"); ``level`` holds it as a fraction (−0.1)."""
    prices = aligned(store, "^RUT", "^GSPC")
    small = share_at_or_below(drawdown(prices["^RUT"]), DRAWDOWN_LEVELS)
    large = share_at_or_below(drawdown(prices["^GSPC"]), DRAWDOWN_LEVELS)
    rows = [{"label": f"{Fraction(-level):.0}", "level": level, "russell_2000": small[level],
             "sp_500": large[level]} for level in DRAWDOWN_LEVELS]
    return pd.DataFrame(rows).set_index("label")


def horizon_claim(daily_small: float, daily_large: float, monthly_small: float,
                  monthly_large: float) -> dict[str, Any]:
    """Which claim the data supports about measuring volatility from monthly rather than daily
    returns (annualised fractions in, a rule name and the numbers that chose it out).

    Rules, in order: ``monthly-higher`` when the Russell 2000's volatility from monthly returns
    exceeds its volatility from daily ones (daily returns understate its risk);
    ``ratio-wider`` when it does not, but its ratio to the S&P 500's is larger from monthly
    returns (small caps look relatively riskier at the longer horizon); otherwise ``agree``.
    """
    ratio_daily = daily_small / daily_large
    ratio_monthly = monthly_small / monthly_large
    if monthly_small > daily_small:
        rule = "monthly-higher"
    elif ratio_monthly > ratio_daily:
        rule = "ratio-wider"
    else:
        rule = "agree"
    return {"rule": rule, "ratio_daily": ratio_daily, "ratio_monthly": ratio_monthly,
            "because": {"daily_small": daily_small, "monthly_small": monthly_small,
                        "daily_large": daily_large, "monthly_large": monthly_large}}


@provides
def volatility_facts(store: Store) -> dict[str, Any]:
    """Everything the Volatility & drawdowns page states."""
    returns = daily_returns(store)
    monthly = monthly_returns_table(store)
    vix = vix_vs_realised_table(store)
    gap = vix["russell_2000_realised"] - vix["vix"]
    full_small = annualised_volatility(returns["^RUT"])
    full_large = annualised_volatility(returns["^GSPC"])
    monthly_small = annualised_volatility(monthly["russell_2000"], 12)
    monthly_large = annualised_volatility(monthly["sp_500"], 12)
    rolling = summary_of_rolling(rolling_volatility_table(store))
    horizon = horizon_claim(full_small, full_large, monthly_small, monthly_large)
    return {"vol": {
        "first_date": returns.index[0].date(), "last_date": returns.index[-1].date(),
        "full_small": Fraction(full_small), "full_large": Fraction(full_large),
        "rolling": {**rolling, **{k: Fraction(rolling[k]) for k in
                                  ("latest_small", "latest_large", "share_above_one")},
                    **{k: Level(rolling[k]) for k in
                       ("latest_ratio", "mean_ratio", "min_ratio", "max_ratio")}},
        "months": Count(len(monthly)),
        "monthly_median_small": Fraction(monthly["russell_2000"].median()),
        "monthly_median_large": Fraction(monthly["sp_500"].median()),
        "monthly_sd_small": Fraction(monthly["russell_2000"].std()),
        "monthly_sd_large": Fraction(monthly["sp_500"].std()),
        # The same risk measured from monthly returns (× √12); which claim the page makes about
        # the two horizons is chosen by `horizon_claim` from these numbers.
        "monthly_annualised_small": Fraction(monthly_small),
        "monthly_annualised_large": Fraction(monthly_large),
        "horizon": {"rule": horizon["rule"], "ratio_daily": Level(horizon["ratio_daily"]),
                    "ratio_monthly": Level(horizon["ratio_monthly"]),
                    "because": {k: Fraction(v) for k, v in horizon["because"].items()}},
        "big_month": Fraction(BIG_MONTH),
        "months_below_10_small": Count((monthly["russell_2000"] <= -BIG_MONTH).sum()),
        "months_below_10_large": Count((monthly["sp_500"] <= -BIG_MONTH).sum()),
        "months_above_10_small": Count((monthly["russell_2000"] >= BIG_MONTH).sum()),
        "months_above_10_large": Count((monthly["sp_500"] >= BIG_MONTH).sum()),
        "best_month_small": Fraction(monthly["russell_2000"].max()),
        "best_month_small_date": monthly["russell_2000"].idxmax().to_timestamp().date(),
        "worst_months": worst_months(monthly),
        "worst_days": worst_days(store),
        "vix_first_date": vix.index[0].date(),
        # The VIX and realised volatility are quoted in points of annualised volatility.
        "vix_mean": Level(vix["vix"].mean(), 1),
        "realised_small_mean": Level(vix["russell_2000_realised"].mean(), 1),
        "realised_large_mean": Level(vix["sp_500_realised"].mean(), 1),
        "realised_small_above_vix": Fraction((gap > 0).mean()),
        "vix_realised_correlation": Level(vix["vix"].corr(vix["russell_2000_realised"])),
        "vix_latest": Level(vix["vix"].iloc[-1], 1),
        "realised_small_latest": Level(vix["russell_2000_realised"].iloc[-1], 1),
        "vix_max": Level(vix["vix"].max()), "vix_max_date": vix["vix"].idxmax().date(),
        "time_below_high": time_below_high(store),
        # the same tables' rows for sentences: the worst first; the thresholds in order
        "worst_month": records(worst_months(monthly), {
            "russell_2000": Fraction, "sp_500": Fraction}, key="month")[0],
        "worst_day": records(worst_days(store), {
            "russell_2000": Fraction, "sp_500": Fraction}, key="day")[0],
        "below_high": records(time_below_high(store), {
            "level": Fraction, "russell_2000": Fraction, "sp_500": Fraction},
            key="label"),
    }}
