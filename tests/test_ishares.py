"""The iShares holdings parser on the real file, and on files whose layout changed (they must fail
with a clear message naming the file, never mis-parse)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest

from generator.errors import DataError
from generator.sources.ishares import equities, parse_holdings_csv, yahoo_symbol
from generator.sources.members import parse_members_csv


@pytest.fixture(scope="module")
def holdings_text(snapshot_excerpt) -> str:
    return (snapshot_excerpt / "ishares" / "IWM_holdings.csv").read_text(encoding="utf-8-sig")


def test_parses_the_real_file(snapshot_excerpt):
    """The committed excerpt of the real file (tests/fixtures/README.md): 52 of its 1,929 table
    rows, with its header block and legal footer whole."""
    holdings = parse_holdings_csv(snapshot_excerpt / "ishares" / "IWM_holdings.csv")
    assert holdings.as_of == dt.date(2026, 5, 5)
    table = holdings.table
    assert len(table) == 52
    assert len(equities(table)) == 47
    first = table.iloc[0]
    assert (first["ticker"], first["sector"], first["weight_pct"]) == ("BE", "Industrials", 1.93)
    assert first["market_value"] == pytest.approx(1_532_594_919.50)
    assert first["price"] == pytest.approx(295.25)
    assert list(table.columns) == ["ticker", "name", "sector", "asset_class", "market_value",
                                   "weight_pct", "price", "location", "exchange", "currency"]
    # The legal footer is not a row; the last row is the futures line.
    assert table.iloc[-1]["ticker"] == "RTYM6"
    assert (table["ticker"] == "-").sum() == 3


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "IWM_holdings.csv"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(("change", "message"), [
    (lambda t: t.replace("Fund Holdings as of", "Holdings Date"), "no 'Fund Holdings as of'"),
    (lambda t: t.replace("Ticker,Name,Sector,", "Ticker,Name,GICS Sector,", 1),
     "columns ['Sector'] missing"),
    (lambda t: t.replace("Ticker,Name,Sector,", "Ticker,Name,", 1), "cannot parse the table"),
    (lambda t: t.replace("Ticker,Name,Sector", "Symbol,Name,Sector", 1), "no table header"),
    (lambda t: t.replace("\xa0\nTicker,", "Extra,\"x\"\nTicker,", 1), "does not follow a blank"),
    (lambda t: "\n".join(t.splitlines()[:30]), "no blank line after the table"),
    (lambda t: "<html><body>Service unavailable</body></html>", "HTML page"),
    (lambda t: t.replace('"May 05, 2026"', '"05/05/2026"', 1), "unreadable 'Fund Holdings as of'"),
    (lambda t: t.replace('"1,532,594,919.50"', '"n/a"', 1), "non-numeric market_value 'n/a'"),
    (lambda t: "", "empty file"),
])
def test_changed_layout_fails_clearly(tmp_path, holdings_text, change, message):
    path = _write(tmp_path, change(holdings_text))
    with pytest.raises(DataError) as info:
        parse_holdings_csv(path)
    assert message in str(info.value)
    assert str(path) in str(info.value)


def test_header_moved_down_by_a_longer_preamble_still_parses(tmp_path, holdings_text):
    # iShares has added preamble lines before; a longer preamble ending in a blank line is fine.
    moved = holdings_text.replace("Other,\"-\"\n", "Other,\"-\"\nNew Key,\"x\"\n", 1)
    assert parse_holdings_csv(_write(tmp_path, moved)).table.shape == (52, 10)


def test_a_truncated_file_is_refused_by_the_weights_rule(snapshot_excerpt):
    """The excerpt is what a download cut off after a few dozen rows looks like: it parses, but
    its equity weights sum to 16.81 % of the fund, and validation refuses it."""
    from generator.errors import ValidationError
    from generator.validate import validate_holdings

    holdings = parse_holdings_csv(snapshot_excerpt / "ishares" / "IWM_holdings.csv")
    assert equities(holdings.table)["weight_pct"].sum() == pytest.approx(16.81)
    with pytest.raises(ValidationError, match=r"implausible weights.*16\.81%.*truncated"):
        validate_holdings(holdings.table, holdings.as_of, today=dt.date(2026, 8, 21))


def test_yahoo_symbols_for_share_classes():
    assert yahoo_symbol("MOGA") == "MOG-A"
    assert yahoo_symbol("BE") == "BE"
    assert yahoo_symbol("ABC.B") == "ABC-B"


def test_members_csv_with_a_text_value_fails_clearly(tmp_path):
    path = tmp_path / "closes.csv"
    path.write_text("Date,AAA,BBB\n2024-01-02,1.0,2.0\n2024-01-03,1.1,oops\n")
    with pytest.raises(DataError, match=r"non-numeric close 'oops' for BBB on 2024-01-03"):
        parse_members_csv(path)


def test_members_csv_reads_the_real_snapshot(snapshot_excerpt):
    """The committed excerpt of the snapshot's file: 28 members, June to 3 August 2026."""
    frame = parse_members_csv(snapshot_excerpt / "yahoo" / "constituents_close.csv.gz")
    assert frame.shape == (44, 28)
    assert frame.index[0] == frame.index.min() == pd.Timestamp("2026-06-01")
    assert frame.index[-1] == pd.Timestamp("2026-08-03")
    assert frame.loc["2026-06-01", "BE"] == pytest.approx(273.510009765625)
