"""Risks facts: co-movement measures by hand and the real headline numbers."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from generator.topics.risks.data import monthly_comovement, risks_facts
from tests.snapshot_raw import raw_close


def test_comovement_of_a_doubled_market_by_hand():
    days = pd.bdate_range("2020-01-01", periods=400)
    rng = np.random.default_rng(3)
    market = 100 * np.cumprod(1 + rng.normal(0, 0.01, len(days)))
    monthly_market = pd.Series(market, index=days)
    ends = monthly_market.groupby(days.to_period("M")).transform("last")
    # An asset whose month-end price moves exactly twice the market's monthly return.
    month_ends = monthly_market.groupby(days.to_period("M")).last()
    doubled = (1 + 2 * month_ends.pct_change().fillna(0)).cumprod()
    asset = pd.Series(doubled.reindex(days.to_period("M")).to_numpy(), index=days)
    prices = pd.DataFrame({"asset": asset, "market": ends})
    out = monthly_comovement(prices, "asset", "market")
    assert out["beta"] == pytest.approx(2.0)
    assert out["correlation"] == pytest.approx(1.0)
    assert out["vol_ratio"] == pytest.approx(2.0)


def test_real_headline_numbers(store, raw_dir):
    facts = risks_facts(store)["risks"]
    rut, spx = raw_close(raw_dir, "^RUT"), raw_close(raw_dir, "^GSPC")
    both = pd.concat([rut, spx], axis=1, join="inner").dropna()
    daily = both.pct_change().dropna()
    assert facts["vol_r2k"].value == pytest.approx(daily.iloc[:, 0].std() * np.sqrt(252))
    assert facts["mdd_r2k"].value == pytest.approx((both.iloc[:, 0] / both.iloc[:, 0].cummax() - 1)
                                             .min())
    assert facts["outcomes_r2k"]["worst_end"].isoformat() == "2009-02-28"
    assert 0 < facts["outcomes_r2k"]["share_big_loss"] < facts["outcomes_r2k"]["share_loss"] < 1
    worst, best = facts["outcomes_r2k"]["worst"].value, facts["outcomes_r2k"]["best"].value
    assert facts["outcomes_r2k"]["spread"].value == pytest.approx((best - worst) * 100)
    assert str(facts["monthly"]["own_share"]) == f"{(1 - facts['monthly']['r_squared'].value):.1%}"
