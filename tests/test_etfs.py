"""The ETFs page: its figure CSVs against values computed here from the raw snapshot files."""

from __future__ import annotations

import itertools
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from generator.settings import Settings
from tests.snapshot_raw import raw_close, raw_frame


def figure_csv(settings: Settings, figure_id: str, index: str | None = None) -> pd.DataFrame:
    path = settings.docs_dir / "figures" / f"{figure_id}.csv"
    return pd.read_csv(path, index_col=index or 0, parse_dates=index == "date")


def test_growth_of_10000_matches_raw_closes(built_site: Settings, raw_dir: Path) -> None:
    data = figure_csv(built_site, "r2k-etf-growth", "date")
    # One common start for every line: SPSM's first close (2013-07-09), the youngest fund's.
    start = raw_close(raw_dir, "SPSM").index[0]
    assert start == pd.Timestamp("2013-07-09") and data.index[0] == start
    assert (data.iloc[0] == 10_000).all()
    iwm = raw_close(raw_dir, "IWM")
    expected = 10_000 * iwm.loc["2020-03-23"] / iwm.loc[start]
    assert data.loc["2020-03-23", "iwm_usd"] == pytest.approx(expected, rel=1e-12)
    scha = raw_close(raw_dir, "SCHA")
    assert data.loc["2019-12-31", "scha_usd"] == pytest.approx(
        10_000 * scha.loc["2019-12-31"] / scha.loc[start], rel=1e-12)
    assert "vtwo_usd" not in data.columns  # the snapshot has no VTWO


def test_dividend_gap_is_iwm_minus_index_price_return(built_site: Settings,
                                                      raw_dir: Path) -> None:
    data = figure_csv(built_site, "r2k-etf-dividend-gap")
    iwm, rut = raw_close(raw_dir, "IWM"), raw_close(raw_dir, "^RUT")
    iwm_2019 = iwm.loc["2019-12-31"] / iwm.loc["2018-12-31"] - 1
    assert round(rut.loc["2019-12-31"], 2) == 1668.47  # the published 2019 close
    rut_2019 = rut.loc["2019-12-31"] / rut.loc["2018-12-31"] - 1
    assert data.loc[2019, "iwm_total_return"] == pytest.approx(iwm_2019, rel=1e-12)
    assert data.loc[2019, "russell_2000_price_return"] == pytest.approx(rut_2019, rel=1e-9)
    assert data.loc[2019, "difference"] == pytest.approx(iwm_2019 - rut_2019, rel=1e-9)
    # Dividends exceed IWM's costs every year: the difference is positive throughout.
    assert (data["difference"] > 0).all()
    assert data.index[0] == 2001 and 2025 in data.index


def test_costs_csv_is_the_reference_file(built_site: Settings) -> None:
    data = figure_csv(built_site, "r2k-etf-costs")
    reference = pd.read_csv(built_site.reference_dir / "expense_ratios.csv", index_col="ticker")
    assert set(data.index) == set(reference.index)
    assert data.loc["IWM", "cost_per_10000_usd"] == pytest.approx(19.0)
    assert data.loc["TNA", "expense_ratio_pct"] == pytest.approx(reference.loc["TNA",
                                                                               "expense_ratio_pct"])
    assert data.loc["SPSM", "source_url"] == reference.loc["SPSM", "source_url"]


def test_same_index_comparison_starts_when_spsm_adopted_the_sp600(built_site: Settings,
                                                                  raw_dir: Path) -> None:
    data = figure_csv(built_site, "r2k-etf-same-index", "date")
    assert data.index[0] == pd.Timestamp("2020-01-24")
    spsm, ijr = raw_close(raw_dir, "SPSM"), raw_close(raw_dir, "IJR")
    day = "2024-06-28"
    expected = (spsm.loc[day] / spsm.loc["2020-01-24"]) / (ijr.loc[day] / ijr.loc["2020-01-24"]) - 1
    assert data.loc[day, "spsm_vs_ijr"] == pytest.approx(expected, rel=1e-9)


