"""What a reader meets: every page at phone and desktop width, light and dark, with a screen
reader (axe-core), through search and link previews. Pages come from the built site's sitemap
and figures from figures.json, so pages and charts added later are checked without edits here.

One browser for the session (conftest); one context per width, reused across pages.
Screenshots: test-artifacts/<page>-<width>-<scheme>.png.
"""

from __future__ import annotations

import html
import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from generator.figures.theme import SERIES_COLORS
from generator.settings import Settings
from tests.site_pages import site_pages
from tests.site_visits import AXE_WIDTH, WIDTHS, representatives

# ---- static checks of the built site ---------------------------------------------------------

def _html_pages(site_dir: Path) -> list[str]:
    """Every page mkdocs wrote ('' for home, 'history/', ...), except the 404 page."""
    pages = []
    for path in site_dir.rglob("index.html"):
        rel = path.parent.relative_to(site_dir).as_posix()
        if rel.startswith(("assets", "search", "figures")):
            continue
        pages.append("" if rel == "." else rel + "/")
    return sorted(pages)


def test_sitemap_lists_every_page_under_the_site_url(built_site: Settings) -> None:
    site = built_site.site_dir
    tree = ET.parse(site / "sitemap.xml")
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    locs = [e.text or "" for e in tree.getroot().findall("s:url/s:loc", ns)]
    assert locs, "sitemap.xml lists no URL"
    config = (built_site.root / "mkdocs.yml").read_text()
    assert all(loc.startswith(("http://", "https://")) for loc in locs)
    assert len(set(locs)) == len(locs), "sitemap lists a URL twice"
    assert sorted(site_pages(site)) == _html_pages(site)
    assert "site_url" in config
    assert (site / "sitemap.xml.gz").is_file()


def _meta_description(page_html: str) -> str | None:
    found = re.search(r'<meta name="description" content="([^"]*)"', page_html)
    return html.unescape(found.group(1)).strip() if found else None


def test_every_page_has_its_own_description(built_site: Settings) -> None:
    """Link previews: a non-empty, page-specific <meta name="description"> on every page."""
    site = built_site.site_dir
    config = (built_site.root / "mkdocs.yml").read_text()
    site_description = re.search(r"^site_description:\s*(.+)$", config, re.M).group(1).strip()
    seen: dict[str, str] = {}
    problems = []
    for path in site_pages(site):
        description = _meta_description((site / path / "index.html").read_text())
        if not description:
            problems.append(f"{path or 'home'}: no description")
        elif path and description == site_description:
            problems.append(f"{path}: only the site-wide description (add `description:` to "
                            "the page's front matter)")
        elif description in seen:
            problems.append(f"{path}: same description as {seen[description] or 'home'}")
        else:
            seen[description] = path
    assert not problems, "\n".join(problems)


def _figure_payloads(docs_dir: Path) -> Iterator[tuple[str, dict]]:
    manifest = json.loads((docs_dir / "figures.json").read_text())
    assert manifest, "figures.json is empty"
    for entry in manifest:
        yield entry["id"], json.loads((docs_dir / entry["json"]).read_text())


def test_one_colour_per_series_from_a_colour_blind_safe_palette() -> None:
    okabe_ito = {"#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7",
                 "#000000"}
    tol = {"#332288", "#117733", "#44AA99", "#88CCEE", "#DDCC77", "#CC6677", "#AA4499",
           "#882255", "#999933", "#8C6D31", "#6F6F6F", "#6A3D9A", "#777777", "#BBBBBB"}
    # ColorBrewer's diverging schemes marked colour-blind safe (PuOr, PRGn, BrBG, RdYlBu).
    brewer = {"#E66101", "#FDB863", "#B2ABD2", "#5E3C99", "#7B3294", "#C2A5CF", "#A6DBA0",
              "#008837", "#1B7837", "#A6611A", "#DFC27D", "#80CDC1", "#018571", "#D7191C",
              "#FDAE61", "#ABD9E9", "#2C7BB6"}
    unsafe = {k: v for k, v in SERIES_COLORS.items()
              if v.upper() not in okabe_ito | tol | brewer}
    assert not unsafe, f"colours outside the colour-blind-safe sets: {unsafe}"


