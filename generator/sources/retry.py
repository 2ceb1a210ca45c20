"""The retry policy for live feeds: exponential backoff with jitter, bounded in attempts and time.

Only `TransientFeedError` is retried (timeouts, dropped connections, HTTP 5xx and 429, Yahoo's
rate limit); anything else — a 404, a malformed body — fails at once. When the attempts or the
time budget run out, the last transient error becomes a `FeedError` that says how many attempts
were made, and the series is reported as unreachable.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from tenacity import (
    RetryCallState,
    RetryError,
    Retrying,
    retry_if_exception_type,
    stop_after_attempt,
    wait_exponential_jitter,
)
from tenacity.stop import stop_base

from generator.errors import FeedError, TransientFeedError

T = TypeVar("T")


class _stop_when_budget_spent(stop_base):
    """Stop before a sleep would take the call past `seconds` since its first attempt.

    Time is the larger of the wall clock and the sleeps taken so far, so a policy with an
    injected (instant) sleep, as in tests, is bounded exactly like the real one.
    """

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds

    def __call__(self, retry_state: RetryCallState) -> bool:
        elapsed = max(retry_state.seconds_since_start or 0.0, retry_state.idle_for)
        return elapsed + retry_state.upcoming_sleep >= self.seconds


@dataclass(frozen=True)
class RetryPolicy:
    """How hard to try one request.

    Waits grow as ``first_wait * 2**n`` plus up to `jitter` seconds of random jitter, capped at
    `max_wait`; at most `attempts` attempts and `max_seconds` in total (sleeps included).
    `sleep` is injectable so tests run without waiting.
    """

    attempts: int = 5
    max_seconds: float = 120.0
    first_wait: float = 2.0
    max_wait: float = 30.0
    jitter: float = 1.0
    timeout: float = 30.0  # seconds per HTTP request (connect and read)
    sleep: Callable[[float], None] = time.sleep

    def call(self, series_id: str, attempt: Callable[[], T]) -> T:
        """Run `attempt` until it succeeds, raises a non-transient error, or the policy gives up."""
        retrying = Retrying(
            sleep=self.sleep,
            stop=stop_after_attempt(self.attempts) | _stop_when_budget_spent(self.max_seconds),
            wait=wait_exponential_jitter(multiplier=self.first_wait, max=self.max_wait,
                                         jitter=self.jitter),
            retry=retry_if_exception_type(TransientFeedError),
            reraise=False,
        )
        try:
            return retrying(attempt)
        except RetryError as exc:
            last = exc.last_attempt
            error = last.exception()
            detail = error.detail if isinstance(error, FeedError) else str(error)
            slept = retrying.statistics.get("idle_for", 0.0)
            raise FeedError(series_id, f"unreachable after {last.attempt_number} attempt(s) "
                                       f"over {slept:.0f} s of backoff: {detail}") from error
