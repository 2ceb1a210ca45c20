"""Yahoo Finance: fetch daily bars with `yfinance.download` and parse CSV bars or downloaded
frames into normalised frames."""

from __future__ import annotations

import datetime as dt
import functools
import logging
import re
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pandas as pd

from generator.errors import FeedError, ResponseError, TransientFeedError
from generator.sources.csvfeed import read_csv_strings
from generator.sources.retry import (
    MAX_RESPONSE_BYTES,
    TOO_LARGE,
    RetryPolicy,
    as_feed_error,
    classify,
)

BAR_COLUMNS = ("open", "high", "low", "close", "volume")

def parse_bars_csv(source: str | Path, series_id: str) -> pd.DataFrame:
    """Parse a `Date,Open,High,Low,Close,Volume` (or `Date,Close`) CSV into a normalised frame.

    `source` is a path or the CSV text itself. Raises `DataError` naming the file and series.
    """
    raw, where = read_csv_strings(source, series_id)
    return normalise_columns(raw, series_id, where)


def normalise_columns(raw: pd.DataFrame, series_id: str, where: str) -> pd.DataFrame:
    """A string frame with a Date column and capitalised bar columns -> a normalised frame."""
    columns = {c: c.strip().lower() for c in raw.columns}
    frame = raw.rename(columns=columns)
    if "date" not in frame.columns or "close" not in frame.columns:
        raise ResponseError(series_id, "columns changed",
                            f"columns {list(raw.columns)} (expected Date and Close)", path=where)
    unknown = [c for c in frame.columns if c != "date" and c not in BAR_COLUMNS]
    if unknown:
        raise ResponseError(series_id, "columns changed", f"unexpected columns {unknown}",
                            path=where)
    return _to_numeric(frame, series_id, where)


def _to_numeric(frame: pd.DataFrame, series_id: str, where: str) -> pd.DataFrame:
    dates = pd.to_datetime(frame["date"].str.strip().str[:10], format="%Y-%m-%d", errors="coerce")
    bad = frame.loc[dates.isna(), "date"]
    if len(bad):
        raise ResponseError(series_id, "unparseable date", f"date {bad.iloc[0]!r}", path=where)
    values = frame.drop(columns="date").apply(lambda c: c.str.strip())
    values = values.replace({"": None, "null": None})
    numeric = values.apply(pd.to_numeric, errors="coerce")
    broken = numeric.isna() & values.notna()
    if broken.to_numpy().any():
        row, col = next((r, c) for c in broken.columns for r in broken.index[broken[c]])
        raise ResponseError(series_id, "unparseable value",
                            f"non-numeric {col} {values.at[row, col]!r}",
                            [dates.iloc[row].strftime("%Y-%m-%d")], path=where)
    numeric.index = pd.DatetimeIndex(dates, name="date")
    return numeric.astype("float64")


def normalise_download(downloaded: pd.DataFrame, series_id: str) -> pd.DataFrame:
    """Normalise what `yfinance.download(series_id, auto_adjust=True)` returns.

    yfinance returns a (Price, Ticker) column MultiIndex even for one ticker, and a DatetimeIndex
    that may be tz-aware; both are flattened to the stored shape.
    """
    if downloaded is None or downloaded.empty:
        raise ResponseError(series_id, "empty response", "Yahoo Finance returned no rows")
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
    # With auto_adjust=True "Close" is already adjusted; an "Adj Close" column only appears in
    # yfinance's empty failure frame or with auto_adjust=False, which we never request.
    frame = frame.drop(columns=[c for c in frame.columns if c == "adj close"])
    if "close" not in frame.columns:
        raise ResponseError(series_id, "columns changed",
                            f"Yahoo response has no Close column: {list(frame.columns)}")
    unknown = [c for c in frame.columns if c not in BAR_COLUMNS]
    if unknown:
        raise ResponseError(series_id, "columns changed",
                            f"unexpected columns in Yahoo response: {unknown}")
    return frame.astype("float64")


