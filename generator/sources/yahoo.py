"""Yahoo Finance: parse CSV bars and `yfinance.download` frames into normalised frames."""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd

from generator.errors import DataError

BAR_COLUMNS = ("open", "high", "low", "close", "volume")


def parse_bars_csv(source: str | Path, series_id: str) -> pd.DataFrame:
    """Parse a `Date,Open,High,Low,Close,Volume` (or `Date,Close`) CSV into a normalised frame.

    `source` is a path or the CSV text itself. Raises `DataError` naming the file and series.
    """
    where = str(source) if isinstance(source, Path) else f"{series_id} response"
    try:
        handle = source if isinstance(source, Path) else io.StringIO(source)
        raw = pd.read_csv(handle, dtype=str, keep_default_na=False)
    except FileNotFoundError:
        raise DataError(f"{series_id}: file not found: {where}") from None
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
        raise DataError(f"{series_id}: cannot parse {where}: {exc}") from None
    return normalise_columns(raw, series_id, where)


def normalise_columns(raw: pd.DataFrame, series_id: str, where: str) -> pd.DataFrame:
    """A string frame with a Date column and capitalised bar columns -> a normalised frame."""
    columns = {c: c.strip().lower() for c in raw.columns}
    frame = raw.rename(columns=columns)
    if "date" not in frame.columns or "close" not in frame.columns:
        raise DataError(
            f"{series_id}: unexpected columns in {where}: {list(raw.columns)} "
            "(expected Date and Close)"
        )
    unknown = [c for c in frame.columns if c != "date" and c not in BAR_COLUMNS]
    if unknown:
        raise DataError(f"{series_id}: unexpected columns in {where}: {unknown}")
    return _to_numeric(frame, series_id, where)


def _to_numeric(frame: pd.DataFrame, series_id: str, where: str) -> pd.DataFrame:
    dates = pd.to_datetime(frame["date"].str.strip().str[:10], format="%Y-%m-%d", errors="coerce")
    bad = frame.loc[dates.isna(), "date"]
    if len(bad):
        raise DataError(f"{series_id}: unparseable date {bad.iloc[0]!r} in {where}")
    values = frame.drop(columns="date").apply(lambda c: c.str.strip())
    values = values.replace({"": None, "null": None})
    numeric = values.apply(pd.to_numeric, errors="coerce")
    broken = numeric.isna() & values.notna()
    if broken.to_numpy().any():
        row, col = next((r, c) for c in broken.columns for r in broken.index[broken[c]])
        raise DataError(
            f"{series_id}: non-numeric {col} {values.at[row, col]!r} on "
            f"{dates.iloc[row].date()} in {where}"
        )
    numeric.index = pd.DatetimeIndex(dates, name="date")
    return numeric.astype("float64")


def normalise_download(downloaded: pd.DataFrame, series_id: str) -> pd.DataFrame:
    """Normalise what `yfinance.download(series_id, auto_adjust=True)` returns.

    yfinance returns a (Price, Ticker) column MultiIndex even for one ticker, and a DatetimeIndex
    that may be tz-aware; both are flattened to the stored shape.
    """
    if downloaded is None or downloaded.empty:
        raise DataError(f"{series_id}: empty response from Yahoo Finance")
    frame = downloaded.copy()
    if isinstance(frame.columns, pd.MultiIndex):
        level = frame.columns.names.index("Ticker") if "Ticker" in frame.columns.names else 1
        if series_id in frame.columns.get_level_values(level):
            frame = frame.xs(series_id, axis=1, level=level)
        else:
            frame.columns = frame.columns.get_level_values(0)
    index = pd.DatetimeIndex(frame.index)
    if index.tz is not None:
        index = index.tz_localize(None)
    frame.index = index.normalize().rename("date")
    frame.columns = [str(c).strip().lower() for c in frame.columns]
    if "close" not in frame.columns:
        raise DataError(f"{series_id}: Yahoo response has no Close column: {list(frame.columns)}")
    unknown = [c for c in frame.columns if c not in BAR_COLUMNS]
    if unknown:
        raise DataError(f"{series_id}: unexpected columns in Yahoo response: {unknown}")
    return frame.astype("float64")
