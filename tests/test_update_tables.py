"""The live path for the tables, against recorded responses built from the committed excerpt of
the snapshot (tests/fixtures/snapshot: 52 rows of iShares' holdings file with its header and
footer, 28 members' closes from June 2026): iShares' CSV served by `responses`,
`yfinance.download` replaced by a function that answers from those closes in yfinance's own
shape. No network. The excerpt's other listed equities (16) have no closes: to the update they
are members without data at the source. The excerpt's weights are accepted via `tmp_settings`
(conftest): a truncated file is refused otherwise (test_ishares)."""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import ClassVar

import numpy as np
import pandas as pd
import pytest
import responses

from generator.load import import_french, load_holdings, load_members
from generator.sources.ishares import HOLDINGS_URL, equities, parse_holdings_csv
from generator.sources.members import download_members, read_snapshot_members
from generator.sources.retry import RetryPolicy
from generator.store import Store
from generator.update_tables import (
    MembersPolicy,
    run_table_updates,
    update_holdings,
    update_members,
)

TODAY = dt.date(2026, 8, 21)
CUT = pd.Timestamp("2026-07-24")  # the store "knows" closes up to here; the feed has more


def _no_sleep(_: float) -> None:
    return None


NO_WAIT = RetryPolicy(sleep=_no_sleep)
POLICY = MembersPolicy(chunk_size=400, pause_seconds=0.0, max_tickers=5000, progress=False)


@pytest.fixture(scope="module")
def snapshot_closes(snapshot_excerpt) -> pd.DataFrame:
    return read_snapshot_members(snapshot_excerpt)


@pytest.fixture(scope="module")
def holdings_bytes(snapshot_excerpt) -> bytes:
    return (snapshot_excerpt / "ishares" / "IWM_holdings.csv").read_bytes()


@pytest.fixture(scope="module")
def absent(holdings_bytes, snapshot_closes) -> list[str]:
    """Listed equities of the holdings file that have no closes in the excerpt."""
    table = equities(parse_holdings_csv(holdings_bytes, where="snapshot").table)
    return sorted({t for t in table["ticker"] if t != "-"} - set(snapshot_closes.columns))


def fake_download(truth: pd.DataFrame, calls: list[dict], broken: frozenset[str] = frozenset(),
                  scale: dict[str, float] | None = None):
    """A stand-in for `yfinance.download(tickers, start=..., auto_adjust=True, ...)`: a
    (Price, Ticker) MultiIndex frame with tz-aware dates, all-NaN columns for tickers it
    "could not fetch", like the real thing."""
    scale = scale or {}

    def download(tickers, start=None, auto_adjust=True, progress=False, group_by="column",
                 threads=False, **_):
        calls.append({"tickers": list(tickers), "start": start})
        part = truth.reindex(columns=list(tickers)).loc[start:].copy()
        for ticker, factor in scale.items():
            if ticker in part.columns:
                part[ticker] = part[ticker] * factor
        for ticker in broken:
            if ticker in part.columns:
                part[ticker] = np.nan
        part.index = part.index.tz_localize("America/New_York").rename("Date")
        blocks = {name: part for name in ("Close", "High", "Low", "Open")}
        blocks["Volume"] = part * 0 + 1000
        frame = pd.concat(blocks, axis=1)
        frame.columns = frame.columns.set_names(["Price", "Ticker"])
        return frame

    return download


def _seed(settings, holdings_bytes, closes: pd.DataFrame) -> Store:
    store = Store(settings.store_dir)
    holdings = parse_holdings_csv(holdings_bytes, where="snapshot")
    load_holdings(store, holdings, origin="test", today=TODAY)
    load_members(store, closes, origin="test", today=TODAY)
    return store


def _digests(store: Store) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted((store.root / "tables").iterdir())
            if not p.name.startswith("ff_")}  # Ken French's files: their own update


@responses.activate
def test_holdings_from_the_recorded_response_then_unchanged(tmp_settings, holdings_bytes):
    responses.get(HOLDINGS_URL, body=holdings_bytes, content_type="text/csv")
    store = Store(tmp_settings.store_dir)
    row = update_holdings(store, TODAY, NO_WAIT)
    assert row["status"] == "updated"
    assert row["last_date"] == "2026-05-05"
    assert row["rows_added"] == 52
    before = _digests(store)
    again = update_holdings(store, TODAY, NO_WAIT)
    assert again["status"] == "unchanged"
    assert _digests(store) == before


