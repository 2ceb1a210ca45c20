"""The year-in-review page: generator/analytics/review.py by hand, and the page's figures
against values computed here from the raw snapshot files."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from generator.analytics.review import (
    deepest_fall,
    period_window,
    quarter_returns,
    rate_move,
    record_closes,
    review_years,
)
from generator.settings import Settings
from tests.snapshot_raw import raw_close, raw_fred


def _series(values: dict[str, float]) -> pd.Series:
    return pd.Series(values).rename(index=pd.Timestamp).astype(float)


def test_review_years_follow_the_data() -> None:
    assert review_years(pd.Timestamp("2026-08-21")) == (2025, 2026)
    assert review_years(pd.Timestamp("2027-01-04")) == (2026, 2027)
    # 31 December is not known to be the year's last close until the next year starts.
    assert review_years(pd.Timestamp("2026-12-31")) == (2025, 2026)


def test_quarter_returns_by_hand() -> None:
    prices = _series({"2020-12-31": 100, "2021-03-31": 110, "2021-06-30": 99,
                      "2021-07-15": 108.9})
    table = quarter_returns(prices, 2021)
    assert table["return"].to_list() == pytest.approx([0.10, -0.10, 0.10])
    assert table["complete"].to_list() == [True, True, False]


def test_deepest_fall_and_records_by_hand() -> None:
    prices = _series({"2019-06-28": 120, "2020-12-31": 100, "2021-01-29": 110,
                      "2021-03-31": 88, "2021-06-30": 115, "2021-09-30": 125,
                      "2021-12-31": 130})
    fall = deepest_fall(period_window(prices, 2021))
    assert fall["peak"] == pd.Timestamp("2021-01-29").date()
    assert fall["trough"] == pd.Timestamp("2021-03-31").date()
    assert fall["depth"] == pytest.approx(88 / 110 - 1)
    assert fall["recovered"] == pd.Timestamp("2021-06-30").date()
    assert fall["rebound"] == pytest.approx(130 / 88 - 1)
    records = record_closes(prices, 2021)
    assert records["prior_high"] == 120
    assert records["first"] == pd.Timestamp("2021-09-30").date()
    assert records["count"] == 2
    assert records["high_vs_prior"] == pytest.approx(130 / 120 - 1)


def test_rate_move_by_hand() -> None:
    rates = _series({"2020-12-31": 1.0, "2021-02-01": 1.5, "2021-05-03": 0.8,
                     "2021-12-31": 1.2})
    move = rate_move(rates, 2021)
    assert move["change"] == pytest.approx(0.2)
    assert (move["high"], move["low"]) == (1.5, 0.8)


def test_quarterly_csv_matches_raw_closes(built_site: Settings, raw_dir: Path) -> None:
    data = pd.read_csv(built_site.docs_dir / "figures" / "r2k-year-review-quarterly.csv",
                       index_col="label")
    rut = raw_close(raw_dir, "^RUT")
    q1 = rut.loc["2025-03-31"] / rut.loc["2024-12-31"] - 1
    assert data.loc["2025 Q1", "russell_2000"] == pytest.approx(q1, rel=1e-12)
    assert q1 == pytest.approx(2011.91 / 2230.16 - 1, rel=1e-6)
    spx = raw_close(raw_dir, "^GSPC")
    q3 = spx.loc["2025-09-30"] / spx.loc["2025-06-30"] - 1
    assert data.loc["2025 Q3", "sp_500"] == pytest.approx(q3, rel=1e-12)
    # The current quarter is labelled as unfinished.
    assert data.index[-1].endswith("to date") and not data["complete"].iloc[-1]


def test_review_facts_from_raw_closes(store, raw_dir: Path) -> None:
    from generator.topics.year_in_review.data import year_review_facts

    facts = year_review_facts(store)["year_review"]
    assert (facts["year"], facts["current"]) == (2025, 2026)
    rut = raw_close(raw_dir, "^RUT")
    # The record before 2025, verified from the raw file: November 2021.
    before = rut.loc[:"2024-12-31"]
    assert before.idxmax() == pd.Timestamp("2021-11-08")
    records = facts["review"]["rut"]["records"]
    assert records["prior_high_date"] == before.idxmax().date()
    first = rut.loc["2025"][rut.loc["2025"] > before.max()].index[0]
    assert records["first"] == first.date()
    fall = facts["review"]["rut"]["fall"]
    assert fall["trough"] == rut.loc["2025"].idxmin().date() == pd.Timestamp("2025-04-08").date()
    dgs10 = raw_fred(raw_dir, "DGS10")
    change = dgs10.loc[:"2025-12-31"].iloc[-1] - dgs10.loc[:"2024-12-31"].iloc[-1]
    assert facts["review"]["rates"]["DGS10"]["change"].value == pytest.approx(change)


def test_path_and_rates_csv(built_site: Settings, raw_dir: Path) -> None:
    figures = built_site.docs_dir / "figures"
    path = pd.read_csv(figures / "r2k-year-review-path.csv", index_col="date", parse_dates=True)
    rut = raw_close(raw_dir, "^RUT")
    assert path.index[0] == pd.Timestamp("2024-12-31")
    assert path.loc["2025-04-08", "russell_2000_rebased"] == pytest.approx(
        100 * rut.loc["2025-04-08"] / rut.loc["2024-12-31"], rel=1e-12)
    rates = pd.read_csv(figures / "r2k-year-review-rates.csv", index_col=0, parse_dates=True)
    assert list(rates.columns) == ["DGS10", "DGS2", "DFF", "BAMLH0A0HYM2"]
    hy = raw_fred(raw_dir, "BAMLH0A0HYM2")
    assert rates.loc["2025-04-07", "BAMLH0A0HYM2"] == hy.loc["2025-04-07"]


def test_page_is_titled_for_the_year_it_computes(built_site: Settings) -> None:
    text = (built_site.docs_dir / "year-in-review.md").read_text()
    assert 'title: "2025 in review"' in text
    assert "# 2025 in review, and 2026 so far" in text