def test_spsm_benchmark_history_is_visible_in_the_prices(store) -> None:
    from generator.topics.etfs.data import spsm_benchmark_check

    table = spsm_benchmark_check(store)
    russell, _, sp600 = table.itertuples()
    # While it tracked the Russell 2000, SPSM moved with IWM; since 2020 it moves with IJR.
    assert russell.te_vs_iwm < russell.te_vs_ijr
    assert sp600.te_vs_ijr < sp600.te_vs_iwm
    assert sp600.te_vs_ijr < 0.01


def test_dollar_volume_is_close_times_volume(built_site: Settings, raw_dir: Path) -> None:
    data = figure_csv(built_site, "r2k-etf-dollar-volume", "date")
    raw = raw_frame(raw_dir, "IWM")  # the snapshot's file, or the store's (lower-case columns)
    day = "2024-11-06"
    assert data.loc[day, "iwm_dollar_volume_usd"] == pytest.approx(
        raw.loc[day, "close"] * raw.loc[day, "volume"], rel=1e-12)
    assert set(data.columns) == {"iwm_dollar_volume_usd", "spy_dollar_volume_usd"}


def test_leverage_paths_match_an_independent_daily_reset(built_site: Settings,
                                                         raw_dir: Path) -> None:
    data = figure_csv(built_site, "r2k-leverage-decay", "date")
    tna, iwm = raw_close(raw_dir, "TNA"), raw_close(raw_dir, "IWM")
    both = pd.concat([tna, iwm], axis=1, keys=["tna", "iwm"], join="inner")
    day = pd.Timestamp("2015-06-30")
    window = both.loc[:day]
    daily = window["iwm"].to_numpy()
    value = 10_000.0
    for before, after in itertools.pairwise(daily):
        value *= 1 + 3 * (after / before - 1)
    assert data.loc[day, "daily_3x_iwm_no_costs_usd"] == pytest.approx(value, rel=1e-9)
    assert data.loc[day, "tna_usd"] == pytest.approx(
        10_000 * window["tna"].iloc[-1] / window["tna"].iloc[0], rel=1e-12)
    years = figure_csv(built_site, "r2k-leverage-years")
    tna_2020 = tna.loc["2020-12-31"] / tna.loc["2019-12-31"] - 1
    assert years.loc[2020, "tna"] == pytest.approx(tna_2020, rel=1e-12)
    assert years.loc[2020, "tna_minus_three_times"] < -0.5  # the COVID whipsaw year


def test_vtwo_is_shown_once_the_store_has_it(built_site: Settings, tmp_path: Path) -> None:
    """The live update fills VTWO; then the growth figure draws it and the same-index figure
    compares it with IWM. Simulated with a copy of IWM's later history stored as VTWO."""
    from generator.catalog import get
    from generator.store import Store, load_values
    from generator.topics.etfs.figures import etf_growth, same_index

    store_dir = tmp_path / "store"
    shutil.copytree(built_site.store_dir, store_dir)
    store = Store(store_dir)
    iwm = store.read_series(get("IWM")).loc["2010-09-24":, ["close"]]
    store.write_series(get("VTWO"), iwm * 0.4, origin="test:copy of IWM")
    growth = etf_growth(store)
    assert "vtwo_usd" in growth.data.columns
    assert growth.notes == ""
    assert growth.data.index[0] == pd.Timestamp("2013-07-09")  # SPSM still starts last
    pair = same_index(store)
    assert "vtwo_vs_iwm" in pair.data.columns
    # Same prices up to scale: no gap at all between the two "funds".
    assert np.allclose(pair.data["vtwo_vs_iwm"].dropna(), 0.0)
    assert load_values(store, "VTWO").index[0] == pd.Timestamp("2010-09-24")


def test_page_states_what_the_data_lacks(built_site: Settings) -> None:
    text = (built_site.docs_dir / "etfs.md").read_text()
    assert "VTWO is not in our data" in text
    assert "Volume is only in the data for IWM and SPY" in text
    assert "reference table kept with the project, copied by hand from the issuers" in text
    assert "data/reference/" not in text and "make update" not in text  # words, not paths