def test_traces_in_one_chart_are_told_apart(built_site: Settings) -> None:
    """Two traces of one chart never share colour, dash and type (a reader could not tell
    them apart); site-wide colours come from theme.color."""
    problems = []
    for figure_id, payload in _figure_payloads(built_site.docs_dir):
        seen: dict[tuple, str] = {}
        for trace in payload["data"]:
            if trace.get("showlegend") is False or trace.get("type") == "pie":
                continue
            line = trace.get("line") or {}
            marker = trace.get("marker") or {}
            colour = line.get("color") or marker.get("color")
            if not isinstance(colour, str):
                continue
            key = (trace.get("type", "scatter"), colour.upper(), line.get("dash", "solid"),
                   trace.get("mode", ""))
            name = trace.get("name", "?")
            if key in seen and seen[key] != name:
                problems.append(f"{figure_id}: {seen[key]!r} and {name!r} look identical")
            seen.setdefault(key, name)
    assert not problems, "\n".join(problems)


def test_figure_json_stays_light(built_site: Settings) -> None:
    """Chart JSON is what a page loads; multi-decade daily views must be thinned (weekly)."""
    heavy = {}
    for entry in json.loads((built_site.docs_dir / "figures.json").read_text()):
        size = (built_site.docs_dir / entry["json"]).stat().st_size
        if size > 250_000:
            heavy[entry["id"]] = size
    assert not heavy, f"figure JSON over 250 kB (draw weekly points, round values): {heavy}"


def test_every_chart_has_a_text_alternative(built_site: Settings) -> None:
    """Each chart: an aria-label with its takeaway, a caption, and a data table + CSV link."""
    site = built_site.site_dir
    manifest = json.loads((built_site.docs_dir / "figures.json").read_text())
    for entry in manifest:
        page = (site / entry["page"] / "index.html").read_text()
        figure = re.search(rf'<figure class="primer-figure" id="{re.escape(entry["id"])}">'
                           r"(.*?)</figure>", page, re.S)
        assert figure, f"{entry['id']}: not on {entry['page'] or 'home'}"
        body = figure.group(1)
        label = re.search(r'aria-label="([^"]*)"', body).group(1)
        assert html.unescape(label).endswith(entry["takeaway"])
        assert f'href="#{entry["id"]}-data"' in body
        table = re.search(rf'<details class="primer-figure__data" id="{entry["id"]}-data">'
                          r".*?<table>(.*?)</table>", body, re.S)
        assert table, f"{entry['id']}: no data table"
        rows = re.findall(r"<tr>", table.group(1))
        assert len(rows) >= 2, f"{entry['id']}: empty data table"
        assert entry["csv"].rsplit("/", 1)[-1] in body
        # The chart's JSON (fetched by charts.js, so generator.linkcheck does not see it).
        src = re.search(r'data-src="([^"]+)"', body).group(1)
        page_dir = site / entry["page"]
        assert (page_dir / src).resolve().is_file(), f"{entry['id']}: {src} missing"


# ---- in the browser --------------------------------------------------------------------------

def _collect_errors(page) -> list[str]:
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    return errors


def _overlap(a, b) -> bool:
    return bool(a and b) and a[0] < b[2] - 1 and b[0] < a[2] - 1 and a[1] < b[3] - 1 \
        and b[1] < a[3] - 1


@pytest.mark.browser
def test_every_page_at_phone_and_desktop_width(site_visits):
    """Each page at 360 px and 1280 px (one visit per width: tests/site_visits.py): no
    horizontal overflow, no console errors (re-themed to dark too, on each template's
    representative pages), legend / range selector / log toggle never overlap. Screenshots
    of representative pages: light (full page), dark (full page at 360, the first screen at
    1280); the top of every other page at 360."""
    problems: list[str] = []
    assert {width for _, width in site_visits} == set(WIDTHS)
    for (_, width), visit in sorted(site_visits.items()):
        where = f"{visit.name} @{width}"
        if visit.failure:
            problems.append(f"{where}: {visit.failure}")
        if visit.overflow > 0:
            problems.append(f"{where}: scrolls sideways by {visit.overflow}px {visit.wide}")
        for box in visit.boxes:
            for a, b in (("legend", "selector"), ("legend", "toggle"), ("selector", "toggle")):
                if _overlap(box[a], box[b]):
                    problems.append(f"{where}: {box['id']} {a} overlaps {b}")
            if box["legend"] and box["legend"][2] > box["chart"][2] + 1:
                problems.append(f"{where}: {box['id']} legend cut off")
        if visit.errors:
            problems.append(f"{where}: console errors {visit.errors}")
    assert not problems, "\n".join(problems)


