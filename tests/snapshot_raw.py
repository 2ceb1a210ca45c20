"""Plain-pandas readers of raw data, independent of the generator's own sources, so tests can
recompute a figure's values without going through the code under test.

`source` is either the snapshot (``yahoo/<symbol>.csv`` as yfinance gives it, ``fred/<id>.csv``
as FRED's download) or a filled store (``yahoo/<symbol>.csv`` with lower-case columns,
``fred/<id>.csv`` as ``date,value``): the `raw_dir` fixture gives the snapshot when it is
reachable and the store otherwise (on GitHub's runners, the nightly's `data` branch).
"""

from __future__ import annotations

import csv
import gzip
from pathlib import Path

import pandas as pd


def raw_frame(source: Path, symbol: str) -> pd.DataFrame:
    """yahoo/<symbol>.csv with lower-case columns (close, and open … volume where present),
    indexed by date; rows without a close dropped."""
    frame = pd.read_csv(source / "yahoo" / f"{symbol}.csv")
    frame.columns = [c.lower() for c in frame.columns]
    frame = frame.set_index(pd.DatetimeIndex(pd.to_datetime(frame.pop("date")), name="Date"))
    return frame.dropna(subset=["close"])


def raw_close(source: Path, symbol: str) -> pd.Series:
    """The close of yahoo/<symbol>.csv, empty rows dropped (named Close, as in the snapshot)."""
    return raw_frame(source, symbol)["close"].rename("Close")


def raw_fred(source: Path, series_id: str) -> pd.Series:
    """fred/<id>.csv as a float series, empty values dropped."""
    frame = pd.read_csv(source / "fred" / f"{series_id}.csv")
    dates = pd.DatetimeIndex(pd.to_datetime(frame.iloc[:, 0]), name="observation_date")
    values = pd.to_numeric(frame.iloc[:, 1], errors="coerce").set_axis(dates)
    return values.rename(series_id).dropna()


def raw_members(source: Path) -> pd.DataFrame:
    """The members' adjusted closes, one column per ticker: the snapshot's gzipped CSV, or the
    store's Parquet table read by pandas alone."""
    gz = source / "yahoo" / "constituents_close.csv.gz"
    if gz.is_file():
        with gzip.open(gz, "rt") as handle:
            return pd.read_csv(handle, index_col=0, parse_dates=True)
    frame = pd.read_parquet(source / "tables" / "members_close.parquet")
    frame.index = pd.DatetimeIndex(frame.index)
    return frame


def figure_csv(built_site, figure_id: str, **kwargs) -> pd.DataFrame:
    """A built figure's CSV, as a reader would download it."""
    return pd.read_csv(built_site.site_dir / "figures" / f"{figure_id}.csv", **kwargs)


# Ken French's files: the snapshot's CSV (sections one after another, each under its own
# header line) or the store's table of the same file (one column per section and portfolio,
# "<section>:<portfolio>", indexed by month end).
FRENCH_TABLES = {"Portfolios_Formed_on_ME": "ff_me_deciles", "25_Portfolios_5x5": "ff_me_bm_25",
                 "25_Portfolios_ME_OP_5x5": "ff_me_op_25",
                 "F-F_Research_Data_Factors": "ff_factors"}


def raw_french(source: Path, name: str, section: str, header_line: int
               ) -> dict[str, dict[str, float]]:
    """One monthly section of a library file, by hand: {YYYYMM: {portfolio: value}}. From the
    snapshot, the rows under the header on 1-based line `header_line` of french/<name>.csv
    (plain `csv`, until the first blank line); from a store, the `section:` columns of the
    file's table, read by pandas alone."""
    path = source / "french" / f"{name}.csv"
    if path.is_file():
        lines = path.read_text().splitlines()
        header = [c.strip() for c in lines[header_line - 1].split(",")]
        rows = {}
        for line in lines[header_line:]:
            if not line.strip():
                break
            cells = next(csv.reader([line]))
            rows[cells[0].strip()] = {h: float(v) for h, v in zip(header[1:], cells[1:],
                                                                  strict=True)}
        return rows
    frame = pd.read_parquet(source / "tables" / f"{FRENCH_TABLES[name]}.parquet")
    prefix = f"{section}:"
    frame = frame[[c for c in frame.columns if c.startswith(prefix)]]
    frame.columns = [c[len(prefix):] for c in frame.columns]
    months = pd.DatetimeIndex(frame.index).strftime("%Y%m")
    return {month: {k: float(v) for k, v in row.items()}
            for month, row in zip(months, frame.to_dict("records"), strict=True)}


def raw_holdings_equities(source: Path) -> list[dict[str, str]]:
    """The equity rows of the holdings file, read with the csv module (not pandas): iShares'
    file in the snapshot, or the store's table (its columns renamed as iShares names them)."""
    path = source / "ishares" / "IWM_holdings.csv"
    if not path.is_file():
        names = {"ticker": "Ticker", "sector": "Sector", "asset_class": "Asset Class",
                 "market_value": "Market Value", "weight_pct": "Weight (%)"}
        with open(source / "tables" / "iwm_holdings.csv", encoding="utf-8", newline="") as f:
            rows = [{names.get(k, k): v for k, v in row.items()} for row in csv.DictReader(f)]
        return [r for r in rows if r["Asset Class"] == "Equity"]
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("Ticker,"))
    rows = []
    for row in csv.DictReader(lines[start:]):
        if row.get("Asset Class") is None:  # the blank line and the legal footer
            break
        rows.append(row)
    return [r for r in rows if r["Asset Class"] == "Equity"]


def last_close_day(source: Path, symbol: str = "^RUT") -> pd.Timestamp:
    """The last day with a close: the snapshot's end (2026-08-21), or wherever the nightly's
    store has got to (tests derive "the latest day" from it, never pin it)."""
    return raw_close(source, symbol).index[-1]


def long_day(day: pd.Timestamp) -> str:
    """A day as pages write it: 21 August 2026, 3 August 2026."""
    return f"{day.day} {day:%B %Y}"
