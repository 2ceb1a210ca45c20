"""Members' daily closes: the wide table of adjusted closes of the fund's holdings.

Shape (snapshot and live alike): a `DatetimeIndex` named ``date`` and one float column per
ticker, as ``yfinance.download(tickers, auto_adjust=True)["Close"]`` gives it. NaN means "no
close that day" (before a listing, after a delisting, or a gap in the vendor's file). Nothing
here judges the values: member-level rules live in `generator.validate`.
"""

from __future__ import annotations

import gzip
import io
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from generator.errors import DataError

SNAPSHOT_FILE = Path("yahoo") / "constituents_close.csv.gz"
TABLE = "members_close"


def parse_members_csv(source: Path | bytes, where: str | None = None) -> pd.DataFrame:
    """Parse a wide ``Date,<TICKER>,...`` CSV (gzip or plain) into the members' close frame."""
    where = where or (str(source) if isinstance(source, Path) else "members response")
    try:
        raw = source.read_bytes() if isinstance(source, Path) else source
    except FileNotFoundError:
        raise DataError(f"members: file not found: {where}") from None
    if raw[:2] == b"\x1f\x8b":
        try:
            raw = gzip.decompress(raw)
        except (OSError, EOFError) as exc:
            raise DataError(f"members: {where} is not a readable gzip file: {exc}") from None
    try:
        frame = pd.read_csv(io.BytesIO(raw), index_col=0, engine="c")
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
        raise DataError(f"members: cannot parse {where}: {exc}") from None
    if str(frame.index.name).strip().lower() != "date":
        raise DataError(f"members: first column of {where} is {frame.index.name!r}, "
                        "expected 'Date'")
    dates = pd.to_datetime(frame.index.astype(str).str[:10], format="%Y-%m-%d", errors="coerce")
    if dates.isna().any():
        raise DataError(f"members: unparseable date {frame.index[dates.isna()][0]!r} in {where}")
    non_numeric = [c for c in frame.columns if not pd.api.types.is_numeric_dtype(frame[c])]
    if non_numeric:
        col = non_numeric[0]
        bad = pd.to_numeric(frame[col], errors="coerce").isna() & frame[col].notna()
        raise DataError(f"members: non-numeric close {frame[col][bad].iloc[0]!r} for {col} on "
                        f"{dates[bad.to_numpy()][0].date()} in {where}")
    frame.index = pd.DatetimeIndex(dates, name="date")
    frame.columns = [str(c).strip() for c in frame.columns]
    return frame.astype("float64")


def read_snapshot_members(snapshot_dir: Path) -> pd.DataFrame:
    """The snapshot's members table (unvalidated)."""
    return parse_members_csv(snapshot_dir / SNAPSHOT_FILE)


def closes_from_download(downloaded: pd.DataFrame, tickers: Sequence[str]) -> pd.DataFrame:
    """The Close block of a multi-ticker ``yfinance.download`` as a wide frame (columns = tickers).

    yfinance returns (Price, Ticker) MultiIndex columns and a DatetimeIndex that may be
    tz-aware; a ticker it could not fetch is missing or all-NaN.
    """
    if downloaded is None or downloaded.empty:
        return pd.DataFrame(index=pd.DatetimeIndex([], name="date"), columns=list(tickers),
                            dtype="float64")
    frame = downloaded
    if isinstance(frame.columns, pd.MultiIndex):
        names = list(frame.columns.names)
        price_level = names.index("Price") if "Price" in names else 0
        if "Close" not in frame.columns.get_level_values(price_level):
            raise DataError(f"members: Yahoo response has no Close block "
                            f"({sorted(set(frame.columns.get_level_values(price_level)))})")
        frame = frame.xs("Close", axis=1, level=price_level)
    elif "Close" in frame.columns and len(tickers) == 1:
        frame = frame[["Close"]].set_axis(list(tickers), axis=1)
    else:
        raise DataError(f"members: unexpected Yahoo response columns {list(frame.columns)[:5]}")
    index = pd.DatetimeIndex(frame.index)
    if index.tz is not None:
        index = index.tz_localize(None)
    frame = frame.copy()
    frame.index = index.normalize().rename("date")
    frame.columns = [str(c) for c in frame.columns]
    return frame.reindex(columns=list(tickers)).astype("float64")


