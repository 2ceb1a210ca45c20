"""FRED: fetch and parse the keyless CSV download (`observation_date,SERIES_ID`) into a
normalised frame."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import requests

from generator.errors import ResponseError
from generator.sources.csvfeed import read_csv_strings
from generator.sources.retry import RetryPolicy

USER_AGENT = "smallcap-primer/0.1 (educational static-site generator; keyless CSV download)"

# FRED's older CSV marked a missing observation with "."; today it leaves the cell empty.
MISSING_MARKERS = ("", ".", "#N/A")


def parse_fred_csv(source: str | Path, series_id: str) -> pd.DataFrame:
    """Parse FRED's CSV (path or text) into a frame with one float column, ``value``.

    Days with no observation (empty or ".") are dropped: they are holidays, not zeros.
    """
    raw, where = read_csv_strings(source, series_id)
    header = [c.strip() for c in raw.columns]
    date_col = next((c for c in header if c.lower() in ("observation_date", "date")), None)
    if date_col is None or series_id not in header or len(header) != 2:
        raise ResponseError(series_id, "columns changed",
                            f"columns {header} (expected ['observation_date', '{series_id}'])",
                            path=where)
    raw.columns = header
    dates = pd.to_datetime(raw[date_col].str.strip(), format="%Y-%m-%d", errors="coerce")
    if dates.isna().any():
        bad = raw.loc[dates.isna(), date_col].iloc[0]
        raise ResponseError(series_id, "unparseable date", f"date {bad!r}", path=where)
    text = raw[series_id].str.strip()
    missing = text.isin(MISSING_MARKERS)
    values = pd.to_numeric(text.where(~missing), errors="coerce")
    broken = values.isna() & ~missing
    if broken.any():
        row = broken.idxmax()
        raise ResponseError(series_id, "unparseable value", f"non-numeric value {text.iloc[row]!r}",
                            [dates.iloc[row].strftime("%Y-%m-%d")], path=where)
    frame = pd.DataFrame({"value": values.to_numpy(dtype="float64")},
                         index=pd.DatetimeIndex(dates, name="date"))
    return frame[~missing.to_numpy()]


def fred_csv_url(series_id: str, start: str | None = None) -> str:
    """The keyless download URL for a series, optionally from `start` (YYYY-MM-DD)."""
    url = f"https://fred.stlouisfed.org/graph/fredgraph.csv?id={series_id}"
    return f"{url}&cosd={start}" if start else url


def check_csv_body(text: str, series_id: str, content_type: str = "") -> None:
    """Refuse a body that is not a whole FRED CSV: empty, an HTML page (FRED answers some errors
    with a 200 and a web page), or cut short (FRED ends every download with a newline)."""
    head = text.lstrip()[:200].lower()
    if not head:
        raise ResponseError(series_id, "empty response", "the response body is empty")
    if head.startswith(("<!doctype", "<html", "<?xml", "<head", "<body")) or "html" in content_type:
        title = ""
        lower = text.lower()
        if "<title>" in lower:
            title = text[lower.index("<title>") + 7:lower.find("</title>")].strip()[:80]
        raise ResponseError(series_id, "HTML instead of CSV",
                            f"FRED sent a web page{f' ({title!r})' if title else ''}, not CSV")
    if not text.endswith("\n"):
        last = text.rsplit("\n", 1)[-1][:40]
        raise ResponseError(series_id, "truncated response",
                            f"the body ends mid-line ({last!r}) without its final newline")


def fetch_fred(series_id: str, start: dt.date | None, policy: RetryPolicy,
               session: requests.Session | None = None) -> pd.DataFrame:
    """Observations of `series_id` from `start` (all FRED serves when None) as a normalised frame.

    Fetched under `policy` (timeouts, dropped connections, HTTP 429 and 5xx retried; other 4xx
    fail at once with `FeedError`); a body that is not a whole CSV raises `ResponseError`.
    """
    url = fred_csv_url(series_id, start.isoformat() if start else None)
    text, content_type = policy.get_text(series_id, url, session,
                                         headers={"User-Agent": USER_AGENT})
    check_csv_body(text, series_id, content_type)
    return parse_fred_csv(text, series_id)
