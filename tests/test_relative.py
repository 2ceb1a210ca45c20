"""Relative lines, rolling gaps, correlation and beta: by hand and by invariant."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.analytics.relative import (
    period_end_prices,
    relative_line,
    returns_by_regime,
    rolling_annualised_return,
    rolling_beta,
    rolling_correlation,
    rolling_return_difference,
)

returns_lists = st.lists(st.floats(-0.1, 0.1, allow_nan=False), min_size=30, max_size=80)


def days(values, start: str = "2020-01-01") -> pd.Series:
    return pd.Series(values, index=pd.bdate_range(start, periods=len(values)), dtype=float)


def prices_from(returns: list[float]) -> pd.Series:
    return days(100.0 * np.cumprod(1.0 + np.array(returns)))


def test_relative_line_by_hand():
    small = days([10.0, 11.0, 12.1])
    large = days([100.0, 100.0, 110.0])
    line = relative_line(small, large)
    assert line.tolist() == pytest.approx([100.0, 110.0, 110.0])


def test_relative_line_uses_shared_dates_only():
    small = days([10.0, 11.0, 12.0])
    large = days([5.0, 5.0], start="2020-01-02")
    assert len(relative_line(small, large)) == 2


@settings(max_examples=50, deadline=None)
@given(returns_lists, returns_lists, st.floats(0.01, 100.0), st.floats(0.01, 100.0))
def test_relative_line_ignores_price_scale_and_is_flat_against_itself(a, b, ka, kb):
    n = min(len(a), len(b))
    small, large = prices_from(a[:n]), prices_from(b[:n])
    assert np.allclose(relative_line(small * ka, large * kb), relative_line(small, large))
    assert np.allclose(relative_line(small, small), 100.0)


def test_rolling_annualised_return_of_steady_growth():
    prices = days(100.0 * 1.001 ** np.arange(300))
    out = rolling_annualised_return(prices, 252)
    assert out.dropna().to_numpy() == pytest.approx(1.001 ** 252 - 1)


@settings(max_examples=50, deadline=None)
@given(returns_lists)
def test_a_series_has_no_return_gap_with_itself(returns):
    prices = prices_from(returns)
    assert np.allclose(rolling_return_difference(prices, prices * 3.0, 10), 0.0)


@settings(max_examples=60, deadline=None)
@given(returns_lists, st.floats(0.1, 5.0))
def test_beta_and_correlation_against_itself_and_a_scaled_copy(returns, k):
    r = days(returns)
    if r.rolling(20).std().min() < 1e-6:  # a flat window has no defined beta
        return
    assert np.allclose(rolling_beta(r, r, 20), 1.0)
    assert np.allclose(rolling_correlation(r, r, 20), 1.0)
    assert np.allclose(rolling_beta(k * r, r, 20), k)  # k-times the moves, beta k
    assert np.allclose(rolling_correlation(k * r, r, 20), 1.0)


def test_beta_by_hand():
    large = days([0.01, -0.02, 0.03, 0.0])
    small = 1.5 * large + days([0.001, -0.001, 0.001, -0.001])
    beta = rolling_beta(small, large, 4).iloc[-1]
    cov = np.cov(small, large, ddof=1)
    assert beta == pytest.approx(cov[0, 1] / cov[1, 1])


def test_period_end_prices_week_and_month():
    prices = pd.Series([1.0, 2.0, 3.0, 4.0], index=pd.to_datetime(
        ["2024-01-29", "2024-01-31", "2024-02-02", "2024-02-05"]))
    assert period_end_prices(prices, "W").tolist() == [3.0, 4.0]  # Mon-Sun weeks
    assert period_end_prices(prices, "M").tolist() == [2.0, 4.0]


def test_returns_by_regime_by_hand():
    months = pd.period_range("2020-01", periods=5, freq="M")
    rel = pd.Series([0.01, -0.02, 0.03, 0.0, 0.02], index=months)
    change = pd.Series([0.6, -0.7, 0.1, 0.5, np.nan], index=months)
    table = returns_by_regime(rel, change, 0.5)
    assert table.loc["rising", "periods"] == 2  # 0.6 and exactly 0.5
    assert table.loc["rising", "mean"] == pytest.approx(0.005)
    assert table.loc["falling", "mean"] == pytest.approx(-0.02)
    assert table.loc["little changed", "share_small_won"] == 1.0
    assert table["periods"].sum() == 4  # the month without a change is left out
