"""Histograms, worst periods and time below a high, by hand and by invariant."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.analytics.distribution import histogram, share_at_or_below, worst


def test_histogram_bins_are_half_open_multiples_of_the_width():
    values = pd.Series([-0.03, -0.01, 0.0, 0.019, 0.02, 0.05])
    table = histogram(values, 0.02)
    assert table["left"].tolist() == pytest.approx([-0.04, -0.02, 0.0, 0.02, 0.04])
    # -0.03 -> [-0.04,-0.02); -0.01 -> [-0.02,0); 0.0 and 0.019 -> [0,0.02); 0.02 -> [0.02,
    # 0.04); 0.05 -> [0.04,0.06).
    assert table["count"].tolist() == [1, 1, 2, 1, 1]
    assert table["share"].sum() == pytest.approx(1.0)


def test_histogram_can_share_bins_across_two_series():
    a = histogram(pd.Series([0.01]), 0.02, low=-0.05, high=0.05)
    b = histogram(pd.Series([-0.045, 0.049]), 0.02, low=-0.05, high=0.05)
    assert a["left"].tolist() == b["left"].tolist()
    assert b["count"].sum() == 2


@settings(max_examples=60, deadline=None)
@given(st.lists(st.floats(-0.5, 0.5, allow_nan=False), min_size=1, max_size=200))
def test_every_value_lands_in_exactly_one_bin(values):
    table = histogram(pd.Series(values), 0.02)
    assert int(table["count"].sum()) == len(values)
    assert table["share"].sum() == pytest.approx(1.0)
    assert np.allclose(table["right"] - table["left"], 0.02)


def test_worst_is_smallest_first():
    values = pd.Series([0.1, -0.3, -0.1, -0.2], index=list("abcd"))
    assert worst(values, 2).index.tolist() == ["b", "d"]


def test_share_at_or_below_counts_the_threshold_itself():
    drawdowns = pd.Series([0.0, -0.1, -0.2, -0.05])
    assert share_at_or_below(drawdowns, (-0.1, -0.3)) == {-0.1: 0.5, -0.3: 0.0}
