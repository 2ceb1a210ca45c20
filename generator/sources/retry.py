"""The one retry policy for every live feed (Yahoo Finance, FRED, iShares, the members' closes).

- `classify` decides, in one place, what a failure is worth: timeouts, dropped connections,
  HTTP 429 and 5xx and Yahoo's rate limit are transient (retried); any other 4xx, a malformed
  body or an unknown error is permanent (fails at once).
- `RetryPolicy.call` retries transient failures with exponential backoff and jitter (tenacity),
  bounded in attempts, in seconds per series, and by a `Deadline` shared by the whole run (or one
  source). Each attempt runs in a worker thread given at most `attempt_seconds` and what is left
  of the deadline, so a feed that accepts a connection and never answers cannot hold the run:
  the abandoned attempt is left behind (a daemon thread) and the series is reported unreachable.
- `RetryPolicy.get_bytes` (and `get_text`) is the one HTTP GET of the file feeds (FRED, iShares,
  the French library): connect/read timeouts, a bounded body, statuses classified as above.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal, TypeVar

import requests
from tenacity import (
    RetryCallState,
    RetryError,
    Retrying,
    retry_if_exception_type,
    stop_after_attempt,
    wait_exponential_jitter,
)
from tenacity.stop import stop_base

from generator.errors import FeedError, PrimerError, ResponseError, TransientFeedError

T = TypeVar("T")
Verdict = Literal["ok", "transient", "permanent"]

# HTTP statuses worth retrying: request timeout, rate limited, and server-side trouble.
TRANSIENT_STATUSES = frozenset({408, 429, 500, 502, 503, 504})
# Words that mark an error (raised, or only logged by yfinance) as transient. yfinance's network
# stack (curl_cffi) raises its own classes, so the name and message are read, not the type.
TRANSIENT_WORDS = ("YFRateLimitError", "Too Many Requests", "Rate limited", "Timeout",
                   "timed out", "ConnectionError", "Connection reset", "Connection refused",
                   "Failed to perform", "Internal Server Error", "Service Unavailable",
                   "Bad Gateway", "Gateway Timeout", "ChunkedEncodingError", "RemoteDisconnected")
# A body larger than this is not a CSV feed's answer (FRED's longest daily history is ~0.5 MB,
# iShares' holdings ~0.3 MB): refused before it is read whole.
MAX_RESPONSE_BYTES = 32 * 2**20
# What curl says when a body passes the session's size limit (`yahoo.bounded_session`).
TOO_LARGE = "Exceeded the maximum allowed file size"


def classify(outcome: requests.Response | BaseException | str) -> Verdict:
    """What one attempt's outcome is worth: an HTTP response by its status, an exception by its
    type (and, for foreign network stacks, its name and message), a logged error by its words."""
    if isinstance(outcome, requests.Response):
        if outcome.status_code in TRANSIENT_STATUSES or outcome.status_code >= 500:
            return "transient"
        return "permanent" if outcome.status_code >= 400 else "ok"
    if isinstance(outcome, TransientFeedError):
        return "transient"
    if isinstance(outcome, FeedError | ResponseError):
        return "permanent"
    if isinstance(outcome, requests.Timeout | requests.ConnectionError
                  | requests.exceptions.ChunkedEncodingError | TimeoutError | ConnectionError):
        return "transient"
    if isinstance(outcome, requests.RequestException):
        return "permanent"
    text = outcome if isinstance(outcome, str) else f"{type(outcome).__name__}: {outcome}"
    if TOO_LARGE in text:  # curl's "Failed to perform" would read as transient: it is not
        return "permanent"
    return "transient" if any(word in text for word in TRANSIENT_WORDS) else "permanent"


def as_feed_error(series_id: str, error: BaseException) -> FeedError:
    """An exception from a fetch as the `FeedError` its verdict calls for."""
    if isinstance(error, FeedError):
        return error
    detail = f"{type(error).__name__}: {error}"
    if classify(error) == "transient":
        return TransientFeedError(series_id, detail)
    return FeedError(series_id, detail)


@dataclass(frozen=True)
class Deadline:
    """A point in time (monotonic clock) after which no new attempt starts. `None`: no limit."""

    at: float | None = None
    label: str = "the update's deadline"
    clock: Callable[[], float] = field(default=time.monotonic, repr=False, compare=False)

    @classmethod
    def after(cls, seconds: float | None, label: str = "the update's deadline",
              clock: Callable[[], float] = time.monotonic) -> Deadline:
        return cls(None if seconds is None else clock() + seconds, label, clock)

    def remaining(self) -> float:
        return math.inf if self.at is None else max(0.0, self.at - self.clock())

    def earlier(self, other: Deadline) -> Deadline:
        """Whichever of the two comes first."""
        if other.at is None:
            return self
        return other if self.at is None or other.at < self.at else self


class DeadlineError(FeedError):
    """The deadline passed before the series was fetched: reported unreachable, not retried."""


class _stop_when_budget_spent(stop_base):
    """Stop before a sleep would take the call past `seconds` since its first attempt, or past
    the deadline. Time is the larger of the wall clock and the sleeps taken so far, so a policy
    with an injected (instant) sleep, as in tests, is bounded exactly like the real one."""

    def __init__(self, seconds: float, deadline: Deadline) -> None:
        self.seconds = seconds
        self.deadline = deadline

    def __call__(self, retry_state: RetryCallState) -> bool:
        elapsed = max(retry_state.seconds_since_start or 0.0, retry_state.idle_for)
        upcoming = retry_state.upcoming_sleep
        return elapsed + upcoming >= self.seconds or upcoming >= self.deadline.remaining()


def run_bounded(series_id: str, attempt: Callable[[], T], seconds: float,
                deadline: Deadline) -> T:
    """`attempt()` in a daemon thread, waited for at most `seconds` (and the deadline).

    A thread cannot be killed: one that overruns is abandoned (it ends with its socket's own
    timeout, or with the process) and its result ignored.
    """
    limit = min(seconds, deadline.remaining())
    if limit <= 0:
        raise DeadlineError(series_id, f"not fetched: {deadline.label} had passed")
    box: dict[str, object] = {}

    def target() -> None:
        try:
            box["value"] = attempt()
        except BaseException as exc:  # handed to the caller's thread below
            box["error"] = exc

    worker = threading.Thread(target=target, name=f"fetch {series_id}", daemon=True)
    worker.start()
    worker.join(limit)
    if worker.is_alive():
        if limit < seconds:
            raise DeadlineError(series_id, f"no answer before {deadline.label} "
                                           f"({limit:.0f} s left when the attempt began)")
        raise TransientFeedError(series_id, f"no answer within {seconds:.0f} s")
    if "error" in box:
        raise box["error"]  # type: ignore[misc]
    return box["value"]  # type: ignore[return-value]


@dataclass(frozen=True)
class RetryPolicy:
    """How hard to try one request.

    Waits grow as ``first_wait * 2**n`` plus up to `jitter` seconds of random jitter, capped at
    `max_wait`; at most `attempts` attempts and `max_seconds` in total (sleeps included), each
    attempt at most `attempt_seconds`, none begun after `deadline`. `timeout` bounds each HTTP
    request's connect (at most 10 s) and each read. `sleep` is injectable so tests do not wait.
    """

    attempts: int = 5
    max_seconds: float = 120.0
    first_wait: float = 2.0
    max_wait: float = 30.0
    jitter: float = 1.0
    timeout: float = 30.0
    attempt_seconds: float = 90.0
    deadline: Deadline = field(default_factory=Deadline)
    sleep: Callable[[float], None] = time.sleep

    @property
    def timeouts(self) -> tuple[float, float]:
        """(connect, read) seconds for one HTTP request."""
        return (min(10.0, self.timeout), self.timeout)

    def call(self, series_id: str, attempt: Callable[[], T]) -> T:
        """Run `attempt` until it succeeds, raises a non-transient error, or the policy gives up.

        An exception the attempt raises is classified (`classify`); the last transient one
        becomes a `FeedError` saying how many attempts were made.
        """
        def bounded() -> T:
            try:
                return run_bounded(series_id, attempt, self.attempt_seconds, self.deadline)
            except PrimerError:
                raise  # already ours: a feed error, or a body that is not the series' data
            except Exception as exc:
                raise as_feed_error(series_id, exc) from None

        retrying = Retrying(
            sleep=self.sleep,
            stop=(stop_after_attempt(self.attempts)
                  | _stop_when_budget_spent(self.max_seconds, self.deadline)),
            wait=wait_exponential_jitter(multiplier=self.first_wait, max=self.max_wait,
                                         jitter=self.jitter),
            retry=retry_if_exception_type(TransientFeedError),
            reraise=False,
        )
        try:
            return retrying(bounded)
        except RetryError as exc:
            last = exc.last_attempt
            error = last.exception()
            detail = error.detail if isinstance(error, FeedError) else str(error)
            slept = retrying.statistics.get("idle_for", 0.0)
            raise FeedError(series_id, f"unreachable after {last.attempt_number} attempt(s) "
                                       f"over {slept:.0f} s of backoff: {detail}") from error

    def get_bytes(self, series_id: str, url: str, session: requests.Session | None = None,
                  headers: dict[str, str] | None = None,
                  max_bytes: int = MAX_RESPONSE_BYTES) -> tuple[bytes, str]:
        """GET `url` under this policy: the body and its Content-Type. Transient statuses and
        network errors are retried; another 4xx raises `FeedError` at once; a body over
        `max_bytes` raises `ResponseError` ("response too large") without being read whole."""
        http = session or requests.Session()

        def attempt() -> tuple[bytes, str]:
            with http.get(url, timeout=self.timeouts, headers=headers, stream=True) as response:
                verdict = classify(response)
                if verdict == "transient":
                    raise TransientFeedError(series_id, f"HTTP {response.status_code} from {url}")
                if verdict == "permanent":
                    raise FeedError(series_id,
                                    f"HTTP {response.status_code} from {url} (not retried)")
                body = read_bounded(response, series_id, max_bytes)
                return body, response.headers.get("Content-Type", "")

        return self.call(series_id, attempt)

    def get_text(self, series_id: str, url: str, session: requests.Session | None = None,
                 headers: dict[str, str] | None = None,
                 max_bytes: int = MAX_RESPONSE_BYTES) -> tuple[str, str]:
        """`get_bytes`, the body decoded as UTF-8 (a BOM dropped)."""
        body, content_type = self.get_bytes(series_id, url, session, headers, max_bytes)
        return body.decode("utf-8-sig", errors="replace"), content_type


def read_bounded(response: requests.Response, series_id: str, max_bytes: int) -> bytes:
    """The response body, refused with a clear error past `max_bytes` (never read whole)."""
    declared = response.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise ResponseError(series_id, "response too large",
                            f"{int(declared):,} bytes announced, at most {max_bytes:,} accepted")
    chunks: list[bytes] = []
    size = 0
    for chunk in response.iter_content(chunk_size=1 << 16):
        size += len(chunk)
        if size > max_bytes:
            raise ResponseError(series_id, "response too large",
                                f"more than {max_bytes:,} bytes; stopped reading")
        chunks.append(chunk)
    return b"".join(chunks)

