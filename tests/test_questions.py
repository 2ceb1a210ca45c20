"""The questions readers bring: inflation regimes, hedging with puts, what followed big years and
small-business credit — values against hand computations from the raw snapshot files (or,
with no snapshot, the store's files read by plain pandas: `raw_dir`)."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from generator.analytics import hedging, inflation
from generator.analytics.followups import next_year_table
from generator.analytics.returns import calendar_year_returns
from generator.settings import Settings
from tests.snapshot_raw import figure_csv, raw_close, raw_fred, raw_french

DRTSCIS_RECORDING = Path(__file__).resolve().parent / "data" / "DRTSCIS.csv"

# The last trading day of each month, December 2021 to June 2022: US CPI inflation over the
# year was above 4 % in every one of these months.
MONTH_ENDS = ["2021-12-31", "2022-01-31", "2022-02-28", "2022-03-31", "2022-04-29",
              "2022-05-31", "2022-06-30"]


def test_real_return_in_one_regime_over_a_short_window(raw_dir: Path) -> None:
    """The first half of 2022, by hand: each month's Russell 2000 price return deflated by that
    month's CPI change, compounded and annualised."""
    rut, cpi = raw_close(raw_dir, "^RUT"), raw_fred(raw_dir, "CPIAUCSL")
    closes = [rut.loc[day] for day in MONTH_ENDS]
    levels = [cpi.loc[f"{day[:7]}-01"] for day in MONTH_ENDS]
    growth = 1.0
    for i in range(1, len(MONTH_ENDS)):
        growth *= (closes[i] / closes[i - 1]) / (levels[i] / levels[i - 1])
    by_hand = growth ** (12 / 6) - 1

    table = inflation.inflation_table(cpi)
    nominal = inflation.month_end_returns(rut.loc[:"2022-07-05"]).loc["2022-01":"2022-06"]
    real = inflation.real_returns(nominal.to_frame("russell_2000"), table["monthly"])
    labels = inflation.regimes(table["yoy"]).loc["2022-01":"2022-06"]
    assert set(labels["level"]) == {"above 4%"}  # all six months in one regime
    result = inflation.returns_by_regime(real, labels)
    assert result.loc["above 4%", "months"] == 6
    assert result.loc["above 4%", "russell_2000"] == pytest.approx(by_hand, rel=1e-12)
    assert result.loc["below 2%", "months"] == 0
    assert np.isnan(result.loc["below 2%", "russell_2000"])
    # One month in full: January 2022.
    jan = (closes[1] / closes[0]) / (levels[1] / levels[0]) - 1
    assert real.loc[pd.Period("2022-01", "M"), "russell_2000"] == pytest.approx(jan, rel=1e-12)
    assert jan < -0.09  # the Russell 2000 fell almost 10 % that month, before inflation


def test_year_over_year_inflation_and_direction(raw_dir: Path) -> None:
    cpi = raw_fred(raw_dir, "CPIAUCSL")
    table = inflation.inflation_table(cpi)
    june = table.loc[pd.Period("2022-06", "M")]
    assert june["yoy"] == pytest.approx(cpi.loc["2022-06-01"] / cpi.loc["2021-06-01"] - 1)
    labels = inflation.regimes(table["yoy"])
    assert labels.loc[pd.Period("2022-06", "M"), "direction"] == "rising"
    assert labels.loc[pd.Period("2023-06", "M"), "direction"] == "falling"


def test_the_month_in_progress_is_left_out() -> None:
    days = pd.to_datetime(["2024-01-31", "2024-02-29", "2024-03-15"])
    returns = inflation.month_end_returns(pd.Series([100.0, 110.0, 99.0], index=days))
    assert list(returns.index.astype(str)) == ["2024-02"]
    assert returns.iloc[0] == pytest.approx(0.10)


