"""The live fetch code (yfinance and FRED CSV) against recorded responses built from the snapshot:
shapes, retries and what is retried, and what a malformed body produces. No network."""

from __future__ import annotations

import datetime as dt
import gzip
import re
import threading

import pandas as pd
import pytest
import requests
import responses
import yfinance
from yfinance.exceptions import YFRateLimitError

from generator.catalog import get
from generator.errors import DataError, FeedError, ResponseError, TransientFeedError
from generator.sources import members
from generator.sources.fred import check_csv_body, fetch_fred, parse_fred_csv
from generator.sources.retry import (
    MAX_RESPONSE_BYTES,
    Deadline,
    DeadlineError,
    RetryPolicy,
    classify,
    run_bounded,
)
from generator.sources.snapshot import read_snapshot_series
from generator.sources.yahoo import bounded_session, fetch_bars, normalise_download
from tests.recorded_feeds import RecordedFeeds, log_yahoo_error, yahoo_failure_frame
from tests.snapshot_raw import raw_fred

FRED_URL = re.compile(r"https://fred\.stlouisfed\.org/graph/fredgraph\.csv\?.*")


class Sleeps(list):
    """An injected sleep that records the waits instead of waiting."""

    def __call__(self, seconds: float) -> None:
        self.append(seconds)


@pytest.fixture()
def sleeps() -> Sleeps:
    return Sleeps()


@pytest.fixture()
def policy(sleeps: Sleeps) -> RetryPolicy:
    return RetryPolicy(sleep=sleeps)


@pytest.fixture()
def feeds(snapshot_excerpt, monkeypatch) -> RecordedFeeds:
    """Recorded feeds serving the committed excerpt of the snapshot (tests/fixtures/snapshot)."""
    recorded = RecordedFeeds(snapshot_excerpt)
    monkeypatch.setattr(yfinance, "download", recorded.download)
    return recorded


@pytest.fixture()
def fred(feeds):
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        mock.add_callback(responses.GET, FRED_URL, callback=feeds.fred_callback)
        yield mock


# --- Yahoo ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("tz", ["America/New_York", None])
def test_fetch_bars_gives_the_snapshot_closes(feeds, policy, tz):
    """A (Price, Ticker) MultiIndex frame, tz-aware or naive, normalises to the snapshot's bars;
    `end` is exclusive, so the bar of the day in progress is never taken."""
    feeds.tz = tz
    bars = fetch_bars("^RUT", dt.date(2026, 7, 20), dt.date(2026, 7, 28), policy)
    assert bars.at[pd.Timestamp("2026-07-24"), "close"] == pytest.approx(2930.00, abs=0.005)
    assert list(bars.columns) == ["close", "high", "low", "open", "volume"]
    assert bars.index.name == "date" and bars.index.tz is None
    assert bars.index[0] == pd.Timestamp("2026-07-20") and bars.index[-1] == pd.Timestamp(
        "2026-07-27")
    snapshot = read_snapshot_series(feeds.snapshot_dir, get("^RUT")).loc["2026-07-20":"2026-07-27"]
    pd.testing.assert_series_equal(bars["close"], snapshot["close"], check_freq=False)
    call = feeds.yahoo_calls[-1]
    assert call == {"ticker": "^RUT", "start": "2026-07-20", "end": "2026-07-28", "period": None}


def test_fetch_bars_asks_for_all_history_when_nothing_is_stored(feeds, policy):
    bars = fetch_bars("^VIX", None, dt.date(2026, 8, 24), policy)
    assert feeds.yahoo_calls[-1]["period"] == "max" and feeds.yahoo_calls[-1]["start"] is None
    assert bars.at[pd.Timestamp("2026-08-12"), "close"] == pytest.approx(14.55, abs=0.005)
    assert bars.index[0] == pd.Timestamp("2026-07-01")  # the excerpt's first bar


def test_normalise_download_drops_the_adjusted_close_of_the_failure_shape():
    frame = yahoo_failure_frame("IWM")
    with pytest.raises(ResponseError, match="IWM: empty response"):
        normalise_download(frame, "IWM")


