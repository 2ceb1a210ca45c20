"""A century of size in real headless Chromium: reached from Home's start-here map by instant
navigation, its five charts drawn, the 'not the Russell 2000' warning in view, and the
checklist's price-check item showing today's percentile."""

from __future__ import annotations

import json

import pytest

pytestmark = pytest.mark.browser

CENTURY = ("size-premium-deciles", "size-premium-rolling", "size-premium-eras",
           "size-in-dollars", "size-quality")


def test_century_page_from_home_by_instant_navigation(browser, built_site, site_url):
    context = browser.new_context(viewport={"width": 390, "height": 844}, color_scheme="dark")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(site_url, wait_until="networkidle")
    page.locator("article a[href$='century-of-size/']").first.click()
    page.wait_for_url("**/century-of-size/")
    page.evaluate("window.primerCharts.drawAll()")
    page.wait_for_function("() => [...document.querySelectorAll('.primer-chart')]"
                           ".every(el => el.dataset.state === 'drawn')", timeout=30_000)
    ids = page.eval_on_selector_all(".primer-chart", "els => els.map(e => e.dataset.figure)")
    assert ids == list(CENTURY)
    warning = page.locator(".admonition.warning").first
    assert "not the Russell 2000" in warning.inner_text()
    # The takeaway a reader sees is the one the manifest holds (computed from the data).
    manifest = {e["id"]: e for e in json.loads((built_site.docs_dir / "figures.json").read_text())}
    label = page.locator("#size-premium-deciles .primer-chart").get_attribute("aria-label")
    assert label.endswith(manifest["size-premium-deciles"]["takeaway"])
    assert errors == []
    page.goto(site_url + "checklist/", wait_until="networkidle")
    item = page.locator("#check-size-valuation").inner_text()
    assert "percentile" in item and "book-to-market" in item
    context.close()
