"""Risks figures recomputed from the raw snapshot."""

from __future__ import annotations

import pytest

from tests.snapshot_raw import figure_csv, raw_close


def test_twelve_month_window_ending_february_2009(built_site, raw_dir):
    rut = raw_close(raw_dir, "^RUT")
    expected = rut.loc[:"2009-02-28"].iloc[-1] / rut.loc[:"2008-02-29"].iloc[-1] - 1
    data = figure_csv(built_site, "r2k-risk-12m-outcomes", index_col="window_end",
                      parse_dates=True)
    assert data.loc["2009-02-28", "russell_2000"] == pytest.approx(expected)
    buckets = figure_csv(built_site, "r2k-risk-12m-buckets")
    assert buckets["russell_2000"].sum() == pytest.approx(1.0)
    assert buckets["sp_500"].sum() == pytest.approx(1.0)
