"""`make update` end to end against recorded feeds built from the snapshot's committed excerpt
(tests/fixtures/snapshot: daily series from July 2026, monthly ones from July 2023): a good
incremental run appends exactly the new rows, a second run changes no byte, and a fault suite
shows that every bad feed is refused (named: series, rule, dates) while the store stays
byte-identical and the good series beside it is still extended — and the site still builds.

The store is the excerpt with the last rows cut off (5 for daily series, 1 for monthly);
the recorded feeds then serve the real rows that were cut, exactly as yfinance and FRED would.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import errno
import functools
import hashlib
import json
import logging
import os
import re
import shutil
import signal
import subprocess
import sys
import textwrap
import threading
import time
import types
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import pytest
import requests
import responses
import yfinance
from rich.console import Console
from yfinance.exceptions import YFRateLimitError

from generator import store as store_module
from generator import update
from generator.catalog import SERIES, get
from generator.errors import DataError, PrimerError
from generator.load import import_french
from generator.settings import Settings
from generator.sources.retry import RetryPolicy
from generator.sources.snapshot import snapshot_path
from generator.store import Store, series_csv_bytes
from tests.recorded_feeds import (
    RecordedFeeds,
    log_yahoo_error,
    snapshot_bars,
    yahoo_failure_frame,
)

ROOT = Path(__file__).resolve().parent.parent
TODAY = dt.date(2026, 8, 24)  # the Monday after the snapshot's last full week
FRED_URL = re.compile(r"https://fred\.stlouisfed\.org/graph/fredgraph\.csv\?.*")
CUT = {"daily": 5, "monthly": 1}  # rows cut from the end of each stored series


def snapshot_frame(snapshot_excerpt: Path, series_id: str) -> pd.DataFrame:
    return snapshot_bars(snapshot_excerpt, series_id).copy()


@functools.cache
def full_bytes(snapshot_excerpt: Path, series_id: str) -> bytes:
    """What a fresh import of the whole snapshot series stores."""
    return series_csv_bytes(snapshot_bars(snapshot_excerpt, series_id))


@pytest.fixture(scope="module")
def template(tmp_path_factory, snapshot_excerpt) -> Path:
    """A store holding the snapshot minus its last rows (built once; tests copy it)."""
    root = tmp_path_factory.mktemp("template") / "store"
    store = Store(root)
    for series in SERIES:
        if snapshot_path(snapshot_excerpt, series).is_file():
            frame = snapshot_bars(snapshot_excerpt, series.id)
            store.write_series(series, frame.iloc[:-CUT[series.frequency]],
                               origin=f"snapshot:{series.source}/{series.id}.csv",
                               fetched_at=dt.datetime(2026, 8, 22, tzinfo=dt.UTC))
    # The French library tables, as any filled store holds them (a series-only update run
    # imports what the store lacks from the snapshot first).
    settings = dataclasses.replace(Settings.from_env(), snapshot_dir=snapshot_excerpt,
                                   store_dir=root)
    import_french(settings, store, log=lambda _: None)
    return root


@dataclass
class Run:
    """One `update` invocation on a private copy of the template store."""

    settings: Settings
    feeds: RecordedFeeds
    sleeps: list[float] = field(default_factory=list)
    output: str = ""

    @property
    def store(self) -> Store:
        return Store(self.settings.store_dir)

    def __call__(self, *series_ids: str, today: dt.date = TODAY) -> int:
        console = Console(width=200, record=True, force_terminal=False, color_system=None)
        policy = RetryPolicy(sleep=self.sleeps.append)
        code = update.main(self.settings, series_ids, today=today,
                           feeds=update.Feeds(policy=policy), console=console)
        self.output = console.export_text()
        return code

    def report(self) -> dict[str, dict]:
        return update.read_report(self.settings.store_dir)

    def files(self, series_id: str) -> dict[str, bytes]:
        series = get(series_id)
        return {p.name: p.read_bytes()
                for p in (self.store.csv_path(series), self.store.meta_path(series))}


@pytest.fixture()
def run(template, tmp_path, snapshot_excerpt, monkeypatch) -> Run:
    shutil.copytree(template, tmp_path / "store")
    settings = dataclasses.replace(
        Settings.from_env(), snapshot_dir=snapshot_excerpt, store_dir=tmp_path / "store",
        docs_dir=tmp_path / "docs", site_dir=tmp_path / "site", cache_dir=tmp_path / "cache")
    feeds = RecordedFeeds(snapshot_excerpt)
    monkeypatch.setattr(yfinance, "download", feeds.download)
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        mock.add_callback(responses.GET, FRED_URL, callback=feeds.fred_callback)
        yield Run(settings, feeds)


def temp_files(root: Path) -> list[Path]:
    return sorted(root.rglob("*.tmp"))


def all_files(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and p.name != update.REPORT_NAME}


# --- Good runs -----------------------------------------------------------------------------------

def test_incremental_run_appends_exactly_the_new_rows_then_a_rerun_changes_nothing(
        run, snapshot_excerpt):
    code = run()
    assert code == 0, run.output
    report = run.report()
    for series in SERIES:
        entry = report[series.id]
        assert entry["status"] == "updated", entry
        if series.id in ("VTWO", "DRTSCIS"):  # not in the snapshot: fetched in full
            continue
        full = snapshot_frame(snapshot_excerpt, series.id)
        # Stored = the whole snapshot, byte for byte as a fresh import would write it.
        assert run.store.csv_path(series).read_bytes() == full_bytes(snapshot_excerpt, series.id)
        assert entry["rows_added"] == CUT[series.frequency]
        assert entry["last_date"] == f"{full.index[-1]:%Y-%m-%d}"
        meta = run.store.read_meta(series)
        assert meta.rows == len(full) and meta.origin.startswith("live:")
    # The yfinance calls: from 10 days before the last stored date, `end` exclusive = today.
    rut = next(c for c in run.feeds.yahoo_calls if c["ticker"] == "^RUT")
    assert rut == {"ticker": "^RUT", "start": "2026-08-04", "end": "2026-08-24", "period": None}
    # VTWO was not stored: fetched in full (period="max"), like any other series.
    vtwo = next(c for c in run.feeds.yahoo_calls if c["ticker"] == "VTWO")
    assert vtwo["period"] == "max" and vtwo["start"] is None
    assert run.store.read_meta(get("VTWO")).first == "2026-07-01"  # its stand-in's first bar
    # So was DRTSCIS (quarterly, FRED): its whole recorded history, first survey 1990 Q2.
    credit = run.store.read_meta(get("DRTSCIS"))
    assert (credit.first, credit.last, credit.rows) == ("1990-04-01", "2021-01-01", 124)
    assert report["DRTSCIS"]["stale"]  # the recording ends in 2021: a warning, not a failure
    # The stored history of the spreads is kept (FRED serves their last 3 years only).
    assert run.store.read_meta(get("BAMLH0A0HYM2")).first == "2026-07-01"
    # Stale (the close-only ETF files end 2026-08-03): a warning, not a failure.
    assert report["IWB"]["stale"] and "IWB: stale feed: last observation 2026-08-03" in run.output
    assert report["^RUT"]["checked_at"] and not report["^RUT"]["stale"]

    before = all_files(run.settings.store_dir)
    assert run() == 0
    assert all_files(run.settings.store_dir) == before  # byte-identical, fetched_at untouched
    assert "No new data: the store is unchanged (31 series checked" in run.output
    assert {e["status"] for e in run.report().values()} == {"unchanged"}


def test_a_dividend_readjustment_rescales_new_rows_to_the_stored_basis(run, snapshot_excerpt):
    """After an ex-dividend date, Yahoo's auto-adjusted history moves by one factor: not a
    revision. New rows are scaled onto the stored basis, so returns stay continuous."""
    run.feeds.yahoo_faults["IWM"] = lambda n, frame: frame * [
        0.9962 if price != "Volume" else 1 for price, _ in frame.columns]
    assert run("IWM") == 0, run.output
    stored = run.store.read_series(get("IWM"))
    full = snapshot_frame(snapshot_excerpt, "IWM")
    pd.testing.assert_frame_equal(stored, full, check_exact=False, rtol=1e-12)
    assert "re-adjusted (dividend): new rows scaled ×1.003814" in run.report()["IWM"]["reason"]


def test_a_publisher_revision_of_a_revisable_series_is_applied_and_reported(run, snapshot_excerpt):
    """INDPRO is revised every month by the Fed: the revision is applied and named."""
    full = snapshot_frame(snapshot_excerpt, "INDPRO")
    revised_day = f"{full.index[-2]:%Y-%m-%d}"  # the last stored month
    run.feeds.fred_faults["INDPRO"] = _body(lambda csv: _replace_value(csv, revised_day,
                                                                        "101.2345"))
    assert run("INDPRO") == 0, run.output
    entry = run.report()["INDPRO"]
    assert entry["status"] == "updated" and entry["rows_added"] == 1
    assert f"publisher revision applied: 1 stored value(s) differ from the feed: {revised_day}" \
        in entry["reason"]
    assert run.store.read_series(get("INDPRO")).at[pd.Timestamp(revised_day), "value"] == 101.2345


def test_only_named_series_are_updated_and_the_report_keeps_the_others(run):
    assert run("^RUT") == 0
    assert run("DGS10") == 0
    report = run.report()
    assert set(report) == {"^RUT", "DGS10"}
    assert report["^RUT"]["rows_added"] == 5 and report["DGS10"]["rows_added"] == 5


def test_after_a_feed_is_unreachable_its_other_series_get_one_attempt_each(run):
    for series_id in ("DGS10", "DGS2", "DGS3MO"):
        run.feeds.fred_faults[series_id] = _http(503)
    run.feeds.fred_faults["T10Y2Y"] = _http(503, failing_calls=1)  # back up after one 503
    assert run("DGS10", "DGS2", "^RUT", "DGS3MO", "T10Y2Y") == 1
    assert [run.feeds.fred_calls.count(i) for i in ("DGS10", "DGS2", "DGS3MO", "T10Y2Y")] == [
        5, 1, 1, 1]
    report = run.report()
    assert "(one attempt: fred was unreachable for an earlier series)" in report["DGS2"]["reason"]
    assert report["^RUT"]["status"] == "updated"  # Yahoo is not held back by FRED
    assert report["T10Y2Y"]["status"] == "unreachable"  # its one attempt hit the 503


def test_the_replay_switch_runs_the_real_fetch_code_on_recorded_responses(run, snapshot_excerpt):
    """`update --replay <snapshot>` (what publish-dry-run runs): no network, same result."""
    console = Console(width=200, record=True, force_terminal=False, color_system=None)
    code = update.main(run.settings, ["^RUT", "IWB", "DGS10", "VTWO"], replay=snapshot_excerpt,
                       today=TODAY, console=console)
    output = console.export_text()
    assert code == 1, output
    assert run.feeds.yahoo_calls == [] and run.feeds.fred_calls == []  # not the test doubles
    for series_id in ("^RUT", "IWB", "DGS10"):
        assert run.store.csv_path(get(series_id)).read_bytes() == full_bytes(snapshot_excerpt,
                                                                             series_id)
    assert run.report()["VTWO"]["status"] == "unreachable"
    assert "VTWO: feed error: no recorded response for VTWO" in output
    assert "Replaying recorded feeds from" in output


def test_a_store_already_holding_today_is_not_fetched(run):
    assert run("^RUT", today=dt.date(2026, 8, 14)) == 0
    assert run.feeds.yahoo_calls == []
    assert run.report()["^RUT"]["reason"] == "already holds 2026-08-14; nothing final to add yet"


def test_unknown_series_is_a_clear_error(run):
    with pytest.raises(DataError, match="unknown series 'NOPE'"):
        run("NOPE")


def test_a_second_concurrent_update_is_refused(run):
    import fcntl

    fd = os.open(run.settings.store_dir, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        with pytest.raises(DataError, match="another update is running"):
            run("^RUT")
    finally:
        os.close(fd)
    assert run("^RUT") == 0  # released: the next update runs


def test_an_update_waits_for_a_build_reading_the_store_and_holds_it_alone(run, monkeypatch):
    """A build reads the store under the shared lock; the update writes under the exclusive one,
    so a build never sees half of a night's data."""
    from generator import outputs
    from generator.errors import BuildError

    monkeypatch.setenv("PRIMER_BUILD_WAIT", "0.3")
    with outputs.store_lock(run.settings.store_dir, wait=0), \
            pytest.raises(BuildError, match="a build is reading the store"):
        run("^RUT")  # a build is reading: the update waits, then says why it cannot run
    held: list[bool] = []
    real_run_update = update.run_update

    def probe(*args, **kwargs):  # while the update runs, a build cannot take its read lock
        with pytest.raises(BuildError, match="an update is writing the store"), \
                outputs.store_lock(run.settings.store_dir, wait=0.1, log=lambda _: None):
            pass
        held.append(True)
        return real_run_update(*args, **kwargs)

    monkeypatch.setattr(update, "run_update", probe)
    assert run("^RUT") == 0 and held == [True]


