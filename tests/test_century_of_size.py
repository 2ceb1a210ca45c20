"""A century of size and the size sections of Valuation: numbers recomputed by hand from the
raw library files (plain `csv`, not the project's parser), analytics invariants, and the
figures built from a small store (the library tables, CPI, USREC and IWM's holdings)."""

from __future__ import annotations

import csv
import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.analytics import size as sz
from generator.catalog import get
from generator.figures.spec import REGISTRY
from generator.load import import_french, import_series, load_holdings
from generator.sources.ishares import parse_holdings_csv
from generator.store import Store
from generator.topics.century_of_size.data import century_facts, size_valuation_facts

FIGURES = ("size-premium-deciles", "size-premium-rolling", "size-premium-eras",
           "size-in-dollars", "size-valuation-spread", "size-value-growth", "size-quality")


def raw_section(snapshot_dir, name: str, header_line: int) -> dict[str, dict[str, float]]:
    """Rows under the header on 1-based line `header_line` of a raw library file, by hand:
    {YYYYMM: {column: value}} until the first blank line."""
    lines = (snapshot_dir / "french" / f"{name}.csv").read_text().splitlines()
    header = [c.strip() for c in lines[header_line - 1].split(",")]
    rows = {}
    for line in lines[header_line:]:
        if not line.strip():
            break
        cells = next(csv.reader([line]))
        rows[cells[0].strip()] = {h: float(v) for h, v in zip(header[1:], cells[1:],
                                                              strict=True)}
    return rows


@pytest.fixture(scope="module")
def small_store(tmp_path_factory, snapshot_dir):
    import dataclasses

    from generator.settings import Settings as AppSettings

    root = tmp_path_factory.mktemp("century")
    settings = dataclasses.replace(AppSettings.from_env(), snapshot_dir=snapshot_dir,
                                   store_dir=root / "store")
    store = Store(settings.store_dir)
    import_french(settings, store, log=lambda _: None)
    for series in ("CPIAUCSL", "USREC"):
        import_series(settings, store, get(series))
    path = snapshot_dir / "ishares" / "IWM_holdings.csv"
    load_holdings(store, parse_holdings_csv(path), origin="snapshot", where=str(path))
    return store


def test_decile_annualised_returns_by_hand(small_store, snapshot_dir):
    rows = raw_section(snapshot_dir, "Portfolios_Formed_on_ME", 1)
    assert len(rows) == 1182 and min(rows) == "192607" and max(rows) == "202412"

    def by_hand(column: str) -> float:
        wealth = 1.0
        for month in sorted(rows):
            wealth *= 1 + rows[month][column] / 100
        return wealth ** (12 / len(rows)) - 1

    facts = century_facts(small_store)["century"]
    assert facts["small_ann"] == pytest.approx(by_hand("Lo 10"), rel=1e-9)
    assert facts["big_ann"] == pytest.approx(by_hand("Hi 10"), rel=1e-9)
    # The published headline: smallest decile about 11.8 % a year, largest about 9.9 %.
    assert round(facts["small_ann"] * 100, 1) == 11.8 and round(facts["big_ann"] * 100, 1) == 9.9
    assert facts["small_won"] and facts["verdict"] == "earned more"


def test_smb_before_and_after_1982_by_hand(small_store, snapshot_dir):
    rows = raw_section(snapshot_dir, "F-F_Research_Data_Factors", 1)
    before = [r["SMB"] for m, r in rows.items() if m < "198201"]
    after = [r["SMB"] for m, r in rows.items() if m >= "198201"]
    assert len(before) == 666 and len(after) == 516
    smb = century_facts(small_store)["century"]["smb"]
    assert smb["before"] == pytest.approx(sum(before) / len(before) * 12 / 100, rel=1e-12)
    assert smb["after"] == pytest.approx(sum(after) / len(after) * 12 / 100, rel=1e-12)
    januaries = [r["SMB"] for m, r in rows.items() if m.endswith("01")]
    assert smb["january"] == pytest.approx(sum(januaries) / len(januaries) * 12 / 100)
    assert smb["shrank"] is (smb["after"] < smb["before"])


def test_small_over_big_book_to_market_for_a_month_by_hand(small_store, snapshot_dir):
    """December 2024 (and July 1926): each size quintile's BE/ME is the market-value-weighted
    average of its five book-to-market portfolios (weight = firms x average market cap)."""
    name = "25_Portfolios_5x5"
    beme = raw_section(snapshot_dir, name, 4953)
    firms = raw_section(snapshot_dir, name, 2577)
    caps = raw_section(snapshot_dir, name, 3763)

    def quintile(month: str, columns: list[str]) -> float:
        weights = [firms[month][c] * caps[month][c] for c in columns]
        return sum(w * beme[month][c] for w, c in zip(weights, columns, strict=True)) / sum(
            weights)

    small = ["SMALL LoBM", "ME1 BM2", "ME1 BM3", "ME1 BM4", "SMALL HiBM"]
    big = ["BIG LoBM", "ME5 BM2", "ME5 BM3", "ME5 BM4", "BIG HiBM"]
    facts = size_valuation_facts(small_store)["size_valuation"]
    assert facts["last"] == pytest.approx(quintile("202412", small) / quintile("202412", big),
                                          rel=1e-12)
    drawn = REGISTRY["size-valuation-spread"].build(small_store)
    first = drawn.data["small_over_big_book_to_market"].iloc[0]
    assert first == pytest.approx(quintile("192607", small) / quintile("192607", big))
    ratio = drawn.data["small_over_big_book_to_market"]
    assert facts["percentile"] == pytest.approx((ratio <= ratio.iloc[-1]).mean())
    # December 2024 sits above the 80th percentile of its history: the rule says "cheaper".
    assert facts["percentile"] > 0.8 and facts["word"] == "cheaper than usual"


def test_russell_ranks_fall_in_the_deciles_their_firm_counts_give(small_store, snapshot_dir):
    firms = raw_section(snapshot_dir, "Portfolios_Formed_on_ME", 2577)["202412"]
    order = ["Hi 10", "Dec 9", "Dec 8", "Dec 7", "Dec 6", "Dec 5", "Dec 4", "Dec 3", "Dec 2",
             "Lo 10"]
    place = century_facts(small_store)["century"]["place"]
    assert place["members"] == 1924  # equities in the holdings file (PROVENANCE: 1,924)
    top = 0
    held = []
    for decile in order:
        low, top = top + 1, top + firms[decile]
        if top >= 1001 and low <= 1000 + 1924:
            held.append(decile)
    assert place["deciles"] == held


def test_every_figure_builds_with_its_csv_and_no_huge_chart(small_store):
    for figure_id in FIGURES:
        spec = REGISTRY[figure_id]
        drawn = spec.build(small_store)
        points = sum(len(t.x) for t in drawn.figure.data if getattr(t, "x", None) is not None)
        assert points <= 5000, (figure_id, points)  # aggregates, never 25 x 1,200 lines
        assert len(drawn.figure.data) <= 10
        assert "not the Russell 2000" in spec.method
        assert str(drawn.as_of) == "2024-12-31"
        assert not drawn.data.empty and drawn.takeaway
    ladder = REGISTRY["size-premium-deciles"].build(small_store).data
    assert list(ladder.columns) == [f"decile {i}" for i in range(1, 11)]
    assert ladder.index.name == "year" and ladder.index[-1] == 2024


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
