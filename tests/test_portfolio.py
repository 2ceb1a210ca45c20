"""generator/analytics/portfolio.py: hand-checked mixes and hypothesis invariants."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.analytics.portfolio import (
    core_satellite_grid,
    daily_reset_leveraged,
    dca_vs_lump_sum,
    first_trading_day_of_each_year,
    rebalanced_holdings,
    rebalanced_value,
)


def _prices(*columns: list[float], start: str = "2020-12-30") -> pd.DataFrame:
    index = pd.bdate_range(start, periods=len(columns[0]))
    return pd.DataFrame({name: values for name, values in zip("ab", columns, strict=False)},
                        index=index)


def test_first_trading_day_of_each_year() -> None:
    index = pd.DatetimeIndex(["2020-12-30", "2020-12-31", "2021-01-04", "2021-01-05",
                              "2022-01-03", "2022-06-01"])
    assert list(first_trading_day_of_each_year(index)) == [
        pd.Timestamp("2020-12-30"), pd.Timestamp("2021-01-04"), pd.Timestamp("2022-01-03")]


def test_rebalanced_mix_by_hand() -> None:
    # a doubles by day 2 while b stays flat; 50/50, reset at the close of day 2.
    prices = _prices([100.0, 150.0, 200.0, 100.0], [50.0, 50.0, 50.0, 50.0])
    value = rebalanced_value(prices, {"a": 0.5, "b": 0.5}, [prices.index[2]])
    # Day 1: 0.5*1.5 + 0.5 = 1.25; day 2: 0.5*2 + 0.5 = 1.5, then reset to 0.75/0.75;
    # day 3: a halves -> 0.375 + 0.75 = 1.125.
    assert value.to_list() == pytest.approx([1.0, 1.25, 1.5, 1.125])
    # Without the reset a halving from 2.0 would leave 0.5*1 + 0.5 = 1.0.
    drifted = rebalanced_value(prices, {"a": 0.5, "b": 0.5}, [])
    assert drifted.iloc[-1] == pytest.approx(1.0)


def test_weights_are_checked() -> None:
    prices = _prices([1.0, 2.0], [1.0, 1.0])
    with pytest.raises(ValueError, match="sum to 1"):
        rebalanced_value(prices, {"a": 0.6, "b": 0.6}, [])
    with pytest.raises(ValueError, match="negative"):
        rebalanced_value(prices, {"a": 1.5, "b": -0.5}, [])
    with pytest.raises(ValueError, match="not in the prices"):
        rebalanced_value(prices, {"a": 0.5, "c": 0.5}, [])


price_paths = st.lists(st.floats(min_value=0.5, max_value=2.0), min_size=3, max_size=60)


@st.composite
def two_paths(draw: st.DrawFn) -> pd.DataFrame:
    """Two positive price paths on business days spanning a year-end."""
    steps = draw(price_paths)
    other = draw(st.lists(st.floats(min_value=0.5, max_value=2.0), min_size=len(steps),
                          max_size=len(steps)))
    a = 100.0 * np.cumprod(np.clip(np.array(steps), 0.8, 1.25))
    b = 50.0 * np.cumprod(np.clip(np.array(other), 0.8, 1.25))
    return _prices(list(a), list(b), start="2020-12-15")


shares = st.floats(min_value=0.0, max_value=1.0)


@settings(max_examples=60, deadline=None)
@given(two_paths())
def test_zero_satellite_equals_the_core(prices: pd.DataFrame) -> None:
    resets = first_trading_day_of_each_year(prices.index)[1:]
    value = rebalanced_value(prices, {"a": 1.0, "b": 0.0}, resets)
    np.testing.assert_allclose(value.to_numpy(), (prices["a"] / prices["a"].iloc[0]).to_numpy(),
                               rtol=1e-12)


@settings(max_examples=60, deadline=None)
@given(two_paths(), shares)
def test_weights_sum_to_one_and_reset_to_target(prices: pd.DataFrame, share: float) -> None:
    resets = list(prices.index[::5][1:])
    holdings = rebalanced_holdings(prices, {"a": 1.0 - share, "b": share}, resets)
    weights = holdings.div(holdings.sum(axis=1), axis=0)
    np.testing.assert_allclose(weights.sum(axis=1).to_numpy(), 1.0, rtol=1e-12)
    for date in [prices.index[0], *resets]:
        assert weights.loc[date, "b"] == pytest.approx(share, abs=1e-12)


@settings(max_examples=60, deadline=None)
@given(price_paths, shares)
def test_two_identical_series_give_that_series(steps: list[float], share: float) -> None:
    path = list(100.0 * np.cumprod(np.clip(np.array(steps), 0.8, 1.25)))
    prices = _prices(path, path, start="2020-12-15")
    resets = first_trading_day_of_each_year(prices.index)[1:]
    value = rebalanced_value(prices, {"a": 1.0 - share, "b": share}, resets)
    np.testing.assert_allclose(value.to_numpy(), (prices["a"] / prices["a"].iloc[0]).to_numpy(),
                               rtol=1e-12)


@settings(max_examples=60, deadline=None)
@given(two_paths(), shares)
def test_each_day_lies_between_the_assets(prices: pd.DataFrame, share: float) -> None:
    """With no leverage or shorting, a day's portfolio return is a weighted average of the
    assets' returns, so it lies between them."""
    resets = first_trading_day_of_each_year(prices.index)[1:]
    daily = rebalanced_value(prices, {"a": 1.0 - share, "b": share}, resets).pct_change()
    assets = prices.pct_change()
    low, high = assets.min(axis=1), assets.max(axis=1)
    inside = (daily >= low - 1e-12) & (daily <= high + 1e-12)
    assert inside.iloc[1:].all()


