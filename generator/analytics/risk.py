"""Risk from prices and returns: volatility, drawdowns and drawdown episodes."""

from __future__ import annotations

import numpy as np
import pandas as pd

from generator.analytics.returns import TRADING_DAYS, simple_returns


def annualised_volatility(returns: pd.Series, periods_per_year: int = TRADING_DAYS) -> float:
    """Returns -> standard deviation (ddof=1) annualised with √periods_per_year."""
    return float(returns.std(ddof=1) * np.sqrt(periods_per_year))


def rolling_volatility(returns: pd.Series, window: int = TRADING_DAYS) -> pd.Series:
    """Daily returns -> rolling annualised volatility over `window` observations."""
    return returns.rolling(window).std(ddof=1) * np.sqrt(TRADING_DAYS)


def drawdown(prices: pd.Series) -> pd.Series:
    """Prices -> drawdown from the running peak: price / running max − 1 (≤ 0, 0 at highs)."""
    return prices / prices.cummax() - 1.0


def max_drawdown(prices: pd.Series) -> float:
    """Prices -> the deepest drawdown (a negative fraction, 0 if the path never fell)."""
    return float(drawdown(prices).min())


def drawdown_episodes(prices: pd.Series) -> pd.DataFrame:
    """Prices -> one row per drawdown episode, deepest first.

    An episode runs from a closing high (peak) to the first later close at or above that high
    (recovery). Columns: ``peak``, ``trough``, ``recovery`` (NaT if not yet recovered),
    ``depth`` (fraction ≤ 0), ``days_to_trough`` and ``days_to_recover`` (trading days from the
    trough to the recovery; NaN if not recovered) and ``peak_to_recovery`` (trading days).
    """
    dd = drawdown(prices).to_numpy()
    dates = prices.index
    rows = []
    in_dd = False
    peak_i = 0
    for i, value in enumerate(dd):
        if value == 0.0:
            if in_dd:
                rows.append((peak_i, i))
                in_dd = False
            peak_i = i
        elif not in_dd:
            in_dd = True
    if in_dd:
        rows.append((peak_i, None))
    records = []
    for peak, end in rows:
        stop = end if end is not None else len(dd)
        trough = peak + int(np.argmin(dd[peak:stop]))
        records.append({
            "peak": dates[peak],
            "trough": dates[trough],
            "recovery": dates[end] if end is not None else pd.NaT,
            "depth": float(dd[trough]),
            "days_to_trough": trough - peak,
            "days_to_recover": (end - trough) if end is not None else np.nan,
            "peak_to_recovery": (end - peak) if end is not None else np.nan,
        })
    frame = pd.DataFrame.from_records(
        records, columns=["peak", "trough", "recovery", "depth", "days_to_trough",
                          "days_to_recover", "peak_to_recovery"])
    return frame.sort_values("depth", kind="stable").reset_index(drop=True)


def risk_table(prices: pd.Series, years: float) -> dict[str, float | None]:
    """Prices -> annualised volatility and max drawdown over the trailing `years`."""
    start = prices.index[-1] - pd.DateOffset(months=round(years * 12))
    if prices.index[0] > start:
        return {"volatility": None, "max_drawdown": None}
    window = prices.loc[prices.loc[:start].index[-1]:]
    return {"volatility": annualised_volatility(simple_returns(window)),
            "max_drawdown": max_drawdown(window)}
