"""One visit per page and width of the built site, every per-page browser check run in it.

Loading a page and drawing its charts is what costs in the browser tests, so the suite does it
once per page and width (the `site_visits` session fixture, conftest.py), for every page that
stands for its template (`representatives`: every page but the market-update archive's days,
of which the first and the last), and the tests read what was seen: chart states and points,
console errors, sideways scroll, overlapping chart controls (tests/test_browser.py,
tests/test_reader.py), axe-core's findings at desktop width, light and dark
(tests/test_reader.py), and the phone width in dark mode (tests/test_browser_glossary.py).
Screenshots: test-artifacts/<page>-<width>-<scheme>.png, the first screen (whole pages with
PRIMER_FULL_SHOTS=1).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from tests.conftest import ARTIFACTS, CHARTS_SETTLED, start_material

WIDTHS = (360, 1280)  # phone and desktop
AXE_WIDTH = 1280
FAMILY = 5  # a folder with this many sibling pages holds pages made from one template
# Screenshots show the first screen; whole pages (to read a page through) with
# PRIMER_FULL_SHOTS=1: light at desktop width, dark at phone width.
FULL_SHOTS = os.environ.get("PRIMER_FULL_SHOTS") == "1"


def representatives(pages: list[str]) -> set[str]:
    """Pages that stand for their template: every page, except that of a family of sibling
    pages (e.g. the market-update archive, one page per day) only the first and the last.
    The browser visits these (the days differ only in their numbers, which the page tests
    check on every day), so the suite stays fast however long the archive grows."""
    parents: dict[str, list[str]] = {}
    for path in pages:
        parent = path.rstrip("/").rpartition("/")[0]
        parents.setdefault(parent, []).append(path)
    chosen = set()
    for parent, members in parents.items():
        members = sorted(members)
        if parent and len(members) >= FAMILY:
            chosen.update({members[0], members[-1]})
        else:
            chosen.update(members)
    return chosen


def full_shots(pages: list[str]) -> set[str]:
    """Pages whose light screenshot at desktop width is full-page: every page but the
    archive's days, which share one template (the newest of them stands for it)."""
    archive = sorted(p for p in pages if p.startswith("market-update/archive/2"))
    return {p for p in pages if p not in archive} | set(archive[-1:])


def components(html: str) -> set[str]:
    """What a page's article is made of: each tag, each tag.class and each set of inline-style
    properties (their values are data, e.g. a marker's position, not a look)."""
    from bs4 import BeautifulSoup

    article = BeautifulSoup(html, "lxml").find("article")
    found: set[str] = set()
    for el in article.find_all(True) if article else []:
        found.add(el.name)
        found.update(f"{el.name}.{cls}" for cls in el.get("class", []))
        if el.get("style"):
            names = sorted({rule.partition(":")[0].strip().lower()
                            for rule in el["style"].split(";") if ":" in rule})
            found.add(f"{el.name}[style:{','.join(names)}]")
    return found


def contrast_pages(site_dir: Path, pages: list[str]) -> set[str]:
    """Pages that between them hold every component of the site (`components`), picked greedily:
    most new components per byte of page first (axe's time grows with the page), then those
    made redundant by later picks left out. Colour
    contrast follows from a component's styles (one stylesheet for the whole site, the header
    and the navigation the same on every page), so axe's colour rules, most of axe's time, run
    on these pages, light and dark; every other rule runs on every page. A page that brings a
    new component joins the set by itself."""
    html = {p: (site_dir / p / "index.html").read_text(encoding="utf-8") for p in sorted(pages)}
    made = {p: components(text) for p, text in html.items()}
    left = set().union(*made.values()) if made else set()
    chosen: set[str] = set()
    while left:
        best = max(made, key=lambda p: (len(made[p] & left) / len(html[p]), p == "", p))
        chosen.add(best)
        left -= made[best]
    for page in sorted(chosen, key=lambda p: -len(html[p])):  # then drop, largest first,
        rest = chosen - {page}  # a page whose components the others all hold
        if made[page] <= set().union(*(made[p] for p in rest)):
            chosen = rest
    return chosen


@dataclass
class Visit:
    """What one page showed at one width."""

    path: str
    width: int
    errors: list[str] = field(default_factory=list)  # console errors: load, draw, re-theme
    states: list[str] = field(default_factory=list)  # each chart's data-state once drawn
    points: list[int] = field(default_factory=list)  # points drawn per chart
    overflow: int = 0  # px the page scrolls sideways (light)
    overflow_dark: int | None = None  # the same in dark mode (representative pages only)
    wide: list[str] = field(default_factory=list)  # the first elements wider than the page
    boxes: list[dict] = field(default_factory=list)  # legend / range selector / toggle boxes
    axe: dict[str, list[dict]] = field(default_factory=dict)  # scheme -> violations
    contrast: bool = False  # whether axe checked colour contrast (light and dark) here
    failure: str = ""  # what stopped the visit (e.g. charts never drawn), if anything

    @property
    def name(self) -> str:
        return self.path or "home"


