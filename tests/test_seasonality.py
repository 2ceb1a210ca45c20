"""Calendar-month effects: hand-computed means, a permutation p-value that behaves, and
invariants under hypothesis."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.analytics.seasonality import calendar_month_profile, month_effect


def _monthly(values: list[float], start: str = "2000-01") -> pd.Series:
    return pd.Series(values, index=pd.period_range(start, periods=len(values), freq="M"))


def test_profile_by_hand():
    # Two years: January 1% then 3%, every other month 0 then 2%.
    returns = _monthly([0.01] + [0.0] * 11 + [0.03] + [0.02] * 11)
    profile = calendar_month_profile(returns)
    assert profile.loc[1, "mean"] == 0.02
    assert profile.loc[2, "mean"] == 0.01
    assert profile.loc[1, "count"] == 2
    assert profile.loc[2, "share_positive"] == 0.5
    assert np.isclose(profile.loc[1, "sem"], np.std([0.01, 0.03], ddof=1) / np.sqrt(2))


def test_month_effect_by_hand():
    returns = _monthly([0.01, 0.02, 0.03, 0.04, 0.05, 0.06, 0.07, 0.08, 0.09, 0.10, 0.11, 0.12,
                        0.01, 0.02, 0.03, 0.04, 0.05, 0.10, 0.07, 0.08, 0.09, 0.10, 0.11, 0.12])
    effect = month_effect(returns, 6, permutations=2000)
    assert effect.n_in == 2 and effect.n_out == 22
    assert np.isclose(effect.mean_in, 0.08)
    others = [v for i, v in enumerate(returns) if (i % 12) != 5]
    assert np.isclose(effect.mean_out, np.mean(others))
    assert np.isclose(effect.difference, 0.08 - np.mean(others))


def test_a_huge_june_effect_is_reliable_and_none_is_not():
    rng = np.random.default_rng(1)
    noise = rng.normal(0, 0.01, 240)
    months = pd.period_range("2000-01", periods=240, freq="M")
    boosted = pd.Series(noise + np.where(months.month == 6, 0.05, 0.0), index=months)
    assert month_effect(boosted, 6).reliable
    assert month_effect(boosted, 6).p_value < 0.001
    assert not month_effect(pd.Series(noise, index=months), 6).reliable


def test_same_seed_same_p_value():
    returns = _monthly(list(np.random.default_rng(2).normal(0, 0.05, 120)))
    assert month_effect(returns, 6).p_value == month_effect(returns, 6).p_value


@settings(max_examples=30, deadline=None)
@given(st.lists(st.floats(-0.3, 0.3), min_size=36, max_size=72), st.floats(-0.05, 0.05))
def test_shifting_every_return_changes_neither_gap_nor_p(values, shift):
    returns = _monthly(values)
    base = month_effect(returns, 6, permutations=500)
    moved = month_effect(returns + shift, 6, permutations=500)
    assert np.isclose(base.difference, moved.difference, atol=1e-12)
    assert abs(base.p_value - moved.p_value) <= 0.002  # float ties at the boundary only
    assert 0.0 <= base.p_value <= 1.0
