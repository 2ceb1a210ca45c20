"""Build-time chart images and preview cards (generator/figures/images.py, templates.py):
the pieces by hand, then the built site - every chart page carries its images where a browser
exists, and every page a 1200 x 630 card named absolutely from SITE_URL."""

from __future__ import annotations

import json
import re
import struct
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.figures import images, templates
from generator.settings import Settings

# ---- pieces -------------------------------------------------------------------------------


def test_thin_keeps_first_last_and_each_columns_extremes() -> None:
    y = np.array([5, 1, 9, 3, 4, 8, 2, 6, 7, 0, 3, 5], dtype=float)
    # 3 columns of 4 points: [5,1,9,3] [4,8,2,6] [7,0,3,5] -> first, lowest and highest of
    # each (0,1,2 | 4,6,5 | 8,9,8) and the last point (11)
    assert list(images.thin_indices(y, 3)) == [0, 1, 2, 4, 5, 6, 8, 9, 11]


def test_thin_leaves_short_series_alone() -> None:
    assert list(images.thin_indices(np.arange(10.0), 5)) == list(range(10))


def runs_thinned(y: np.ndarray, columns: int) -> list[int]:
    """thin_indices' rule one run at a time, as np.array_split cuts the runs."""
    keep = {0, len(y) - 1}
    for run in np.array_split(np.arange(len(y)), columns):
        window = y[run]
        keep.add(int(run[0]))
        if np.isfinite(window).any():
            keep.update((int(run[np.nanargmin(window)]), int(run[np.nanargmax(window)])))
        if (~np.isfinite(window)).any():
            keep.add(int(run[~np.isfinite(window)][0]))
    return sorted(keep)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(st.none(), st.floats(-1e6, 1e6), st.sampled_from([1.0, 2.0])),
                min_size=3, max_size=400), st.integers(1, 120))
def test_thin_keeps_what_each_run_would_keep(values: list[float | None], columns: int) -> None:
    # Runs of unequal length (n % columns of them one longer), ties, gaps, all-gap runs.
    y = np.array(values, dtype=object)
    expected = (runs_thinned(np.array([np.nan if v is None else v for v in values]), columns)
                if len(values) > 2 * columns else list(range(len(values))))
    assert list(images.thin_indices(y, columns)) == expected


def test_thinned_figure_keeps_spikes_and_shortens_long_lines() -> None:
    y = [1.0] * 5000
    y[1234] = 50.0  # a one-day spike must survive
    figure = {"data": [{"type": "scatter", "x": [f"d{i}" for i in range(5000)], "y": y}],
              "layout": {}}
    trace = images.thinned(figure, 100)["data"][0]
    assert len(trace["x"]) == len(trace["y"]) <= 3 * 100 + 1
    assert max(trace["y"]) == 50.0 and "d1234" in trace["x"]
    assert trace["x"][0] == "d0" and trace["x"][-1] == "d4999"


def test_dark_svg_swaps_only_theme_colours() -> None:
    svg = ('<text style="fill: rgb(0, 0, 0); fill-opacity: 0.87;">1990</text>'
           '<path style="stroke: rgb(0, 0, 0); stroke-opacity: 0.07;"/>'
           '<path style="stroke: rgb(213, 94, 0); stroke-opacity: 1;"/>')
    dark = templates.recolour_svg(svg)
    assert "fill: rgb(226, 228, 233); fill-opacity: 0.82" in dark  # Material slate text
    assert "stroke: rgb(226, 228, 233); stroke-opacity: 0.12" in dark  # slate grid
    assert "stroke: rgb(213, 94, 0); stroke-opacity: 1" in dark  # the Russell 2000's colour
    title = 'style="opacity: 0.87; fill: rgb(0, 0, 0); fill-opacity: 1;"'  # an axis title
    assert "fill: rgb(226, 228, 233); fill-opacity: 1" in templates.recolour_svg(title)


def test_templates_are_materials_text_colours() -> None:
    both = templates.templates()
    assert both["default"]["layout"]["font"]["color"] == "rgba(0,0,0,0.87)"
    assert both["slate"]["layout"]["font"]["color"] == "rgba(226,228,233,0.82)"