def test_yahoo_rate_limit_is_retried_with_growing_jittered_waits(feeds, policy, sleeps):
    def limited(call, frame):
        if call <= 2:
            raise YFRateLimitError()
        return frame

    feeds.yahoo_faults["IWM"] = limited
    bars = fetch_bars("IWM", dt.date(2026, 8, 10), dt.date(2026, 8, 24), policy)
    assert len(feeds.yahoo_calls) == 3 and len(bars) == 10
    # first_wait 2 s doubling, plus up to 1 s of jitter each.
    assert 2 <= sleeps[0] <= 3 and 4 <= sleeps[1] <= 5


def test_yahoo_rate_limit_as_yfinance_reports_it_persistently_is_unreachable(feeds, policy,
                                                                             sleeps):
    """Real yfinance catches the error, logs it and returns an empty frame."""
    def limited(call, frame):
        log_yahoo_error("^RUT", "YFRateLimitError('Too Many Requests. Rate limited. "
                                "Try after a while.')")
        return yahoo_failure_frame("^RUT")

    feeds.yahoo_faults["^RUT"] = limited
    with pytest.raises(FeedError, match=r"\^RUT: feed error: unreachable after 5 attempt"):
        fetch_bars("^RUT", dt.date(2026, 8, 10), dt.date(2026, 8, 24), policy)
    assert len(feeds.yahoo_calls) == 5 and len(sleeps) == 4
    assert sleeps == sorted(sleeps)  # exponential growth dominates the jitter
    assert all(wait <= policy.max_wait for wait in sleeps)


def test_retries_stop_at_the_time_budget(feeds, sleeps):
    feeds.yahoo_faults["^RUT"] = lambda call, frame: (_ for _ in ()).throw(YFRateLimitError())
    policy = RetryPolicy(attempts=50, max_seconds=20.0, sleep=sleeps)
    with pytest.raises(FeedError, match="unreachable after 4 attempt"):
        fetch_bars("^RUT", dt.date(2026, 8, 10), dt.date(2026, 8, 24), policy)
    # waits ~2, ~4, ~8 (+ jitter) = at most 17 s; the next (~16 s) would pass the 20 s budget.
    assert len(sleeps) == 3 and sum(sleeps) < 20.0


def test_yahoo_no_rows_without_a_transient_error_is_rejected_at_once(feeds, policy, sleeps):
    def delisted(call, frame):
        log_yahoo_error("IWM", "possibly delisted; no price data found  (1d 2026-08-10 -> "
                               "2026-08-24)")
        return yahoo_failure_frame("IWM")

    feeds.yahoo_faults["IWM"] = delisted
    with pytest.raises(ResponseError, match=r"IWM: empty response: .*possibly delisted"):
        fetch_bars("IWM", dt.date(2026, 8, 10), dt.date(2026, 8, 24), policy)
    assert len(feeds.yahoo_calls) == 1 and sleeps == []



def test_a_yahoo_answer_past_the_size_limit_is_refused_not_retried(feeds, policy, sleeps,
                                                                   monkeypatch):
    """Every live download gets the bounded session; curl's cut (its error 63, which says
    "Failed to perform" like a network fault) is a refusal at once, not a retry."""
    sessions = []

    def oversized(call, frame):
        log_yahoo_error("IWM", "Failed to perform, curl: (63) Exceeded the maximum allowed "
                               "file size (33554432) with 33554432 bytes.")
        return yahoo_failure_frame("IWM")

    feeds.yahoo_faults["IWM"] = oversized
    recorded = feeds.download
    monkeypatch.setattr(yfinance, "download",
                        lambda *a, **k: sessions.append(k.get("session")) or recorded(*a, **k))
    with pytest.raises(ResponseError, match=r"IWM: response too large: .*33,554,432-byte limit"):
        fetch_bars("IWM", dt.date(2026, 8, 10), dt.date(2026, 8, 24), policy)
    assert len(feeds.yahoo_calls) == 1 and sleeps == []
    assert sessions == [bounded_session()]