def test_a_temp_file_left_by_a_killed_writer_is_removed_by_the_next_update(run):
    stray = run.settings.store_dir / "yahoo" / ".^RUT.csv.abc123.tmp"
    stray.write_bytes(b"half a file")
    os.utime(stray, (time.time() - 3600, time.time() - 3600))
    assert run("^RUT") == 0
    assert not stray.exists() and "removed a temp file" in run.output


def test_without_a_snapshot_the_first_build_fills_the_store_from_the_feeds(
        run, tmp_path, monkeypatch):
    from generator import fill

    subset = tuple(get(i) for i in ("^RUT", "DGS10", "VTWO"))
    monkeypatch.setattr(fill, "SERIES", subset)
    settings = dataclasses.replace(run.settings, snapshot_dir=tmp_path / "no-snapshot",
                                   store_dir=tmp_path / "fresh")
    messages: list[str] = []
    report = fill.fill_store(settings, log=messages.append, tables=False)
    assert sorted(report.imported) == ["DGS10", "VTWO", "^RUT"]
    assert "filling the store from the live feeds" in messages[0]
    assert Store(settings.store_dir).read_meta(get("^RUT")).first == "2026-07-01"  # feed's


def test_without_a_snapshot_a_filled_store_builds_offline_though_an_optional_series_is_missing(
        run, tmp_path, monkeypatch):
    """The nightly's store and a copy of a snapshot-filled one lack VTWO (the snapshot has none):
    a build from them must not go to the network for it (nor write an update report)."""
    from generator import fill

    subset = tuple(get(i) for i in ("^RUT", "VTWO"))
    monkeypatch.setattr(fill, "SERIES", subset)

    def no_network(*args, **kwargs):
        raise AssertionError("the build fetched from the live feeds")

    monkeypatch.setattr(fill, "run_update", no_network)
    settings = dataclasses.replace(run.settings, snapshot_dir=tmp_path / "no-snapshot")
    report = fill.fill_store(settings, log=lambda _: None, tables=False)
    assert report.missing_optional == ["VTWO"] and report.already_stored == ["^RUT"]
    assert not (settings.store_dir / "_update_report.json").exists()