def test_inflation_verdict_is_chosen_by_rules() -> None:
    from generator.topics.drivers.data import inflation_verdict

    def table(high: float, low: float, large_high: float) -> pd.DataFrame:
        frame = pd.DataFrame({"russell_2000": [low, 0.05, high], "sp_500": [0.1, 0.05, large_high]},
                             index=["below 2%", "2% to 4%", "above 4%"])
        frame["gap"] = frame["russell_2000"] - frame["sp_500"]
        return frame

    assert inflation_verdict(table(-0.13, 0.11, -0.06)) == {
        "answer": "no", "versus_large": "worse", "high_band": "above 4%", "low_band": "below 2%"}
    assert inflation_verdict(table(0.02, 0.11, -0.01))["answer"] == "partly"
    assert inflation_verdict(table(0.02, 0.11, -0.01))["versus_large"] == "better"
    assert inflation_verdict(table(0.12, 0.11, 0.2))["answer"] == "yes"


def test_inflation_figure_csv_matches_the_raw_data(built_site: Settings, raw_dir: Path):
    months = figure_csv(built_site, "r2k-inflation-months", index_col="month")
    rut, cpi = raw_close(raw_dir, "^RUT"), raw_fred(raw_dir, "CPIAUCSL")
    real = (rut.loc["2022-01-31"] / rut.loc["2021-12-31"]) / (
        cpi.loc["2022-01-01"] / cpi.loc["2021-12-01"]) - 1
    assert months.loc["2022-01", "russell_2000"] == pytest.approx(real, rel=1e-9)
    assert months.loc["2022-01", "level"] == "above 4%"
    regimes = figure_csv(built_site, "r2k-inflation-regimes", index_col="regime")
    # Every month is in one level band and at most one direction.
    bands = regimes.loc[["below 2%", "2% to 4%", "above 4%"], "months"].sum()
    assert bands == len(months)
    assert regimes.loc[["rising", "falling"], "months"].sum() <= len(months)
    high = months[months["level"] == "above 4%"]["russell_2000"]
    expected = (1 + high).prod() ** (12 / len(high)) - 1
    assert regimes.loc["above 4%", "russell_2000_real_annualised"] == pytest.approx(expected)


# --- Hedging -------------------------------------------------------------------------------------

def test_put_payoff_at_two_index_levels() -> None:
    """A put struck 10 % below 100 pays 90 − 80 = 10 at 80, and nothing at 95."""
    assert hedging.put_payoff(100.0, 80.0) == pytest.approx(0.10)
    assert hedging.put_payoff(100.0, 95.0) == 0.0
    assert hedging.put_payoff(100.0, 90.0) == 0.0  # at the strike: nothing


def test_rolling_put_on_real_closes(raw_dir: Path) -> None:
    """Q4 2008 (bought at the 2008-09-30 close, expiring at 499.45 on 2008-12-31) paid;
    Q4 2019 (expiring at 1668.47) did not."""
    rut = raw_close(raw_dir, "^RUT")
    puts = hedging.rolling_puts(rut).set_index("end")
    q4_2008 = puts.loc[pd.Timestamp("2008-12-31")]
    start = rut.loc["2008-09-30"]
    assert q4_2008["start_level"] == start and q4_2008["end_level"] == pytest.approx(499.45)
    end = rut.loc["2008-12-31"]
    assert q4_2008["payoff"] == pytest.approx((0.9 * start - end) / start, rel=1e-12)
    assert q4_2008["payoff"] > 0.15
    q4_2019 = puts.loc[pd.Timestamp("2019-12-31")]
    assert q4_2019["end_level"] == pytest.approx(1668.47) and q4_2019["payoff"] == 0.0
    # The unfinished last quarter is not a row.
    assert puts.index[-1] < rut.index[-1]


def test_payoff_diagram_from_definitions() -> None:
    table = hedging.payoff_diagram(np.array([-0.3, -0.05, 0.2]))
    assert table.loc[-0.3].to_dict() == pytest.approx(
        {"unhedged": -0.3, "protective_put": -0.1, "collar": -0.1})
    assert table.loc[-0.05, "protective_put"] == pytest.approx(-0.05)
    assert table.loc[0.2].to_dict() == pytest.approx(
        {"unhedged": 0.2, "protective_put": 0.2, "collar": 0.1})


