"""Inside the index: holdings weights and the members' own prices, as whole-frame computations.

Two inputs. Holdings: one row per equity line with a market value (USD). Closes: a wide frame,
dates × tickers, of adjusted closes (splits and dividends folded in, so a member's return is its
total return); NaN = no close that day. Every function works on the whole frame at once (no loop
over tickers). Weights and returns are fractions (0.05 = 5 %).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from generator.analytics.returns import years_between

# --- Holdings ----------------------------------------------------------------------------------

def equity_weights(equities: pd.DataFrame) -> pd.DataFrame:
    """Equity lines -> the same rows sorted by market value (largest first) with ``weight``:
    market value / total market value of all equity lines (fractions summing to 1)."""
    out = equities.sort_values("market_value", ascending=False, kind="stable").copy()
    out["weight"] = out["market_value"] / out["market_value"].sum()
    return out.reset_index(drop=True)


def sector_weights(weighted: pd.DataFrame) -> pd.DataFrame:
    """Weighted equity lines -> ``count`` and ``weight`` per sector, largest weight first."""
    grouped = weighted.groupby("sector").agg(count=("weight", "size"), weight=("weight", "sum"))
    return grouped.sort_values("weight", ascending=False)


def top_weight(weights: pd.Series, n: int) -> float:
    """Weights -> the combined weight of the `n` largest."""
    return float(weights.nlargest(n).sum())


def effective_number(weights: pd.Series) -> float:
    """Weights -> the effective number of holdings, 1 / Σ w² (weights renormalised to sum 1).

    N equal weights give N; one holding with everything gives 1.
    """
    w = weights / weights.sum()
    return float(1.0 / np.square(w).sum())


def cumulative_weight_curve(weights: pd.Series) -> pd.DataFrame:
    """Weights -> by rank (1 = largest): ``share_of_holdings`` (rank / count) and
    ``cumulative_weight`` (weight of the `rank` largest), Lorenz-style from the top."""
    w = np.sort(weights.to_numpy(dtype="float64"))[::-1] / weights.sum()
    rank = np.arange(1, len(w) + 1)
    return pd.DataFrame({"share_of_holdings": rank / len(w), "cumulative_weight": np.cumsum(w)},
                        index=pd.Index(rank, name="rank"))


# --- Members' prices -------------------------------------------------------------------------

def share_above_moving_average(closes: pd.DataFrame, window: int = 200) -> pd.DataFrame:
    """Closes -> per date: ``eligible`` (members with a close that day and `window` closes in
    the trailing `window` rows), ``above`` (of those, close > their own `window`-day mean) and
    ``share`` (above / eligible)."""
    average = closes.rolling(window, min_periods=window).mean()
    eligible = average.notna() & closes.notna()
    above = (closes > average) & eligible
    out = pd.DataFrame({"eligible": eligible.sum(axis=1), "above": above.sum(axis=1)})
    out["share"] = out["above"] / out["eligible"].where(out["eligible"] > 0)
    return out


def advance_decline(closes: pd.DataFrame) -> pd.DataFrame:
    """Closes -> per date (from the second row): ``advances`` and ``declines`` (members whose close
    rose / fell from the previous row, both closes present), ``net`` and the cumulative
    ``ad_line`` (running sum of net)."""
    change = closes.diff().iloc[1:]
    out = pd.DataFrame({"advances": (change > 0).sum(axis=1),
                        "declines": (change < 0).sum(axis=1)})
    out["net"] = out["advances"] - out["declines"]
    out["ad_line"] = out["net"].cumsum()
    return out


def base_date(index: pd.DatetimeIndex, when: pd.Timestamp) -> pd.Timestamp:
    """The last date of `index` on or before `when` (KeyError if none)."""
    position = index.searchsorted(when, side="right") - 1
    if position < 0:
        raise KeyError(f"no date on or before {when.date()}")
    return index[position]


def member_returns(closes: pd.DataFrame, start: pd.Timestamp, end: pd.Timestamp) -> pd.Series:
    """Closes -> each member's return from its close on `start` to its close on `end` (both
    dates must be rows of `closes`); members without a close on either date are dropped."""
    returns = closes.loc[end] / closes.loc[start] - 1.0
    return returns.dropna()


def drawdown_from_high(closes: pd.DataFrame, end: pd.Timestamp, days: int = 365) -> pd.Series:
    """Closes -> each member's close on `end` / its highest close in the `days` calendar days
    up to `end` − 1 (≤ 0); members without a close on `end` are dropped."""
    window = closes.loc[end - pd.Timedelta(days=days) + pd.Timedelta(days=1):end]
    out = window.loc[end] / window.max() - 1.0
    return out.dropna()


def histogram(values: pd.Series, edges: np.ndarray) -> pd.DataFrame:
    """Values -> counts per bin [edge_i, edge_i+1); values beyond the last edge go into the
    last bin and below the first into the first (the labels say so)."""
    clipped = np.clip(values.to_numpy(dtype="float64"), edges[0], np.nextafter(edges[-1], -np.inf))
    counts, _ = np.histogram(clipped, bins=edges)
    return pd.DataFrame({"bin_low": edges[:-1], "bin_high": edges[1:], "count": counts})


def rebalanced_monthly(closes: pd.DataFrame, weights: pd.Series | None = None,
                       point_in_time: bool = False) -> pd.Series:
    """Closes -> value of 1 invested in a portfolio reset to target weights at each month-end.

    Targets are `weights` (per ticker, any positive scale; default equal) renormalised each
    month over the members with a close on the previous month-end; within the month each
    holding drifts with its price (a member without a later close is carried at its last one).
    The first month starts on the first row.

    With `point_in_time`, `weights` are end-of-data weights (market values on the last row) and
    each month's target is what they imply at the month's start: weight × close at the previous
    month-end / last close (the market value then, if the share count did not change). That
    removes the hindsight of weighting the past by today's sizes. A member whose implied
    weight that month is above the largest weight on the last row is left out that month: it
    was bigger, relative to the others, than any member today, so it was not a small company
    then (a large company that has since shrunk, or a price not adjusted for a split).
    """
    return rebalanced_monthly_set(closes, {"": (weights, point_in_time)})[""]


def rebalanced_monthly_set(closes: pd.DataFrame,
                           portfolios: dict[str, tuple[pd.Series | None, bool]]
                           ) -> dict[str, pd.Series]:
    """`rebalanced_monthly` for several (weights, point_in_time) portfolios of the same closes,
    by name: the month-end bases and each member's growth since them are computed once."""
    filled = closes.ffill()
    month = pd.DatetimeIndex(closes.index).to_period("M")
    ends = filled.groupby(month).tail(1)
    # The base of each row is the previous month's last row (the first month: the first row).
    base = ends.shift(1)
    base.iloc[0] = filled.iloc[0]
    base.index = ends.index.to_period("M")
    base_rows = base.reindex(month).to_numpy()
    relative = filled.to_numpy() / base_rows  # NaN where the member had no base close
    no_base = np.isnan(base_rows)
    last = filled.iloc[-1].to_numpy()
    out = {}
    for name, (weights, point_in_time) in portfolios.items():
        target = (np.ones(closes.shape[1]) if weights is None
                  else weights.reindex(closes.columns).fillna(0.0).to_numpy(dtype="float64"))
        if point_in_time:
            largest = np.nanmax(target) / np.nansum(target)
            implied = target * base_rows / last
            with np.errstate(invalid="ignore"):
                share = implied / np.nansum(implied, axis=1, keepdims=True)
                target = np.where(share > largest, 0.0, implied)
        held = np.where(no_base, 0.0, target)  # renormalised over members held
        held = np.nan_to_num(held)
        growth = pd.Series(np.nansum(relative * held, axis=1) / held.sum(axis=1),
                           index=closes.index)
        month_end_growth = growth.groupby(month).transform("last")
        # Chain: value = product of completed months' growth × growth so far this month.
        completed = month_end_growth.groupby(month).first().cumprod().shift(1, fill_value=1.0)
        out[name] = growth * completed.reindex(month).to_numpy()
    return out


def annualised(growth: float, start: pd.Timestamp, end: pd.Timestamp) -> float:
    """A growth factor (end value / start value) -> compound annual rate over [start, end]."""
    return float(growth ** (1.0 / years_between(start, end)) - 1.0)