def test_without_a_snapshot_a_store_lacking_a_table_fetches_the_tables(
        run, tmp_path, monkeypatch):
    """Every series stored but a table missing (a store from before Ken French's files were
    added): the build fetches the tables once instead of failing on the page that needs them."""
    from generator import fill

    subset = (get("^RUT"),)
    monkeypatch.setattr(fill, "SERIES", subset)
    calls: list[tuple[list[str], bool]] = []

    def fetch(settings, ids, tables):
        calls.append((ids, tables))
        return types.SimpleNamespace(failed_required=[], updated=[], outcomes=[])

    monkeypatch.setattr(fill, "run_update", fetch)
    settings = dataclasses.replace(run.settings, snapshot_dir=tmp_path / "no-snapshot")
    assert Store(settings.store_dir).has(get("^RUT"))
    fill.fill_store(settings, log=lambda _: None, tables=True)
    assert calls == [([], True)]
    calls.clear()
    fill.fill_store(settings, log=lambda _: None, tables=False)  # tables not asked for
    assert calls == []


# --- The fault suite -----------------------------------------------------------------------------

def _on(frame: pd.DataFrame, day: str) -> pd.Series:
    return frame.index.strftime("%Y-%m-%d") == day


def _set_close(day: str, value: Callable[[float], float]):
    def fault(n: int, frame: pd.DataFrame) -> pd.DataFrame:
        frame = frame.copy()
        column = next(c for c in frame.columns if c[0] == "Close")
        frame.loc[_on(frame, day), column] = value(frame.loc[_on(frame, day), column].iloc[0])
        return frame
    return fault


