"""Read a CSV feed's text or file into a frame of strings, with its errors mapped once.

FRED's download, Yahoo's bar files and the snapshot's copies of both are CSVs read as text
first (every cell a string, nothing guessed), then typed by their own parser. This is the one
place that turns pandas' and the file system's errors into ours, naming the series and file.
"""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd

from generator.errors import DataError, ResponseError

# A series' CSV is at most a few MB (a century of daily bars is ~2 MB); larger is not a series.
MAX_CSV_BYTES = 64 * 2**20


def read_csv_strings(source: str | Path, series_id: str) -> tuple[pd.DataFrame, str]:
    """`source` (a path, or the CSV text itself) as a frame of strings, and where it came from
    (the path, or "<series> response") for error messages.

    A missing file is a `DataError`; an empty, oversized or unparseable one a `ResponseError`
    ("empty response", "response too large", "unparseable response").
    """
    where = str(source) if isinstance(source, Path) else f"{series_id} response"
    try:
        size = source.stat().st_size if isinstance(source, Path) else len(source)
    except FileNotFoundError:
        raise DataError(f"{series_id}: file not found: {where}") from None
    if size > MAX_CSV_BYTES:
        raise ResponseError(series_id, "response too large",
                            f"{size:,} bytes, at most {MAX_CSV_BYTES:,} accepted", path=where)
    try:
        handle = source if isinstance(source, Path) else io.StringIO(source)
        raw = pd.read_csv(handle, dtype=str, keep_default_na=False)
    except FileNotFoundError:
        raise DataError(f"{series_id}: file not found: {where}") from None
    except pd.errors.EmptyDataError:
        raise ResponseError(series_id, "empty response", "no header and no rows",
                            path=where) from None
    except (pd.errors.ParserError, UnicodeDecodeError, ValueError) as exc:
        raise ResponseError(series_id, "unparseable response", str(exc), path=where) from None
    return raw, where


def is_number(text: str) -> bool:
    """Whether a CSV cell's text reads as a number (``"1.5"``, ``"-3"``, ``"1e6"``, ``"nan"``)."""
    try:
        float(text)
    except ValueError:
        return False
    return True