# --- What followed the best years ----------------------------------------------------------------

def test_next_year_after_the_best_years(raw_dir: Path) -> None:
    rut = raw_close(raw_dir, "^RUT")
    table = next_year_table(calendar_year_returns(rut))
    assert rut.loc["2008-12-31"] == pytest.approx(499.45)  # published close
    r2008 = rut.loc["2008-12-31"] / rut.loc[:"2007-12-31"].iloc[-1] - 1
    assert table.loc[2007, "next_year"] == pytest.approx(r2008, rel=1e-12)
    r2019 = rut.loc["2019-12-31"] / rut.loc[:"2018-12-31"].iloc[-1] - 1
    assert table.loc[2019, "return"] == pytest.approx(r2019, rel=1e-12)
    # The best quarter of years: at or above the 75th percentile of all years.
    years = calendar_year_returns(rut)
    assert table["best"].sum() == (table["return"] >= years.quantile(0.75)).sum()
    assert bool(table.loc[2019, "best"]) == (r2019 >= years.quantile(0.75))


# --- Small-business credit -----------------------------------------------------------------------

def test_small_business_credit_offline_says_it_is_not_in_the_data(built_site: Settings):
    text = (built_site.docs_dir / "drivers.md").read_text()
    assert "Not in our data yet" in text
    chart = figure_csv(built_site, "r2k-small-business-credit", index_col="date")
    assert list(chart.columns) == ["relative_line"]


def test_small_business_credit_once_the_update_has_fetched_it(built_site: Settings,
                                                              tmp_path: Path, raw_dir):
    """Simulated with FRED's own DRTSCIS CSV (the recording the update tests replay)."""
    from generator.catalog import get
    from generator.figures.spec import REGISTRY
    from generator.sources.fred import parse_fred_csv
    from generator.store import Store
    from generator.topics.drivers.data import small_firm_credit_facts
    from generator.topics.drivers.figures import small_business_credit

    store_dir = tmp_path / "store"
    shutil.copytree(built_site.store_dir, store_dir)
    store = Store(store_dir)
    store.write_series(get("DRTSCIS"), parse_fred_csv(DRTSCIS_RECORDING, "DRTSCIS"),
                       origin="test:recorded FRED response")
    drawn = small_business_credit(store)
    survey = drawn.data["net_share_tightening"]
    assert survey.loc["2008-10-01"] == 74.5 and survey.idxmax() == pd.Timestamp("2008-10-01")
    rut, spx = raw_close(raw_dir, "^RUT"), raw_close(raw_dir, "^GSPC")
    ratio = rut / spx
    by_hand = ratio.loc["2008-12-31"] / ratio.loc["2008-09-30"] - 1
    assert drawn.data.loc["2008-10-01", "relative_change_in_quarter"] == pytest.approx(
        by_hand, rel=1e-9)
    takeaway = REGISTRY["r2k-small-business-credit"].say(drawn.values)
    assert "peaked at 74.5% in October 2008" in takeaway
    facts = small_firm_credit_facts(store)["small_credit"]
    assert facts["in_store"] and facts["quarters"] == 124 and facts["peak"] == 74.5


def test_long_inflation_view_from_the_french_library(built_site: Settings, raw_dir: Path):
    """January 1948 by hand: the smallest 30 % of US stocks' value-weighted return (the
    library's percent) deflated by CPI's change from December 1947."""
    months = figure_csv(built_site, "r2k-inflation-months-long", index_col="month")
    assert months.index[0] == "1948-01"  # CPI starts 1947-01: the first year-over-year rate
    # The file's first section is the value-weighted monthly returns ("<= 0", "Lo 30", ...).
    small = raw_french(raw_dir, "Portfolios_Formed_on_ME", "vw", 1)["194801"]["Lo 30"] / 100
    cpi = raw_fred(raw_dir, "CPIAUCSL")
    real = (1 + small) / (cpi.loc["1948-01-01"] / cpi.loc["1947-12-01"]) - 1
    assert months.loc["1948-01", "small_stocks"] == pytest.approx(real, rel=1e-9)
