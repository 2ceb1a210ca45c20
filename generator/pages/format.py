"""Formatting filters for page sources: numbers in, reader-facing text out."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import urlsplit

import pandas as pd
from markupsafe import Markup

from generator.pages.escape import text as escaped

MISSING = "—"


def _missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NaT


def pct(value: float | None, digits: int = 1, signed: bool = True) -> str:
    """A fraction as a percentage: 0.0523 -> '+5.2%'."""
    if _missing(value):
        return MISSING
    text = f"{value * 100:{'+' if signed else ''},.{digits}f}%"
    return text.replace("-", "−")


def pct_plain(value: float | None, digits: int = 1) -> str:
    """A fraction as an unsigned percentage: 0.0523 -> '5.2%'."""
    return pct(value, digits, signed=False)


def pct_points(value: float | None, digits: int = 1) -> str:
    """A value already in percent: 5.23 -> '+5.2%'."""
    return MISSING if _missing(value) else pct(value / 100, digits)


def num(value: float | None, digits: int = 2) -> str:
    """A number with thousands separators: 2134.5 -> '2,134.50'."""
    return MISSING if _missing(value) else f"{value:,.{digits}f}".replace("-", "−")


def money(value: float | None, digits: int = 0) -> str:
    """Dollars: 12345.6 -> '$12,346'."""
    return MISSING if _missing(value) else f"${value:,.{digits}f}"


def date(value: dt.date | pd.Timestamp | None, style: str = "long") -> str:
    """A date: 'long' -> '21 August 2026', 'iso' -> '2026-08-21', 'month' -> 'August 2026'."""
    if _missing(value):
        return MISSING
    day = value.date() if isinstance(value, pd.Timestamp) else value
    if style == "iso":
        return day.isoformat()
    if style == "month":
        return f"{day:%B %Y}"
    return f"{day.day} {day:%B %Y}"


def rate(value: float | None, digits: int = 2) -> str:
    """A level already in percent (a yield, a spread): 4.254 -> '4.25%'."""
    return MISSING if _missing(value) else f"{value:.{digits}f}%".replace("-", "−")


def pct_gap(value: float | None, digits: int = 1) -> str:
    """A difference of two fractional returns, in percentage points: 0.0123 -> '+1.2 pp'."""
    if _missing(value):
        return MISSING
    shown = round(value * 100, digits)
    return pp(shown if shown != 0 else 0.0, digits)  # no "−0.0 pp" for a tiny negative gap


def ordinal(value: float | None) -> str:
    """A share as a percentile rank: 0.634 -> '63rd' (rounded to a whole percentile)."""
    if _missing(value):
        return MISSING
    rank = round(value * 100)
    suffix = "th" if 10 <= rank % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(rank % 10, "th")
    return f"{rank}{suffix}"


def integer(value: float | None) -> str:
    """A count: 1234.0 -> '1,234'."""
    return MISSING if _missing(value) else f"{int(value):,}"


def pct_trim(value: float | None) -> str:
    """A small fraction as a percentage with the digits it needs (2 to 4 decimals, as a fee
    schedule prints it): 0.0019 -> '0.19%', 0.000945 -> '0.0945%', 0.006 -> '0.60%'."""
    if _missing(value):
        return MISSING
    text = f"{value * 100:.4f}".rstrip("0")
    whole, _, decimals = text.partition(".")
    return f"{whole}.{decimals.ljust(2, '0')}%".replace("-", "−")


def pp(value: float | None, digits: int = 2) -> str:
    """A change already in percentage points, signed: -0.4 -> '−0.40 pp'."""
    return MISSING if _missing(value) else f"{value:+,.{digits}f} pp".replace("-", "−")


def usd_short(value: float | None) -> str:
    """Large dollar amounts in words: 9.1e9 -> '$9.1 billion', 3.2e8 -> '$320 million'."""
    if _missing(value):
        return MISSING
    for size, word in ((1e12, "trillion"), (1e9, "billion"), (1e6, "million")):
        if abs(value) >= size:
            scaled = value / size
            return f"${scaled:,.{0 if abs(scaled) >= 100 else 1}f} {word}"
    return money(value)


FILTERS: dict[str, Callable[..., str]] = {
    "pct": pct, "pct_plain": pct_plain, "pct_points": pct_points, "num": num, "money": money,
    "date": date, "int": integer, "pct_trim": pct_trim, "pp": pp, "usd_short": usd_short,
    "year": lambda value: MISSING if _missing(value) else str(int(value)),
    "rate": rate, "pct_gap": pct_gap, "ordinal": ordinal,
    "date_iso": lambda value: date(value, "iso"),
    "month": lambda value: date(value, "month"),
    "recovery": lambda value: "not yet recovered" if _missing(value) else date(value, "iso"),
    "days": lambda value: "—" if _missing(value) else f"{int(value):,}",
}


def link(url: str) -> Markup:
    """An http(s) URL as a link named by its host (``www.`` dropped); any other scheme
    (``javascript:``, ``data:``) or a malformed URL is shown as text, never linked."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return escaped(url)
    host = parts.hostname.removeprefix("www.")
    return Markup(f'<a href="{escaped(url.strip())}">{escaped(host)}</a>')


def table(frame: pd.DataFrame, columns: Mapping[str, tuple[str, str]],
          index: tuple[str, str] | None = None) -> Markup:
    """A Markdown table from `frame`; every header and cell is escaped as text (HTML and
    Markdown, `|` included), the table itself is markup.

    `columns` maps a column to (header, filter name); `index` optionally shows the index first
    as (header, filter name). Filter ``"text"`` prints the value as it is (left-aligned);
    ``"link"`` links an http(s) URL under its host name (any other URL is shown as text);
    ``"name:N"`` passes N as the filter's digits, e.g. ``"pct_plain:2"``.
    """
    def cell(value: Any, kind: str) -> str:
        if kind == "text":
            return escaped(MISSING if _missing(value) else value)
        if kind == "link":
            return MISSING if _missing(value) else link(str(value))
        # "pct_plain:2" passes one integer argument (digits) to the filter.
        name, _, arg = kind.partition(":")
        return escaped(FILTERS[name](value, int(arg)) if arg else FILTERS[name](value))

    headers = [escaped(h) for h in
               ([index[0]] if index else []) + [h for h, _ in columns.values()]]
    # Text columns read left-aligned; numbers right-aligned so their digits line up.
    aligns = [":--" if kind in ("text", "link") else "--:" for _, kind in columns.values()]
    lines = ["| " + " | ".join(headers) + " |",
             "|" + "|".join([":--"] * (1 if index else 0) + aligns) + "|"]
    for key, row in frame.iterrows():
        cells = ([cell(key, index[1])] if index else []) + [
            cell(row[col], kind) for col, (_, kind) in columns.items()]
        lines.append("| " + " | ".join(cells) + " |")
    return Markup("\n".join(lines) + "\n")
