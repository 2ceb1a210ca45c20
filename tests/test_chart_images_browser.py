"""What a reader sees of the build-time chart images, in real headless Chromium:

- the live chart replaces the image in the same box: the layout shift in the chart's region,
  measured by the browser's own Layout Instability API across the swap (after a hover), is
  at most 0.01 (and a deliberate shift of the same chart is measured, so the probe works);
- with JavaScript off, every chart page shows every chart as its image (screenshots in
  test-artifacts/, and in `PRIMER_SHOTS_DIR` when set).
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from generator.figures import images
from generator.settings import Settings

pytestmark = pytest.mark.browser

MAX_SWAP_SHIFT = 0.01

# Every layout-shift entry from the start of the page, with the rectangles that moved.
RECORD_SHIFTS = """
window.__shifts = [];
new PerformanceObserver(list => {
  for (const entry of list.getEntries()) {
    window.__shifts.push({
      value: entry.value, input: entry.hadRecentInput,
      rects: (entry.sources || []).flatMap(s => [s.previousRect, s.currentRect])
        .map(r => ({left: r.left, top: r.top, right: r.right, bottom: r.bottom}))});
  }
}).observe({type: "layout-shift", buffered: true});
"""

# Sum of the shifts since entry `from` whose moved rectangles meet the element's box.
SHIFT_IN = """([el, from]) => new Promise(done => requestAnimationFrame(() =>
  requestAnimationFrame(() => setTimeout(() => {
    const box = el.getBoundingClientRect();
    const meets = r => r.right > box.left && r.left < box.right && r.bottom > box.top
      && r.top < box.bottom && r.right > r.left && r.bottom > r.top;
    const after = window.__shifts.slice(from);
    done({region: after.filter(s => s.rects.some(meets)).reduce((t, s) => t + s.value, 0),
          total: after.reduce((t, s) => t + s.value, 0), entries: after.length});
  }, 100))))"""


@pytest.fixture(scope="module")
def with_images(built_site: Settings) -> Settings:
    if images.find_browser(built_site.chrome_path) is None:
        pytest.skip("no Chrome/Chromium here: the site is built without images")
    return built_site


@pytest.mark.parametrize(("width", "height"), [(1280, 900), (412, 823)],
                         ids=["desktop", "phone"])
def test_live_chart_replaces_its_image_without_a_layout_shift(browser, with_images, site_url,
                                                               width, height) -> None:
    context = browser.new_context(viewport={"width": width, "height": height},
                                  color_scheme="light", has_touch=False)
    try:
        page = context.new_page()
        page.add_init_script(RECORD_SHIFTS)
        page.goto(site_url + "history/", wait_until="load")
        chart = page.locator(".primer-chart").first
        # Before: the image, loaded, and no plotly.js (a page load alone never fetches it).
        assert chart.locator(".primer-chart__static").count() == 2
        chart.locator(".primer-chart__static--light img").evaluate(
            "img => img.complete || new Promise(r => img.addEventListener('load', r))")
        assert page.evaluate("typeof window.Plotly") == "undefined"
        assert chart.evaluate("el => el.dataset.state") == "pending"
        box_before = chart.bounding_box()

        chart.scroll_into_view_if_needed()
        start = page.evaluate("window.__shifts.length")
        chart.hover()
        page.wait_for_function(
            "el => el.dataset.state === 'drawn' && el.dataset.ready === 'true'",
            arg=chart.element_handle(), timeout=30_000)
        shift = page.evaluate(SHIFT_IN, [chart.element_handle(), start])

        # The swap happened: the live chart is drawn and the image is gone, in the same box.
        assert chart.locator(".primer-chart__static").count() == 0
        assert chart.locator(".main-svg").count() > 0
        box_after = chart.bounding_box()
        assert (box_after["width"], box_after["height"]) == \
            (box_before["width"], box_before["height"])
        assert shift["region"] <= MAX_SWAP_SHIFT, f"{width} px: swap shifted {shift}"
        assert shift["total"] <= MAX_SWAP_SHIFT, f"{width} px: page shifted {shift}"

        # The probe sees a real shift of the same chart (so the figure above can fail).
        start = page.evaluate("window.__shifts.length")
        chart.evaluate("el => el.closest('figure').insertAdjacentHTML('beforebegin',"
                       " '<div style=\"height:120px\"></div>')")
        moved = page.evaluate(SHIFT_IN, [chart.element_handle(), start])
        assert moved["region"] > MAX_SWAP_SHIFT, f"deliberate shift not measured: {moved}"
    finally:
        context.close()


def _chart_pages(site: Path) -> list[str]:
    manifest = json.loads((site / "figures.json").read_text())
    return sorted({entry["page"] for entry in manifest})


def _shot(page, artifacts: Path, name: str) -> None:
    """The first screen (the whole page with PRIMER_FULL_SHOTS=1), and the page's first chart
    alone (a size one can look at)."""
    from tests.site_visits import FULL_SHOTS

    whole, chart = artifacts / f"nojs-{name}.png", artifacts / f"nojs-{name}-chart.png"
    page.screenshot(path=str(whole), full_page=FULL_SHOTS)
    page.locator("figure.primer-figure").first.screenshot(path=str(chart))
    shots = os.environ.get("PRIMER_SHOTS_DIR")
    if shots:
        Path(shots).mkdir(parents=True, exist_ok=True)
        for path in (whole, chart):
            shutil.copyfile(path, Path(shots) / f"s2-{path.name}")


@pytest.mark.parametrize(("width", "scheme"), [(1280, "light"), (412, "dark")],
                         ids=["desktop-light", "phone-dark"])
def test_without_javascript_every_chart_page_shows_its_images(browser, with_images, site_url,
                                                              artifacts, width,
                                                              scheme) -> None:
    """No script runs: each chart shows its build-time image, decoded and filling its box
    (the light scheme's, Material's default without JavaScript; the phone-width drawing on a
    phone)."""
    pages = _chart_pages(with_images.site_dir)
    assert "history/" in pages and "etfs/" in pages
    context = browser.new_context(viewport={"width": width, "height": 900},
                                  color_scheme=scheme, java_script_enabled=False)
    try:
        page = context.new_page()
        for path in pages:
            page.goto(site_url + path, wait_until="load")
            assert page.evaluate("typeof window.Plotly") == "undefined"
            shown = page.eval_on_selector_all(".primer-chart", """els => els.map(el => {
                const imgs = [...el.querySelectorAll('.primer-chart__static img')]
                  .filter(img => img.getBoundingClientRect().height > 0);
                const box = el.getBoundingClientRect();
                return {id: el.dataset.figure, shown: imgs.length,
                        src: imgs.map(img => img.currentSrc.split('/').pop()),
                        decoded: imgs.every(img => img.complete && img.naturalWidth > 0),
                        fills: imgs.every(img => Math.abs(
                          img.getBoundingClientRect().height - box.height) < 1),
                        height: box.height};
            })""")
            assert shown, f"{path}: no charts"
            for chart in shown:
                where = f"{path or 'home'} {chart['id']}"
                assert chart["shown"] == 1, f"{where}: {chart['shown']} images visible"
                assert chart["decoded"] and chart["fills"], f"{where}: image not shown {chart}"
                assert chart["height"] >= 300, f"{where}: chart box {chart['height']} px"
                narrow = width <= 640
                assert chart["src"][0] == f"{chart['id']}{'.narrow' if narrow else ''}.svg", \
                    f"{where}: wrong drawing {chart['src']}"
            if path in ("history/", "etfs/"):
                _shot(page, artifacts, f"{path.strip('/')}-{width}-{scheme}")
    finally:
        context.close()


def test_a_shared_links_card_is_served_as_a_1200_by_630_png(with_images, site_url) -> None:
    """What a link preview fetches: each card named by a chart page's og:image, requested over
    HTTP from the served site (SITE_URL swapped for the local server), is a 1200 x 630 PNG."""
    import re
    import struct
    import urllib.request

    for path in ("", "history/", "etfs/", "market-update/"):
        html = (with_images.site_dir / path / "index.html").read_text()
        image = re.search(r'<meta property="og:image" content="([^"]+)"', html).group(1)
        assert image.startswith(with_images.site_url), f"{path or 'home'}: {image}"
        with urllib.request.urlopen(site_url + image.removeprefix(with_images.site_url)) as got:
            assert got.status == 200
            assert got.headers.get_content_type() == "image/png"
            head = got.read(24)
        assert head[:8] == b"\x89PNG\r\n\x1a\n" and struct.unpack(">II", head[16:24]) == \
            (1200, 630), f"{path or 'home'}: {image} is not a 1200 x 630 PNG"