def _scale_prices_from(day: str, factor: float):
    def fault(n: int, frame: pd.DataFrame) -> pd.DataFrame:
        frame = frame.copy()
        rows = frame.index.strftime("%Y-%m-%d") >= day
        for column in frame.columns:
            if column[0] != "Volume":
                frame.loc[rows, column] = frame.loc[rows, column] * factor
        return frame
    return fault


def _duplicate(day: str):
    return lambda n, frame: pd.concat([frame, frame[_on(frame, day)]])


def _swap(first: str, second: str):
    def fault(n: int, frame: pd.DataFrame) -> pd.DataFrame:
        order = list(range(len(frame)))
        i, j = int(_on(frame, first).argmax()), int(_on(frame, second).argmax())
        order[i], order[j] = order[j], order[i]
        return frame.iloc[order]
    return fault


def _future_row(day: str):
    def fault(n: int, frame: pd.DataFrame) -> pd.DataFrame:
        extra = frame.iloc[[-1]].copy()
        extra.index = pd.DatetimeIndex([pd.Timestamp(day, tz=frame.index.tz)], name="Date")
        return pd.concat([frame, extra])
    return fault


def _ending(day: str):
    return lambda n, frame: frame[frame.index.strftime("%Y-%m-%d") <= day]


def _rename_close(new: str):
    def fault(n: int, frame: pd.DataFrame) -> pd.DataFrame:
        frame = frame.copy()
        frame.columns = frame.columns.set_levels(
            [new if p == "Close" else p for p in frame.columns.levels[0]], level=0)
        return frame
    return fault


def _yahoo_logged(message: str, failing_calls: int = 10**6):
    def fault(n: int, frame: pd.DataFrame) -> pd.DataFrame:
        if n > failing_calls:
            return frame
        ticker = frame.columns.get_level_values("Ticker")[0]
        log_yahoo_error(ticker, message)
        return yahoo_failure_frame(ticker)
    return fault


def _yahoo_raises(error: Exception, failing_calls: int):
    def fault(n: int, frame: pd.DataFrame) -> pd.DataFrame:
        if n <= failing_calls:
            raise error
        return frame
    return fault


def _http(status: int, failing_calls: int = 10**6, body: str = "", content_type: str = ""):
    def fault(n: int, csv: str):
        if n <= failing_calls:
            return status, {"Content-Type": content_type or "text/plain"}, body
        return 200, {"Content-Type": "text/csv"}, csv
    return fault


def _raise(error: Exception):
    def fault(n: int, csv: str):
        raise error
    return fault


def _body(edit: Callable[[str], str], content_type: str = "text/csv; charset=UTF-8"):
    return lambda n, csv: (200, {"Content-Type": content_type}, edit(csv))


def _replace_value(csv: str, day: str, value: str) -> str:
    return re.sub(rf"^{day},[^\n]*$", f"{day},{value}", csv, count=1, flags=re.M)


def _divide_values(csv: str, by: float) -> str:
    header, *rows = csv.splitlines()
    out = [header]
    for row in rows:
        day, value = row.split(",")
        out.append(f"{day},{float(value) / by:.6g}" if value else row)
    return "\n".join(out) + "\n"


