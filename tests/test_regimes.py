"""Average returns by the sign of a signal."""

from __future__ import annotations

import pandas as pd

from generator.analytics.regimes import change_over, regime_averages


def test_regime_averages_by_hand():
    months = pd.period_range("2020-01", periods=5, freq="M")
    returns = pd.DataFrame({"a": [0.01, 0.02, 0.03, 0.04, 0.05]}, index=months)
    signal = pd.Series([1.0, -1.0, 0.0, 2.0, None], index=months)
    table = regime_averages(returns, signal, ("up", "down"))
    assert table.loc["up", "a"] == 0.025 and table.loc["up", "count"] == 2
    assert table.loc["down", "a"] == 0.02 and table.loc["down", "count"] == 1


def test_change_over():
    series = pd.Series([1.0, 2.0, 4.0], index=pd.period_range("2020-01", periods=3, freq="M"))
    assert change_over(series, 2).iloc[-1] == 3.0
