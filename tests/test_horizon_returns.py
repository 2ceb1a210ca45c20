"""Returns over fixed horizons, by hand."""

from __future__ import annotations

import math

import pandas as pd

from generator.analytics.horizon_returns import (
    forward_return,
    forward_returns,
    month_end_prices,
    rolling_horizon_returns,
)

DAYS = pd.to_datetime(["2020-01-15", "2020-01-31", "2020-02-14", "2020-02-28", "2020-03-31",
                       "2020-04-30", "2020-07-31"])
PRICES = pd.Series([100.0, 110.0, 90.0, 99.0, 120.0, 60.0, 150.0], index=DAYS)


def test_month_end_prices_take_each_months_last_close():
    ends = month_end_prices(PRICES)
    assert list(ends) == [110.0, 99.0, 120.0, 60.0, 150.0]
    assert str(ends.index[0]) == "2020-01"


def test_rolling_horizon_returns():
    ends = month_end_prices(PRICES)
    two = rolling_horizon_returns(ends, 2)
    assert math.isclose(two.iloc[0], 120.0 / 110.0 - 1)  # Jan -> Mar
    assert len(two) == 3


def test_forward_return_uses_last_close_on_or_before_each_end():
    # From 2020-01-31 (110) three months on is 2020-04-30 (60).
    assert math.isclose(forward_return(PRICES, pd.Timestamp("2020-01-31"), 3), 60 / 110 - 1)
    # A start between closes uses the close before it (2020-02-14: 90); one month on is
    # 2020-03-20, whose last close on or before is 2020-02-28 (99).
    assert math.isclose(forward_return(PRICES, pd.Timestamp("2020-02-20"), 1), 99 / 90 - 1)


def test_forward_return_is_nan_past_the_data():
    assert math.isnan(forward_return(PRICES, pd.Timestamp("2020-06-30"), 3))
    table = forward_returns(PRICES, pd.DatetimeIndex(["2020-01-31", "2020-06-30"]), (1, 12))
    assert list(table.columns) == ["m1", "m12"]
    assert table["m12"].isna().all()
