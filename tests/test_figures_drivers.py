"""What drives small caps: the rates and credit figures' CSVs against the raw snapshot (the event
studies are checked in test_events.py)."""

from __future__ import annotations

import pandas as pd
import pytest

from tests.snapshot_raw import figure_csv, raw_close, raw_fred


def test_relative_vs_rates_csv(built_site, raw_dir):
    table = figure_csv(built_site, "r2k-relative-vs-rates", index_col="date", parse_dates=True)
    assert table.loc["2020-03-09", "treasury_10y"] == pytest.approx(0.54)
    assert table.loc["2020-03-09", "treasury_2y"] == pytest.approx(
        raw_fred(raw_dir, "DGS2").loc["2020-03-09"])
    assert table.loc["2019-12-31", "fed_funds_effective"] == pytest.approx(
        raw_fred(raw_dir, "DFF").loc["2019-12-31"])
    rut, spx = raw_close(raw_dir, "^RUT"), raw_close(raw_dir, "^GSPC")
    first = rut.index[0]
    expected = 100 * (1668.47 / 3230.78) / (rut.loc[first] / spx.loc[first])
    assert table.loc["2019-12-31", "relative_line"] == pytest.approx(expected, rel=1e-6)


def test_credit_spread_csv(built_site, raw_dir):
    table = figure_csv(built_site, "r2k-credit-spread", index_col="date", parse_dates=True)
    spread = raw_fred(raw_dir, "BAMLH0A0HYM2")
    rut = raw_close(raw_dir, "^RUT")
    peak = table["high_yield_spread"].idxmax()
    assert peak == spread.loc[table.index[0]:].idxmax()
    assert table.loc[peak, "high_yield_spread"] == spread.max()
    # Drawdown from the Russell 2000's all-time high (history since 1987), not from 1996.
    expected = rut.loc[peak] / rut.loc[:peak].max() - 1
    assert table.loc[peak, "russell_2000_drawdown"] == pytest.approx(expected, abs=1e-12)
    assert table.index[0] >= pd.Timestamp("1996-12-31")
    assert (table["russell_2000_drawdown"] <= 0).all()


def test_event_study_anchors_stay_stable(built_site):
    """Other pages (scenarios, FAQ) link to these ids: renaming one is a breaking change."""
    html = (built_site.site_dir / "drivers" / "index.html").read_text()
    for anchor in ("rates", "credit", "the-cycle", "recession-troughs", "first-rate-cuts",
                   "r2k-event-study-recessions", "r2k-event-study-first-cuts"):
        assert f'id="{anchor}"' in html, anchor
    for name in ("r2k-event-study-recessions", "r2k-event-study-first-cuts"):
        assert (built_site.site_dir / "figures" / f"{name}.csv").is_file()
