"""Compared with the S&P 500 and Russell 1000: each figure's CSV against values recomputed from
the raw snapshot with plain pandas."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from tests.snapshot_raw import figure_csv, raw_close


def pair(raw_dir, small: str, large: str) -> pd.DataFrame:
    return pd.concat({"s": raw_close(raw_dir, small), "l": raw_close(raw_dir, large)},
                     axis=1, join="inner").dropna()


def test_relative_strength_csv(built_site, raw_dir):
    table = figure_csv(built_site, "r2k-relative-strength", index_col="date", parse_dates=True)
    both = pair(raw_dir, "^RUT", "^GSPC")
    start = both.iloc[0]
    expected = 100 * (1668.47 / 3230.78) / (start["s"] / start["l"])
    assert table.loc["2019-12-31", "russell_2000_vs_sp_500_price"] == pytest.approx(expected,
                                                                                     rel=1e-6)
    funds = pair(raw_dir, "IWM", "IWB")
    line = table["iwm_vs_iwb_total_return"].dropna()
    # The fund line changes exactly as IWM / IWB does between two dates.
    ratio = funds["s"] / funds["l"]
    assert line.loc["2019-12-31"] / line.loc["2009-12-31"] == pytest.approx(
        ratio.loc["2019-12-31"] / ratio.loc["2009-12-31"], rel=1e-9)
    assert line.index[-1] == funds.index[-1]  # IWB ends before the others


def test_rolling_3y_difference_csv(built_site, raw_dir):
    table = figure_csv(built_site, "r2k-rolling-3y-difference", index_col="date",
                       parse_dates=True)
    both = pair(raw_dir, "^RUT", "^GSPC").loc[:"2019-12-31"]
    growth = both.iloc[-1] / both.iloc[-1 - 756]
    expected = growth["s"] ** (252 / 756) - growth["l"] ** (252 / 756)
    assert table.loc["2019-12-31", "russell_2000_minus_sp_500_price"] == pytest.approx(
        expected, abs=1e-12)
    funds = pair(raw_dir, "IWM", "SPY").loc[:"2019-12-31"]
    growth = funds.iloc[-1] / funds.iloc[-1 - 756]
    assert table.loc["2019-12-31", "iwm_minus_spy_total_return"] == pytest.approx(
        growth["s"] ** (252 / 756) - growth["l"] ** (252 / 756), abs=1e-12)


def test_rolling_correlation_and_beta_csv(built_site, raw_dir):
    table = figure_csv(built_site, "r2k-rolling-correlation-beta", index_col="week_ending",
                       parse_dates=True)
    weekly = pair(raw_dir, "^RUT", "^GSPC").resample("W").last().dropna()
    returns = weekly.pct_change().dropna().loc[:"2019-12-29"].tail(156)
    row = table.loc["2019-12-27"]  # the last close of that week was a Friday
    assert row["russell_2000_sp_500_correlation"] == pytest.approx(
        returns["s"].corr(returns["l"]), abs=1e-12)
    cov = np.cov(returns["s"], returns["l"], ddof=1)
    assert row["russell_2000_sp_500_beta"] == pytest.approx(cov[0, 1] / cov[1, 1], abs=1e-12)
    proxy = pair(raw_dir, "IWM", "IWB").resample("W").last().dropna()
    proxy_returns = proxy.pct_change().dropna().loc[:"2019-12-29"].tail(156)
    assert row["iwm_iwb_correlation"] == pytest.approx(
        proxy_returns["s"].corr(proxy_returns["l"]), abs=1e-12)
    page = (built_site.docs_dir / "comparison.md").read_text()
    assert "IWB" in page and "not in our data" in page
