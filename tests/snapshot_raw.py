"""Plain-pandas readers of the raw snapshot files, independent of the generator's own sources,
so tests can recompute a figure's values without going through the code under test."""

from __future__ import annotations

from pathlib import Path

import pandas as pd


def raw_close(snapshot_dir: Path, symbol: str) -> pd.Series:
    """The Close column of yahoo/<symbol>.csv, empty rows dropped."""
    frame = pd.read_csv(snapshot_dir / "yahoo" / f"{symbol}.csv", index_col="Date",
                        parse_dates=True)
    return frame["Close"].dropna()


def raw_fred(snapshot_dir: Path, series_id: str) -> pd.Series:
    """fred/<id>.csv as a float series, empty values dropped."""
    frame = pd.read_csv(snapshot_dir / "fred" / f"{series_id}.csv",
                        index_col="observation_date", parse_dates=True)
    return pd.to_numeric(frame[series_id], errors="coerce").dropna()


def figure_csv(built_site, figure_id: str, **kwargs) -> pd.DataFrame:
    """A built figure's CSV, as a reader would download it."""
    return pd.read_csv(built_site.site_dir / "figures" / f"{figure_id}.csv", **kwargs)
