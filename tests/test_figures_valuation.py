"""Valuation gauges recomputed from the raw snapshot."""

from __future__ import annotations

import pytest

from generator.topics.valuation.data import valuation_facts
from tests.snapshot_raw import figure_csv, raw_fred


def test_relative_price_on_a_known_day(built_site):
    data = figure_csv(built_site, "r2k-valuation-relative-price", index_col="date",
                      parse_dates=True)
    assert data.loc["2019-12-31", "russell_2000_over_sp_500"] == pytest.approx(1668.47 / 3230.78)


def test_spread_percentile_from_raw_fred(store, raw_dir):
    raw = raw_fred(raw_dir, "BAMLH0A0HYM2")
    facts = valuation_facts(store)["valuation"]["hy"]
    assert facts["last"] == raw.iloc[-1]
    assert facts["percentile"].value == pytest.approx((raw <= raw.iloc[-1]).mean())
    assert facts["max"] == raw.max() and str(facts["max_date"]) == str(raw.idxmax().date())