def test_core_satellite_grid_zero_row_is_the_core_cagr() -> None:
    index = pd.bdate_range("2019-01-01", "2021-12-31")
    core = pd.Series(np.linspace(100, 160, len(index)), index=index)
    satellite = pd.Series(np.linspace(100, 90, len(index)), index=index)
    grid = core_satellite_grid(core, satellite, (0.0, 0.5))
    years = (index[-1] - index[0]).days / 365.25
    assert grid.loc[0, "cagr"] == pytest.approx(1.6 ** (1 / years) - 1)
    assert grid.loc[0, "final_value"] == pytest.approx(16_000.0)
    # Both rows have complete years 2020 and 2021 only (2019 has no prior year-end).
    assert grid.loc[1, "worst_year"] in (2020, 2021)
    assert list(grid["small_cap_share"]) == [0.0, 0.5]


def test_daily_reset_leverage_by_hand() -> None:
    prices = pd.Series([100.0, 110.0, 99.0], index=pd.bdate_range("2021-01-04", periods=3))
    path = daily_reset_leveraged(prices, 3.0)
    assert path.to_list() == pytest.approx([1.0, 1.3, 0.91])


def test_dca_vs_lump_sum_by_hand() -> None:
    # Month-end closes 100, 50, 100, 200; May is still in progress on the last date, so ignored.
    index = pd.DatetimeIndex(["2021-01-29", "2021-02-26", "2021-03-31", "2021-04-30",
                              "2021-05-03"])
    prices = pd.Series([100.0, 50.0, 100.0, 200.0, 210.0], index=index)
    table = dca_vs_lump_sum(prices, months=2)
    # Start Jan: lump 100 -> 100 (x1.0); DCA buys at 100 and 50, valued at 100:
    # (1 + 2) / 2 = 1.5. Start Feb: lump 50 -> 200 (x4); DCA (4 + 2) / 2 = 3.
    assert table["lump_sum"].to_list() == pytest.approx([1.0, 4.0])
    assert table["dca"].to_list() == pytest.approx([1.5, 3.0])
    assert table["lump_sum_wins"].to_list() == [False, True]
    assert table["end"].iloc[-1] == pd.Timestamp("2021-04-30")