def test_contrast_pages_cover_every_component(tmp_path: Path) -> None:
    """Greedy cover: the page with most components first, then whichever adds most; a page
    with nothing new is left out; a new component (or inline style) brings its page in."""
    from tests.site_visits import contrast_pages

    bodies = {"": "<h1>Home</h1><p>a <a href='x'>b</a></p><table class='t'><tr><td>1</td></tr>"
                  "</table>",
              "faq/": "<h1>FAQ</h1><p>words</p>",
              "risks/": "<p>x</p><div class='admonition warning'><p>careful</p></div>",
              "etfs/": "<p>y</p><table class='t'><tr><td>2</td></tr></table>"}
    for path, body in bodies.items():
        (tmp_path / path).mkdir(parents=True, exist_ok=True)
        (tmp_path / path / "index.html").write_text(
            f"<html><body><header><b>nav</b></header><article>{body}</article></body></html>")
    assert contrast_pages(tmp_path, list(bodies)) == {"", "risks/"}
    (tmp_path / "etfs" / "index.html").write_text(
        "<html><body><article><p style='color:#777'>grey</p></article></body></html>")
    assert contrast_pages(tmp_path, list(bodies)) == {"", "risks/", "etfs/"}


@pytest.mark.browser
def test_axe_finds_no_violations(site_visits, built_site, artifacts):
    """axe-core on each page that stands for its template: no violation, whatever its impact.
    Run in each page's one visit at 1280 px (tests/site_visits.py), data tables opened: every
    rule in light; colour contrast and links told apart from text, light and dark, on the
    pages that between them hold every component (`contrast_pages`)."""
    shown = representatives(site_pages(built_site.site_dir))
    found: list[str] = []
    report: dict[str, list] = {}
    for path in sorted(shown):
        visit = site_visits[(path, AXE_WIDTH)]
        assert not visit.failure, f"{visit.name}: {visit.failure}"
        assert set(visit.axe) == ({"light", "dark"} if visit.contrast else {"light"}), path
        for scheme, violations in visit.axe.items():
            report[f"{visit.name} ({scheme})"] = [
                {"id": v["id"], "impact": v["impact"], "nodes": v["nodes"],
                 "example": v["html"]} for v in violations]
            found += [f"{visit.name} ({scheme}): {v['id']} [{v['impact']}] {v['html'][:160]}"
                      for v in violations]
    (artifacts / "axe-report.json").write_text(json.dumps(report, indent=1))
    assert not found, "\n".join(found)
    assert {"", "checklist/"} <= {p for p in shown if site_visits[(p, AXE_WIDTH)].contrast}


@pytest.mark.browser
@pytest.mark.parametrize("path", ["", "etfs/"])
def test_a_page_before_materials_bundle_starts_passes_axe(open_page, path):
    """Until the reader's first interaction Material's bundle has not run (a screen reader's
    virtual cursor moves no pointer and no focus): the page as it is then, its charts as
    images, its tables as Material's stylesheet leaves them, has no violation either. Home
    and ETFs: the two templates the bundle changes most (tooltips on the glossary terms,
    tables wider than a phone)."""
    from tests.site_visits import run_axe

    opened = open_page(path, material=False)
    violations = run_axe(opened.page)
    assert "primerMaterial" not in opened.page.evaluate("document.documentElement.dataset")
    found = [f"{v['id']} [{v['impact']}] {v['html'][:160]}" for v in violations]
    assert not found, "\n".join(found)
    assert opened.errors == []


