"""Live update of the stored tables: IWM's holdings (iShares CSV) and its members' closes
(yfinance), incrementally, through the same parsers, validation and atomic store as the import.

`run_table_updates` returns one summary row per table, in the shape `make update` prints:
``{"series", "rows_added", "last_date", "status", "reason"}`` with status ``updated``,
``unchanged``, ``partial`` (some members failed and kept their last good data), ``rejected``
(nothing stored; the last good table stays) or ``failed`` (the write failed; the last good table
stays). It never raises for a feed problem or a failed write.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from rich.console import Console

from generator.catalog import HOLDINGS_TABLE, MEMBERS_TABLE
from generator.errors import DataError, FeedError
from generator.load import HOLDINGS_SNAPSHOT_FILE, load_holdings, load_members
from generator.settings import Settings
from generator.sources.ishares import (
    HOLDINGS_URL,
    UNLISTED_TICKER,
    equities,
    fetch_holdings_text,
    parse_holdings_csv,
    yahoo_symbol,
)
from generator.sources.members import Downloader, RecordedMembers, download_members
from generator.sources.noise import captured_noise
from generator.sources.replay import french_zip as recorded_french_zip
from generator.sources.retry import Deadline, RetryPolicy
from generator.store import Store
from generator.update_french import update_french

HISTORY_START = "2021-01-01"  # where a new member's history starts (as the snapshot's)


@dataclass(frozen=True)
class MembersPolicy:
    """How politely and how much to fetch in one run.

    `max_tickers` caps the tickers requested per run (new members first, then the stalest), so a
    rate-limited run still moves forward and the next run picks up the rest. `overlap_days`
    re-fetches a few stored sessions to notice a changed adjustment (a dividend or split since
    the last run rescales the whole adjusted history: that member is then re-fetched whole,
    never spliced). `adjust_tolerance` is the relative difference that counts as changed.
    """

    chunk_size: int = 100
    pause_seconds: float = 2.0
    max_tickers: int = 800
    overlap_days: int = 7
    adjust_tolerance: float = 1e-4
    progress: bool = True


Row = dict[str, object]
Log = Callable[[str], None]


def _row(series: str, status: str, reason: str = "", rows_added: int = 0,
         last_date: dt.date | str | None = None) -> Row:
    return {"series": series, "rows_added": rows_added,
            "last_date": str(last_date) if last_date else "", "status": status, "reason": reason}


def update_holdings(store: Store, today: dt.date, policy: RetryPolicy | None = None,
                    url: str = HOLDINGS_URL, fetch_text: Callable[[], str] | None = None) -> Row:
    """Fetch, parse, validate and store IWM's holdings; the stored file stays on any failure.

    `fetch_text` replaces the download (replay mode); by default iShares is asked under
    `policy` (the feeds' retry policy).
    """
    name = "IWM holdings"
    try:
        text = fetch_text() if fetch_text else fetch_holdings_text(url, policy)
        holdings = parse_holdings_csv(text, where=url)
    except FeedError as exc:
        return _row(name, "unreachable", str(exc))
    except DataError as exc:
        return _row(name, "rejected", str(exc))
    if store.has_table(HOLDINGS_TABLE.id):
        stored_meta = store.read_table_meta(HOLDINGS_TABLE.id)
        if holdings.as_of < stored_meta.as_of_date:
            return _row(name, "rejected", f"holdings as of {holdings.as_of} are older than the "
                        f"stored {stored_meta.as_of}", last_date=stored_meta.as_of)
        before = set(store.read_table(HOLDINGS_TABLE.id)["ticker"])
    else:
        stored_meta, before = None, set()
    try:
        meta = load_holdings(store, holdings, origin=f"live:{url}", where=url, today=today)
    except DataError as exc:
        return _row(name, "rejected", str(exc))
    except OSError as exc:  # disk full, permissions: the atomic write left the old file
        return _row(name, "failed", f"could not write the holdings table: "
                    f"{exc.strerror or exc}; the stored copy is unchanged")
    if stored_meta is not None and meta.sha256 == stored_meta.sha256:
        return _row(name, "unchanged", "same file as stored", last_date=meta.as_of)
    now = set(holdings.table["ticker"])
    return _row(name, "updated", f"{len(now - before)} lines joined, {len(before - now)} left",
                rows_added=len(holdings.table), last_date=meta.as_of)


def _changed_adjustment(stored: pd.DataFrame, fresh: pd.DataFrame, tolerance: float) -> list[str]:
    """Tickers whose fresh closes differ from the stored ones on shared dates (vectorised)."""
    shared_rows = stored.index.intersection(fresh.index)
    shared_cols = stored.columns.intersection(fresh.columns)
    if not len(shared_rows) or not len(shared_cols):
        return []
    old = stored.loc[shared_rows, shared_cols]
    new = fresh.loc[shared_rows, shared_cols]
    with np.errstate(divide="ignore", invalid="ignore"):
        off = (new / old - 1.0).abs() > tolerance
    return list(off.columns[off.any().to_numpy()])


def update_members(store: Store, today: dt.date, log: Log = print,
                   policy: MembersPolicy | None = None, retry: RetryPolicy | None = None,
                   downloader: Downloader | None = None, console: Console | None = None) -> Row:
    """Extend the members' closes for today's holdings: new members whole, known members from a
    few sessions before their last close; members that fail keep their last good data."""
    name = "members' closes"
    policy = policy or MembersPolicy()
    retry = retry or members_retry_policy()
    if not store.has_table(HOLDINGS_TABLE.id):
        return _row(name, "rejected", "no holdings in the store: the members are unknown")
    held = equities(store.read_table(HOLDINGS_TABLE.id))["ticker"]
    tickers = sorted({t for t in held if t != UNLISTED_TICKER})
    stored = (store.read_table(MEMBERS_TABLE.id) if store.has_table(MEMBERS_TABLE.id)
              else pd.DataFrame(index=pd.DatetimeIndex([], name="date"), dtype="float64"))
    last_valid = stored.apply(pd.Series.last_valid_index) if len(stored) else pd.Series()
    new = [t for t in tickers if t not in stored.columns or pd.isna(last_valid.get(t))]
    known = sorted((t for t in tickers if t not in new), key=lambda t: last_valid[t])
    wanted = (new + known)[:policy.max_tickers]
    capped = len(new) + len(known) - len(wanted)
    symbols = {t: yahoo_symbol(t) for t in wanted}
    back = {v: k for k, v in symbols.items()}

    def fetch(group: list[str], start: str) -> tuple[pd.DataFrame, dict[str, str]]:
        if not group:
            return pd.DataFrame(index=pd.DatetimeIndex([], name="date")), {}
        got = download_members([symbols[t] for t in group], start, policy=retry,
                               chunk_size=policy.chunk_size, pause_seconds=policy.pause_seconds,
                               progress=policy.progress, downloader=downloader, log=log,
                               console=console)
        return (got.closes.rename(columns=back),
                {back.get(s, s): why for s, why in got.failed.items()})

    incremental = [t for t in wanted if t not in new]
    full = [t for t in wanted if t in new]
    # One start for every known member: a few sessions before the table's last date.
    start = ((pd.Timestamp(stored.index[-1]) - pd.Timedelta(days=policy.overlap_days))
             .strftime("%Y-%m-%d") if incremental else HISTORY_START)
    fresh, failed = fetch(incremental, start)
    rescaled = _changed_adjustment(stored, fresh, policy.adjust_tolerance)
    fresh = fresh.drop(columns=rescaled)
    whole, failed_whole = fetch(full + rescaled, HISTORY_START)
    failed.update(failed_whole)
    # Stored cells win over re-fetched overlap cells (equal within tolerance, checked above) so
    # a run with nothing new leaves the table byte-identical; new dates and cells come in.
    combined = stored.combine_first(fresh) if len(fresh.columns) else stored.copy()
    if len(whole.columns):
        # Re-fetched whole (new members, changed adjustment): replace, never splice. A rescaled
        # member that could not be re-fetched keeps its stored history untouched.
        combined = combined.drop(columns=[t for t in whole.columns if t in combined.columns])
        combined = combined.join(whole, how="outer")
    combined = combined.dropna(how="all").sort_index().sort_index(axis=1)
    combined = combined[combined.index.date <= today]
    rows_added = len(combined.index.difference(stored.index))
    kept = sorted(t for t in failed if t not in new)  # had data: it stays as it was
    missing = sorted(t for t in failed if t in new)  # never had data: nothing to keep
    detail = (f"{len(wanted) - len(failed)} of {len(wanted)} members fetched"
              + (f"; {len(kept)} failed and kept their last good data ({_names(kept)})"
                 if kept else "")
              + (f"; {len(missing)} without data at the source ({_names(missing)})"
                 if missing else "")
              + (f"; {len(rescaled)} re-fetched whole (adjustment changed)" if rescaled else "")
              + (f"; {capped} left for the next run (per-run cap {policy.max_tickers})"
                 if capped else ""))
    if wanted and len(failed) == len(wanted) and not (len(fresh.columns) or len(whole.columns)):
        # Nothing came back at all: the feed was down (or the deadline passed), not the data.
        return _row(name, "unreachable", detail + "; the stored table is unchanged",
                    last_date=pd.Timestamp(stored.index[-1]).date() if len(stored) else None)
    if combined.empty:
        return _row(name, "rejected", "nothing to store: " + detail)
    if len(stored) and combined.equals(stored.reindex(columns=combined.columns)):
        return _row(name, "partial" if kept else "unchanged", detail,
                    last_date=pd.Timestamp(stored.index[-1]).date())
    try:
        meta = load_members(store, combined, origin="live:yfinance.download", today=today,
                             notes={"last_run_failed": ",".join(kept)})
    except DataError as exc:
        return _row(name, "rejected", f"{exc} ({detail})")
    except OSError as exc:
        return _row(name, "failed", f"could not write the members' closes: "
                    f"{exc.strerror or exc}; the stored copy is unchanged ({detail})")
    log(f"members' closes: {detail}")
    return _row(name, "partial" if kept else "updated", detail, rows_added=rows_added,
                last_date=meta.as_of)


def _names(tickers: list[str], shown: int = 8) -> str:
    return ", ".join(tickers[:shown]) + (" …" if len(tickers) > shown else "")


def members_retry_policy(base: RetryPolicy | None = None) -> RetryPolicy:
    """The feeds' policy as the members' batch uses it: fewer attempts per chunk, longer waits
    (Yahoo rate-limits bulk downloads), and room for a chunk of 100 tickers per attempt."""
    return dataclasses.replace(base or RetryPolicy(), attempts=4, max_wait=60.0,
                               max_seconds=240.0, attempt_seconds=180.0)


def french_rows(store: Store, today: dt.date, retry: RetryPolicy | None = None,
                replay: Path | None = None) -> list[Row]:
    """Refresh the Kenneth R. French Data Library tables (`generator.update_french`): live
    under `retry`, or from the snapshot's copies rebuilt as the library's zips (`replay`)."""
    fetch = None
    if replay is not None:
        fetch = lambda dataset: recorded_french_zip(replay, dataset.name)  # noqa: E731
    return update_french(store, today, fetch=fetch, policy=retry)


def run_table_updates(settings: Settings, today: dt.date, log: Log = print,
                      policy: MembersPolicy | None = None, retry: RetryPolicy | None = None,
                      replay: Path | None = None, source_seconds: float | None = None,
                      console: Console | None = None) -> list[Row]:
    """Refresh the holdings, the members' closes, then the French library tables; one summary
    row each.

    `retry`: the feeds' retry policy (its sleep, and the run's deadline); `source_seconds`:
    each source's own budget within it; `replay`: a snapshot folder to answer from instead of
    the network (publish-dry-run); `console`: where the members' progress bar goes (a
    terminal), else one line per chunk to `log`. What libraries print or log during each
    table's update is captured into its row (``noise``, ``noise_lines``), with ``seconds``.
    """
    store = Store(settings.store_dir)
    fetch_text = downloader = None
    if replay is not None:
        holdings_file = replay / HOLDINGS_SNAPSHOT_FILE
        fetch_text = lambda: holdings_file.read_text(encoding="utf-8-sig")  # noqa: E731
        downloader = RecordedMembers(replay)
        policy = dataclasses.replace(policy or MembersPolicy(), pause_seconds=0.0)
    retry = retry or RetryPolicy()

    def within(source: str, base: RetryPolicy) -> RetryPolicy:
        if source_seconds is None:
            return base
        deadline = Deadline.after(source_seconds, f"the {source} deadline ({source_seconds:g} s)")
        return dataclasses.replace(base, deadline=deadline.earlier(retry.deadline))

    def measured(run: Callable[[], list[Row]]) -> list[Row]:
        began = time.monotonic()
        with captured_noise() as noise:
            rows = run()
        for row in rows:
            row.update(seconds=round(time.monotonic() - began, 2), noise=noise.lines,
                       noise_lines=noise.total)
        return rows

    rows = measured(lambda: [update_holdings(store, today, within("iShares", retry),
                                             fetch_text=fetch_text)])
    rows += measured(lambda: [update_members(
        store, today, log, policy, within("members", members_retry_policy(retry)), downloader,
        console)])
    rows += measured(lambda: french_rows(store, today, within("French library", retry), replay))
    return rows