def test_the_bounded_session_stops_reading_at_the_limit(monkeypatch):
    """The live session really cuts a body at the limit (a local server streams 8 MB in chunks,
    no Content-Length; the limit is set to 1 MB)."""
    import http.server

    from curl_cffi.const import CurlOpt

    class Endless(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            chunk = b"1" * 65536
            try:
                for _ in range(128):
                    self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
                self.wfile.write(b"0\r\n\r\n")
            except OSError:
                pass  # the client hung up at its limit

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Endless)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    session = bounded_session()
    assert session.curl_options[CurlOpt.MAXFILESIZE_LARGE] == MAX_RESPONSE_BYTES
    session.curl_options = {CurlOpt.MAXFILESIZE_LARGE: 1_000_000}
    try:
        with pytest.raises(Exception, match=r"curl: \(63\)") as caught:
            session.get(f"http://127.0.0.1:{server.server_address[1]}/", timeout=30)
        assert classify(caught.value) == "permanent"
    finally:
        session.curl_options = {CurlOpt.MAXFILESIZE_LARGE: MAX_RESPONSE_BYTES}
        server.shutdown()


# --- FRED ----------------------------------------------------------------------------------------

def test_fetch_fred_reads_the_csv_download_from_cosd(fred, feeds, policy):
    frame = fetch_fred("DGS10", dt.date(2026, 7, 6), policy)
    assert frame.at[pd.Timestamp("2026-07-09"), "value"] == 4.54
    assert frame.index[0] == pd.Timestamp("2026-07-06")
    request = fred.calls[0].request
    assert "id=DGS10" in request.url and "cosd=2026-07-06" in request.url
    assert request.req_kwargs["timeout"] == (10.0, 30.0)  # connect, read


def test_fred_serves_spreads_for_three_years_only(raw_dir, monkeypatch, policy):
    """What FRED does today to the ICE BofA series (why an update merges, never replaces).
    Needs the whole series (the snapshot's, or the store's): the excerpt holds less than three
    years."""
    feeds = RecordedFeeds(raw_dir)
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        mock.add_callback(responses.GET, FRED_URL, callback=feeds.fred_callback)
        frame = fetch_fred("BAMLH0A0HYM2", None, policy)
    last = raw_fred(raw_dir, "BAMLH0A0HYM2").index[-1]  # 2026-08-20 in the snapshot
    three_years = last - pd.DateOffset(years=3)
    assert three_years <= frame.index[0] < three_years + pd.Timedelta(days=12)


@pytest.mark.parametrize(("status", "calls"), [(429, 3), (500, 3), (502, 3), (503, 3)])
def test_fred_transient_status_is_retried_then_succeeds(fred, feeds, policy, sleeps, status,
                                                        calls):
    feeds.fred_faults["DGS2"] = lambda n, body: (status, {}, "busy") if n < calls else (
        200, {"Content-Type": "text/csv"}, body)
    frame = fetch_fred("DGS2", dt.date(2026, 8, 3), policy)
    assert frame.index[-1] == pd.Timestamp("2026-08-20")
    assert feeds.fred_calls.count("DGS2") == calls and len(sleeps) == calls - 1


@pytest.mark.parametrize("status", [400, 403, 404, 410])
def test_fred_client_errors_are_not_retried(fred, feeds, policy, sleeps, status):
    feeds.fred_faults["DGS2"] = lambda n, body: (status, {}, "Bad Request.")
    with pytest.raises(FeedError, match=f"DGS2: feed error: HTTP {status} .*not retried"):
        fetch_fred("DGS2", dt.date(2026, 8, 3), policy)
    assert feeds.fred_calls.count("DGS2") == 1 and sleeps == []


@pytest.mark.parametrize("error", [
    requests.exceptions.ReadTimeout("Read timed out. (read timeout=30)"),
    requests.exceptions.ConnectTimeout("Connection to fred.stlouisfed.org timed out."),
    requests.exceptions.ConnectionError(ConnectionResetError(104, "Connection reset by peer")),
    requests.exceptions.ChunkedEncodingError("Connection broken: IncompleteRead(512 bytes read)"),
])
def test_fred_network_failures_are_retried_then_unreachable(fred, feeds, policy, sleeps, error):
    def fail(n, body):
        raise error

    feeds.fred_faults["DGS10"] = fail
    with pytest.raises(FeedError, match="DGS10: feed error: unreachable after 5 attempt"):
        fetch_fred("DGS10", dt.date(2026, 8, 3), policy)
    assert feeds.fred_calls.count("DGS10") == 5 and len(sleeps) == 4


