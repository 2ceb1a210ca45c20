"""The error hierarchy. Every message names the file, series and date it is about."""

from __future__ import annotations

import sys
import traceback
from collections.abc import Callable

# Exit codes of `python -m generator …`, read by the nightly workflow (see README "Publishing").
EXIT_OK = 0
# `update` only: it ran to the end and saved every series it could, but at least one series was
# rejected by validation or could not be fetched (its last good version stays in the store).
# The nightly build goes on and the site shows that series' last good date.
EXIT_SERIES_REJECTED = 1
# A PrimerError stopped the command (its `exit_code`): nothing half-done was published.
EXIT_ERROR = 2
# An exception we did not expect (a bug): the CLI prints the traceback. Never 1, which is
# Python's own code for an uncaught exception and would read as "a series was rejected".
# (A crash before the CLI even starts still exits 1: that is why the nightly job applies this
# convention in-process, in `python -m generator nightly-update`, not on a child's exit code.)
EXIT_UNEXPECTED = 3
EXIT_INTERRUPTED = 130  # Ctrl+C, as a shell reports SIGINT

# The longest message an error carries. Text from outside (a feed's value, an HTML page, a
# library's message) is cut to this, so a 300 MB value cannot make a 300 MB error line.
MAX_MESSAGE = 600


def clip(text: object, limit: int = MAX_MESSAGE) -> str:
    """`text` as a string of at most `limit` characters (the cut marked with its size)."""
    value = str(text)
    if len(value) <= limit:
        return value
    return value[:limit] + f"… [{len(value) - limit:,} more characters cut]"


class PrimerError(Exception):
    """Base class: the CLI prints one line and exits non-zero. The message is clipped."""

    exit_code = EXIT_ERROR

    def __init__(self, *args: object) -> None:
        super().__init__(*(clip(a) if isinstance(a, str) else a for a in args))


class DataError(PrimerError):
    """Stored or snapshot data is missing, unreadable or fails validation."""


class ValidationError(DataError):
    """A series breaks a validation rule.

    Attributes name the series, the rule and the offending dates so reports can list them.
    """

    def __init__(self, series: str, rule: str, detail: str, dates: list[str] | None = None,
                 path: str | None = None) -> None:
        self.series = clip(series, 80)
        self.rule = rule
        self.detail = clip(detail)
        self.dates = dates or []
        self.path = path
        where = f" in {clip(path, 200)}" if path else ""
        shown = ", ".join(self.dates[:5]) + (" …" if len(self.dates) > 5 else "")
        on = f" on {shown}" if shown else ""
        super().__init__(f"{self.series}{where}: {rule}{on}: {self.detail}")


class ResponseError(ValidationError):
    """A live response cannot be read as the series' data: empty, an HTML page instead of CSV,
    truncated, unparseable, or with changed columns. Reported like any broken rule."""


class FeedError(PrimerError):
    """A live feed could not be reached (or refused the request, e.g. HTTP 404)."""

    def __init__(self, series: str, detail: str) -> None:
        self.series = clip(series, 80)
        self.detail = clip(detail)
        super().__init__(f"{self.series}: feed error: {self.detail}")


class TransientFeedError(FeedError):
    """A failure worth retrying: timeout, dropped connection, HTTP 5xx or 429, Yahoo's rate
    limit. Raised inside one attempt; the retry policy turns the last one into a `FeedError`."""


class BuildError(PrimerError):
    """A later stage (figures, pages, mkdocs) failed."""


def exit_code_for(error: BaseException) -> int:
    """The exit status of a command that raised `error`: a `PrimerError`'s own code (2), 130
    for an interrupt, and `EXIT_UNEXPECTED` (3) for anything else (a bug), never 1."""
    if isinstance(error, PrimerError):
        return error.exit_code
    if isinstance(error, KeyboardInterrupt):
        return EXIT_INTERRUPTED
    return EXIT_UNEXPECTED


def update_exit_code(every_series_ok: bool) -> int:
    """An update that ran to the end: 0 when every series was updated or unchanged, else 1."""
    return EXIT_OK if every_series_ok else EXIT_SERIES_REJECTED


def nightly_proceeds(status: int) -> bool:
    """Whether the nightly builds and deploys after an update that exited with `status`: on 0
    and 1 (rejected series keep their last good version); never after an error or a bug."""
    return status in (EXIT_OK, EXIT_SERIES_REJECTED)


def run_command(name: str, command: Callable[[], int]) -> int:
    """Run `command` and return its exit status, turning what it raises into one: a
    `PrimerError` prints its one line, a bug its traceback; never 1 ("series rejected").
    The CLI runs every command through this, and the nightly runs the update through it."""
    try:
        return command()
    except (Exception, KeyboardInterrupt) as exc:
        code = exit_code_for(exc)
        if isinstance(exc, PrimerError):
            print(f"error: {exc}", file=sys.stderr)
        elif isinstance(exc, KeyboardInterrupt):
            print("interrupted", file=sys.stderr)
        else:
            traceback.print_exc()
            print(f"error: unexpected failure in `{name}` (exit {code})", file=sys.stderr)
        return code