BOXES = """els => els.map(el => {
  const box = s => { const n = el.querySelector(s); if (!n) return null;
    const r = n.getBoundingClientRect();
    return r.width ? [r.left, r.top, r.right, r.bottom] : null; };
  const fig = el.closest('.primer-figure');
  const tool = fig && fig.querySelector('.primer-chart__tools');
  const t = tool ? tool.getBoundingClientRect() : null;
  return {id: el.dataset.figure, legend: box('.legend'), selector: box('.rangeselector'),
          toggle: t && t.width ? [t.left, t.top, t.right, t.bottom] : null,
          chart: (r => [r.left, r.top, r.right, r.bottom])(el.getBoundingClientRect())};
})"""

# A trace array is plain or base64 `{dtype, bdata}` (numeric x, e.g. returns).
POINTS = ("els => { const n = a => !a ? 0 : a.length !== undefined ? a.length"
          " : a.bdata ? atob(a.bdata).length : 0;"
          " return els.map(e => (e.data || []).reduce((s, t) => s + (n(t.x) || n(t.values)), 0));"
          " }")
OVERFLOW = "document.documentElement.scrollWidth - document.documentElement.clientWidth"
WIDE = """() => [...document.querySelectorAll('body *')]
    .filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
    .slice(0, 3).map(e => e.tagName + '.' + e.className)"""


def set_scheme(page, scheme: str) -> None:
    """Follow the system scheme (Material's first palette option) and wait for the re-theme."""
    page.emulate_media(color_scheme=scheme)
    want = "slate" if scheme == "dark" else "default"
    page.wait_for_function(f"document.body.dataset.mdColorScheme === '{want}'")
    # charts.js marks each drawn chart with the scheme it is themed for, once themed.
    page.wait_for_function(
        "want => [...document.querySelectorAll(\".primer-chart[data-state='drawn']\")]"
        ".every(el => el.dataset.scheme === want && el.dataset.ready === 'true')", arg=want)


AXE_CONTEXT = {"include": [["body"]],
               # A data table repeats one row template: its first rows stand for the rest.
               # A drawn chart's SVG layers are plotly's (the chart's name, its table and its
               # controls are ours, and checked).
               "exclude": [[".primer-figure__data tbody tr:nth-child(n+4)"],
                           [".js-plotly-plot svg.main-svg"]]}
# The rules whose result depends on the colour scheme: run in dark mode too, on the pages
# `contrast_pages` picks (in light, every rule but contrast runs on every page).
AXE_COLOUR_RULES = ["color-contrast", "link-in-text-block"]
CONTRAST = "color-contrast"


OPEN_DETAILS = """() => { window.primerOpened = [...document.querySelectorAll('details')]
    .filter(d => !d.open); window.primerOpened.forEach(d => { d.open = true; }); }"""
CLOSE_DETAILS = "() => (window.primerOpened || []).forEach(d => { d.open = false; })"
FRAMES = ("() => new Promise(done => requestAnimationFrame(() =>"
          " requestAnimationFrame(() => requestAnimationFrame(done))))")


def run_axe(page, rules: list[str] | None = None, skip: tuple[str, ...] = ()) -> list[dict]:
    """axe-core's violations on the page as it is (injected once per page load): `rules` only
    if given, else every rule but those in `skip`."""
    from axe_playwright_python.sync_playwright import Axe

    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(Axe().axe_script)
    options: dict = {"resultTypes": ["violations"]}
    if rules:
        options["runOnly"] = {"type": "rule", "values": rules}
    elif skip:
        options["rules"] = {rule: {"enabled": False} for rule in skip}
    found = page.evaluate("([context, options]) => axe.run(context, options)"
                          ".then(r => r.violations)", [AXE_CONTEXT, options])
    return [{"id": v["id"], "impact": v["impact"], "nodes": len(v["nodes"]),
             "html": v["nodes"][0]["html"][:200] if v["nodes"] else ""} for v in found]