@pytest.mark.browser
def test_dark_mode_toggle_rethemes_a_chart_without_reload(browser, built_site, site_url):
    manifest = json.loads((built_site.docs_dir / "figures.json").read_text())
    target = next(e for e in manifest if e["page"])  # a chart on a page other than home
    context = browser.new_context(viewport={"width": 1280, "height": 800}, color_scheme="light")
    page = context.new_page()
    errors = _collect_errors(page)
    page.goto(site_url + target["page"], wait_until="networkidle")
    chart = f".primer-chart[data-figure='{target['id']}']"
    page.locator(chart).hover()  # reaching for a chart makes its image live
    page.wait_for_function(f"document.querySelector(\"{chart}\").dataset.ready === 'true'")
    read = f"""() => {{ const el = document.querySelector("{chart}"); const L = el._fullLayout;
        return {{font: L.font.color, grid: L.yaxis.gridcolor, hover: L.hoverlabel.bgcolor,
                 scheme: document.body.dataset.mdColorScheme, marker: window.__stayed === 1,
                 fg: getComputedStyle(document.body)
                       .getPropertyValue('--md-default-fg-color').trim()}}; }}"""
    page.evaluate("window.__stayed = 1")
    before = page.evaluate(read)
    # The reader clicks the palette toggle in the header until the scheme is dark.
    # The toggle shows one label at a time (it switches to the next option).
    shown = ("[...document.querySelectorAll(\"form[data-primer-palette] label\")]"
             ".find(label => !label.hidden).htmlFor")
    for _ in range(3):  # each click moves to the next palette option: wait until it has
        if page.evaluate("document.body.dataset.mdColorScheme") == "slate":
            break
        option = page.evaluate(shown)
        page.locator("form[data-primer-palette] label:visible").first.click()
        page.wait_for_function(f"option => {shown} !== option", arg=option)
    page.wait_for_function(f"""() => document.querySelector("{chart}")._fullLayout.font.color
                              !== {json.dumps(before["font"])}""")
    after = page.evaluate(read)
    assert before["scheme"] == "default" and after["scheme"] == "slate"
    assert after["marker"], "the page reloaded"
    assert after["font"] != before["font"] and after["grid"] != before["grid"]
    assert after["hover"] != before["hover"]
    # The site's dark template (the same the dark images are drawn with): Material's slate text.
    dark = json.loads((built_site.docs_dir / "figures" / "templates.json").read_text())["slate"]
    assert after["font"].replace(" ", "") == dark["layout"]["font"]["color"]
    assert errors == []
    context.close()


PALETTE = """() => ({scheme: document.body.dataset.mdColorScheme,
    shown: [...document.querySelectorAll('form[data-primer-palette] label')]
             .filter(label => !label.hidden).map(label => label.htmlFor),  // the next option
    saved: localStorage.getItem(new URL('..', location).pathname + '.__palette')})"""


@pytest.mark.browser
def test_colour_toggle_works_before_materials_bundle_and_remembers_the_choice(
        browser, built_site, site_url):
    """The site's own toggle (overrides/partials/javascripts/palette.js) in place of Material's
    palette component: the page takes the system's dark scheme while it is parsed, even with
    Material's bundle blocked; the toggle cycles system -> light -> dark -> system, by click
    and by Enter; a choice outlasts a reload and reaches other pages; the system option follows
    the system while the page is open."""
    context = browser.new_context(viewport={"width": 1280, "height": 800}, color_scheme="dark")
    page = context.new_page()
    errors = _collect_errors(page)
    page.route("**/bundle.*.min.js", lambda route: route.abort())
    page.goto(site_url + "history/", wait_until="domcontentloaded")
    assert page.evaluate(PALETTE) == {"scheme": "slate", "shown": ["__palette_1"], "saved": None}
    assert page.locator("[data-md-component='palette']").count() == 0
    page.unroute("**/bundle.*.min.js")
    errors.clear()  # the blocked bundle's load error
    page.goto(site_url + "history/", wait_until="load")
    page.emulate_media(color_scheme="light")  # the system option follows the system
    page.wait_for_function("document.body.dataset.mdColorScheme === 'default'")
    seen = []
    for _ in range(3):
        page.locator("form[data-primer-palette] label:visible").click()
        state = page.evaluate(PALETTE)
        seen.append((state["scheme"], state["shown"], json.loads(state["saved"])["index"]))
    assert seen == [("default", ["__palette_2"], 1), ("slate", ["__palette_0"], 2),
                    ("default", ["__palette_1"], 0)]
    page.focus("form[data-primer-palette] input:checked")
    page.keyboard.press("Enter")  # system -> light
    page.keyboard.press("Enter")  # light -> dark
    assert page.evaluate(PALETTE)["scheme"] == "slate"
    page.reload(wait_until="load")
    assert page.evaluate(PALETTE)["scheme"] == "slate"
    page.goto(site_url + "etfs/", wait_until="load")
    assert page.evaluate(PALETTE)["shown"] == ["__palette_0"]
    assert page.evaluate("document.querySelector('meta[name=color-scheme]').content") == "dark"
    assert errors == []
    context.close()


