"""What a reader sees, in real headless Chromium: every page loads without console errors,
every chart is drawn, instant navigation draws charts too. Screenshots go to test-artifacts/."""

from __future__ import annotations

import pytest

from tests.conftest import MATERIAL_READY, draw_all_charts, navigate_instantly, sitemap_for
from tests.site_pages import site_pages
from tests.site_visits import full_shots, representatives

pytestmark = pytest.mark.browser


def test_every_page_loads_and_draws_its_charts(site_visits, built_site, artifacts):
    """Each page that stands for its template (at desktop width, one visit:
    tests/site_visits.py) loaded, its charts drawn,
    each holding data, its console free of errors. A full-page screenshot of each primer page
    (the archive's days share one template: the newest one)."""
    pages = sorted(representatives(site_pages(built_site.site_dir)))
    assert "" in pages and "history/" in pages and "market-update/archive/" in pages
    assert {path for path, _ in site_visits} == set(pages)
    problems = []
    for path in pages:
        visit = site_visits[(path, 1280)]
        if visit.failure:
            problems.append(f"{visit.name}: {visit.failure}")
        if visit.states != ["drawn"] * len(visit.states):
            problems.append(f"{visit.name}: chart states {visit.states}")
        # Each drawn chart holds data: at least one trace with points.
        if not all(n > 0 for n in visit.points):
            problems.append(f"{visit.name}: empty chart {visit.points}")
        if visit.errors:
            problems.append(f"{visit.name}: console errors {visit.errors}")
    assert not problems, "\n".join(problems)
    assert sum(len(site_visits[(p, 1280)].states) for p in pages) > 20  # charts were there
    for path in full_shots(pages):
        name = path.strip("/").replace("/", "_") or "home"
        assert (artifacts / f"{name}-1280-light.png").stat().st_size > 10_000, name


def test_charts_draw_after_instant_navigation(open_page, built_site, site_url):
    """Material's bundle waits for the reader (overrides/partials/javascripts/material.js):
    until the first interaction it has not run, and the page is whole without it (its charts
    armed over their images). A scroll starts it; its instant navigation then swaps content
    without a reload, and the charts of the new page still draw."""
    opened = open_page("", material=False)
    page = opened.page
    page.wait_for_function("[...document.querySelectorAll('.primer-chart')]"
                           ".every(el => el.dataset.state === 'pending')")
    assert page.evaluate("[typeof window.component$, 'primerMaterial' in"
                         " document.documentElement.dataset]") == ["undefined", False]
    opened.context.route("**/sitemap.xml", sitemap_for(site_url, built_site))
    page.mouse.wheel(0, 200)
    page.wait_for_function(MATERIAL_READY)
    assert page.evaluate("typeof window.component$") == "object"
    assert navigate_instantly(page, "article a[href$='/history/']",
                              "location.pathname.endsWith('/history/')"
                              " && document.querySelectorAll('.primer-chart').length > 0"), \
        "a full reload, not instant"
    count = draw_all_charts(page)
    assert count >= 4
    states = page.eval_on_selector_all(".primer-chart", "els => els.map(e => e.dataset.state)")
    assert set(states) == {"drawn"}
    assert opened.errors == []


def test_phone_width_dark_mode_screenshot(open_page, artifacts):
    opened = open_page("history/", width=360, scheme="dark")
    page = opened.page
    draw_all_charts(page)
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    page.screenshot(path=str(artifacts / "history-360-dark.png"), full_page=False)
    assert overflow <= 0, f"horizontal overflow of {overflow}px at 360px"
    assert opened.errors == []


# Each region that scrolls sideways on screen (outside a closed <details>), with whether it
# takes the keyboard focus.
SCROLLERS = """() => [...document.querySelectorAll('article *')].filter(el =>
    !el.closest('details:not([open])')
    && ['auto', 'scroll'].includes(getComputedStyle(el).overflowX)
    && el.scrollWidth > el.clientWidth + 1).map(el => [el.tagName + '.' + el.className,
    el.getAttribute('tabindex') === '0'])"""
FRAMES = "new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))"


def test_tables_that_scroll_sideways_are_reachable_by_keyboard(open_page):
    """On a phone, every region of History that scrolls sideways (its wide tables) takes the
    keyboard focus (tabindex 0), so it can be scrolled without a mouse: those on the first
    screen, and those inside a collapsed data table once the reader opens it (a11y.js)."""
    opened = open_page("history/", width=360)
    page = opened.page
    page.evaluate(FRAMES)
    shown = page.evaluate(SCROLLERS)
    assert len(shown) >= 2, shown  # History's wide tables scroll at phone width
    assert [name for name, focusable in shown if not focusable] == []
    page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
    page.evaluate(FRAMES)
    page.evaluate(FRAMES)
    opened_up = page.evaluate(SCROLLERS)
    assert len(opened_up) >= len(shown) + 4, opened_up  # the charts' data tables scroll too
    assert [name for name, focusable in opened_up if not focusable] == []
    # A chart's data table is one tab stop: its own labelled wrapper, not Material's inside it.
    stops = page.eval_on_selector_all(".primer-figure__data", "els => els.map(el => "
                                      "el.querySelectorAll('[tabindex=\"0\"]').length)")
    assert stops and set(stops) == {1}, stops
    assert opened.errors == []
