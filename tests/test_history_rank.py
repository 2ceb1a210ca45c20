"""Percentile ranks within a series' own history."""

from __future__ import annotations

import pandas as pd
import pytest

from generator.analytics.history_rank import (
    latest_percentile_rank,
    percentile_levels,
    percentile_rank,
)


def test_percentile_rank_by_hand():
    history = pd.Series([5.0, 1.0, 3.0, None, 2.0])
    assert percentile_rank(history, 2.0) == 0.5  # 1 and 2 of four values
    assert latest_percentile_rank(history) == 0.5  # last non-missing value is 2.0
    assert percentile_rank(history, 0.0) == 0.0


def test_percentile_levels():
    levels = percentile_levels(pd.Series([1.0, 2.0, 3.0, 4.0, 5.0]), (0.5, 0.9))
    assert levels == {0.5: 3.0, 0.9: pytest.approx(4.6)}


def test_empty_history_is_an_error():
    with pytest.raises(ValueError):
        percentile_rank(pd.Series([], dtype=float), 1.0)
