"""Recorded feeds: the snapshot served exactly as the live feeds answer, for offline updates.

`python -m generator update --replay <snapshot folder>` runs the real fetch
code (retries, parsing, validation, merge, store) against these stand-ins instead of the network:

- `yahoo_download` answers like `yfinance.download(ticker, start|period="max", end,
  auto_adjust=True)`: (Price, Ticker) MultiIndex columns, a DatetimeIndex named ``Date``,
  ``start`` inclusive and ``end`` exclusive. A close-only snapshot file gives a Close-only frame.
- `fred_session` is a `requests.Session` whose adapter answers
  ``https://fred.stlouisfed.org/graph/fredgraph.csv?id=…&cosd=…`` with the snapshot file's own
  lines from ``cosd`` on.

A series the snapshot does not hold (VTWO) has no recorded response: it is reported as
unreachable, never filled with anything else.
"""

from __future__ import annotations

import urllib.parse
from pathlib import Path

import pandas as pd
import requests
from requests.adapters import BaseAdapter

from generator.catalog import BY_ID
from generator.errors import FeedError
from generator.sources.snapshot import read_snapshot_series, snapshot_path

FRED_HOST = "https://fred.stlouisfed.org/"


def yfinance_shape(bars: pd.DataFrame, ticker: str) -> pd.DataFrame:
    """Normalised bars (lower-case columns, index ``date``) in `yfinance.download`'s shape."""
    frame = bars.rename(columns=str.capitalize)
    frame.index = pd.DatetimeIndex(frame.index).rename("Date")
    frame.columns = pd.MultiIndex.from_product([frame.columns, [ticker]],
                                               names=["Price", "Ticker"])
    return frame.sort_index(axis=1, level=0)


class RecordedYahoo:
    """Stands in for `yfinance.download`, serving the snapshot's bars."""

    def __init__(self, snapshot_dir: Path) -> None:
        self.snapshot_dir = snapshot_dir
        self._bars: dict[str, pd.DataFrame] = {}

    def bars(self, ticker: str) -> pd.DataFrame:
        if ticker not in self._bars:
            series = BY_ID.get(ticker)
            if series is None or not snapshot_path(self.snapshot_dir, series).is_file():
                raise FeedError(ticker, f"no recorded response for {ticker} in "
                                        f"{self.snapshot_dir} (replay mode)")
            self._bars[ticker] = read_snapshot_series(self.snapshot_dir, series)
        return self._bars[ticker]

    def __call__(self, tickers: str, start: str | None = None, end: str | None = None,
                 **_options: object) -> pd.DataFrame:
        bars = self.bars(tickers)
        if start is not None:
            bars = bars[bars.index >= pd.Timestamp(start)]
        if end is not None:
            bars = bars[bars.index < pd.Timestamp(end)]
        return yfinance_shape(bars, tickers)


class RecordedFredAdapter(BaseAdapter):
    """A requests transport adapter answering FRED's CSV download from the snapshot files."""

    def __init__(self, snapshot_dir: Path) -> None:
        super().__init__()
        self.snapshot_dir = snapshot_dir

    def send(self, request: requests.PreparedRequest, **_kwargs: object) -> requests.Response:
        query = urllib.parse.parse_qs(urllib.parse.urlsplit(request.url or "").query)
        series_id = query.get("id", [""])[0]
        path = self.snapshot_dir / "fred" / f"{series_id}.csv"
        response = requests.Response()
        response.request, response.url = request, request.url or ""
        if not series_id or not path.is_file():
            response.status_code = 404
            response._content = b"Series does not exist in the recorded snapshot.\n"
            response._content_consumed = True  # the body is here, no socket to read
            response.headers["Content-Type"] = "text/plain"
            return response
        header, *rows = path.read_text().splitlines()
        first = query.get("cosd", ["0000-00-00"])[0]
        body = "\n".join([header, *(r for r in rows if r[:10] >= first)]) + "\n"
        response.status_code = 200
        response._content = body.encode("utf-8")
        response._content_consumed = True
        response.encoding = "utf-8"
        response.headers["Content-Type"] = "text/csv; charset=UTF-8"
        return response

    def close(self) -> None:
        pass


def fred_session(snapshot_dir: Path) -> requests.Session:
    """A session whose requests to FRED are answered from the snapshot (nothing else mounted)."""
    session = requests.Session()
    session.mount(FRED_HOST, RecordedFredAdapter(snapshot_dir))
    return session


# The description lines the library's zips carry above the first header (the snapshot copies
# dropped them), and the first section's title: a replayed zip reads exactly like a live one.
FRENCH_PREAMBLE = {
    "Portfolios_Formed_on_ME": (
        "This file was created by CMPT_ME_RETS using the 202412 CRSP database.",
        "It contains value- and equal-weighted returns for size portfolios.",
        "Each record contains returns for:",
        "Negative (not used)  30%  40%  30%     5 Quintiles    10 Deciles",
        "The portfolios are constructed at the end of June.",
        "Missing data are indicated by -99.99 or -999.", "", "",
        "  Value Weight Returns -- Monthly"),
    "F-F_Research_Data_Factors": (
        "This file was created by CMPT_ME_BEME_RETS using the 202412 CRSP database.",
        "The 1-month TBill rate data until 202405 are from Ibbotson Associates.", ""),
    "25_Portfolios_5x5": (
        "This file was created by CMPT_ME_BEME_RETS using the 202412 CRSP database.",
        "The portfolios are constructed at the end of each June.",
        "Missing data are indicated by -99.99 or -999.", "", "",
        "  Average Value Weighted Returns -- Monthly"),
    "25_Portfolios_ME_OP_5x5": (
        "This file was created by CMPT_ME_OP_RETS using the 202412 CRSP database.",
        "The portfolios are constructed at the end of each June.",
        "Missing data are indicated by -99.99 or -999.", "", "",
        "  Average Value Weighted Returns -- Monthly"),
}


def french_zip(snapshot_dir: Path, name: str, text: str | None = None) -> bytes:
    """The library's zip for file `name`, rebuilt from the snapshot copy (or `text`): the
    description lines and first title put back, CRLF line ends, one member ``<name>.CSV``."""
    import io
    import zipfile

    body = text if text is not None else (snapshot_dir / "french" / f"{name}.csv").read_text(
        encoding="latin-1")
    lines = [*FRENCH_PREAMBLE.get(name, ()), *body.splitlines()]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(f"{name}.CSV", ("\r\n".join(lines) + "\r\n").encode("latin-1"))
    return out.getvalue()
