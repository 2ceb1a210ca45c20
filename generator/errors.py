"""The error hierarchy. Every message names the file, series and date it is about."""

from __future__ import annotations

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


class PrimerError(Exception):
    """Base class: the CLI prints one line and exits non-zero."""

    exit_code = EXIT_ERROR


class DataError(PrimerError):
    """Stored or snapshot data is missing, unreadable or fails validation."""


class ValidationError(DataError):
    """A series breaks a validation rule.

    Attributes name the series, the rule and the offending dates so reports can list them.
    """

    def __init__(self, series: str, rule: str, detail: str, dates: list[str] | None = None,
                 path: str | None = None) -> None:
        self.series = series
        self.rule = rule
        self.detail = detail
        self.dates = dates or []
        self.path = path
        where = f" in {path}" if path else ""
        shown = ", ".join(self.dates[:5]) + (" …" if len(self.dates) > 5 else "")
        on = f" on {shown}" if shown else ""
        super().__init__(f"{series}{where}: {rule}{on}: {detail}")


class ResponseError(ValidationError):
    """A live response cannot be read as the series' data: empty, an HTML page instead of CSV,
    truncated, unparseable, or with changed columns. Reported like any broken rule."""


class FeedError(PrimerError):
    """A live feed could not be reached (or refused the request, e.g. HTTP 404)."""

    def __init__(self, series: str, detail: str) -> None:
        self.series = series
        self.detail = detail
        super().__init__(f"{series}: feed error: {detail}")


class TransientFeedError(FeedError):
    """A failure worth retrying: timeout, dropped connection, HTTP 5xx or 429, Yahoo's rate
    limit. Raised inside one attempt; the retry policy turns the last one into a `FeedError`."""


class BuildError(PrimerError):
    """A later stage (figures, pages, mkdocs) failed."""
