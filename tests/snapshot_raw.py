"""Plain-pandas readers of raw data, independent of the generator's own sources, so tests can
recompute a figure's values without going through the code under test.

`source` is either the snapshot (``yahoo/<symbol>.csv`` as yfinance gives it, ``fred/<id>.csv``
as FRED's download) or a filled store (``yahoo/<symbol>.csv`` with lower-case columns,
``fred/<id>.csv`` as ``date,value``): the `raw_dir` fixture gives the snapshot when it is
reachable and the store otherwise (on GitHub's runners, the nightly's `data` branch).
"""

from __future__ import annotations

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
