"""Option payoffs from their definitions, and what a rolling put would have paid on an index.

No option prices are used or assumed: payoffs are what the contracts pay at expiry, before the
premium paid (or received) for them. Levels are index points; results are fractions of the
index level when the option was bought.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from generator.analytics.risk import drawdown_episodes


def put_payoff(start_level: float, end_level: float, moneyness: float = 0.9) -> float:
    """A put struck at `moneyness` × `start_level`, held to expiry: max(strike − end, 0), as a
    fraction of `start_level` (0.9 = 10 % out of the money)."""
    strike = moneyness * start_level
    return max(strike - end_level, 0.0) / start_level


def payoff_diagram(moves: np.ndarray, put_moneyness: float = 0.9,
                   call_moneyness: float = 1.1) -> pd.DataFrame:
    """The index's move to expiry (fractions) -> the result of holding it unhedged, with a
    protective put struck at `put_moneyness`, and in a collar (that put plus a call sold at
    `call_moneyness`), all before premiums, as fractions of the starting value."""
    moves = np.asarray(moves, dtype=float)
    floor, cap = put_moneyness - 1.0, call_moneyness - 1.0
    return pd.DataFrame({"unhedged": moves, "protective_put": np.maximum(moves, floor),
                         "collar": np.clip(moves, floor, cap)},
                        index=pd.Index(moves, name="index_move"))


def rolling_puts(prices: pd.Series, moneyness: float = 0.9) -> pd.DataFrame:
    """Daily closes -> one row per calendar quarter: a put bought at the last close of the
    previous quarter, struck at `moneyness` × that close, held to the last close of the quarter.

    Columns: ``start``, ``end`` (dates of the two closes), ``start_level``, ``end_level``,
    ``strike``, ``index_return`` and ``payoff`` (fraction of ``start_level``). A final quarter
    without a close on or after its last business day is unfinished and left out."""
    index = pd.DatetimeIndex(prices.index)
    quarters = index.to_period("Q")
    last = pd.Series(index, index=index).groupby(quarters).last()
    level = prices.groupby(quarters).last()
    final = last.index[-1]
    if last.iloc[-1] < (final.to_timestamp(how="end") - pd.offsets.BDay(1)).normalize():
        last, level = last.iloc[:-1], level.iloc[:-1]
    start_level, end_level = level.shift(1).iloc[1:], level.iloc[1:]
    table = pd.DataFrame({
        "start": last.shift(1).iloc[1:].to_numpy(), "end": last.iloc[1:].to_numpy(),
        "start_level": start_level.to_numpy(), "end_level": end_level.to_numpy()})
    table["strike"] = moneyness * table["start_level"]
    table["index_return"] = table["end_level"] / table["start_level"] - 1.0
    table["payoff"] = (table["strike"] - table["end_level"]).clip(lower=0.0) / table["start_level"]
    return table


def puts_in_drawdowns(prices: pd.Series, puts: pd.DataFrame, worst: int = 5) -> pd.DataFrame:
    """The `worst` drawdown episodes of `prices` (peak to trough, daily closes) and what the
    rolling puts did over the quarters that overlap each fall (from the put bought before the
    peak to the one expiring after the trough): the index's compound return over those
    quarters, the same with each quarter's loss limited by its put (before premiums), the
    quarters, how many puts paid, and the sum of their payoffs (fractions of each start level).
    """
    episodes = drawdown_episodes(prices).head(worst)
    rows = []
    for ep in episodes.itertuples():
        overlap = puts[(puts["end"] > ep.peak) & (puts["start"] < ep.trough)]
        rows.append({
            "peak": ep.peak, "trough": ep.trough, "fall": ep.depth,
            "quarters": len(overlap), "first_put": overlap["start"].min(),
            "last_expiry": overlap["end"].max(),
            "index_over_quarters": float((1.0 + overlap["index_return"]).prod() - 1.0),
            "with_puts_before_premiums": float(
                (1.0 + overlap["index_return"] + overlap["payoff"]).prod() - 1.0),
            "puts_paid": int((overlap["payoff"] > 0).sum()),
            "payoffs_sum": float(overlap["payoff"].sum()),
        })
    return pd.DataFrame(rows)
