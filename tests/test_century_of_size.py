"""A century of size and the size sections of Valuation: numbers recomputed by hand from the
raw library files (plain `csv`, not the project's parser; or, with no snapshot, the store's
tables read by pandas alone), analytics invariants, and the figures built from the filled store.
Whatever month the library's files end in (the nightly refreshes them), the hand computations
hold; the published headlines are checked for the December 2024 files."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.analytics import size as sz
from generator.figures.spec import REGISTRY
from generator.topics.century_of_size.data import century_facts, size_valuation_facts
from tests.snapshot_raw import raw_french, raw_holdings_equities

FIGURES = ("size-premium-deciles", "size-premium-rolling", "size-premium-eras",
           "size-in-dollars", "size-valuation-spread", "size-value-growth", "size-quality")


@pytest.fixture(scope="module")
def small_store(store):
    """The session's filled store (imported from the snapshot, or the nightly's copy)."""
    return store


def library_vintage(raw_dir) -> str:
    """The last month (YYYYMM) of the library files the store or snapshot holds: the headline
    figures asserted below are the ones published for the December 2024 files."""
    return max(raw_french(raw_dir, "F-F_Research_Data_Factors", "monthly", 1))


def test_decile_annualised_returns_by_hand(small_store, raw_dir):
    rows = raw_french(raw_dir, "Portfolios_Formed_on_ME", "vw", 1)
    assert min(rows) == "192607" and max(rows) >= "202412"
    assert len(rows) == (int(max(rows)[:4]) - 1926) * 12 + int(max(rows)[4:]) - 6  # no gap

    def by_hand(column: str) -> float:
        wealth = 1.0
        for month in sorted(rows):
            wealth *= 1 + rows[month][column] / 100
        return wealth ** (12 / len(rows)) - 1

    facts = century_facts(small_store)["century"]
    assert facts["small_ann"].value == pytest.approx(by_hand("Lo 10"), rel=1e-9)
    assert facts["big_ann"].value == pytest.approx(by_hand("Hi 10"), rel=1e-9)
    if max(rows) == "202412":  # the published headline: about 11.8 % a year against 9.9 %
        assert str(facts["small_ann"]) == "11.8%"
        assert str(facts["big_ann"]) == "9.9%"
    assert facts["small_won"] is (facts["small_ann"] > facts["big_ann"])
    assert facts["verdict"] == ("earned more" if facts["small_won"] else "earned less")


def test_smb_before_and_after_1982_by_hand(small_store, raw_dir):
    rows = raw_french(raw_dir, "F-F_Research_Data_Factors", "monthly", 1)
    before = [r["SMB"] for m, r in rows.items() if m < "198201"]
    after = [r["SMB"] for m, r in rows.items() if m >= "198201"]
    assert len(before) == 666 and len(after) == len(rows) - 666
    smb = century_facts(small_store)["century"]["smb"]
    assert smb["before"].value == pytest.approx(sum(before) / len(before) * 12 / 100, rel=1e-12)
    assert smb["after"].value == pytest.approx(sum(after) / len(after) * 12 / 100, rel=1e-12)
    januaries = [r["SMB"] for m, r in rows.items() if m.endswith("01")]
    assert smb["january"].value == pytest.approx(sum(januaries) / len(januaries) * 12 / 100)
    assert smb["shrank"] is (smb["after"] < smb["before"])


def test_small_over_big_book_to_market_for_a_month_by_hand(small_store, raw_dir):
    """The library's last month (and July 1926): each size quintile's BE/ME is the
    market-value-weighted average of its five book-to-market portfolios (weight = firms x
    average market cap)."""
    name = "25_Portfolios_5x5"
    beme = raw_french(raw_dir, name, "beme", 4953)
    firms = raw_french(raw_dir, name, "firms", 2577)
    caps = raw_french(raw_dir, name, "size", 3763)
    last = max(beme)

    def quintile(month: str, columns: list[str]) -> float:
        weights = [firms[month][c] * caps[month][c] for c in columns]
        return sum(w * beme[month][c] for w, c in zip(weights, columns, strict=True)) / sum(
            weights)

    small = ["SMALL LoBM", "ME1 BM2", "ME1 BM3", "ME1 BM4", "SMALL HiBM"]
    big = ["BIG LoBM", "ME5 BM2", "ME5 BM3", "ME5 BM4", "BIG HiBM"]
    facts = size_valuation_facts(small_store)["size_valuation"]
    assert facts["last"].value == pytest.approx(quintile(last, small) / quintile(last, big),
                                          rel=1e-12)
    drawn = REGISTRY["size-valuation-spread"].build(small_store)
    first = drawn.data["small_over_big_book_to_market"].iloc[0]
    assert first == pytest.approx(quintile("192607", small) / quintile("192607", big))
    ratio = drawn.data["small_over_big_book_to_market"]
    assert facts["percentile"].value == pytest.approx((ratio <= ratio.iloc[-1]).mean())
    if last == "202412":  # above the 80th percentile of its history: the rule says "cheaper"
        assert facts["percentile"] > 0.8 and facts["word"] == "cheaper than usual"


def test_russell_ranks_fall_in_the_deciles_their_firm_counts_give(small_store, raw_dir):
    counts = raw_french(raw_dir, "Portfolios_Formed_on_ME", "firms", 2577)
    firms = counts[max(counts)]
    members = len(raw_holdings_equities(raw_dir))
    order = ["Hi 10", "Dec 9", "Dec 8", "Dec 7", "Dec 6", "Dec 5", "Dec 4", "Dec 3", "Dec 2",
             "Lo 10"]
    place = century_facts(small_store)["century"]["place"]
    assert place["members"] == members  # equities in the holdings file (snapshot's: 1,924)
    assert place["month"].strftime("%Y%m") == max(counts)
    top = 0
    held = []
    for decile in order:
        low, top = top + 1, top + firms[decile]
        if top >= 1001 and low <= 1000 + members:
            held.append(decile)
    assert place["deciles"] == held


def test_every_figure_builds_with_its_csv_and_no_huge_chart(small_store, raw_dir):
    last = pd.Timestamp(library_vintage(raw_dir) + "01") + pd.offsets.MonthEnd(0)
    for figure_id in FIGURES:
        spec = REGISTRY[figure_id]
        drawn = spec.build(small_store)
        points = sum(len(t.x) for t in drawn.figure.data if getattr(t, "x", None) is not None)
        assert points <= 5000, (figure_id, points)  # aggregates, never 25 x 1,200 lines
        assert len(drawn.figure.data) <= 10
        assert "not the Russell 2000" in spec.method
        assert pd.Timestamp(drawn.as_of) == last
        takeaway = spec.say(drawn.values)  # the template in figures.yml, filled
        assert not drawn.data.empty and takeaway.endswith(".") and "{" not in takeaway
    ladder = REGISTRY["size-premium-deciles"].build(small_store).data
    assert list(ladder.columns) == [f"decile {i}" for i in range(1, 11)]
    full_years = last.year if last.month == 12 else last.year - 1
    assert ladder.index.name == "year" and ladder.index[-1] == full_years


# --- Analytics invariants ---------------------------------------------------------------------

returns = st.lists(st.floats(min_value=-30, max_value=40, allow_nan=False), min_size=24,
                   max_size=120)


@settings(max_examples=50, deadline=None)
@given(returns)
def test_annualised_matches_growth_and_ladder(values):
    index = pd.date_range("2000-01-31", periods=len(values), freq="ME")
    series = pd.Series(values, index=index)
    growth = sz.growth_of_one(series).iloc[-1]
    assert (1 + sz.annualised(series)) ** (len(values) / 12) == pytest.approx(growth, rel=1e-9)
    ladder = sz.annualised_since_start(series.to_frame("x"))
    last_december = index[index.month == 12][-1]
    assert ladder["x"].iloc[-1] == pytest.approx(sz.annualised(series[:last_december]))


@settings(max_examples=50, deadline=None)
@given(st.lists(st.integers(min_value=1, max_value=500), min_size=10, max_size=10),
       st.integers(min_value=1, max_value=2000), st.integers(min_value=0, max_value=2000))
def test_rank_buckets_cover_exactly_the_ranks(counts, first, span):
    firms = pd.Series(counts, index=[f"b{i}" for i in range(10)], dtype="float64")
    last = first + span
    held = sz.rank_range_in_buckets(firms, first, last)
    upper = firms.iloc[::-1].cumsum()
    for bucket in firms.index:
        hi = upper[bucket]
        lo = hi - firms[bucket] + 1
        assert (bucket in held) == (hi >= first and lo <= last)


def test_by_quintile_splits_history_into_fifths():
    signal = pd.Series(np.arange(100.0))
    out = pd.DataFrame({"y": np.arange(100.0)})
    table = sz.by_quintile(signal, out)
    assert table["y_count"].tolist() == [20] * 5
    assert table["y_mean"].tolist() == [9.5, 29.5, 49.5, 69.5, 89.5]
    assert sz.quintile_of(signal, 99.0) == 5 and sz.quintile_of(signal, 0.0) == 1
    assert math.isclose(sz.percentile_rank(signal), 1.0)
