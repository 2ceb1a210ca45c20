"""Read snapshot files with plain pandas, independently of the project's sources, so tests can
check the project's numbers against a computation that shares none of its code."""

from __future__ import annotations

from pathlib import Path

import pandas as pd


def raw_series(snapshot_dir: Path, series_id: str) -> pd.Series:
    """A series straight from the snapshot file: Yahoo's Close or FRED's value column."""
    source = "yahoo" if (snapshot_dir / "yahoo" / f"{series_id}.csv").is_file() else "fred"
    path = snapshot_dir / source / f"{series_id}.csv"
    frame = pd.read_csv(path)
    date_col, value_col = ("Date", "Close") if source == "yahoo" else (frame.columns[0],
                                                                      series_id)
    values = pd.to_numeric(frame[value_col], errors="coerce")
    return pd.Series(values.to_numpy(), index=pd.to_datetime(frame[date_col])).dropna()
