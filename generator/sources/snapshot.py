"""The read-only snapshot (`../shared/data` by default): the same parsers as the live feeds."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from generator.catalog import Series
from generator.errors import DataError
from generator.sources.fred import parse_fred_csv
from generator.sources.yahoo import parse_bars_csv


def snapshot_path(snapshot_dir: Path, series: Series) -> Path:
    """Where the snapshot keeps `series` (e.g. `yahoo/^RUT.csv`, `fred/DGS10.csv`)."""
    return snapshot_dir / series.source / f"{series.id}.csv"


def read_snapshot_series(snapshot_dir: Path, series: Series) -> pd.DataFrame:
    """Read one series from the snapshot as a normalised (unvalidated) frame."""
    path = snapshot_path(snapshot_dir, series)
    if not path.is_file():
        raise DataError(f"{series.id}: snapshot file missing: {path}")
    if series.source == "yahoo":
        return parse_bars_csv(path, series.id)
    return parse_fred_csv(path, series.id)