@responses.activate
def test_holdings_retry_after_server_errors(tmp_settings, holdings_bytes):
    responses.get(HOLDINGS_URL, status=503)
    responses.get(HOLDINGS_URL, status=429)
    responses.get(HOLDINGS_URL, body=holdings_bytes)
    row = update_holdings(Store(tmp_settings.store_dir), TODAY, NO_WAIT)
    assert row["status"] == "updated"
    assert len(responses.calls) == 3


@responses.activate
def test_holdings_gives_up_after_bounded_retries_and_keeps_the_store(tmp_settings,
                                                                      holdings_bytes):
    store = Store(tmp_settings.store_dir)
    load_holdings(store, parse_holdings_csv(holdings_bytes), origin="test", today=TODAY)
    before = _digests(store)
    responses.get(HOLDINGS_URL, status=500)
    row = update_holdings(store, TODAY, NO_WAIT)
    assert row["status"] == "unreachable"
    assert "unreachable after 5 attempt(s)" in row["reason"] and "HTTP 500" in row["reason"]
    assert len(responses.calls) == 5
    assert _digests(store) == before


@responses.activate
def test_holdings_with_a_changed_layout_is_rejected_clearly(tmp_settings, holdings_bytes):
    store = Store(tmp_settings.store_dir)
    load_holdings(store, parse_holdings_csv(holdings_bytes), origin="test", today=TODAY)
    before = _digests(store)
    changed = holdings_bytes.replace(b"Fund Holdings as of", b"Holdings as at")
    responses.get(HOLDINGS_URL, body=changed)
    row = update_holdings(store, TODAY, NO_WAIT)
    assert row["status"] == "rejected"
    assert "no 'Fund Holdings as of' line" in row["reason"]
    assert HOLDINGS_URL in row["reason"]
    assert _digests(store) == before


@responses.activate
def test_holdings_older_than_stored_are_rejected(tmp_settings, holdings_bytes):
    store = Store(tmp_settings.store_dir)
    load_holdings(store, parse_holdings_csv(holdings_bytes), origin="test", today=TODAY)
    older = holdings_bytes.replace(b'"May 05, 2026"', b'"Apr 30, 2026"', 1)
    responses.get(HOLDINGS_URL, body=older)
    row = update_holdings(store, TODAY, NO_WAIT)
    assert row["status"] == "rejected" and "older than the stored" in row["reason"]


@responses.activate
def test_members_extend_incrementally_and_a_failed_member_keeps_its_data(
        tmp_settings, holdings_bytes, snapshot_closes, monkeypatch):
    import yfinance

    store = _seed(tmp_settings, holdings_bytes, snapshot_closes.loc[:CUT])
    calls: list[dict] = []
    monkeypatch.setattr(yfinance, "download",
                        fake_download(snapshot_closes, calls, broken=frozenset({"BE"})))
    responses.get(HOLDINGS_URL, body=holdings_bytes)
    rows = run_table_updates(tmp_settings, TODAY, log=lambda _: None, policy=POLICY,
                             retry=NO_WAIT)
    holdings_row, members_row, *french = rows
    assert holdings_row["status"] == "unchanged"
    assert members_row["status"] == "partial"
    # No recorded response for the French library here: unreachable, reported, not fatal.
    assert french and {row["status"] for row in french} == {"unreachable"}
    assert members_row["rows_added"] == 6  # 27 July .. 3 August 2026
    assert members_row["last_date"] == "2026-08-03"
    assert "1 failed and kept their last good data (BE)" in members_row["reason"]
    stored = store.read_table("members_close")
    # Everyone else now matches the source exactly; BE keeps what it had, nothing invented.
    others = [t for t in snapshot_closes.columns if t != "BE"]
    pd.testing.assert_frame_equal(stored[others], snapshot_closes[others], check_freq=False,
                                  check_names=False)
    assert stored["BE"].loc[:CUT].equals(snapshot_closes["BE"].loc[:CUT])
    assert stored["BE"].loc[CUT:].iloc[1:].isna().all()
    # Incremental: known members were asked from a week before the stored last date; members
    # with no stored closes (not in the source) were asked for their whole history, and their
    # absence is reported apart from BE's failure.
    known = {t for c in calls if c["start"] == "2026-07-17" for t in c["tickers"]}
    whole = {t for c in calls if c["start"] == "2021-01-01" for t in c["tickers"]}
    assert known == set(snapshot_closes.columns)
    assert whole and not whole & set(snapshot_closes.columns)
    assert f"{len(whole)} without data at the source" in members_row["reason"]
    # The exclusion list was recomputed from the new table: FFAI's ×96.4 on 23 July is in it,
    # MVIS's ×13.4 on 31 July (a close the update brought in) too.
    assert {"FFAI", "MVIS"} <= set(store.read_table("members_exclusions")["ticker"])


