"""The market update's generated outputs: one archive page per update date, the archive index,
and the Atom feed of updates (written here, not by an mkdocs plugin).

Day pages live at ``market-update/archive/YYYY-MM-DD.md`` (URL ``…/archive/YYYY-MM-DD/``) and are
made from ``content/_templates/market-update-day.md``; the index from
``content/_templates/market-update-archive.md``. The archive folder belongs to the generator:
a day page that is no longer in the archive is removed, so the site never shows a page that the
current data did not produce.

The feed is written twice, byte for byte: ``market-update/feed.xml`` (its canonical address, the
one its ``rel="self"`` names and the pages link to) and ``feed.xml`` at the site root, which the
page head advertises. Material's instant navigation takes every ``<link rel="alternate">`` in the
head for another language version of the site and fetches ``sitemap.xml`` beside it: a head link
to ``market-update/feed.xml`` would make every page request ``market-update/sitemap.xml`` (a 404
in the console). Beside the root copy sits the real sitemap.
"""

from __future__ import annotations

import datetime as dt
import html
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

import jinja2

from generator import units as fmt
from generator.pages.generated import GeneratedPage, render_generated
from generator.pages.narrative import sentence_html, sentence_text
from generator.settings import SITE_NAME
from generator.store import atomic_write_bytes

ARCHIVE_DIR = "market-update/archive"
DAY_TEMPLATE = "_templates/market-update-day.md"
INDEX_TEMPLATE = "_templates/market-update-archive.md"
FEED_PATH = "market-update/feed.xml"
FEED_HEAD_PATH = "feed.xml"  # the copy the page head links to (see the module docstring)
ATOM = "http://www.w3.org/2005/Atom"


def day_page_path(day: dt.date) -> str:
    """Docs-relative source path of the archive page for `day`."""
    return f"{ARCHIVE_DIR}/{day.isoformat()}.md"


def day_page_url(day: dt.date) -> str:
    """Site-relative URL of the archive page for `day` (directory URLs)."""
    return f"{ARCHIVE_DIR}/{day.isoformat()}/"


def archive_pages(facts: dict[str, Any]) -> list[GeneratedPage]:
    """The archive index and one page per update, each with its neighbours for navigation."""
    updates = facts.get("market_update", {}).get("archive", [])
    if not updates:
        return []
    pages = [GeneratedPage(INDEX_TEMPLATE, f"{ARCHIVE_DIR}/index.md", {"root": "../../"})]
    for i, update in enumerate(updates):  # newest first
        newer = updates[i - 1]["as_of"] if i > 0 else None
        older = updates[i + 1]["as_of"] if i + 1 < len(updates) else None
        pages.append(GeneratedPage(DAY_TEMPLATE, day_page_path(update["as_of"]),
                                   {"mu": update, "newer": newer, "older": older,
                                    "root": "../../"}))
    return pages


def write_archive(env: jinja2.Environment, docs_dir: Path, facts: dict[str, Any],
                  suffix: str = "") -> list[str]:
    """Render the archive into `docs_dir` and remove day pages the archive no longer has."""
    pages = archive_pages(facts)
    written = render_generated(env, docs_dir, facts, pages, suffix)
    keep = {docs_dir / page.target for page in pages}
    folder = docs_dir / ARCHIVE_DIR
    if folder.is_dir():
        for path in folder.glob("*.md"):
            if path not in keep:
                path.unlink()
    return written


def _entry_html(update: dict[str, Any], url: str, chart: str = "") -> str:
    """An update as the feed shows it: the desk note (with the day's chart, as an image, when
    `chart` names one) and a link to its page."""
    note = " ".join(sentence_html(s) for s in update["sentences"])
    image = (f'<p><img src="{html.escape(chart)}" alt="The Russell 2000 over the past year" '
             f'width="760" height="440"></p>\n' if chart else "")
    return (f"<p>{note}</p>\n{image}<p>Price changes of the index levels (no dividends). "
            f'<a href="{html.escape(url)}">Read the update with its tables</a>. '
            "Educational, not investment advice.</p>")


def _timestamp(day: dt.date) -> str:
    """An update's time in the feed: its as-of date at 00:00 UTC (the data is daily)."""
    return f"{day.isoformat()}T00:00:00Z"


def atom_feed(facts: dict[str, Any], site_url: str, chart: str = "") -> bytes:
    """An Atom 1.0 feed with one entry per archived update, newest first, absolute URLs."""
    updates = facts["market_update"]["archive"]
    ET.register_namespace("", ATOM)

    def sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
        element = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attrs)
        if text is not None:
            element.text = text
        return element

    feed = ET.Element(f"{{{ATOM}}}feed")
    sub(feed, "title", f"{SITE_NAME}: market updates")
    sub(feed, "subtitle", "A nightly desk note on US small caps, written from the data.")
    sub(feed, "id", site_url + FEED_PATH)
    sub(feed, "link", rel="self", type="application/atom+xml", href=site_url + FEED_PATH)
    sub(feed, "link", rel="alternate", type="text/html", href=site_url + "market-update/")
    sub(feed, "updated", _timestamp(updates[0]["as_of"]))
    author = sub(feed, "author")
    sub(author, "name", SITE_NAME)
    sub(feed, "rights", "Educational material, not investment advice. Data: Yahoo Finance, FRED.")
    for i, update in enumerate(updates):
        day = update["as_of"]
        url = site_url + day_page_url(day)
        entry = sub(feed, "entry")
        headline = sentence_text(update["sentences"][0]) if update["sentences"] else ""
        sub(entry, "title", f"Market update, {fmt.date(day)}")
        sub(entry, "id", url)
        sub(entry, "link", rel="alternate", type="text/html", href=url)
        sub(entry, "updated", _timestamp(day))
        sub(entry, "published", _timestamp(day))
        sub(entry, "summary", headline)
        # The chart is today's: only the newest entry shows it.
        sub(entry, "content", _entry_html(update, url, chart if i == 0 else ""), type="html")
    ET.indent(feed)
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True) + b"\n"


FEED_CHART = "figures/market-update-year.svg"  # the day's chart, drawn at build time


def write_feed(docs_dir: Path, facts: dict[str, Any], site_url: str) -> Path | None:
    """Write the feed (and its root copy) into the docs folder; mkdocs copies both as they are."""
    if not facts.get("market_update", {}).get("archive"):
        return None
    image = docs_dir / FEED_CHART
    data = atom_feed(facts, site_url, site_url + FEED_CHART if image.is_file() else "")
    for path in (FEED_HEAD_PATH, FEED_PATH):
        atomic_write_bytes(docs_dir / path, data, durable=False)
    return docs_dir / FEED_PATH
