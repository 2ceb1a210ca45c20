"""Returns over fixed calendar periods: decades and rolling multi-year windows (from prices)."""

from __future__ import annotations

import pandas as pd

from generator.analytics.returns import years_between


def decade_returns(prices: pd.Series) -> pd.DataFrame:
    """Prices -> one row per decade the series touches, by decade start year (1990 = the 1990s).

    A decade runs from the last close of the year before it (1989's last close for the 1990s)
    to its own last close (1999's). Where the data starts later or ends earlier, the decade is
    measured over what there is and ``complete`` is False. Columns: ``start`` and ``end`` (dates
    of the two closes), ``cumulative`` and ``annualised`` (fractions; annualised over years of
    365.25 days), ``complete`` (bool).
    """
    prices = prices.dropna()
    first_year, last_year = prices.index[0].year, prices.index[-1].year
    rows = []
    for decade in range(first_year // 10 * 10, last_year // 10 * 10 + 1, 10):
        before = prices.loc[:f"{decade - 1}-12-31"]
        inside = prices.loc[f"{decade}-01-01":f"{decade + 9}-12-31"]
        if inside.empty:
            continue
        start_date = before.index[-1] if not before.empty else inside.index[0]
        end_date = inside.index[-1]
        if end_date <= start_date:
            continue
        # Complete only with the close before it and data from after its last year: the last
        # close of an unfinished final year does not close the decade.
        complete = not before.empty and prices.index[-1] >= pd.Timestamp(f"{decade + 10}-01-01")
        growth = float(prices.loc[end_date] / prices.loc[start_date])
        years = years_between(start_date, end_date)
        rows.append({"decade": decade, "start": start_date, "end": end_date,
                     "cumulative": growth - 1.0, "annualised": growth ** (1.0 / years) - 1.0,
                     "complete": complete})
    return pd.DataFrame(rows).set_index("decade")


def month_end_prices(prices: pd.Series) -> pd.Series:
    """Prices -> the last close of each calendar month, indexed by that close's date."""
    return prices.groupby(pd.DatetimeIndex(prices.index).to_period("M")).tail(1)


def rolling_window_returns(prices: pd.Series, years: int) -> pd.Series:
    """Prices -> annualised return over every window of `years` × 12 months, month-end close to
    month-end close, stepping one month at a time; indexed by the window's end date. The month
    of the last observation is not over, so no window ends in it.

    Windows overlap, so neighbouring values share almost all of their months."""
    ends = month_end_prices(prices.dropna()).iloc[:-1]
    months = years * 12
    growth = ends / ends.shift(months)
    return (growth ** (1.0 / years) - 1.0).dropna()