@pytest.mark.parametrize(("body", "content_type", "rule"), [
    ("", "text/csv", "empty response"),
    ("\n", "text/csv", "empty response"),
    ("<!DOCTYPE html>\n<html><head><title>Error - St. Louis Fed</title></head>"
     "<body>Service temporarily unavailable</body></html>\n", "text/html", "HTML instead of CSV"),
    ("observation_date,DGS10\n2026-08-17,4.64\n2026-08-18,4.7", "text/csv", "truncated response"),
])
def test_check_csv_body_refuses_what_is_not_a_whole_csv(body, content_type, rule):
    with pytest.raises(ResponseError, match=f"DGS10: {rule}"):
        check_csv_body(body, "DGS10", content_type)


def test_fred_dot_marker_is_missing_not_a_value():
    text = "observation_date,DGS10\n2026-08-14,4.68\n2026-08-17,.\n2026-08-18,4.71\n"
    frame = parse_fred_csv(text, "DGS10")
    assert list(frame.index.strftime("%Y-%m-%d")) == ["2026-08-14", "2026-08-18"]
    assert frame["value"].tolist() == [4.68, 4.71]


@pytest.mark.parametrize(("text", "rule", "date"), [
    ("observation_date,DGS10_PCT\n2026-08-14,4.68\n", "columns changed", None),
    ("observation_date,DGS10\n2026-08-14,n/a\n", "unparseable value", "2026-08-14"),
    ("observation_date,DGS10\n14/08/2026,4.68\n", "unparseable date", None),
])
def test_fred_parse_errors_name_series_rule_and_date(text, rule, date):
    with pytest.raises(ResponseError) as caught:
        parse_fred_csv(text, "DGS10")
    assert caught.value.series == "DGS10" and caught.value.rule == rule
    assert caught.value.dates == ([date] if date else [])


# --- Recorded feeds (the replay switch) ----------------------------------------------------------

def test_recorded_yahoo_has_yfinance_shape_and_close_only_files_stay_close_only(
        snapshot_excerpt):
    from generator.sources.replay import RecordedYahoo

    download = RecordedYahoo(snapshot_excerpt)
    frame = download("IWB", start="2026-07-27", end="2026-08-03")
    assert frame.columns.names == ["Price", "Ticker"] and frame.index.name == "Date"
    assert list(frame.columns) == [("Close", "IWB")]
    assert list(frame.index.strftime("%Y-%m-%d")) == ["2026-07-27", "2026-07-28", "2026-07-29",
                                                      "2026-07-30", "2026-07-31"]  # end excluded
    bars = normalise_download(download("^RUT", start="2026-07-24", end="2026-07-25"), "^RUT")
    assert bars.at[pd.Timestamp("2026-07-24"), "close"] == pytest.approx(2930.00, abs=0.005)
    with pytest.raises(FeedError, match="VTWO: feed error: no recorded response"):
        download("VTWO", period="max", end="2026-08-24")


def test_recorded_fred_session_answers_the_csv_download(snapshot_excerpt, policy):
    from generator.sources.replay import fred_session

    session = fred_session(snapshot_excerpt)
    frame = fetch_fred("DGS10", dt.date(2026, 7, 9), policy, session=session)
    assert frame["value"].iloc[0] == 4.54 and frame.index[0] == pd.Timestamp("2026-07-09")
    with pytest.raises(FeedError, match=r"HTTP 404 .*not retried"):
        fetch_fred("NOSUCH", None, policy, session=session)


# --- One classify, bounded attempts, bounded bodies ------------------------------------------

def _response(status: int) -> requests.Response:
    response = requests.Response()
    response.status_code = status
    return response


