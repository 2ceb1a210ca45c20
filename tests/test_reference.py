"""generator/sources/reference.py: the expense-ratio reference file and its checks."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.errors import DataError
from generator.settings import Settings
from generator.sources.reference import (
    EXPENSE_RATIO_COLUMNS,
    FOMC_COLUMNS,
    read_expense_ratios,
    read_fomc_first_cuts,
)

REAL = Settings.from_env().reference_dir / "expense_ratios.csv"
HEADER = ",".join(EXPENSE_RATIO_COLUMNS)
GOOD_ROW = ("IWM,iShares Russell 2000 ETF,Russell 2000 Index,0.19,2026-08-14,"
            "https://www.ishares.com/us/products/239710/ishares-russell-2000-etf")


def _write(tmp_path: Path, *lines: str) -> Path:
    path = tmp_path / "expense_ratios.csv"
    path.write_text("\n".join(lines) + "\n")
    return path


def test_reads_the_real_file() -> None:
    table = read_expense_ratios(REAL)
    assert {"IWM", "VTWO", "IJR", "SPSM", "VB", "SCHA", "IWC", "IWN", "IWO", "TNA"} <= set(
        table.index)
    assert table.loc["IWM", "expense_ratio_pct"] == pytest.approx(0.19)
    assert table.loc["VTWO", "expense_ratio_pct"] == pytest.approx(0.07)
    assert table.loc["SCHA", "expense_ratio_pct"] == pytest.approx(0.04)
    assert table.loc["VB", "index_tracked"] == "CRSP US Small Cap Index"
    assert table.loc["SPY", "expense_ratio_pct"] == pytest.approx(0.0945)
    assert table.loc["IWC", "as_of"] == "2026-01"  # month-precision dates stay as published
    assert table.loc["IJR", "index_tracked"] == "S&P SmallCap 600 Index"


@pytest.mark.parametrize(("lines", "message"), [
    ((HEADER.replace(",as_of", ""), GOOD_ROW.replace(",2026-08-14", "")),
     r"unexpected columns .* missing \['as_of'\]"),
    ((HEADER, GOOD_ROW.replace(",0.19,", ",abc,")),
     r"line 2, column expense_ratio_pct: not a number: 'abc'"),
    ((HEADER, GOOD_ROW.replace(",0.19,", ",19,")),
     r"line 2, column expense_ratio_pct: 19 is outside 0..5 percent"),
    ((HEADER, GOOD_ROW, GOOD_ROW.replace("2026-08-14", "14/08/2026")),
     r"line 3, column as_of: '14/08/2026' is not a date"),
    ((HEADER, GOOD_ROW.replace("https://", "http://")),
     r"line 2, column source_url: .* is not an https URL"),
    ((HEADER, GOOD_ROW, GOOD_ROW),
     r"line 3, column ticker: 'IWM' appears more than once"),
    ((HEADER, GOOD_ROW.replace("iShares Russell 2000 ETF,", ",")),
     r"line 2, column fund: empty value"),
    ((HEADER,), r"no rows"),
])
def test_rejects_a_malformed_file_with_a_clear_message(tmp_path: Path, lines: tuple[str, ...],
                                                       message: str) -> None:
    path = _write(tmp_path, *lines)
    with pytest.raises(DataError, match=message) as caught:
        read_expense_ratios(path)
    assert str(path) in str(caught.value)  # the message names the file


def test_missing_file_is_a_data_error(tmp_path: Path) -> None:
    with pytest.raises(DataError, match="file not found"):
        read_expense_ratios(tmp_path / "nope.csv")


# --- FOMC first cuts -----------------------------------------------------------------------

FOMC_REAL = Settings.from_env().reference_dir / "fomc_first_cuts.csv"
FOMC_HEADER = ",".join(FOMC_COLUMNS)
FOMC_ROW = ("2007-09-18,5.25,4.75,2003-06-25,yes,"
            "https://www.federalreserve.gov/newsevents/pressreleases/monetary20070918a.htm,x")


def test_reads_the_real_fomc_file() -> None:
    table = read_fomc_first_cuts(FOMC_REAL, 12)
    assert table["decision_date"].dt.strftime("%Y-%m-%d").tolist() == [
        "1989-06-06", "1995-07-06", "1998-09-29", "2001-01-03", "2007-09-18", "2019-07-31",
        "2024-09-18"]
    assert table.loc[5, "target_before"] == 2.50 and table.loc[5, "target_after"] == 2.25
    assert table["announced"].tolist() == [False] + [True] * 6


@pytest.mark.parametrize(("row", "column", "detail"), [
    (FOMC_ROW.replace("2003-06-25", "2007-01-31"), "previous_cut", "within 12 months"),
    (FOMC_ROW.replace("5.25,4.75", "4.75,5.25"), "target_after", "not a cut"),
    (FOMC_ROW.replace("https://www.federalreserve.gov/", "https://example.com/"), "source_url",
     "federalreserve.gov"),
    (FOMC_ROW.replace("2007-09-18", "2007-9-18"), "decision_date", "not a date"),
])
def test_fomc_rejects_a_bad_row(tmp_path: Path, row: str, column: str, detail: str) -> None:
    path = tmp_path / "fomc_first_cuts.csv"
    path.write_text(f"{FOMC_HEADER}\n{row}\n")
    with pytest.raises(DataError, match=f"line 2, column {column}: .*{detail}"):
        read_fomc_first_cuts(path, 12)
