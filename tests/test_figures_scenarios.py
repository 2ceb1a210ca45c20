"""Scenario views: derived events and regimes checked by hand against the raw snapshot."""

from __future__ import annotations

import pandas as pd
import pytest

from tests.snapshot_raw import figure_csv, raw_close, raw_fred


def test_known_spread_spikes(built_site, raw_dir):
    spread = raw_fred(raw_dir, "BAMLH0A0HYM2")
    data = figure_csv(built_site, "r2k-scenario-spread-spikes", index_col="date",
                      parse_dates=True)
    data.index = pd.to_datetime(data.index)
    for day in ("2008-03-14", "2016-02-09", "2020-03-16"):
        assert pd.Timestamp(day) in data.index, day
        earlier = spread.loc[:pd.Timestamp(day) - pd.Timedelta(days=1)]
        line = earlier.quantile(0.9)
        # Above the 90th percentile of all earlier days, and the day before was not.
        assert spread.loc[day] > line
        assert data.loc[day, "threshold"] == pytest.approx(line)
        assert spread.loc[:day].iloc[-2] <= earlier.iloc[:-1].quantile(0.9)
    # Nothing counted before three years of history.
    assert data.index[0] >= spread.index[0] + pd.DateOffset(years=3)
    # The 12-month return after the 2020 spike, by hand.
    rut = raw_close(raw_dir, "^RUT")
    expected = rut.loc[:"2021-03-16"].iloc[-1] / rut.loc["2020-03-16"] - 1
    assert data.loc["2020-03-16", "r2k_m12"] == pytest.approx(expected)


def test_credit_regime_counts_months_from_raw_data(built_site, raw_dir):
    spread = raw_fred(raw_dir, "BAMLH0A0HYM2")
    month_end = spread.groupby(spread.index.to_period("M")).last()
    change = month_end.diff().dropna()
    rut = raw_close(raw_dir, "^RUT")
    months = rut.groupby(rut.index.to_period("M")).last().pct_change().dropna().iloc[:-1]
    months = months[months.index.year >= 1989]
    common = change.reindex(months.index).dropna()
    data = figure_csv(built_site, "r2k-scenario-regimes").set_index("regime")
    assert data.loc["High-yield spread narrowed that month", "count"] == (common < 0).sum()
    assert data.loc["High-yield spread widened that month", "count"] == (common > 0).sum()


def test_rotation_pair_by_hand(built_site, raw_dir):
    rut, spx = raw_close(raw_dir, "^RUT"), raw_close(raw_dir, "^GSPC")
    ratio = (rut / spx).dropna()
    ends = ratio.groupby(ratio.index.to_period("M")).last()
    data = figure_csv(built_site, "r2k-scenario-rotation", index_col="month_end",
                      parse_dates=True)
    row = data.loc["2015-12-31"]
    assert row["trailing_36m"] == pytest.approx(ends["2015-12"] / ends["2012-12"] - 1)
    assert row["next_12m"] == pytest.approx(ends["2016-12"] / ends["2015-12"] - 1)
