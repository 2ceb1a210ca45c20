"""What a reader sees, in real headless Chromium: every page loads without console errors,
every chart is drawn, instant navigation draws charts too. Screenshots go to test-artifacts/."""

from __future__ import annotations

import pytest

from tests.conftest import draw_all_charts
from tests.site_pages import site_pages

pytestmark = pytest.mark.browser


def test_every_page_loads_and_draws_its_charts(browser, built_site, site_url, artifacts):
    """One page, reused: each page is loaded, its charts drawn, its console read. A full-page
    screenshot of each primer page (the archive's days share one template: the newest one)."""
    pages = site_pages(built_site.site_dir)
    assert "" in pages and "history/" in pages
    archive = sorted(p for p in pages if p.startswith("market-update/archive/2"))
    shot = {p for p in pages if p not in archive} | set(archive[-1:])
    context = browser.new_context(viewport={"width": 1280, "height": 900}, color_scheme="light")
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    for path in pages:
        errors.clear()
        page.goto(site_url + path, wait_until="load")
        count = draw_all_charts(page)
        states = page.eval_on_selector_all(".primer-chart", "els => els.map(e => e.dataset.state)")
        assert states == ["drawn"] * count, f"{path}: chart states {states}"
        # Each drawn chart holds data: at least one trace with points.
        points = page.eval_on_selector_all(
            ".primer-chart",
            # A trace array is plain or base64 `{dtype, bdata}` (numeric x, e.g. returns).
            "els => { const n = a => !a ? 0 : a.length !== undefined ? a.length"
            " : a.bdata ? atob(a.bdata).length : 0;"
            " return els.map(e => e.data.reduce((s, t) => s + (n(t.x) || n(t.values)), 0)); }")
        assert all(n > 0 for n in points), f"{path}: empty chart {points}"
        if path in shot:
            name = path.strip("/").replace("/", "_") or "home"
            page.screenshot(path=str(artifacts / f"{name}-1280-light.png"), full_page=True)
        assert errors == [], f"{path}: console errors {errors}"
    context.close()


def test_charts_draw_after_instant_navigation(open_page):
    """Material's instant navigation swaps content without a reload: charts must still draw."""
    opened = open_page("")
    page = opened.page
    page.locator("article a[href$='/history/']").first.click()
    page.wait_for_function("location.pathname.endsWith('/history/')"
                           " && document.querySelectorAll('.primer-chart').length > 0")
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