HTML_PAGE = ("<!DOCTYPE html>\n<html lang=\"en\"><head><title>FRED is temporarily unavailable"
             "</title></head><body><h1>Service Unavailable</h1></body></html>\n")


@dataclass(frozen=True)
class Fault:
    """One kind of bad feed: what is injected, and what the update must make of it."""

    kind: str
    series: str
    inject: Callable
    status: str  # of the faulty series
    rule: str = ""
    dates: tuple[str, ...] = ()
    in_message: str = ""  # must also appear in what the command prints
    calls: int | None = None  # requests made to the faulty feed (retries)
    stored_as: str = "unchanged"  # "unchanged" | "full" | "full without 2026-08-18"
    exit_code: int = 1

    @property
    def source(self) -> str:
        return get(self.series).source


FAULTS = [
    # --- reaching the feeds: retried (429, 5xx, timeouts, resets, Yahoo rate limit) or not (4xx)
    Fault("HTTP 429, then success after retry", "DGS10", _http(429, 2), "updated",
          calls=3, stored_as="full", exit_code=0),
    Fault("HTTP 429, persistent", "DGS10", _http(429), "unreachable",
          in_message="DGS10: feed error: unreachable after 5 attempt(s)", calls=5),
    Fault("HTTP 500, persistent", "DGS2", _http(500), "unreachable",
          in_message="HTTP 500 from https://fred.stlouisfed.org", calls=5),
    Fault("HTTP 404, not retried", "DGS10", _http(404, body="Series does not exist."),
          "unreachable", in_message="HTTP 404", calls=1),
    Fault("timeout", "T10Y2Y", _raise(requests.exceptions.ReadTimeout(
          "HTTPSConnectionPool(host='fred.stlouisfed.org', port=443): Read timed out.")),
          "unreachable", in_message="ReadTimeout", calls=5),
    Fault("connection reset", "DGS3MO", _raise(requests.exceptions.ConnectionError(
          ConnectionResetError(104, "Connection reset by peer"))), "unreachable",
          in_message="Connection reset by peer", calls=5),
    Fault("Yahoo rate limit, then success after retry", "^RUT",
          _yahoo_raises(YFRateLimitError(), 1), "updated", calls=2, stored_as="full",
          exit_code=0),
    Fault("Yahoo rate limit, persistent (logged by yfinance, empty frame)", "^RUT",
          _yahoo_logged("YFRateLimitError('Too Many Requests. Rate limited. Try after a "
                        "while.')"), "unreachable", in_message="YFRateLimitError", calls=5),
    Fault("Yahoo timeout, then success after retry", "SPY", _yahoo_logged(
          "Timeout('Failed to perform, curl: (28) Operation timed out after 30001 ms')", 1),
          "updated", calls=2, stored_as="full", exit_code=0),
    # --- what comes back is not a whole CSV / frame
    Fault("empty body", "DGS10", _body(lambda csv: ""), "rejected", "empty response"),
    Fault("HTML error page instead of CSV", "DGS10", _body(lambda csv: HTML_PAGE, "text/html"),
          "rejected", "HTML instead of CSV", in_message="FRED is temporarily unavailable"),
    Fault("truncated CSV", "DGS2", _body(lambda csv: csv[:-6]), "rejected", "truncated response"),
    Fault("empty Yahoo frame (no rows, no retryable error)", "IWM", _yahoo_logged(
          "possibly delisted; no price data found  (1d 2026-08-04 -> 2026-08-24)"),
          "rejected", "empty response", in_message="possibly delisted", calls=1),
    Fault("renamed column (Yahoo)", "IWM", _rename_close("Last"), "rejected", "columns changed",
          in_message="no Close column"),
    Fault("renamed column (FRED)", "DGS10", _body(lambda csv: csv.replace(
          "observation_date,DGS10", "observation_date,DGS10_PCT", 1)), "rejected",
          "columns changed"),
    Fault("non-numeric FRED value", "DGS10", _body(lambda csv: _replace_value(
          csv, "2026-08-19", "n/a")), "rejected", "unparseable value", ("2026-08-19",)),
    Fault("'.' missing-value marker", "DGS10", _body(lambda csv: _replace_value(
          csv, "2026-08-18", ".")), "updated", stored_as="full without 2026-08-18",
          exit_code=0),
    # --- values and dates
    Fault("NaN close", "IWM", _set_close("2026-08-19", lambda v: float("nan")), "rejected",
          "missing value", ("2026-08-19",)),
    Fault("zero price", "^RUT", _set_close("2026-08-20", lambda v: 0.0), "rejected",
          "non-positive price", ("2026-08-20",)),
    Fault("negative price", "SPY", _set_close("2026-08-18", lambda v: -v), "rejected",
          "non-positive price", ("2026-08-18",)),
    Fault("duplicate dates", "^GSPC", _duplicate("2026-08-20"), "rejected", "duplicate date",
          ("2026-08-20",)),
    Fault("out-of-order dates", "^VIX", _swap("2026-08-19", "2026-08-20"), "rejected",
          "dates out of order", ("2026-08-19",)),
    Fault("future date (Yahoo)", "IWM", _future_row("2026-08-31"), "rejected", "future date",
          ("2026-08-31",)),
    Fault("future date (FRED)", "DGS2", _body(lambda csv: csv + "2026-09-30,3.91\n"),
          "rejected", "future date", ("2026-09-30",)),
    Fault("60% one-day jump", "^RUT", _scale_prices_from("2026-08-19", 1.6), "rejected",
          "implausible move", ("2026-08-19",), in_message="one-day change +60.8% exceeds ±25%"),
    Fault("dates go backwards (feed ends before the stored last date)", "^VIX",
          _ending("2026-08-12"), "rejected", "dates go backwards",
          ("2026-08-12", "2026-08-14")),
    Fault("stale feed (warning, not rejection)", "^GSPC", _ending("2026-08-14"), "unchanged",
          in_message="^GSPC: stale feed: last observation 2026-08-14 is 6 business days old",
          exit_code=0),
    Fault("percent-vs-fraction unit change", "DGS2", _body(lambda csv: _divide_values(csv, 100)),
          "rejected", "unit change", ("2026-08-03", "2026-08-04", "2026-08-05", "2026-08-06",
                                      "2026-08-07", "2026-08-10", "2026-08-11", "2026-08-12",
                                      "2026-08-13"),  # every shared date
          in_message="×0.01 the stored ones (median 0.042 vs 4.2 percent)"),
    Fault("revision in the overlap (index)", "^RUT", _set_close("2026-08-12", lambda v: v * 1.015),
          "rejected", "revision in overlap", ("2026-08-12",)),
    Fault("revision in the overlap (ETF)", "SPY", _set_close("2026-08-11", lambda v: v * 0.98),
          "rejected", "revision in overlap", ("2026-08-11",)),
    Fault("revision in the overlap (FRED)", "DGS10", _body(lambda csv: _replace_value(
          csv, "2026-08-07", "4.99")), "rejected", "revision in overlap", ("2026-08-07",),
          in_message="2026-08-07 stored 4.65, feed 4.99"),
]
PARTNER = {"yahoo": "DGS2", "fred": "^GSPC"}  # a good series of the other source, same run


