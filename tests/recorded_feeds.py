"""Recorded live feeds, rebuilt from the real snapshot: what `yfinance.download` and FRED's
`fredgraph.csv` return, in their exact shapes, replayed through the real fetch code.

- Yahoo: a frame with (Price, Ticker) MultiIndex columns sorted by Price, a tz-aware
  DatetimeIndex named ``Date`` (America/New_York; yfinance gives that with ignore_tz=False and a
  naive one by default — both are exercised), Volume as int64, ``start`` inclusive and ``end``
  exclusive. A failed ticker is what yfinance really does: an error on the "yfinance" logger and
  an empty frame with an extra "Adj Close" column.
- FRED: the snapshot file's own lines (``observation_date,ID``; empty cells where FRED has no
  observation) from ``cosd`` on, ending with a newline. The ICE BofA spread series are served
  for the last three years only, as FRED does today.

Faults are hooks per series: ``yahoo_faults[id](call_number, frame) -> frame`` (may raise) and
``fred_faults[id](call_number, body) -> (status, headers, body)`` (may raise).
"""

from __future__ import annotations

import functools
import logging
import urllib.parse
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from generator.catalog import get
from generator.sources.snapshot import read_snapshot_series

YahooFault = Callable[[int, pd.DataFrame], pd.DataFrame]
FredFault = Callable[[int, str], tuple[int, dict[str, str], str]]
FRED_RECENT_ONLY = {"BAMLH0A0HYM2", "BAMLC0A0CM"}  # FRED serves ~3 years of these now
# The snapshot has no VTWO; its stand-in bars are IWM's (same index, same shape) from VTWO's
# inception. Test-only: never stored anywhere but a temp dir.
VTWO_STAND_IN = ("IWM", "2010-09-20")
# The snapshot has no DRTSCIS either; its recorded response is FRED's own CSV of it as kept in
# csaladenes/eco `DRTSCIS.csv` @a3b95e37dbe7 (1990-04 to 2021-01, FRED's older `DATE` header).
# Test-only, like VTWO's stand-in.
RECORDED_ONLY = {"DRTSCIS": Path(__file__).resolve().parent / "data" / "DRTSCIS.csv"}


@functools.cache
def snapshot_bars(snapshot_dir: Path, series_id: str) -> pd.DataFrame:
    """The snapshot series, parsed once per test session (callers must not modify it)."""
    return read_snapshot_series(snapshot_dir, get(series_id))


@functools.cache
def snapshot_lines(snapshot_dir: Path, series_id: str) -> tuple[str, ...]:
    """The lines of a FRED snapshot file, read once per test session. A store's file (the
    same dates and values, header ``date,value``) is given FRED's header."""
    path = RECORDED_ONLY.get(series_id, snapshot_dir / "fred" / f"{series_id}.csv")
    header, *rows = path.read_text().splitlines()
    if header == "date,value":
        header = f"observation_date,{series_id}"
    return (header, *rows)


def yahoo_frame(bars: pd.DataFrame, ticker: str, tz: str | None = "America/New_York"
                ) -> pd.DataFrame:
    """`bars` (normalised: open..volume or close only) shaped as `yfinance.download` returns it."""
    frame = pd.DataFrame(index=bars.index.copy())
    close = bars["close"]
    for name in ("open", "high", "low", "close"):
        # Close-only snapshot files: flat bars (fixture only; the store keeps just Close).
        frame[name.capitalize()] = bars.get(name, close)
    volume = bars["volume"] if "volume" in bars else pd.Series(0, index=bars.index)
    frame["Volume"] = volume.astype("int64") if volume.notna().all() else volume
    index = pd.DatetimeIndex(frame.index).rename("Date")
    frame.index = index.tz_localize(tz) if tz else index
    frame.columns = pd.MultiIndex.from_product([frame.columns, [ticker]], names=["Price", "Ticker"])
    return frame.sort_index(axis=1, level=0)


def yahoo_failure_frame(ticker: str) -> pd.DataFrame:
    """The empty frame `yfinance.download` returns for a ticker whose download failed."""
    columns = pd.MultiIndex.from_product(
        [["Adj Close", "Close", "High", "Low", "Open", "Volume"], [ticker]],
        names=["Price", "Ticker"])
    return pd.DataFrame(columns=columns, index=pd.DatetimeIndex([], name="Date"))


class RecordedFeeds:
    """Serves snapshot data as Yahoo and FRED would, with faults injected per series."""

    def __init__(self, snapshot_dir: Path, tz: str | None = "America/New_York") -> None:
        self.snapshot_dir = snapshot_dir
        self.tz = tz
        self.yahoo_faults: dict[str, YahooFault] = {}
        self.fred_faults: dict[str, FredFault] = {}
        self.yahoo_calls: list[dict] = []
        self.fred_calls: list[str] = []

    # --- Yahoo ------------------------------------------------------------------------------
    def bars(self, ticker: str) -> pd.DataFrame:
        if ticker == "VTWO":
            source, since = VTWO_STAND_IN
            bars = snapshot_bars(self.snapshot_dir, source)
            return bars[bars.index >= since]
        return snapshot_bars(self.snapshot_dir, ticker)

    def download(self, tickers: str, start: str | None = None, end: str | None = None,
                 period: str | None = None, **kwargs: object) -> pd.DataFrame:
        """Stands in for `yfinance.download` (one ticker, daily, auto-adjusted)."""
        assert kwargs.get("auto_adjust") is True and kwargs.get("interval", "1d") == "1d"
        self.yahoo_calls.append({"ticker": tickers, "start": start, "end": end, "period": period})
        calls = sum(c["ticker"] == tickers for c in self.yahoo_calls)
        bars = self.bars(tickers)
        if start is not None:
            bars = bars[bars.index >= start]
        else:
            assert period == "max", "a full-history fetch must ask for period='max'"
        if end is not None:
            bars = bars[bars.index < end]
        frame = yahoo_frame(bars, tickers, self.tz)
        fault = self.yahoo_faults.get(tickers)
        return fault(calls, frame) if fault else frame

    # --- FRED -------------------------------------------------------------------------------
    def fred_body(self, series_id: str, cosd: str | None) -> str:
        header, *rows = snapshot_lines(self.snapshot_dir, series_id)
        first = cosd or "0000-00-00"
        if series_id in FRED_RECENT_ONLY:
            first = max(first, _years_before(rows[-1][:10], 3))
        return "\n".join([header, *(r for r in rows if r[:10] >= first)]) + "\n"

    def fred_callback(self, request) -> tuple[int, dict[str, str], str]:
        """A `responses` callback for https://fred.stlouisfed.org/graph/fredgraph.csv."""
        query = urllib.parse.parse_qs(urllib.parse.urlsplit(request.url).query)
        series_id = query["id"][0]
        self.fred_calls.append(series_id)
        body = self.fred_body(series_id, query.get("cosd", [None])[0])
        fault = self.fred_faults.get(series_id)
        if fault:
            return fault(self.fred_calls.count(series_id), body)
        return 200, {"Content-Type": "text/csv; charset=UTF-8"}, body


def _years_before(day: str, years: int) -> str:
    return f"{int(day[:4]) - years}{day[4:]}"


def log_yahoo_error(ticker: str, message: str) -> None:
    """Log a failed download the way yfinance does."""
    logging.getLogger("yfinance").error(f"['{ticker}']: {message}")
