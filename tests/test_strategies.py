"""The Strategies page: the core-satellite grid and the other figures against values computed
here, independently, from the raw snapshot files."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from generator.settings import Settings
from tests.snapshot_raw import raw_close


def raw_pair(raw_dir: Path) -> pd.DataFrame:
    """SPY and IWM closes on their common dates, straight from the snapshot CSVs."""
    frames = {t: raw_close(raw_dir, t) for t in ("SPY", "IWM")}
    return pd.concat(frames, axis=1, join="inner").dropna()


def grid_csv(settings: Settings) -> pd.DataFrame:
    return pd.read_csv(settings.docs_dir / "figures" / "r2k-core-satellite-grid.csv",
                       index_col="small_cap_share")


def test_zero_row_is_spy_cagr(built_site: Settings, raw_dir: Path) -> None:
    pair = raw_pair(raw_dir)
    spy = pair["SPY"]
    years = (spy.index[-1] - spy.index[0]).days / 365.25
    cagr = (spy.iloc[-1] / spy.iloc[0]) ** (1 / years) - 1
    grid = grid_csv(built_site)
    assert grid.loc[0.0, "cagr"] == pytest.approx(cagr, rel=1e-10)
    assert grid.loc[0.0, "final_value"] == pytest.approx(10_000 * spy.iloc[-1] / spy.iloc[0],
                                                          rel=1e-10)
    assert pair.index[0] == pd.Timestamp("2000-05-26")  # IWM's first day: the grid's start


def test_twenty_percent_row_matches_a_hand_rolled_rebalance(built_site: Settings,
                                                            raw_dir: Path) -> None:
    """Re-run the 80/20 mix with a plain loop: reset at the first close of each new year."""
    pair = raw_pair(raw_dir)
    spy_units, iwm_units = 0.8 / pair["SPY"].iloc[0], 0.2 / pair["IWM"].iloc[0]
    values = []
    previous_year = pair.index[0].year
    for date, row in pair.iterrows():
        value = spy_units * row["SPY"] + iwm_units * row["IWM"]
        if date.year != previous_year:
            spy_units, iwm_units = 0.8 * value / row["SPY"], 0.2 * value / row["IWM"]
            previous_year = date.year
        values.append(value)
    path = pd.Series(values, index=pair.index)
    grid = grid_csv(built_site)
    assert grid.loc[0.2, "final_value"] == pytest.approx(10_000 * path.iloc[-1], rel=1e-10)
    daily = path.pct_change().dropna()
    assert grid.loc[0.2, "volatility"] == pytest.approx(daily.std() * np.sqrt(252), rel=1e-10)
    assert grid.loc[0.2, "max_drawdown"] == pytest.approx((path / path.cummax() - 1).min(),
                                                          rel=1e-10)
    year_end = path.groupby(path.index.year).last()
    annual = (year_end / year_end.shift(1) - 1).loc[2001:2025]
    assert grid.loc[0.2, "worst_year"] == annual.idxmin() == 2008
    assert grid.loc[0.2, "worst_year_return"] == pytest.approx(annual.min(), rel=1e-10)


def test_grid_has_the_seven_mixes(built_site: Settings) -> None:
    grid = grid_csv(built_site)
    assert list(grid.index) == pytest.approx([0.0, 0.05, 0.10, 0.15, 0.20, 0.25, 0.30])
    # More small caps meant more volatility over this period (IWM was the more volatile fund).
    assert grid["volatility"].is_monotonic_increasing


def test_value_growth_csv(built_site: Settings, raw_dir: Path) -> None:
    data = pd.read_csv(built_site.docs_dir / "figures" / "r2k-value-growth.csv",
                       index_col="date", parse_dates=True)
    iwn = raw_close(raw_dir, "IWN")
    assert data.index[0] == pd.Timestamp("2000-07-28")
    assert data.loc["2021-12-31", "iwn_usd"] == pytest.approx(
        10_000 * iwn.loc["2021-12-31"] / iwn.loc["2000-07-28"], rel=1e-12)


def test_dca_csv(built_site: Settings, raw_dir: Path) -> None:
    data = pd.read_csv(built_site.docs_dir / "figures" / "r2k-dca-vs-lump-sum.csv",
                       index_col="start", parse_dates=["start", "end"])
    iwm = raw_close(raw_dir, "IWM")
    month_end = iwm.groupby(iwm.index.to_period("M")).last()
    start = pd.Period("2008-08", "M")
    closes = month_end.loc[start:start + 12].to_numpy()
    row = data.loc["2008-08-29"]
    assert row["lump_sum"] == pytest.approx(closes[12] / closes[0], rel=1e-12)
    assert row["dca"] == pytest.approx(np.mean(closes[12] / closes[:12]), rel=1e-12)
    assert not row["lump_sum_wins"]