def test_phone_layout_keeps_a_small_y_title_and_uses_small_text() -> None:
    layout = {"yaxis": {"title": {"text": "Value"}}, "xaxis": {"type": "date"}}
    narrow = templates.sized_layout(layout, 360)
    wide = templates.sized_layout(layout, 760)
    assert narrow["yaxis"]["title"]["text"] == "Value" and narrow["font"]["size"] == 11
    assert narrow["yaxis"]["title"]["font"]["size"] == 10
    assert wide["yaxis"]["title"]["text"] == "Value" and wide["font"]["size"] == 13
    assert layout["yaxis"]["title"]["text"] == "Value"  # the figure itself is not changed


def test_card_paths() -> None:
    assert images.card_path("history.md") == "assets/cards/history.png"
    assert images.card_path("index.md") == "assets/cards/index.png"
    assert images.card_path("market-update/archive/2026-08-14.md") == \
        "assets/cards/market-update-archive.png"


def test_a_named_browser_that_is_missing_means_no_images(tmp_path: Path) -> None:
    assert images.find_browser(str(tmp_path / "no-such-chrome")) is None


def test_without_a_browser_charts_have_no_images(tmp_path: Path) -> None:
    """No browser and nothing cached: the build goes on, pages get no image markup."""
    from generator.pages.embed import render_static

    (tmp_path / "docs" / "figures").mkdir(parents=True)
    (tmp_path / "docs" / "figures" / "f.json").write_text('{"data": [], "layout": {}}')
    charts = images.ChartImages(tmp_path / "docs", images.ImageCache(tmp_path / "c"), None,
                                log=lambda _: None)
    charts.add("f")
    made = charts.finish()
    assert made == {}
    assert not list((tmp_path / "docs" / "figures").glob("*.svg"))

    class Result:
        images = None

    assert render_static(Result(), "../") == ""  # type: ignore[arg-type]


# ---- the built site -----------------------------------------------------------------------

def test_plotly_random_ids_become_the_cache_keys() -> None:
    svg = (b'<svg><defs id="defs-0a1b2c"><clipPath id="clip0a1b2cxyplot"/></defs>'
           b'<g clip-path="url(#clip0a1b2cxyplot)"><g class="trace scatter trace7cc166"/>'
           b'<g class="trace bars trace0a0a0a"/><path d="M0a1b2c"/></g>'
           b'<clipPath id="legend8914d9"/><g clip-path="url(#legend8914d9)"/></svg>')
    stable = images.stable_ids(svg, "ffee99" + "0" * 58)
    assert stable == (b'<svg><defs id="defs-ffee00"><clipPath id="clipffee00xyplot"/></defs>'
                      b'<g clip-path="url(#clipffee00xyplot)">'
                      b'<g class="trace scatter traceffee01"/>'
                      b'<g class="trace bars traceffee02"/><path d="M0a1b2c"/></g>'
                      b'<clipPath id="legendffee03"/><g clip-path="url(#legendffee03)"/></svg>')
    # Attributes in either order come out sorted; text and escaped quotes are left as they are.
    either = [b'<rect class="bg" width="66" style="fill: red"/><text x="1">a &gt; "b"</text>',
              b'<rect style="fill: red" class="bg" width="66" /><text x="1">a &gt; "b"</text>']
    assert {images.stable_ids(svg, "ab" * 32) for svg in either} == {
        b'<rect class="bg" style="fill: red" width="66"/><text x="1">a &gt; "b"</text>'}
    assert images.stable_ids(b"<svg/>", "ab" * 32) == b"<svg/>"


