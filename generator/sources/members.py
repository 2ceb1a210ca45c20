"""Members' daily closes: the wide table of adjusted closes of the fund's holdings.

Shape (snapshot and live alike): a `DatetimeIndex` named ``date`` and one float column per
ticker, as ``yfinance.download(tickers, auto_adjust=True)["Close"]`` gives it. NaN means "no
close that day" (before a listing, after a delisting, or a gap in the vendor's file). Nothing
here judges the values: member-level rules live in `generator.validate`.
"""

from __future__ import annotations

import functools
import io
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
from rich.console import Console

from generator.errors import DataError, FeedError, PrimerError, clip
from generator.sources.retry import RetryPolicy

SNAPSHOT_FILE = Path("yahoo") / "constituents_close.csv.gz"
# The largest members' table read, compressed or not: the snapshot's is ~44 MB as CSV (1,400
# tickers over 6 years); ten times that is not a members' table but a corrupt or hostile file.
MAX_MEMBERS_BYTES = 512 * 2**20
TABLE = "members_close"


def gunzip_bounded(data: bytes, where: str, limit: int | None = None) -> bytes:
    """Decompress gzip `data`, refusing (with a clear error, before memory runs out) anything
    that would inflate past `limit` bytes (default `MAX_MEMBERS_BYTES`): a gzip bomb."""
    limit = MAX_MEMBERS_BYTES if limit is None else limit
    inflater = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)  # gzip framing
    try:
        out = inflater.decompress(data, limit + 1)
        if len(out) > limit or inflater.unconsumed_tail:
            raise DataError(f"members: {where} inflates to more than {limit:,} bytes "
                            "(a corrupt or hostile gzip file); refused")
        out += inflater.flush()
    except zlib.error as exc:
        raise DataError(f"members: {where} is not a readable gzip file: {exc}") from None
    if not inflater.eof:
        raise DataError(f"members: {where} is not a readable gzip file: it ends early "
                        "(truncated)")
    return out


def parse_members_csv(source: Path | bytes, where: str | None = None) -> pd.DataFrame:
    """Parse a wide ``Date,<TICKER>,...`` CSV (gzip or plain) into the members' close frame."""
    where = where or (str(source) if isinstance(source, Path) else "members response")
    try:
        raw = source.read_bytes() if isinstance(source, Path) else source
    except FileNotFoundError:
        raise DataError(f"members: file not found: {where}") from None
    if len(raw) > MAX_MEMBERS_BYTES:
        raise DataError(f"members: {where} is {len(raw):,} bytes, more than the "
                        f"{MAX_MEMBERS_BYTES:,} a members' table can be")
    if raw[:2] == b"\x1f\x8b":
        raw = gunzip_bounded(raw, where)
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


def download_members(tickers: Sequence[str], start: str, *, policy: RetryPolicy,
                     chunk_size: int = 100, pause_seconds: float = 2.0,
                     downloader: Downloader | None = None, progress: bool = True,
                     log: Callable[[str], None] = print, console: Console | None = None
                     ) -> MembersDownload:
    """Download adjusted closes for `tickers` from `start` (YYYY-MM-DD), politely.

    Tickers go in chunks of `chunk_size` per ``yfinance.download`` call with a pause between
    chunks; each chunk is fetched under `policy` (transient failures retried, each attempt and
    the whole batch bounded by its deadline); a chunk that still fails marks its tickers failed,
    and the chunks the deadline does not reach are failed "not fetched". A ticker whose column
    comes back empty is failed too ("no data"). Nothing is stored here. With `progress`, a
    rich bar on `console` (a terminal), else one line per chunk to `log`.
    """
    if downloader is None:
        import yfinance

        from generator.sources.yahoo import bounded_session

        downloader = functools.partial(yfinance.download, session=bounded_session())

    parts: list[pd.DataFrame] = []
    failed: dict[str, str] = {}
    chunks = chunked(list(tickers), chunk_size)
    bar = _progress(len(tickers), progress, log, console)
    try:
        for number, chunk in enumerate(chunks):
            if number and policy.deadline.remaining() > pause_seconds:
                policy.sleep(pause_seconds)
            label = f"members {chunk[0]}…{chunk[-1]}"
            try:
                downloaded = policy.call(label, lambda chunk=chunk: downloader(
                    chunk, start=start, auto_adjust=True, progress=False, group_by="column",
                    threads=False, timeout=policy.timeout))
                closes = closes_from_download(downloaded, chunk)
            except PrimerError as exc:
                reason = exc.detail if isinstance(exc, FeedError) else str(exc)
                failed.update({t: clip(f"download failed: {reason}", 200) for t in chunk})
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


def _progress(total: int, enabled: bool, log: Callable[[str], None],
              console: Console | None) -> Callable[..., None]:
    """`advance(n)` after each chunk, `advance(0, done=True)` at the end: a rich bar on a
    terminal `console`, otherwise a plain line per chunk (CI logs)."""
    if not enabled:
        return lambda n, done=False: None
    if console is None or not console.is_terminal:
        count = [0]

        def line(n: int, done: bool = False) -> None:
            count[0] += n
            if n:
                log(f"members' closes: {count[0]} of {total} tickers requested")

        return line
    from rich.progress import Progress

    progress = Progress(console=console, transient=False, redirect_stdout=False,
                        redirect_stderr=False)
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
