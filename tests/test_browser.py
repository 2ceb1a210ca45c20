"""What a reader sees, in real headless Chromium: every page loads without console errors,
every chart is drawn, instant navigation draws charts too. Screenshots go to test-artifacts/."""

from __future__ import annotations

import pytest

from tests.site_pages import site_pages

pytestmark = pytest.mark.browser


def _open(browser, url: str, width: int = 1280, scheme: str = "light"):
    context = browser.new_context(viewport={"width": width, "height": 900},
                                  color_scheme=scheme)
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(url, wait_until="networkidle")
    return context, page, errors


def _wait_for_charts(page) -> int:
    count = page.locator(".primer-chart").count()
    if count:
        # Charts draw when they come near the viewport; draw the rest as if scrolled to.
        page.evaluate("window.primerCharts.drawAll()")
        page.wait_for_function(
            "() => [...document.querySelectorAll('.primer-chart')]"
            ".every(el => el.dataset.state === 'drawn' || el.dataset.state === 'error')",
            timeout=30_000)
    return count


def test_every_page_loads_and_draws_its_charts(browser, built_site, site_url, artifacts):
    pages = site_pages(built_site.site_dir)
    assert "" in pages and "history/" in pages
    for path in pages:
        context, page, errors = _open(browser, site_url + path)
        count = _wait_for_charts(page)
        states = page.eval_on_selector_all(".primer-chart", "els => els.map(e => e.dataset.state)")
        assert states == ["drawn"] * count, f"{path}: chart states {states}"
        # Each drawn chart holds data: at least one trace with points.
        points = page.eval_on_selector_all(
            ".primer-chart",
            "els => els.map(e => e.data.reduce((n, t) => n + ((t.x || t.values || []).length), 0))")
        assert all(n > 0 for n in points), f"{path}: empty chart {points}"
        name = path.strip("/").replace("/", "_") or "home"
        page.screenshot(path=str(artifacts / f"{name}-1280-light.png"), full_page=True)
        assert errors == [], f"{path}: console errors {errors}"
        context.close()


def test_charts_draw_after_instant_navigation(browser, built_site, site_url):
    """Material's instant navigation swaps content without a reload: charts must still draw."""
    context, page, errors = _open(browser, site_url)
    page.locator("article a[href$='/history/']").first.click()
    page.wait_for_url("**/history/")
    count = _wait_for_charts(page)
    assert count >= 4
    states = page.eval_on_selector_all(".primer-chart", "els => els.map(e => e.dataset.state)")
    assert set(states) == {"drawn"}
    assert errors == []
    context.close()


def test_phone_width_dark_mode_screenshot(browser, built_site, site_url, artifacts):
    context, page, errors = _open(browser, site_url + "history/", width=360, scheme="dark")
    _wait_for_charts(page)
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    page.screenshot(path=str(artifacts / "history-360-dark.png"), full_page=False)
    assert overflow <= 0, f"horizontal overflow of {overflow}px at 360px"
    assert errors == []
    context.close()