@pytest.mark.browser
def test_range_buttons_fit_the_y_axis_and_log_toggle_switches(browser, built_site, site_url):
    manifest = json.loads((built_site.docs_dir / "figures.json").read_text())
    payloads = dict(_figure_payloads(built_site.docs_dir))
    logged = [e for e in manifest if payloads[e["id"]]["layout"].get("yaxis", {}).get("type")
              == "log" and payloads[e["id"]]["layout"].get("xaxis", {}).get("rangeselector")]
    assert logged, "no long-history log chart with range buttons"
    target = logged[0]
    context = browser.new_context(viewport={"width": 360, "height": 800})
    page = context.new_page()
    errors = _collect_errors(page)
    page.goto(site_url + target["page"], wait_until="networkidle")
    chart = page.locator(f".primer-chart[data-figure='{target['id']}']")
    chart.hover()  # reaching for a chart makes its image live
    page.wait_for_function(
        f"document.querySelector(\".primer-chart[data-figure='{target['id']}']\")"
        ".dataset.ready === 'true'")
    y_range = f"""() => document.querySelector(".primer-chart[data-figure='{target['id']}']")
                   ._fullLayout.yaxis.range.slice()"""
    full = page.evaluate(y_range)
    chart.locator(".rangeselector .button").filter(has_text="1Y").click()
    page.wait_for_function(f"() => ({y_range})()[1] - ({y_range})()[0] < "
                           f"{(full[1] - full[0]) / 3}")
    toggle = page.locator(f"#{target['id']} .primer-chart__toggle")
    assert toggle.get_attribute("aria-pressed") == "true"
    toggle.click()
    page.wait_for_function(f"""() => document.querySelector(
        ".primer-chart[data-figure='{target['id']}']")._fullLayout.yaxis.type === 'linear'""")
    assert toggle.get_attribute("aria-pressed") == "false"
    assert errors == []
    context.close()


@pytest.mark.browser
def test_every_trace_type_is_in_the_shipped_plotly_bundle(browser, built_site, site_url):
    used = {trace.get("type", "scatter") for _, payload in _figure_payloads(built_site.docs_dir)
            for trace in payload["data"]}
    context = browser.new_context()
    page = context.new_page()
    page.goto(site_url, wait_until="networkidle")
    page.add_script_tag(url=site_url + "assets/javascripts/plotly-basic.min.js")
    supported = set(page.evaluate("Object.keys(Plotly.PlotSchema.get().traces)"))
    context.close()
    assert used <= supported, f"trace types missing from the bundle: {used - supported}"


@pytest.mark.browser
def test_search_finds_a_page(browser, built_site, search_site_url):
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.goto(search_site_url, wait_until="networkidle")
    # The reader's first act is Material's search key, before its bundle has started (it
    # starts on that key, then takes the key: overrides/partials/javascripts/material.js).
    page.keyboard.press("/")
    page.wait_for_function("document.activeElement && document.activeElement"
                           ".matches('input.md-search__input')", timeout=15_000)
    page.keyboard.type("drawdown", delay=30)
    results = page.locator(".md-search-result__item")
    results.first.wait_for(timeout=15_000)
    assert results.count() >= 1
    assert "drawdown" in page.locator(".md-search-result").inner_text().lower()
    context.close()


@pytest.mark.browser
def test_glossary_terms_show_tooltips(browser, built_site, site_url):
    """Glossary terms become <abbr title=…> on every page (snippets + abbr) and Material's
    content.tooltips shows the definition when the reader points at one."""
    site = built_site.site_dir
    with_terms = 0
    for path in site_pages(site):
        titles = re.findall(r'<abbr title="([^"]*)"', (site / path / "index.html").read_text())
        assert all(t.strip() for t in titles), f"{path or 'home'}: an empty glossary tooltip"
        with_terms += bool(titles)
    assert with_terms >= 2, "glossary tooltips on fewer than two pages"
    target = next(p for p in site_pages(site)
                  if '<abbr title="' in (site / p / "index.html").read_text() and p)
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.goto(site_url + target, wait_until="load")
    term = page.locator("article abbr[title]").first
    definition = term.get_attribute("title")
    term.scroll_into_view_if_needed()
    tip = page.locator(".md-tooltip2--active")
    # A pointer that arrives before Material has mounted its tooltips (a busy machine) shows
    # nothing: the reader moves away and points again, as a reader would.
    for attempt in range(4):
        term.hover()
        try:
            tip.wait_for(timeout=5_000)
            break
        except PlaywrightTimeoutError:
            if attempt == 3:
                raise
            page.mouse.move(0, 0)
    assert definition[:40] in tip.inner_text()
    context.close()