@pytest.mark.parametrize("fault", FAULTS, ids=[f.kind for f in FAULTS])
def test_fault(fault: Fault, run: Run, snapshot_excerpt: Path):
    partner = PARTNER[fault.source]
    if fault.series == partner:  # pragma: no cover - guard for future cases
        pytest.fail("the partner must be another series")
    before = run.files(fault.series)
    (run.feeds.yahoo_faults if fault.source == "yahoo" else run.feeds.fred_faults)[
        fault.series] = fault.inject

    code = run(fault.series, partner)

    assert code == fault.exit_code, run.output
    entry = run.report()[fault.series]
    assert entry["status"] == fault.status, entry
    assert entry["rule"] == fault.rule and tuple(entry["dates"]) == fault.dates, entry
    # The message names the series, the rule and the dates (the line printed for a failure).
    if fault.status in ("rejected", "unreachable"):
        line = next(x for x in run.output.splitlines() if x.startswith(fault.status))
        assert fault.series in line and fault.rule in line, line
        assert all(day in line for day in fault.dates[:5]), line  # then "…"
    assert fault.in_message in run.output
    if fault.calls is not None:
        calls = (len([c for c in run.feeds.yahoo_calls if c["ticker"] == fault.series])
                 if fault.source == "yahoo" else run.feeds.fred_calls.count(fault.series))
        assert calls == fault.calls

    # The faulty series: byte-identical, or correctly extended when it recovered.
    full = snapshot_frame(snapshot_excerpt, fault.series)
    if fault.stored_as == "unchanged":
        assert run.files(fault.series) == before
    elif fault.stored_as == "full":
        assert run.store.csv_path(get(fault.series)).read_bytes() == full_bytes(
            snapshot_excerpt, fault.series)
    else:
        expected = full.drop(index=pd.Timestamp("2026-08-18"))
        assert run.store.csv_path(get(fault.series)).read_bytes() == series_csv_bytes(expected)
    # The good series beside it is still saved, extended by exactly the new rows.
    assert run.report()[partner]["status"] == "updated"
    assert run.store.csv_path(get(partner)).read_bytes() == full_bytes(snapshot_excerpt, partner)
    # Nothing half-written, and the store still reads back (what `make site` needs).
    assert temp_files(run.settings.store_dir) == []
    for series_id in (fault.series, partner):
        run.store.read_series(get(series_id))


def test_the_fault_suite_covers_at_least_twenty_kinds():
    assert len({f.kind for f in FAULTS}) >= 20


