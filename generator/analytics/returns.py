"""Returns from prices: period, calendar, trailing and compound annual growth."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

TRADING_DAYS = 252


def simple_returns(prices: pd.Series) -> pd.Series:
    """Prices -> simple returns per observation (first observation dropped)."""
    return prices.pct_change().iloc[1:]


def total_return(prices: pd.Series) -> float:
    """Prices -> whole-period return: last / first − 1."""
    return float(prices.iloc[-1] / prices.iloc[0] - 1.0)


def compound(returns: pd.Series) -> float:
    """Returns -> the compounded return of the whole sequence: ∏(1 + r) − 1."""
    return float(np.prod(1.0 + returns.to_numpy()) - 1.0)


def years_between(start: pd.Timestamp, end: pd.Timestamp) -> float:
    """Length of a period in years of 365.25 days."""
    return (end - start).days / 365.25


def cagr(prices: pd.Series) -> float:
    """Prices -> compound annual growth rate between the first and last observation."""
    years = years_between(prices.index[0], prices.index[-1])
    if years <= 0:
        raise ValueError("cagr needs a period longer than zero days")
    return float((prices.iloc[-1] / prices.iloc[0]) ** (1.0 / years) - 1.0)


def growth_of(prices: pd.Series, amount: float = 10_000.0) -> pd.Series:
    """Prices -> value of `amount` invested at the first observation."""
    return amount * prices / prices.iloc[0]


def period_end_prices(prices: pd.Series, freq: str) -> pd.Series:
    """Prices -> the last close of each period (``"YE"`` year, ``"ME"`` month, ``"QE"`` quarter)."""
    ends = prices.groupby(prices.index.to_period(freq.rstrip("E"))).tail(1)
    return ends


def calendar_year_returns(prices: pd.Series, as_of: pd.Timestamp | None = None) -> pd.Series:
    """Prices -> price return of each *complete* calendar year, indexed by year (int).

    Year Y's return is last close of Y / last close of Y−1 − 1. A year counts only when the
    previous year-end close exists and year Y is over (`as_of`, default the last date, is
    in a later year), so a partial first or current year never appears.
    """
    as_of = as_of or prices.index[-1]
    year_end = prices.groupby(prices.index.year).last()
    returns = (year_end / year_end.shift(1) - 1.0).dropna()
    returns = returns[returns.index < as_of.year]
    returns.index = returns.index.astype(int)
    returns.index.name = "year"
    return returns


def calendar_month_returns(prices: pd.Series) -> pd.Series:
    """Prices -> return of each complete calendar month (month-end close to month-end close).

    The last month counts only if it is over, i.e. not the month of the last observation.
    """
    month_end = prices.groupby(prices.index.to_period("M")).last()
    returns = (month_end / month_end.shift(1) - 1.0).dropna()
    return returns.iloc[:-1] if len(returns) else returns


def price_on_or_before(prices: pd.Series, when: pd.Timestamp) -> tuple[pd.Timestamp, float]:
    """The last observation on or before `when` (KeyError if there is none)."""
    upto = prices.loc[:when]
    if upto.empty:
        raise KeyError(f"no observation on or before {when.date()}")
    return upto.index[-1], float(upto.iloc[-1])


def return_since(prices: pd.Series, start: pd.Timestamp) -> float:
    """Prices -> return from the last close on or before `start` to the last close."""
    _, base = price_on_or_before(prices, start)
    return float(prices.iloc[-1] / base - 1.0)


def year_to_date(prices: pd.Series) -> float:
    """Prices -> return since the last close of the previous calendar year."""
    last = prices.index[-1]
    return return_since(prices, pd.Timestamp(dt.date(last.year - 1, 12, 31)))


def trailing_return(prices: pd.Series, years: float) -> float | None:
    """Prices -> annualised return over the trailing `years` (None if history is too short).

    The start is the last close on or before (last date − years); one year or less is not
    annualised.
    """
    last = prices.index[-1]
    start = last - pd.DateOffset(months=round(years * 12))
    if prices.index[0] > start:
        return None
    start_date, base = price_on_or_before(prices, start)
    growth = float(prices.iloc[-1] / base)
    span = years_between(start_date, last)
    return growth - 1.0 if years <= 1 else growth ** (1.0 / span) - 1.0