def test_members_with_changed_adjustment_are_refetched_whole(tmp_settings, holdings_bytes,
                                                             snapshot_closes, monkeypatch):
    import yfinance

    store = _seed(tmp_settings, holdings_bytes, snapshot_closes.loc[:CUT])
    calls: list[dict] = []
    # A dividend since the last run: the vendor's whole adjusted history of CRDO moved by 2 %.
    monkeypatch.setattr(yfinance, "download",
                        fake_download(snapshot_closes, calls, scale={"CRDO": 0.98}))
    rows = run_table_updates(tmp_settings, TODAY, log=lambda _: None, policy=POLICY,
                             retry=NO_WAIT)
    assert "1 re-fetched whole (adjustment changed)" in rows[1]["reason"]
    stored = store.read_table("members_close")
    expected = snapshot_closes["CRDO"] * 0.98
    assert np.allclose(stored["CRDO"].dropna(), expected.dropna())
    assert any(c["start"] == "2021-01-01" and "CRDO" in c["tickers"] for c in calls)
    assert not any(c["start"] == "2021-01-01" and "BE" in c["tickers"] for c in calls)


def test_per_run_cap_leaves_the_rest_for_the_next_run(tmp_settings, holdings_bytes,
                                                      snapshot_closes, absent, monkeypatch):
    import yfinance

    store = _seed(tmp_settings, holdings_bytes, snapshot_closes.loc[:CUT])
    calls: list[dict] = []
    monkeypatch.setattr(yfinance, "download", fake_download(snapshot_closes, calls))
    cap = len(absent) + 10
    policy = MembersPolicy(chunk_size=10, pause_seconds=0.0, max_tickers=cap, progress=False)
    rows = run_table_updates(tmp_settings, TODAY, log=lambda _: None, policy=policy,
                             retry=NO_WAIT)
    assert sum(len(c["tickers"]) for c in calls) == cap
    assert max(len(c["tickers"]) for c in calls) == 10
    assert f"left for the next run (per-run cap {cap})" in rows[1]["reason"]
    # Members without stored closes come first (absent from the source too), then the 10
    # stalest known members, which now reach 3 August.
    assert f"{len(absent)} without data at the source" in rows[1]["reason"]
    assert store.read_table("members_close").notna().loc["2026-08-03"].sum() == 10


def test_no_new_data_leaves_the_store_byte_identical(tmp_settings, holdings_bytes,
                                                     snapshot_closes, monkeypatch):
    import yfinance

    store = _seed(tmp_settings, holdings_bytes, snapshot_closes)
    before = _digests(store)
    monkeypatch.setattr(yfinance, "download", fake_download(snapshot_closes, []))
    rows = run_table_updates(tmp_settings, TODAY, log=lambda _: None, policy=POLICY,
                             retry=NO_WAIT)
    assert rows[1]["status"] == "unchanged"
    assert _digests(store) == before


def test_download_retries_a_rate_limited_chunk(snapshot_closes):
    attempts: list[int] = []
    good = fake_download(snapshot_closes, [])

    def flaky(tickers, **kw):
        attempts.append(1)
        if len(attempts) < 3:
            raise RuntimeError("YFRateLimitError: Too Many Requests")
        return good(tickers, **kw)

    got = download_members(["BE", "CRDO"], "2026-07-01", downloader=flaky, policy=NO_WAIT,
                           progress=False)
    assert len(attempts) == 3
    assert got.failed == {}
    assert list(got.closes.columns) == ["BE", "CRDO"]
    assert got.closes.index.tz is None


