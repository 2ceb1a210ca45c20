"""The reconstitution-month figure, recomputed from the raw snapshot."""

from __future__ import annotations

import pytest

from tests.snapshot_raw import figure_csv, raw_close


def _month_returns(prices):
    ends = prices.groupby(prices.index.to_period("M")).last()
    returns = (ends / ends.shift(1) - 1).dropna().iloc[:-1]  # last month unfinished
    return returns[returns.index.year >= 1989]


def test_june_average_matches_raw_data(built_site, raw_dir):
    rut = _month_returns(raw_close(raw_dir, "^RUT"))
    spx = _month_returns(raw_close(raw_dir, "^GSPC"))
    june = rut[rut.index.month == 6]
    data = figure_csv(built_site, "r2k-recon-month-returns", index_col="month")
    assert data.loc["Jun", "russell_2000_count"] == len(june)
    assert data.loc["Jun", "russell_2000_mean"] == pytest.approx(june.mean())
    # June 2008 by hand: month-end closes of May and June 2008.
    raw = raw_close(raw_dir, "^RUT")
    june_2008 = raw.loc[:"2008-06-30"].iloc[-1] / raw.loc[:"2008-05-31"].iloc[-1] - 1
    assert june.loc["2008-06"] == pytest.approx(june_2008)
    relative = (rut - spx.reindex(rut.index))
    assert data.loc["Jun", "relative_mean"] == pytest.approx(relative[relative.index.month == 6]
                                                             .mean())


def test_page_states_sample_and_verdict(built_site):
    text = (built_site.docs_dir / "construction.md").read_text()
    assert "Junes since 1989" in text
    assert "no reliable difference" in text or "rarely produce" in text