@functools.cache
def bounded_session() -> Any:
    """The one HTTP session every live Yahoo download uses: yfinance's own kind (curl_cffi,
    browser-impersonating) with curl's size limit, so no answer is read past
    `MAX_RESPONSE_BYTES` (a chart's longest daily history is ~2 MB). Cached: cookies and
    yfinance's crumb are fetched once per run."""
    from curl_cffi import requests as curl_requests
    from curl_cffi.const import CurlOpt

    return curl_requests.Session(impersonate="chrome",
                                 curl_options={CurlOpt.MAXFILESIZE_LARGE: MAX_RESPONSE_BYTES})


def too_large(series_id: str, errors: str) -> ResponseError | None:
    """A `ResponseError` when yfinance's logged errors say curl cut an oversized answer."""
    if TOO_LARGE not in errors:
        return None
    return ResponseError(series_id, "response too large",
                         f"Yahoo Finance's answer passed the {MAX_RESPONSE_BYTES:,}-byte limit")


def fetch_bars(series_id: str, start: dt.date | None, end: dt.date, policy: RetryPolicy,
               download: Callable[..., pd.DataFrame] | None = None) -> pd.DataFrame:
    """Daily bars of `series_id` from `start` (all history when None) up to, not including,
    `end`, as a normalised frame (prices in the ticker's currency, adjusted with auto_adjust).

    `download` defaults to `yfinance.download` (looked up at call time, so tests can replace it).
    Failures are classified and retried under `policy` (`retry.classify`); an empty answer
    raises `ResponseError` ("empty response"), an unreachable feed `FeedError`.
    """
    downloaded = policy.call(series_id, lambda: _download_once(series_id, start, end,
                                                               policy.timeout, download))
    return normalise_download(downloaded, series_id)


def _download_once(series_id: str, start: dt.date | None, end: dt.date, timeout: float,
                   download: Callable[..., pd.DataFrame] | None) -> pd.DataFrame:
    import yfinance

    call = download or yfinance.download
    window: dict[str, Any] = {"start": start.isoformat()} if start else {"period": "max"}
    if download is None:
        window["session"] = bounded_session()
    with _captured_yfinance_errors() as logged, warnings.catch_warnings():
        warnings.simplefilter("ignore")  # yfinance's own pandas deprecation noise
        try:
            frame = call(series_id, end=end.isoformat(), interval="1d", auto_adjust=True,
                         actions=False, progress=False, threads=False, timeout=timeout,
                         multi_level_index=True, **window)
        except FeedError:
            raise  # already classified (e.g. a replayed feed with no recording)
        except Exception as exc:  # yfinance's network stack (curl_cffi) has its own classes
            error = as_feed_error(series_id, exc)
            if not isinstance(error, TransientFeedError):
                error = FeedError(series_id, f"yfinance failed: {error.detail}")
            raise error from None
    if frame is None or frame.empty:
        errors = _summarise(logged, series_id)
        if oversized := too_large(series_id, errors):
            raise oversized
        if errors and classify(errors) == "transient":
            raise TransientFeedError(series_id, f"Yahoo Finance: {errors}")
        if errors:
            raise ResponseError(series_id, "empty response",
                                f"Yahoo Finance returned no rows: {errors}")
    return frame


def _summarise(logged: list[str], series_id: str) -> str:
    """yfinance's logged errors for one ticker as one line (its "N Failed download" headers
    and the ticker prefixes dropped, duplicates removed)."""
    seen: list[str] = []
    for message in logged:
        for part in message.replace("\n", "; ").split("; "):
            part = part.strip().removeprefix(f"['{series_id}']: ").removeprefix(
                f"${series_id}: ").strip()
            if part and not re.fullmatch(r"\d+ Failed downloads?:", part) and part not in seen:
                seen.append(part)
    return "; ".join(seen)


class _ListHandler(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.ERROR)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@contextmanager
def _captured_yfinance_errors() -> Iterator[list[str]]:
    """Collect (and keep off the terminal) what yfinance logs as errors during one download."""
    logger = logging.getLogger("yfinance")
    handler = _ListHandler()
    propagate = logger.propagate
    logger.addHandler(handler)
    logger.propagate = False
    try:
        yield handler.messages
    finally:
        logger.removeHandler(handler)
        logger.propagate = propagate