def _visit(page, url: str, visit: Visit, errors: list[str], full_shot: bool,
           contrast: bool) -> None:
    path, width = visit.path, visit.width
    page.goto(url, wait_until="load")
    start_material(page)  # as after a reader's first interaction
    if page.locator(".primer-chart").count():
        page.evaluate("window.primerCharts && window.primerCharts.drawAll()")
        page.wait_for_function(CHARTS_SETTLED, timeout=30_000)
    visit.states = page.eval_on_selector_all(".primer-chart",
                                             "els => els.map(e => e.dataset.state)")
    visit.points = page.eval_on_selector_all(".primer-chart", POINTS)
    visit.overflow = page.evaluate(OVERFLOW)
    if visit.overflow > 0:
        visit.wide = page.evaluate(WIDE)
    visit.boxes = page.eval_on_selector_all(".primer-chart", BOXES)
    name = path.strip("/").replace("/", "_") or "home"
    narrow = width == min(WIDTHS)
    page.screenshot(path=str(ARTIFACTS / f"{name}-{width}-light.png"),
                    full_page=full_shot and FULL_SHOTS)
    if width == AXE_WIDTH:
        # Every rule in light, data tables opened (then closed again); the colour rules again
        # in dark.
        page.evaluate(OPEN_DETAILS)
        # As for a reader: a11y.js makes an opened table's scroller focusable once the browser
        # has laid it out (a ResizeObserver callback, the next frame), not on the same tick.
        page.evaluate(FRAMES)
        visit.contrast = contrast
        visit.axe["light"] = run_axe(page, skip=() if contrast else (CONTRAST,))
        page.evaluate(CLOSE_DETAILS)
    set_scheme(page, "dark")
    visit.overflow_dark = page.evaluate(OVERFLOW)
    page.screenshot(path=str(ARTIFACTS / f"{name}-{width}-dark.png"),
                    full_page=narrow and FULL_SHOTS)  # wide dark: the first screen
    if width == AXE_WIDTH and contrast:
        visit.axe["dark"] = run_axe(page, AXE_COLOUR_RULES)
    visit.errors = list(errors)


def _new_page(context, errors: list[str]):
    """A page of `context` whose console errors and uncaught exceptions go into `errors`."""
    page = context.new_page()
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    return page


@dataclass(frozen=True)
class Part:
    """Some pages to visit at one width: one share of the work (`visit_part`)."""

    width: int
    paths: tuple[str, ...]
    full_shots: frozenset[str]
    contrast: frozenset[str] = frozenset()  # pages on which axe checks colour contrast


def parts(pages: list[str], contrast: set[str] | None = None, size: int = 3) -> list[Part]:
    """The visits of every representative page (`representatives`) at every width, in parts
    of `size` pages, desktop first (it runs axe: the longer visits start first). Full-page
    screenshots (with PRIMER_FULL_SHOTS=1): light at desktop width (`full_shots`), dark at
    phone width. axe checks colour contrast on `contrast` (`contrast_pages`), every page if
    None."""
    shown, full = sorted(representatives(pages)), full_shots(pages)
    checked = frozenset(shown if contrast is None else contrast)
    out = []
    for width in sorted(WIDTHS, reverse=True):
        shots = frozenset() if width == min(WIDTHS) else frozenset(full)
        out += [Part(width, tuple(shown[i:i + size]), shots, checked)
                for i in range(0, len(shown), size)]
    return out


def visit_part(browser, site_url: str, part: Part) -> dict[tuple[str, int], Visit]:
    """{(page, width): Visit} for the part's pages, loaded in turn in one browser page."""
    from playwright.sync_api import Error as PlaywrightError

    key = (id(browser), part.width)
    if key not in _TABS:
        context = browser.new_context(viewport={"width": part.width, "height": 800},
                                      color_scheme="light")
        errors: list[str] = []
        _TABS[key] = (context, _new_page(context, errors), errors)
    context, page, errors = _TABS[key]
    visits: dict[tuple[str, int], Visit] = {}
    for path in part.paths:
        errors.clear()
        visit = visits[(path, part.width)] = Visit(path, part.width)
        try:
            page.emulate_media(color_scheme="light")  # each visit ends in dark mode
            _visit(page, site_url + path, visit, errors, path in part.full_shots,
                   path in part.contrast)
        except PlaywrightError as exc:
            visit.failure = f"{type(exc).__name__}: {str(exc).splitlines()[0]}"
            visit.errors = list(errors)
            page.close()  # a page stuck mid-way is not reused
            page = _new_page(context, errors)
            _TABS[key] = (context, page, errors)
    return visits


# One tab per browser and width, kept from part to part (closed with the browser): plotly.js
# and Material's bundle are fetched and compiled once, not once per part.
_TABS: dict[tuple[int, int], tuple] = {}
