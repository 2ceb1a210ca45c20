"""Spike events: thresholds from earlier data only, one event per episode."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.analytics.threshold_events import expanding_threshold, spike_events


def _series(values: list[float]) -> pd.Series:
    return pd.Series(values, index=pd.bdate_range("2020-01-01", periods=len(values)),
                     dtype=float)


def test_threshold_uses_only_earlier_days():
    values = _series([1, 2, 3, 4, 100])
    limit = expanding_threshold(values, 0.5, 3)
    assert np.isnan(limit.iloc[2])  # only two earlier observations
    assert limit.iloc[3] == 2.0  # median of 1, 2, 3
    assert limit.iloc[4] == 2.5  # median of 1..4: the 100 itself is not included


def test_two_spikes_separated_by_a_calm_spell():
    calm = [1.0] * 10
    values = _series([*calm, 5.0, 6.0, *calm, 7.0])
    events = spike_events(values, quantile=0.9, min_history=5, reset_days=5)
    assert list(events.index) == [values.index[10], values.index[22]]
    assert events["value"].tolist() == [5.0, 7.0]


def test_a_second_jump_without_calm_is_the_same_episode():
    values = _series([1.0] * 10 + [5.0, 1.0, 1.0, 6.0])
    events = spike_events(values, quantile=0.9, min_history=5, reset_days=5)
    assert len(events) == 1


@settings(max_examples=40, deadline=None)
@given(st.lists(st.floats(0.5, 20.0), min_size=30, max_size=80), st.integers(1, 20))
def test_future_data_never_changes_past_events(values, extra):
    series = _series(values)
    cut = len(values) - min(extra, len(values) - 1)
    early = spike_events(series.iloc[:cut], 0.8, 10, 3)
    full = spike_events(series, 0.8, 10, 3)
    assert full.loc[: series.index[cut - 1]].equals(early)
