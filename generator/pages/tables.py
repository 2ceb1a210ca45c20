"""Markdown tables for page sources: every cell formatted by `generator.units` and escaped."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

import pandas as pd
from markupsafe import Markup

from generator import units
from generator.pages import escape


def link(url: str) -> Markup:
    """An http(s) URL as a link named by its host (``www.`` dropped); any other scheme
    (``javascript:``, ``data:``) or a malformed URL is shown as text, never linked."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return escape.text(url)
    host = parts.hostname.removeprefix("www.")
    return Markup(f'<a href="{escape.text(url.strip())}">{escape.text(host)}</a>')


def table(frame: pd.DataFrame, columns: Mapping[str, tuple[str, str]],
          index: tuple[str, str] | None = None) -> Markup:
    """A Markdown table from `frame`; every header and cell is escaped as text (HTML and
    Markdown, `|` included), the table itself is markup.

    `columns` maps a column to (header, kind); `index` optionally shows the index first as
    (header, kind). A kind is a filter of `generator.units` (``"name:N"`` passes N as its
    digits, e.g. ``"pct_plain:2"``), ``"text"`` (the value as it reads: a quantity in its
    unit; left-aligned) or ``"link"`` (an http(s) URL linked under its host name).
    """
    def cell(value: Any, kind: str) -> str:
        if kind == "link":
            return units.MISSING if units.is_missing(value) else link(str(value))
        return escape.text(units.apply(kind, value))

    headers = [escape.text(h) for h in
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