@pytest.mark.parametrize(("outcome", "verdict"), [
    (_response(200), "ok"), (_response(304), "ok"),
    (_response(429), "transient"), (_response(408), "transient"), (_response(500), "transient"),
    (_response(503), "transient"), (_response(599), "transient"),
    (_response(400), "permanent"), (_response(403), "permanent"), (_response(404), "permanent"),
    (requests.Timeout("read timed out"), "transient"),
    (requests.ConnectionError("reset"), "transient"),
    (requests.exceptions.ChunkedEncodingError("cut"), "transient"),
    (TimeoutError(), "transient"), (ConnectionResetError(), "transient"),
    (requests.exceptions.InvalidURL("x"), "permanent"),
    (YFRateLimitError(), "transient"), (ValueError("bad frame"), "permanent"),
    (ResponseError("X", "empty response", "no rows"), "permanent"),
    (FeedError("X", "HTTP 404"), "permanent"),
    ("['X']: YFRateLimitError('Too Many Requests. Rate limited.')", "transient"),
    ("['X']: possibly delisted; no price data found", "permanent"),
])
def test_one_classify_for_every_outcome(outcome, verdict):
    assert classify(outcome) == verdict


def test_an_attempt_that_never_returns_is_abandoned_after_its_time():
    release = threading.Event()
    try:
        with pytest.raises(TransientFeedError, match=r"no answer within 0 s"):
            run_bounded("X", lambda: release.wait(30), 0.2, Deadline())
        with pytest.raises(DeadlineError, match="no answer before the update's deadline"):
            run_bounded("X", lambda: release.wait(30), 10.0, Deadline.after(0.2))
        with pytest.raises(DeadlineError, match="had passed"):
            run_bounded("X", lambda: 1, 10.0, Deadline.after(-1.0))
    finally:
        release.set()
    assert run_bounded("X", lambda: 41 + 1, 5.0, Deadline.after(5.0)) == 42


def test_a_hanging_attempt_is_retried_then_reported_unreachable(sleeps):
    release = threading.Event()
    policy = RetryPolicy(attempts=3, attempt_seconds=0.1, sleep=sleeps)
    try:
        with pytest.raises(FeedError, match=r"unreachable after 3 attempt\(s\).*no answer within"):
            policy.call("X", lambda: release.wait(30))
    finally:
        release.set()
    assert len(sleeps) == 2


@responses.activate
def test_a_body_larger_than_allowed_is_refused_without_reading_it_whole():
    url = "https://fred.stlouisfed.org/graph/fredgraph.csv?id=DGS10"
    responses.get(url, body=b"x" * 5_000)
    with pytest.raises(ResponseError, match=r"DGS10: response too large: more than 1,000 bytes"):
        RetryPolicy(sleep=lambda _: None).get_text("DGS10", url, max_bytes=1_000)
    assert len(responses.calls) == 1  # a refusal, not a retry


def test_a_gzip_bomb_in_the_members_file_is_a_clear_error(monkeypatch):
    monkeypatch.setattr(members, "MAX_MEMBERS_BYTES", 1_000_000)
    bomb = gzip.compress(b"Date,A\n" + b"0" * 20_000_000)  # 20 MB from ~20 kB
    assert len(bomb) < 100_000
    with pytest.raises(DataError, match=r"members: upload inflates to more than 1,000,000 bytes"):
        members.parse_members_csv(bomb, where="upload")
    small = gzip.compress(b"Date,A\n2026-08-20,10.5\n")
    with pytest.raises(DataError, match="not a readable gzip file: it ends early"):
        members.parse_members_csv(small[:-12], where="upload")
    assert members.parse_members_csv(small, where="upload").iloc[0, 0] == 10.5


def test_the_members_batch_stops_at_the_deadline_and_says_so():
    calls: list[list[str]] = []
    policy = RetryPolicy(sleep=lambda _: None, deadline=Deadline.after(-1.0))
    got = members.download_members(["BE", "CRDO", "FN"], "2026-07-01", policy=policy,
                                   chunk_size=2, progress=False,
                                   downloader=lambda chunk, **_: calls.append(chunk))
    assert calls == []
    assert set(got.failed) == {"BE", "CRDO", "FN"}
    assert "deadline had passed" in got.failed["FN"]