def test_download_that_keeps_failing_marks_its_chunk_failed(snapshot_closes):
    def down(tickers, **kw):
        raise TimeoutError("read timed out")

    got = download_members(["BE", "CRDO", "FN"], "2026-07-01", downloader=down, chunk_size=2,
                           policy=RetryPolicy(attempts=2, sleep=_no_sleep), progress=False)
    assert set(got.failed) == {"BE", "CRDO", "FN"}
    assert "TimeoutError" in got.failed["BE"]
    assert got.chunks == 2


def test_make_update_refreshes_the_tables_in_replay_mode(tmp_settings, holdings_bytes,
                                                         snapshot_closes, snapshot_excerpt,
                                                         absent, monkeypatch):
    """`python -m generator update --replay FOLDER` runs the table updates after the series
    and lists them in its summary and run report."""
    import functools

    from rich.console import Console

    from generator import update, update_tables

    store = _seed(tmp_settings, holdings_bytes, snapshot_closes.loc[:CUT])
    # A cap below the members' count: the run leaves the 5 stalest for the next one.
    cap = len(absent) + len(snapshot_closes.columns) - 5
    monkeypatch.setattr(update_tables, "MembersPolicy",
                        functools.partial(MembersPolicy, max_tickers=cap))
    console = Console(width=200, record=True, force_terminal=False, color_system=None)
    update.main(tmp_settings, [], replay=snapshot_excerpt, today=TODAY, console=console)
    report = update.read_report(tmp_settings.store_dir)
    assert report["IWM holdings"]["status"] == "unchanged"
    members = report["members' closes"]
    assert members["status"] == "updated"
    assert members["rows_added"] == 6 and members["last_date"] == "2026-08-03"
    assert "members' closes" in console.export_text()
    assert f"5 left for the next run (per-run cap {cap})" in members["reason"]
    assert f"{len(absent)} without data at the source" in members["reason"]
    stored = store.read_table("members_close")
    fetched = stored.columns[stored.loc["2026-08-03"].notna().to_numpy()]
    # The cap, less the tickers the source lacks: the 23 stalest known members.
    assert len(fetched) == len(snapshot_closes.columns) - 5
    pd.testing.assert_frame_equal(stored[fetched], snapshot_closes[fetched], check_freq=False,
                                  check_names=False)


def test_update_with_its_own_feeds_leaves_the_tables_alone(tmp_settings, holdings_bytes,
                                                           snapshot_closes, monkeypatch):
    """Series-only runs (tests of the series path pass their own feeds) never touch tables."""
    from generator import update

    store = _seed(tmp_settings, holdings_bytes, snapshot_closes.loc[:CUT])
    import_french(tmp_settings, store, log=lambda _: None)  # what the run imports first
    before = _digests(store)
    calls: list[str] = []
    monkeypatch.setattr(update, "run_table_updates",
                        lambda *a, **k: calls.append("tables") or [])
    monkeypatch.setattr(update, "run_update", lambda *a, **k: _Result(k.get("tables")))
    update.main(tmp_settings, [], today=TODAY, feeds=update.Feeds(), console=None)
    assert _Result.seen == [False]
    assert calls == [] and _digests(store) == before


class _Result:
    seen: ClassVar[list[object]] = []

    def __init__(self, tables: object) -> None:
        _Result.seen.append(tables)
        self.outcomes: list[object] = []
        self.exit_code = 0
        self.report_error = ""
        self.report_path = "-"


def test_members_with_nothing_fetched_are_unreachable_not_updated(tmp_settings, holdings_bytes,
                                                                  snapshot_closes):
    """Every chunk timing out ("0 of 20 fetched": the cap, below the excerpt's 44 members)
    says so, and the stored table stays."""
    store = _seed(tmp_settings, holdings_bytes, snapshot_closes.loc[:CUT])
    before = _digests(store)

    def down(tickers, **_):
        raise TimeoutError("read timed out")

    policy = MembersPolicy(chunk_size=10, pause_seconds=0.0, max_tickers=20, progress=False)
    row = update_members(store, TODAY, log=lambda _: None, policy=policy,
                         retry=RetryPolicy(attempts=2, sleep=_no_sleep), downloader=down)
    assert row["status"] == "unreachable"
    assert str(row["reason"]).startswith("0 of 20 members fetched")
    assert row["last_date"] == str(CUT.date())
    assert _digests(store) == before
