"""Decade returns and rolling multi-year windows, on hand-made prices and invariants."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.analytics.periods import decade_returns, month_end_prices, rolling_window_returns


def test_decade_runs_from_the_previous_year_end_close_to_its_own_last_close():
    prices = pd.Series([100.0, 50.0, 200.0, 300.0, 330.0], index=pd.to_datetime(
        ["1989-06-30", "1989-12-29", "1995-06-30", "1999-12-31", "2000-03-31"]))
    table = decade_returns(prices)
    # The 1980s start late (data begins in June 1989); the 1990s are complete; the 2000s run
    # to date.
    assert table.index.tolist() == [1980, 1990, 2000]
    assert table.loc[1990, "cumulative"] == pytest.approx(300.0 / 50.0 - 1)
    assert table.loc[1990, "start"] == pd.Timestamp("1989-12-29")
    assert bool(table.loc[1990, "complete"]) is True
    assert bool(table.loc[1980, "complete"]) is False
    assert bool(table.loc[2000, "complete"]) is False
    assert table.loc[2000, "cumulative"] == pytest.approx(0.10)
    years = (pd.Timestamp("1999-12-31") - pd.Timestamp("1989-12-29")).days / 365.25
    assert table.loc[1990, "annualised"] == pytest.approx(6.0 ** (1 / years) - 1)


def test_a_decade_ending_on_the_last_close_of_an_unfinished_year_is_not_complete():
    prices = pd.Series([100.0, 120.0, 130.0], index=pd.to_datetime(
        ["2009-12-31", "2015-01-02", "2019-06-28"]))
    assert bool(decade_returns(prices).loc[2010, "complete"]) is False


def test_rolling_window_uses_month_end_closes_and_skips_the_unfinished_month():
    index = pd.date_range("2000-01-31", periods=26, freq="ME")
    prices = pd.Series(100.0 * 1.01 ** np.arange(26), index=index)
    # An extra mid-month close: its month is unfinished, so no window ends there.
    prices.loc[pd.Timestamp("2002-03-15")] = 999.0
    windows = rolling_window_returns(prices, 2)
    assert len(windows) == 26 - 24
    assert windows.index[0] == pd.Timestamp("2002-01-31")
    assert windows.iloc[0] == pytest.approx(1.01 ** 12 - 1)


def test_month_end_prices_take_the_last_close_of_each_month():
    prices = pd.Series([1.0, 2.0, 3.0], index=pd.to_datetime(
        ["2024-01-02", "2024-01-30", "2024-02-05"]))
    assert month_end_prices(prices).tolist() == [2.0, 3.0]


@settings(max_examples=40, deadline=None)
@given(st.lists(st.floats(-0.2, 0.2), min_size=40, max_size=60),
       st.floats(0.01, 1000.0))
def test_rolling_windows_ignore_the_price_scale(returns, scale):
    index = pd.date_range("2001-01-31", periods=len(returns), freq="ME")
    prices = pd.Series(100.0 * np.cumprod(1.0 + np.array(returns)), index=index)
    a = rolling_window_returns(prices, 2)
    b = rolling_window_returns(prices * scale, 2)
    assert np.allclose(a.to_numpy(), b.to_numpy(), rtol=1e-9, atol=1e-12)