def test_a_reused_tab_draws_what_a_fresh_one_draws() -> None:
    """Kaleido reloads a tab after each image; ours reuses it: the same charts, twice in one
    session, come out byte-identical to a fresh session's (ids made stable)."""
    browser = images.find_browser()
    if browser is None:
        pytest.skip("no Chrome/Chromium here")
    line = {"data": [{"type": "scatter", "x": [1, 2, 3], "y": [3, 1, 2], "name": "one"},
                     {"type": "scatter", "x": [1, 2, 3], "y": [1, 2, 3], "name": "two"}],
            "layout": {"title": {"text": "a"}}}  # two lines: a legend, with its own clip id
    bars = {"data": [{"type": "bar", "x": ["a", "b"], "y": [2, 5]}], "layout": {}}
    jobs = [(line, "svg", (300, 200)), (bars, "svg", (300, 200))]
    reused = images.Renderer(browser, tabs=1)
    fresh = images.Renderer(browser, tabs=1)
    try:
        first = reused.render(jobs)
        again = reused.render(jobs)
        alone = fresh.render(jobs[1:])
    finally:
        reused.close()
        fresh.close()
    key = "c0ffee" + "0" * 58
    same = [images.stable_ids(svg, key) for svg in (*first, *again, *alone)]
    assert same[0] == same[2] and same[1] == same[3] == same[4]
    assert same[0] != same[1] and b"<path" in same[1]


def _png_size(path: Path) -> tuple[int, int]:
    head = path.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    return struct.unpack(">II", head[16:24])


@pytest.fixture(scope="module")
def with_browser(built_site: Settings) -> Settings:
    if images.find_browser(built_site.chrome_path) is None:
        pytest.skip("no Chrome/Chromium here: the site is built without images")
    return built_site


def test_every_chart_has_its_images_on_its_page(with_browser: Settings) -> None:
    site = with_browser.site_dir
    manifest = json.loads((with_browser.docs_dir / "figures.json").read_text())
    assert len(manifest) > 20
    for entry in manifest:
        fid = entry["id"]
        html = (site / entry["page"] / "index.html").read_text()
        box = re.search(rf'<div class="primer-chart" data-figure="{fid}".*?</div>', html, re.S)
        assert box, f"{fid}: no chart box on {entry['page'] or 'home'}"
        for name in (f"{fid}.svg", f"{fid}.dark.svg", f"{fid}.narrow.svg",
                     f"{fid}.narrow.dark.svg"):
            assert f"figures/{name}" in box.group(0), f"{fid}: page lacks {name}"
            svg = (site / "figures" / name).read_text()
            assert svg.startswith("<svg") and "<path" in svg, f"{name} is not a drawn chart"


def test_every_page_has_a_preview_card(with_browser: Settings) -> None:
    site, url = with_browser.site_dir, with_browser.site_url
    pages = sorted(site.rglob("index.html"))
    assert len(pages) > 20
    for page in pages:
        html = page.read_text()
        if 'http-equiv="refresh"' in html:
            continue  # a redirect stub, not a page
        tags = dict(re.findall(r'<meta (?:property|name)="((?:og|twitter):[a-z:]+)" '
                               r'content="([^"]*)"', html))
        where = page.relative_to(site).as_posix()
        for tag in ("og:title", "og:description", "og:image", "twitter:card"):
            assert tags.get(tag), f"{where}: no {tag}"
        assert tags["twitter:card"] == "summary_large_image"
        assert (tags.get("og:image:type"), tags.get("og:image:width"),
                tags.get("og:image:height")) == ("image/png", "1200", "630"), where
        assert tags.get("twitter:image") == tags["og:image"], f"{where}: twitter:image differs"
        assert tags["og:image"].startswith(url), f"{where}: og:image not absolute from SITE_URL"
        card = site / tags["og:image"].removeprefix(url)
        assert card.is_file(), f"{where}: {tags['og:image']} is not in the site"
        assert _png_size(card) == (1200, 630)


def test_history_card_is_its_lead_chart(with_browser: Settings) -> None:
    html = (with_browser.site_dir / "history" / "index.html").read_text()
    first = re.search(r'data-figure="([^"]+)"', html).group(1)
    docs = (with_browser.docs_dir / "history.md").read_text()
    assert "card: assets/cards/history.png" in docs.split("\n---", 1)[0]
    assert first == "r2k-growth-price"  # the page's first chart, drawn on the card


def test_feed_shows_the_days_chart_in_the_newest_entry(with_browser: Settings) -> None:
    feed = (with_browser.site_dir / "feed.xml").read_text()
    entries = feed.split("<entry>")[1:]
    image = f"{with_browser.site_url}figures/market-update-year.svg"
    assert image in entries[0]
    assert all(image not in entry for entry in entries[1:])
