"""History & performance, part two: each figure's CSV against values recomputed here from the
raw snapshot with plain pandas."""

from __future__ import annotations

import pandas as pd
import pytest

from tests.snapshot_raw import figure_csv, raw_close


def annualised(prices: pd.Series, start: str, end: str) -> float:
    a, b = prices.loc[:start], prices.loc[:end]
    years = (b.index[-1] - a.index[-1]).days / 365.25
    return (b.iloc[-1] / a.iloc[-1]) ** (1 / years) - 1


def test_returns_by_decade_csv(built_site, raw_dir):
    table = figure_csv(built_site, "r2k-returns-by-decade", index_col="decade")
    rut, spx = raw_close(raw_dir, "^RUT"), raw_close(raw_dir, "^GSPC")
    iwm, spy = raw_close(raw_dir, "IWM"), raw_close(raw_dir, "SPY")
    assert table.loc["1990s", "start"] == "1989-12-29"
    assert table.loc["1990s", "end"] == "1999-12-31"
    assert table.loc["1990s", "russell_2000_annualised"] == pytest.approx(
        annualised(rut, "1989-12-31", "1999-12-31"), abs=1e-9)
    assert table.loc["2000s", "sp_500_cumulative"] == pytest.approx(
        spx.loc["2009-12-31"] / spx.loc["1999-12-31"] - 1, abs=1e-9)
    assert table.loc["2000s", "sp_500_cumulative"] < 0  # the "lost decade" for large caps
    assert table.loc["2010s", "iwm_annualised"] == pytest.approx(
        annualised(iwm, "2009-12-31", "2019-12-31"), abs=1e-9)
    assert table.loc["2010s", "spy_annualised"] == pytest.approx(
        annualised(spy, "2009-12-31", "2019-12-31"), abs=1e-9)
    # The funds did not exist for the whole 1990s: no total return there.
    assert pd.isna(table.loc["1990s", "iwm_annualised"])
    assert not table.loc[table.index[0], "complete"]
    assert not table.loc[table.index[-1], "complete"]


def independent_rolling_10y(prices: pd.Series) -> pd.Series:
    month_end = prices.resample("ME").last().dropna().iloc[:-1]  # the last month is unfinished
    return ((month_end / month_end.shift(120)) ** 0.1 - 1).dropna()


def test_rolling_10y_csv_and_the_share_of_wins(built_site, raw_dir):
    table = figure_csv(built_site, "r2k-rolling-10y-wins", index_col="window_end",
                       parse_dates=True)
    rut, spx = raw_close(raw_dir, "^RUT"), raw_close(raw_dir, "^GSPC")
    assert table.loc["2019-12-31", "russell_2000"] == pytest.approx(
        (1668.47 / rut.loc["2009-12-31"]) ** 0.1 - 1, abs=1e-6)
    assert table.loc["2019-12-31", "sp_500"] == pytest.approx(
        (3230.78 / spx.loc["2009-12-31"]) ** 0.1 - 1, abs=1e-6)
    small, large = independent_rolling_10y(rut), independent_rolling_10y(spx)
    both = pd.concat([small, large], axis=1, join="inner").dropna()
    windows = len(both)
    wins = int((both.iloc[:, 0] > both.iloc[:, 1]).sum())
    assert table["price_difference"].notna().sum() == windows
    assert int((table["price_difference"] > 0).sum()) == wins
    assert table.index[0] == pd.Timestamp("1997-09-30")  # 120 months after Sep 1987
    iwm, spy = independent_rolling_10y(raw_close(raw_dir, "IWM")), \
        independent_rolling_10y(raw_close(raw_dir, "SPY"))
    tr = pd.concat([iwm, spy], axis=1, join="inner").dropna()
    assert table["total_return_difference"].notna().sum() == len(tr)
    assert int((table["total_return_difference"] > 0).sum()) == int(
        (tr.iloc[:, 0] > tr.iloc[:, 1]).sum())
    page = (built_site.docs_dir / "history.md").read_text()
    assert f"**{wins} of {windows}** windows" in page