def test_the_site_still_builds_after_a_rejected_and_an_unreachable_series(run, built_site,
                                                                         tmp_path):
    from generator.build import build_site

    run.feeds.yahoo_faults["^RUT"] = _set_close("2026-08-20", lambda v: 0.0)
    run.feeds.fred_faults["DGS10"] = _http(503)
    assert run("^RUT", "DGS10", "^GSPC") == 1
    # The excerpt is too short for the site's figures: the whole store, with this run's report
    # (the session's figure cache copied along: only the pages depend on the report).
    store = Path(shutil.copytree(built_site.store_dir, tmp_path / "whole-store"))
    shutil.copy(run.settings.store_dir / update.REPORT_NAME, store / update.REPORT_NAME)
    settings = dataclasses.replace(
        run.settings, store_dir=store, snapshot_dir=tmp_path / "no-snapshot",
        cache_dir=Path(shutil.copytree(built_site.cache_dir, tmp_path / "cache-copy")))
    build_site(settings, log=lambda _: None, mkdocs=False)
    assert (settings.docs_dir / "history.md").is_file()
    assert {e["status"] for e in update.read_report(store).values()} >= {"rejected",
                                                                        "unreachable"}


# --- Writes: a full disk and a killed writer -----------------------------------------------------

class _FullDisk:
    """A file handle on a full disk: half of the data gets in, then ENOSPC."""

    def __init__(self, handle) -> None:
        self.handle = handle

    def __enter__(self):
        return self

    def __exit__(self, *exc: object) -> None:
        self.handle.close()

    def write(self, data: bytes) -> int:
        self.handle.write(data[: len(data) // 2])
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    def flush(self) -> None:
        self.handle.flush()

    def fileno(self) -> int:
        return self.handle.fileno()


@pytest.mark.parametrize("full_from", ["csv", "meta"])
def test_disk_full_keeps_the_old_files_and_says_so(run, monkeypatch, full_from):
    """ENOSPC on the CSV, or only on the metadata written after it: both or neither land."""
    real_fdopen = os.fdopen
    store_dir = str(run.settings.store_dir)

    def fdopen(fd, mode="r", *args, **kwargs):
        handle = real_fdopen(fd, mode, *args, **kwargs)
        target = os.readlink(f"/proc/self/fd/{fd}")
        is_meta = ".meta.json." in target
        if target.startswith(store_dir) and "w" in mode and (full_from == "csv" or is_meta):
            return _FullDisk(handle)
        return handle

    monkeypatch.setattr(store_module.os, "fdopen", fdopen)
    before = {i: run.files(i) for i in ("^RUT", "DGS10")}
    assert run("^RUT", "DGS10") == 1
    assert {i: run.files(i) for i in ("^RUT", "DGS10")} == before
    assert temp_files(run.settings.store_dir) == []
    assert re.search(r"failed \^RUT: could not write .*\^RUT\.csv: No space left on device; "
                     r"the stored copy is unchanged", run.output)
    if full_from == "csv":  # the run report hit the full disk too, and says so
        assert "failed could not write the run report" in run.output
    for series_id in before:
        run.store.read_series(get(series_id))


WRITER = textwrap.dedent("""
    import os, sys
    from pathlib import Path
    from generator import store
    SIZE = 64 * 2**20
    if sys.argv[2] == "before-rename":  # stop once the data is written and synced
        real_fsync = os.fsync
        def fsync(fd):
            real_fsync(fd)
            print("synced", flush=True)
            os.kill(os.getpid(), 19)  # SIGSTOP: the parent kills us here
        store.os.fsync = fsync
    else:
        print("writing", flush=True)
    store.atomic_write_bytes(Path(sys.argv[1]), b"x" * SIZE)
""")


@pytest.mark.parametrize("when", ["during-write", "before-rename"])
def test_a_writer_killed_mid_write_leaves_the_old_file_intact(tmp_path, when):
    target = tmp_path / "big.csv"
    target.write_bytes(b"date,close\n2026-08-21,3017.87\n")
    old = target.read_bytes()
    child = subprocess.Popen([sys.executable, "-c", WRITER, str(target), when],
                             stdout=subprocess.PIPE, cwd=ROOT, text=True,
                             env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert child.stdout.readline().strip() in ("writing", "synced")
    if when == "during-write":  # kill as soon as the temp file starts filling
        deadline = time.monotonic() + 20
        while not any(p.stat().st_size for p in tmp_path.glob(".big.csv.*.tmp")):
            assert time.monotonic() < deadline and child.poll() is None, "writer never started"
    child.send_signal(signal.SIGKILL)
    child.wait(timeout=20)
    assert child.returncode == -signal.SIGKILL
    assert target.read_bytes() == old  # the old file, intact
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith(".")) == [
        "big.csv"]  # no stray final file; only the hidden temp file a kill cannot clean up
    leftovers = list(tmp_path.glob(".big.csv.*.tmp"))
    assert len(leftovers) == 1 and leftovers[0].stat().st_size <= 64 * 2**20
    assert not Store(tmp_path).remove_stale_temp_files(older_than_seconds=600)  # too fresh
    assert Store(tmp_path).remove_stale_temp_files(older_than_seconds=-1) == leftovers


def test_cli_update_dispatches_and_fails_cleanly_on_an_unknown_series(tmp_path, capsys,
                                                                      monkeypatch):
    from generator.cli import main

    monkeypatch.setenv("PRIMER_STORE", str(tmp_path / "store"))
    assert main(["update", "NOPE"]) == 2
    assert "error: unknown series 'NOPE'" in capsys.readouterr().err


def test_report_file_is_valid_json_with_the_fields_pages_read(run):
    run.feeds.fred_faults["DGS10"] = _http(404)
    run("^RUT", "DGS10")
    raw = json.loads((run.settings.store_dir / update.REPORT_NAME).read_text())
    assert raw["exit_code"] == 1 and raw["checked_at"].endswith("Z")
    by_id = {e["series"]: e for e in raw["series"]}
    for entry in by_id.values():
        assert {"series", "status", "reason", "last_date", "checked_at"} <= set(entry)
    assert by_id["DGS10"]["last_date"] == "2026-08-13"  # what the store still holds
    assert by_id["^RUT"]["last_date"] == "2026-08-21"
    assert hashlib.sha256(run.store.csv_path(get("^RUT")).read_bytes()).hexdigest() == \
        run.store.read_meta(get("^RUT")).sha256


# --- Bounded, visible updates ----------------------------------------------------------------

def test_a_feed_that_never_answers_is_cut_off_at_the_deadline_and_the_rest_is_saved(run):
    """IWB's download hangs (as a server that accepts and never answers would): the run ends at
    its deadline; ^RUT, fetched before, is saved; IWB and what came after are unreachable."""
    release = threading.Event()

    def hang(n: int, frame: pd.DataFrame) -> pd.DataFrame:
        release.wait(60)
        return frame

    run.feeds.yahoo_faults["IWB"] = hang
    run.settings = dataclasses.replace(run.settings, update_deadline=6.0)
    try:
        assert run("^RUT", "IWB", "DGS10") == 1
    finally:
        release.set()
    report = run.report()
    assert report["^RUT"]["status"] == "updated" and report["^RUT"]["rows_added"] == 5
    assert report["IWB"]["status"] == "unreachable"
    assert "no answer before the update's deadline (6 s)" in report["IWB"]["reason"]
    assert report["DGS10"]["status"] == "unreachable"
    assert "not fetched: the update's deadline (6 s) had passed" in report["DGS10"]["reason"]
    assert run.feeds.fred_calls == []  # nothing was even asked after the deadline
    assert run.store.read_meta(get("^RUT")).last == report["^RUT"]["last_date"]


def test_off_a_terminal_each_series_gets_one_plain_progress_line(run):
    assert run("^RUT", "DGS10") == 0
    lines = [line for line in run.output.splitlines() if line.startswith("[")]
    assert re.fullmatch(r"\[1/2\] \^RUT: updated, \+5 rows, last 2026-08-21 \(\d+\.\d s\)",
                        lines[0]), lines
    assert lines[1].startswith("[2/2] DGS10: updated, +5 rows, last ")


def test_library_noise_goes_to_the_report_not_the_terminal(run, capsys):
    def noisy(n: int, frame: pd.DataFrame) -> pd.DataFrame:
        print("curl: (28) Operation timed out after 30001 milliseconds")
        print("1 Failed download:", file=sys.stderr)
        logging.getLogger("curl_cffi.requests").warning("retrying the handshake")
        return frame

    run.feeds.yahoo_faults["^RUT"] = noisy
    assert run("^RUT") == 0
    captured = capsys.readouterr()
    for text in (run.output, captured.out, captured.err):
        assert "Operation timed out" not in text and "handshake" not in text
    entry = run.report()["^RUT"]
    assert entry["noise_lines"] == 3
    assert entry["noise"] == [
        "curl_cffi.requests: WARNING: retrying the handshake",
        "curl: (28) Operation timed out after 30001 milliseconds", "1 Failed download:"]
    assert "3 lines that libraries printed or logged (1 series) are in the run report" in \
        run.output


def test_a_huge_value_makes_a_short_error_line(run):
    """A 5 MB cell in FRED's answer: rejected, and the reason stays a line, not 5 MB."""
    run.feeds.fred_faults["DGS10"] = _body(
        lambda csv: _replace_value(csv, "2026-08-20", "x" * 5_000_000))
    assert run("DGS10") == 1
    entry = run.report()["DGS10"]
    assert entry["status"] == "rejected" and entry["rule"] == "unparseable value"
    assert len(entry["reason"]) < 1_000 and "more characters cut" in entry["reason"]
    assert max(len(line) for line in run.output.splitlines()) < 1_000


@pytest.mark.parametrize(("value", "seconds"), [("", 900.0), ("120", 120.0), ("0", None),
                                                ("soon", None)])
def test_the_deadline_is_a_setting(monkeypatch, value, seconds):
    monkeypatch.setenv("PRIMER_UPDATE_DEADLINE", value)
    if seconds is None:
        with pytest.raises(PrimerError, match=r"PRIMER_UPDATE_DEADLINE=.* is not a positive"):
            Settings.from_env()
    else:
        assert Settings.from_env().update_deadline == seconds
        assert Settings.from_env().source_deadline == 360.0
