"""Each page's data as-of, stated once near the top: one line naming the newest date of each
kind of data the page's figures rest on (index levels and rates, fund prices, monthly economic
series, members' prices, IWM's holdings, the size portfolios) and the day its series end, and a
flag when the holdings predate the last reconstitution.

Pages only place this line; the dates come from the figures the earlier stages built.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from markupsafe import Markup, escape

from generator import units
from generator.catalog import BY_ID, FRENCH_TABLES, HOLDINGS_TABLE, MEMBERS_TABLE
from generator.figures.spec import FigureResult

# Kinds of data, in the order the line names them, with their reader-facing labels.
KINDS = {
    "market": "index levels and rates",
    "fund": "fund prices",
    "monthly": "monthly economic data",
    "members": "members' prices",
    "holdings": "IWM's holdings",
    "french": "US stocks by size (Kenneth French's data library)",
}
_FRENCH = {t.id for t in FRENCH_TABLES}
MONTHLY_KINDS = ("monthly", "french")


def kind_of(source: str) -> str | None:
    """The kind of data a figure source is (None for reference files and unknown ids)."""
    if source == HOLDINGS_TABLE.id:
        return "holdings"
    if source == MEMBERS_TABLE.id:
        return "members"
    if source in _FRENCH:
        return "french"
    series = BY_ID.get(source)
    if series is None:
        return None
    if series.frequency == "monthly":
        return "monthly"
    if series.source == "yahoo" and not series.id.startswith("^"):
        return "fund"
    return "market"


def fourth_friday_of_june(year: int) -> dt.date:
    """The Russell June reconstitution day: the fourth Friday of June (changes take effect
    after that day's close)."""
    first = dt.date(year, 6, 1)
    return first + dt.timedelta(days=(4 - first.weekday()) % 7 + 21)


def reconstitution_between(start: dt.date, end: dt.date) -> dt.date | None:
    """The latest June reconstitution after `start` and on or before `end` (None if none).
    December reconstitutions (from 2026) are not dated here yet."""
    days = [fourth_friday_of_june(y) for y in range(start.year, end.year + 1)]
    inside = [d for d in days if start < d <= end]
    return inside[-1] if inside else None


def page_as_of(page: str, figures: Iterable[FigureResult], dates: dict[str, Any]) -> Markup:
    """The as-of line for `page` (a page source path, e.g. ``inside.md``): for each kind of data
    its figures rest on, the date (or range of dates) its series end, from `dates` (series or
    table id -> the date it describes). Empty when the page has no figure. Holdings are flagged
    when a June reconstitution fell between their date and the newest index close."""
    ends: dict[str, list[dt.date]] = {}
    for result in figures:
        if result.spec.page != page:
            continue
        for source in result.spec.sources:
            kind = kind_of(source)
            if kind is not None and source in dates:
                ends.setdefault(kind, []).append(dates[source])
    if not ends:
        return Markup("")
    parts = [f"{KINDS[k]} {_span(ends[k], monthly=k in MONTHLY_KINDS)}" for k in KINDS
             if k in ends]
    text = "Data as of: " + "; ".join(parts) + "."
    newest_close = dates.get("^RUT")
    if "holdings" in ends and newest_close is not None:
        recon = reconstitution_between(max(ends["holdings"]), newest_close)
        if recon is not None:
            text += (f" The holdings predate the reconstitution of {units.date(recon)}, so some "
                     "members and weights have changed since.")
    return Markup('<p class="primer-asof">') + escape(text) + Markup("</p>\n")


def _span(days: list[dt.date], monthly: bool = False) -> str:
    """One date, or 'first to last' when a kind's series end on different days; monthly data
    by its month (a monthly observation dated 1 June describes June)."""
    first, last = min(days), max(days)
    if monthly:
        return (units.date(last, "month") if (first.year, first.month) == (last.year, last.month)
                else f"{units.date(first, 'month')} to {units.date(last, 'month')}")
    if first == last:
        return units.date(first)
    if (first.year, first.month) == (last.year, last.month):
        return f"{first.day} to {units.date(last)}"
    return f"{units.date(first)} to {units.date(last)}"


def insert_after_title(text: str, line: Markup) -> str:
    """`text` (rendered Markdown) with `line` placed after its first level-1 heading."""
    if not line:
        return text
    lines = text.split("\n")
    for i, row in enumerate(lines):
        if row.startswith("# "):
            return "\n".join([*lines[:i + 1], "", str(line).rstrip("\n"), *lines[i + 1:]])
    return text