Downloader = Callable[..., pd.DataFrame]


@dataclass
class MembersDownload:
    """What a chunked download brought back: closes of the tickers that answered, and the
    tickers that did not (with the reason)."""

    closes: pd.DataFrame
    failed: dict[str, str] = field(default_factory=dict)
    chunks: int = 0


def chunked(items: Sequence[str], size: int) -> list[list[str]]:
    """`items` in consecutive chunks of at most `size`."""
    return [list(items[i:i + size]) for i in range(0, len(items), size)]


def download_members(tickers: Sequence[str], start: str, *, chunk_size: int = 100,
                     pause_seconds: float = 2.0, attempts: int = 4,
                     downloader: Downloader | None = None, progress: bool = True,
                     sleep: Callable[[float], None] = time.sleep) -> MembersDownload:
    """Download adjusted closes for `tickers` from `start` (YYYY-MM-DD), politely.

    Tickers go in chunks of `chunk_size` per ``yfinance.download`` call with a pause between
    chunks; a chunk that raises (rate limit, timeout) is retried with exponential backoff and
    jitter, at most `attempts` times; a chunk that still fails marks its tickers failed. A ticker
    whose column comes back empty is failed too ("no data"). Nothing is stored here.
    """
    from tenacity import retry, stop_after_attempt, wait_random_exponential

    if downloader is None:
        import yfinance

        downloader = yfinance.download

    @retry(stop=stop_after_attempt(attempts), wait=wait_random_exponential(multiplier=2, max=60),
           sleep=sleep, reraise=True)
    def fetch(chunk: list[str]) -> pd.DataFrame:
        return downloader(chunk, start=start, auto_adjust=True, progress=False,
                          group_by="column", threads=False)

    parts: list[pd.DataFrame] = []
    failed: dict[str, str] = {}
    chunks = chunked(list(tickers), chunk_size)
    bar = _progress(len(tickers), progress)
    try:
        for number, chunk in enumerate(chunks):
            if number:
                sleep(pause_seconds)
            try:
                closes = closes_from_download(fetch(chunk), chunk)
            except Exception as exc:  # the feed's exception types vary by version: name it
                failed.update({t: f"download failed: {type(exc).__name__}: {exc}"[:200]
                               for t in chunk})
            else:
                empty = closes.columns[closes.isna().all().to_numpy()]
                failed.update({t: "no data returned" for t in empty})
                parts.append(closes.drop(columns=empty))
            bar(len(chunk))
    finally:
        bar(0, done=True)
    closes = (pd.concat(parts, axis=1) if parts
              else pd.DataFrame(index=pd.DatetimeIndex([], name="date"), dtype="float64"))
    return MembersDownload(closes=closes.sort_index(), failed=failed, chunks=len(chunks))


def _progress(total: int, enabled: bool) -> Callable[..., None]:
    """A rich progress bar advanced by `advance(n)`; `advance(0, done=True)` closes it."""
    if not enabled:
        return lambda n, done=False: None
    from rich.progress import Progress

    progress = Progress(transient=False)
    task = progress.add_task("members' closes", total=total)
    progress.start()

    def advance(n: int, done: bool = False) -> None:
        progress.advance(task, n)
        if done:
            progress.stop()

    return advance


class RecordedMembers:
    """Stands in for `yfinance.download(tickers, start=...)` for the members, answering from the
    snapshot's close table in yfinance's multi-ticker shape (replay mode, no network). A ticker
    the snapshot lacks comes back all-NaN, as yfinance returns a ticker it could not fetch."""

    def __init__(self, snapshot_dir: Path) -> None:
        self.snapshot_dir = snapshot_dir
        self._closes: pd.DataFrame | None = None

    def __call__(self, tickers: Sequence[str], start: str | None = None, **_: object
                 ) -> pd.DataFrame:
        if self._closes is None:
            self._closes = read_snapshot_members(self.snapshot_dir)
        part = self._closes.reindex(columns=list(tickers))
        if start is not None:
            part = part.loc[pd.Timestamp(start):]
        part.index = pd.DatetimeIndex(part.index).rename("Date")
        frame = pd.concat({"Close": part}, axis=1)
        frame.columns = frame.columns.set_names(["Price", "Ticker"])
        return frame
