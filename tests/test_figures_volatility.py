"""Volatility & drawdowns: each figure's CSV against values recomputed from the raw snapshot."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from tests.snapshot_raw import figure_csv, raw_close


@pytest.fixture(scope="module")
def both(raw_dir) -> pd.DataFrame:
    return pd.concat({"rut": raw_close(raw_dir, "^RUT"),
                      "spx": raw_close(raw_dir, "^GSPC")}, axis=1, join="inner")


def test_rolling_volatility_csv(built_site, both):
    table = figure_csv(built_site, "r2k-rolling-volatility", index_col="date", parse_dates=True)
    returns = both.pct_change().loc[:"2020-12-31"].tail(252)
    expected = returns.std() * np.sqrt(252)
    row = table.loc["2020-12-31"]
    assert row["russell_2000"] == pytest.approx(expected["rut"], rel=1e-9)
    assert row["sp_500"] == pytest.approx(expected["spx"], rel=1e-9)
    assert row["ratio"] == pytest.approx(expected["rut"] / expected["spx"], rel=1e-9)


def test_monthly_distribution_csv(built_site, both):
    table = figure_csv(built_site, "r2k-monthly-return-distribution")
    monthly = both.resample("ME").last().pct_change().dropna().iloc[:-1]
    assert table["russell_2000_months"].sum() == len(monthly)
    assert table["sp_500_months"].sum() == len(monthly)
    # Bins are 2 points wide on multiples of 2 %, so -10 % is a bin edge.
    tail = table[table["bin_to"] <= -0.10 + 1e-12]
    assert tail["russell_2000_months"].sum() == int((monthly["rut"] < -0.10).sum())
    assert tail["sp_500_months"].sum() == int((monthly["spx"] < -0.10).sum())
    assert table["russell_2000_share"].sum() == pytest.approx(1.0)


def test_worst_months_and_days_csvs(built_site, both):
    months = figure_csv(built_site, "r2k-worst-months", index_col="month")
    ends = both.resample("ME").last()
    october_1987 = ends.loc["1987-10-31", "rut"] / ends.loc["1987-09-30", "rut"] - 1
    assert months.index[0] == "1987-10-31"
    assert months["russell_2000"].iloc[0] == pytest.approx(october_1987, abs=1e-12)
    assert months["russell_2000"].is_monotonic_increasing
    days = figure_csv(built_site, "r2k-worst-days", index_col="date")
    daily = both.pct_change()
    assert days.index[0] == "2020-03-16"
    assert days.loc["2020-03-16", "russell_2000"] == pytest.approx(
        daily.loc["2020-03-16", "rut"], abs=1e-12)
    assert days.loc["2020-03-16", "sp_500"] == pytest.approx(
        daily.loc["2020-03-16", "spx"], abs=1e-12)
    assert len(days) == 10 and days["russell_2000"].max() <= daily["rut"].nsmallest(10).max()


def test_vix_vs_realised_csv(built_site, both, raw_dir):
    table = figure_csv(built_site, "r2k-vix-vs-realised", index_col="date", parse_dates=True)
    assert table.loc["2020-03-16", "vix"] == pytest.approx(82.69, abs=1e-4)  # float32 in source
    realised = both["rut"].pct_change().loc[:"2020-03-31"].tail(21).std() * np.sqrt(252) * 100
    assert table.loc["2020-03-31", "russell_2000_realised"] == pytest.approx(realised, rel=1e-9)
    page = (built_site.docs_dir / "volatility.md").read_text()
    assert "RVX is not in our data" in page


def test_the_horizon_claim_follows_the_numbers():
    from generator.topics.volatility.data import horizon_claim
    # Monthly above daily for small caps: daily returns understate the risk.
    assert horizon_claim(0.20, 0.15, 0.22, 0.15)["rule"] == "monthly-higher"
    # Monthly below daily for both, but the ratio widens (the snapshot's case).
    claim = horizon_claim(0.215, 0.184, 0.198, 0.151)
    assert claim["rule"] == "ratio-wider"
    assert claim["ratio_daily"] == pytest.approx(0.215 / 0.184)
    assert claim["ratio_monthly"] == pytest.approx(0.198 / 0.151)
    assert horizon_claim(0.20, 0.10, 0.18, 0.10)["rule"] == "agree"


def test_volatility_page_makes_the_claim_the_data_supports(built_site, store):
    from generator.topics.volatility.data import volatility_facts
    vol = volatility_facts(store)["vol"]
    # The snapshot: 19.8 % monthly < 21.5 % daily for the Russell 2000; ratio 1.17 -> 1.31.
    assert vol["monthly_annualised_small"].value == pytest.approx(0.198, abs=5e-4)
    assert vol["full_small"].value == pytest.approx(0.215, abs=5e-4)
    assert vol["horizon"]["rule"] == "ratio-wider"
    assert str(vol["horizon"]["ratio_daily"]) == "1.17"
    assert str(vol["horizon"]["ratio_monthly"]) == "1.31"
    text = (built_site.docs_dir / "volatility.md").read_text()
    assert "Daily volatility understates small-cap risk" not in text
    assert "small caps look relatively riskier" in text
