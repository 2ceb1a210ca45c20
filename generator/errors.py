"""The error hierarchy. Every message names the file, series and date it is about."""

from __future__ import annotations


class PrimerError(Exception):
    """Base class: the CLI prints one line and exits non-zero."""

    exit_code = 2


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


class FeedError(PrimerError):
    """A live feed could not be reached or returned something unusable."""

    def __init__(self, series: str, detail: str) -> None:
        self.series = series
        self.detail = detail
        super().__init__(f"{series}: feed error: {detail}")


class BuildError(PrimerError):
    """A later stage (figures, pages, mkdocs) failed."""
