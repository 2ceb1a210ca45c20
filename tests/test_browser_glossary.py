"""Glossary tooltips in real Chromium: hovering a term shows its definition, a link whose text
holds a term still navigates, and the primer pages have no horizontal overflow on a phone."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

PRIMER_PAGES = ("what-it-is/", "construction/", "risks/", "valuation/", "scenarios/", "faq/",
                "glossary/")


def test_hovering_a_term_shows_its_definition(browser, site_url):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(site_url + "construction/", wait_until="networkidle")
    term = page.locator("article p abbr", has_text="rank day").first
    definition = term.get_attribute("title") or ""
    assert "April 30" in definition
    term.hover()
    tooltip = page.locator(".md-tooltip2--active")
    tooltip.wait_for(state="visible", timeout=5_000)
    assert "April 30" in tooltip.inner_text()
    context.close()


def test_a_link_containing_a_term_still_navigates(browser, site_url):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(site_url + "faq/", wait_until="networkidle")
    link = page.locator("article a[href*='risks/#r2k-risk-12m-outcomes']").first
    link.click()
    page.wait_for_url("**/risks/#r2k-risk-12m-outcomes")
    page.evaluate("window.primerCharts.drawAll()")  # charts show images until made live
    page.wait_for_function(
        "() => [...document.querySelectorAll('.primer-chart')].every("
        "el => el.dataset.state === 'drawn')", timeout=30_000)
    assert errors == []
    context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_primer_pages_fit_a_phone(site_visits, artifacts, scheme):
    """Read from each page's one visit at 360 px (tests/site_visits.py), charts drawn, in
    the light scheme and re-themed to dark; the dark screenshots are saved there."""
    for path in PRIMER_PAGES:
        visit = site_visits[(path, 360)]
        assert not visit.failure, f"{path}: {visit.failure}"
        overflow = visit.overflow if scheme == "light" else visit.overflow_dark
        assert overflow is not None and overflow <= 0, \
            f"{path}: {overflow}px horizontal overflow at 360px"
        if scheme == "dark":
            assert (artifacts / f"{path.strip('/')}-360-dark.png").is_file()
