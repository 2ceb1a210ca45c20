"""Analytics on hand-made series with hand-computed answers, and hypothesis invariants."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.analytics.cycle import recession_periods
from generator.analytics.returns import (
    cagr,
    calendar_month_returns,
    calendar_year_returns,
    compound,
    simple_returns,
    total_return,
    trailing_return,
    year_to_date,
)
from generator.analytics.risk import (
    annualised_volatility,
    drawdown,
    drawdown_episodes,
    max_drawdown,
)


def series(values: list[float], start: str = "2020-01-01", freq: str = "D") -> pd.Series:
    return pd.Series(values, index=pd.date_range(start, periods=len(values), freq=freq))


def test_simple_and_total_return_by_hand():
    prices = series([100.0, 110.0, 99.0])
    assert simple_returns(prices).tolist() == pytest.approx([0.10, -0.10])
    assert total_return(prices) == pytest.approx(-0.01)


def test_calendar_year_return_is_last_close_over_previous_last_close():
    prices = pd.Series(
        [100.0, 120.0, 90.0, 135.0, 140.0],
        index=pd.to_datetime(["2019-06-03", "2019-12-31", "2020-06-30", "2020-12-31",
                              "2021-03-01"]))
    returns = calendar_year_returns(prices)
    # 2019 has no previous year-end; 2021 is not over: only 2020 counts.
    assert returns.index.tolist() == [2020]
    assert returns.loc[2020] == pytest.approx(135.0 / 120.0 - 1)


def test_calendar_year_uses_the_last_trading_day_not_december_31():
    prices = pd.Series([50.0, 55.0, 66.0, 70.0], index=pd.to_datetime(
        ["2021-12-30", "2022-12-29", "2023-12-28", "2024-01-02"]))
    assert calendar_year_returns(prices).to_dict() == pytest.approx({2022: 0.10, 2023: 0.20})


def test_calendar_month_returns_drop_the_unfinished_month():
    prices = pd.Series([10.0, 11.0, 12.1, 12.0], index=pd.to_datetime(
        ["2024-01-31", "2024-02-29", "2024-03-28", "2024-04-05"]))
    months = calendar_month_returns(prices)
    assert [str(p) for p in months.index] == ["2024-02", "2024-03"]
    assert months.tolist() == pytest.approx([0.10, 0.10])


def test_cagr_doubling_over_four_years_of_365_25_days():
    prices = pd.Series([100.0, 200.0], index=pd.to_datetime(["2000-01-01", "2004-01-01"]))
    assert cagr(prices) == pytest.approx(2 ** 0.25 - 1, rel=1e-3)


def test_year_to_date_and_trailing_one_year():
    prices = pd.Series([100.0, 80.0, 120.0], index=pd.to_datetime(
        ["2022-12-29", "2023-06-30", "2023-12-29"]))
    assert year_to_date(prices.iloc[:2]) == pytest.approx(-0.20)
    assert trailing_return(prices, 1) == pytest.approx(0.20)
    assert trailing_return(prices, 3) is None  # not enough history


def test_drawdown_of_a_hand_made_path():
    prices = series([100.0, 120.0, 90.0, 60.0, 130.0, 117.0])
    assert drawdown(prices).tolist() == pytest.approx([0, 0, -0.25, -0.5, 0, -0.1])
    assert max_drawdown(prices) == pytest.approx(-0.5)
    episodes = drawdown_episodes(prices)
    first = episodes.iloc[0]
    assert first.depth == pytest.approx(-0.5)
    assert (first.peak, first.trough, first.recovery) == tuple(prices.index[[1, 3, 4]])
    assert (first.days_to_trough, first.days_to_recover) == (2, 1)
    last = episodes.iloc[1]
    assert last.depth == pytest.approx(-0.1) and pd.isna(last.recovery)


def test_annualised_volatility_uses_sample_std_and_sqrt_252():
    returns = pd.Series([0.01, -0.01, 0.01, -0.01])
    expected = np.std([0.01, -0.01, 0.01, -0.01], ddof=1) * math.sqrt(252)
    assert annualised_volatility(returns) == pytest.approx(expected)


def test_recession_periods_from_monthly_flags():
    flags = pd.Series([0, 1, 1, 0, 0, 1], index=pd.date_range("2000-01-01", periods=6, freq="MS"))
    periods = recession_periods(flags)
    assert periods["start"].dt.strftime("%Y-%m-%d").tolist() == ["2000-02-01", "2000-06-01"]
    assert periods["end"].dt.strftime("%Y-%m-%d").tolist() == ["2000-03-31", "2000-06-30"]


# --- invariants ---------------------------------------------------------------------------

price_paths = st.lists(st.floats(min_value=0.5, max_value=2000.0, allow_nan=False), min_size=2,
                       max_size=60).map(lambda v: series(v))


@settings(max_examples=150, deadline=None)
@given(price_paths)
def test_drawdown_is_never_positive_and_zero_at_new_highs(prices):
    dd = drawdown(prices)
    assert (dd <= 1e-12).all()
    at_high = prices >= prices.cummax()
    assert (dd[at_high].abs() < 1e-12).all()


@settings(max_examples=150, deadline=None)
@given(price_paths, st.integers(min_value=1, max_value=58))
def test_chaining_sub_period_returns_gives_the_whole(prices, cut):
    cut = min(cut, len(prices) - 1)
    first, second = prices.iloc[: cut + 1], prices.iloc[cut:]
    chained = (1 + total_return(first)) * (1 + total_return(second)) - 1
    assert chained == pytest.approx(total_return(prices), rel=1e-9, abs=1e-12)
    assert compound(simple_returns(prices)) == pytest.approx(total_return(prices), rel=1e-9,
                                                             abs=1e-12)


@settings(max_examples=150, deadline=None)
@given(price_paths, st.floats(min_value=0.01, max_value=1000.0))
def test_scaling_prices_changes_no_return(prices, scale):
    scaled = prices * scale
    assert simple_returns(scaled).to_numpy() == pytest.approx(simple_returns(prices).to_numpy(),
                                                              rel=1e-9, abs=1e-12)
    assert max_drawdown(scaled) == pytest.approx(max_drawdown(prices), rel=1e-9, abs=1e-12)
