"""FRED: parse the keyless CSV download (`observation_date,SERIES_ID`) into a normalised frame."""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd

from generator.errors import DataError

# FRED's older CSV marked a missing observation with "."; today it leaves the cell empty.
MISSING_MARKERS = ("", ".", "#N/A")


def parse_fred_csv(source: str | Path, series_id: str) -> pd.DataFrame:
    """Parse FRED's CSV (path or text) into a frame with one float column, ``value``.

    Days with no observation (empty or ".") are dropped: they are holidays, not zeros.
    """
    where = str(source) if isinstance(source, Path) else f"{series_id} response"
    try:
        handle = source if isinstance(source, Path) else io.StringIO(source)
        raw = pd.read_csv(handle, dtype=str, keep_default_na=False)
    except FileNotFoundError:
        raise DataError(f"{series_id}: file not found: {where}") from None
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
        raise DataError(f"{series_id}: cannot parse {where}: {exc}") from None
    header = [c.strip() for c in raw.columns]
    date_col = next((c for c in header if c.lower() in ("observation_date", "date")), None)
    if date_col is None or series_id not in header or len(header) != 2:
        raise DataError(
            f"{series_id}: unexpected columns in {where}: {header} "
            f"(expected ['observation_date', '{series_id}'])"
        )
    raw.columns = header
    dates = pd.to_datetime(raw[date_col].str.strip(), format="%Y-%m-%d", errors="coerce")
    if dates.isna().any():
        bad = raw.loc[dates.isna(), date_col].iloc[0]
        raise DataError(f"{series_id}: unparseable date {bad!r} in {where}")
    text = raw[series_id].str.strip()
    missing = text.isin(MISSING_MARKERS)
    values = pd.to_numeric(text.where(~missing), errors="coerce")
    broken = values.isna() & ~missing
    if broken.any():
        row = broken.idxmax()
        raise DataError(
            f"{series_id}: non-numeric value {text.iloc[row]!r} on {dates.iloc[row].date()} "
            f"in {where}"
        )
    frame = pd.DataFrame({"value": values.to_numpy(dtype="float64")},
                         index=pd.DatetimeIndex(dates, name="date"))
    return frame[~missing.to_numpy()]


def fred_csv_url(series_id: str, start: str | None = None) -> str:
    """The keyless download URL for a series, optionally from `start` (YYYY-MM-DD)."""
    url = f"https://fred.stlouisfed.org/graph/fredgraph.csv?id={series_id}"
    return f"{url}&cosd={start}" if start else url
