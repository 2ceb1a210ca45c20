"""Link check of the built site: every internal link and anchor must resolve, offline.

Reads every ``*.html`` under the site folder with the standard library's `html.parser`.
An internal reference (``href``/``src``/``srcset``/``poster``/``data`` without a scheme) must name
a file inside the site folder (a folder means its ``index.html``); a ``#fragment`` must be an
``id`` (or an ``<a name>``) in the target page. External URLs (``https:``, ``mailto:``, ``//host``…)
are collected and listed, never fetched: the check needs no network. Runs after `mkdocs build`,
whose ``--strict`` mode already checks Markdown links; this one sees what the theme, our
templates and our scripts put in the final HTML too.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

# Attributes that point at another resource, per tag ("*" = any tag).
LINK_ATTRIBUTES: dict[str, tuple[str, ...]] = {
    "a": ("href",), "area": ("href",), "link": ("href",), "script": ("src",),
    "img": ("src", "srcset"), "source": ("src", "srcset"), "iframe": ("src",),
    "embed": ("src",), "video": ("src", "poster"), "audio": ("src",), "track": ("src",),
    "object": ("data",), "form": ("action",),
}
# <link rel=...> values that name an external service or a hint, not a file of ours.
_HINT_RELS = {"preconnect", "dns-prefetch"}


@dataclass(frozen=True)
class Reference:
    """One link found in a page: the page (site-relative, POSIX), the tag and attribute, the URL."""

    page: str
    tag: str
    attribute: str
    url: str
    line: int


@dataclass(frozen=True)
class BrokenLink:
    reference: Reference
    reason: str

    def __str__(self) -> str:
        ref = self.reference
        return f"{ref.page}:{ref.line}: <{ref.tag} {ref.attribute}=\"{ref.url}\">: {self.reason}"


@dataclass
class LinkReport:
    """What the check found: pages read, internal links checked, broken ones, external URLs."""

    pages: int = 0
    internal: int = 0
    anchors: int = 0
    broken: list[BrokenLink] = field(default_factory=list)
    external: dict[str, list[str]] = field(default_factory=dict)  # url -> pages linking it

    @property
    def ok(self) -> bool:
        return not self.broken


class _PageParser(HTMLParser):
    """Collects the ids and the outgoing references of one HTML page."""

    def __init__(self, page: str) -> None:
        super().__init__(convert_charrefs=True)
        self.page = page
        self.ids: set[str] = set()
        self.references: list[Reference] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value for name, value in attrs if value is not None}
        if "id" in values:
            self.ids.add(values["id"])
        if tag == "a" and "name" in values:
            self.ids.add(values["name"])
        if tag == "link" and _HINT_RELS & set(values.get("rel", "").lower().split()):
            return
        line = self.getpos()[0]
        for attribute in LINK_ATTRIBUTES.get(tag, ()):
            value = values.get(attribute)
            if value is None:
                continue
            urls = _srcset_urls(value) if attribute == "srcset" else [value.strip()]
            for url in urls:
                self.references.append(Reference(self.page, tag, attribute, url, line))

    handle_startendtag = handle_starttag


def _srcset_urls(value: str) -> list[str]:
    """The URLs of a ``srcset`` ("a.png 1x, b.png 2x")."""
    return [part.strip().split()[0] for part in value.split(",") if part.strip()]


def is_external(url: str) -> bool:
    """True for a URL with a scheme (https:, mailto:, data:…) or a network path (//host/…)."""
    parts = urlsplit(url)
    return bool(parts.scheme) or url.startswith("//")


def _target_file(site_dir: Path, page: str, path: str) -> tuple[str | None, str]:
    """The site-relative file a link path points to, or (None, reason) if it does not exist."""
    if path.startswith("/"):
        joined = path.lstrip("/")
    else:
        joined = posixpath.join(posixpath.dirname(page), path)
    normal = posixpath.normpath(joined) if joined else "."
    if normal == ".." or normal.startswith("../"):
        return None, "points outside the site folder"
    normal = "" if normal == "." else normal
    candidate = site_dir / normal
    if candidate.is_dir():
        index = posixpath.join(normal, "index.html") if normal else "index.html"
        if (site_dir / index).is_file():
            return index, ""
        return None, f"folder {normal or '/'} has no index.html"
    if candidate.is_file():
        return normal, ""
    return None, f"no file {normal}"


def check_site(site_dir: Path) -> LinkReport:
    """Check every internal link and anchor in every HTML page under `site_dir`."""
    site_dir = site_dir.resolve()
    parsed: dict[str, _PageParser] = {}
    for path in sorted(site_dir.rglob("*.html")):
        page = path.relative_to(site_dir).as_posix()
        parser = _PageParser(page)
        parser.feed(path.read_text(encoding="utf-8", errors="replace"))
        parser.close()
        parsed[page] = parser

    report = LinkReport(pages=len(parsed))
    for page, parser in parsed.items():
        for ref in parser.references:
            url = ref.url
            if not url or url.startswith("javascript:"):
                continue
            if is_external(url):
                report.external.setdefault(url, [])
                if page not in report.external[url]:
                    report.external[url].append(page)
                continue
            parts = urlsplit(url)
            path, fragment = unquote(parts.path), unquote(parts.fragment)
            if path:
                target, reason = _target_file(site_dir, page, path)
                if target is None:
                    report.broken.append(BrokenLink(ref, reason))
                    continue
            else:
                target = page  # "#anchor" or "?query" on the same page
            report.internal += 1
            if not fragment:
                continue
            report.anchors += 1
            if target not in parsed:
                report.broken.append(BrokenLink(ref, f"#{fragment} points into {target}, "
                                                     "which is not an HTML page"))
            elif fragment not in parsed[target].ids:
                report.broken.append(BrokenLink(ref, f"no id \"{fragment}\" in {target}"))
    return report


def format_report(report: LinkReport, site_dir: Path, list_external: bool = True) -> Iterable[str]:
    """Lines for the terminal: one per broken link, then a summary, then external URLs."""
    for broken in report.broken:
        yield f"broken: {broken}"
    status = "OK" if report.ok else f"{len(report.broken)} broken"
    yield (f"linkcheck {site_dir}: {report.pages} pages, {report.internal} internal links "
           f"({report.anchors} with #anchors), {len(report.external)} external URLs "
           f"(listed, not fetched): {status}")
    if list_external:
        for url in sorted(report.external):
            yield f"  external: {url}"
