"""The built site: manifest, CSVs, pages, and figure values checked against the raw snapshot."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
import yaml

from generator.figures.spec import REGISTRY
from tests.conftest import ROOT
from tests.snapshot_raw import raw_close


def nav_pages(nav: list) -> list[str]:
    pages = []
    for entry in nav:
        value = next(iter(entry.values())) if isinstance(entry, dict) else entry
        pages.extend(nav_pages(value) if isinstance(value, list) else [value])
    return pages


@pytest.fixture(scope="module")
def manifest(built_site) -> list[dict]:
    return json.loads((built_site.site_dir / "figures.json").read_text())


def test_manifest_lists_every_figure_with_provenance(built_site, manifest):
    assert sorted(m["id"] for m in manifest) == sorted(REGISTRY)
    for entry in manifest:
        assert entry["title"] and entry["takeaway"] and entry["method"], entry["id"]
        assert entry["sources"], entry["id"]
        assert len(entry["as_of"]) == 10
        for key in ("csv", "json"):
            assert (built_site.site_dir / entry[key]).is_file(), entry[key]
        for extra in entry["extra_csv"]:
            assert (built_site.site_dir / extra).is_file(), extra
        page = built_site.site_dir / entry["page"] / "index.html"
        assert page.is_file(), entry["page"]
        assert f'id="{entry["id"]}"' in page.read_text(), f"{entry['id']} not on {entry['page']}"


def test_every_nav_page_exists(built_site):
    config = yaml.load((ROOT / "mkdocs.yml").read_text(), Loader=yaml.BaseLoader)
    for page in nav_pages(config["nav"]):
        stem = page.removesuffix(".md").removesuffix("index")
        assert (built_site.site_dir / stem / "index.html").is_file(), page


def test_plotly_js_is_shipped_once_and_never_from_a_cdn(built_site):
    bundles = list(built_site.site_dir.rglob("plotly*.js"))
    assert len(bundles) == 1
    for html in built_site.site_dir.rglob("*.html"):
        text = html.read_text()
        assert "cdn.plot.ly" not in text and text.count("plotly") <= 3, html


def test_no_script_holds_up_the_first_paint(built_site):
    """Every external script of ours is deferred; Material's bundle is inert text that the
    inline starter (overrides/partials/javascripts/material.js) loads on the reader's first
    interaction, and it stands in for the bundle's document$ meanwhile. A page's search finds
    no archived daily note (one latest update, not 37 copies)."""
    import re

    for page in ("index.html", "history/index.html", "market-update/index.html"):
        html = (built_site.site_dir / page).read_text()
        sources = re.findall(r"<script src=\"([^\"]+)\"([^>]*)>", html)
        bundle, *ours = sources
        assert "/bundle." in "/" + bundle[0], page
        assert bundle[1].split() == ['type="text/plain"', "data-primer-bundle"], page
        assert [Path(src).name for src, _ in ours] == ["charts.js", "checklist.js", "a11y.js"]
        assert all(attrs.split() == ["defer"] for _, attrs in ours), (page, sources)
        assert html.index(f'<script src="{bundle[0]}"') < html.index("[data-primer-bundle]"), page
    index = json.loads((built_site.site_dir / "search" / "search_index.json").read_text())
    locations = {doc["location"] for doc in index["docs"]}
    assert any(loc.startswith("market-update/") and "archive" not in loc for loc in locations)
    assert not [loc for loc in locations if loc.startswith("market-update/archive/20")]


def test_calendar_year_csv_has_one_row_per_complete_year(built_site, raw_dir):
    csv = pd.read_csv(built_site.site_dir / "figures" / "r2k-calendar-year-returns.csv")
    assert list(csv.columns) == ["year", "russell_2000_pct", "sp_500_pct"]
    rut, spx = raw_close(raw_dir, "^RUT"), raw_close(raw_dir, "^GSPC")
    last_year = rut.index[-1].year
    assert csv["year"].tolist() == list(range(1988, last_year))
    row = csv.set_index("year").loc[2019]
    assert row.russell_2000_pct == pytest.approx((1668.47 / 1348.56 - 1) * 100, abs=0.01)
    spx_2019 = spx.loc["2019-12-31"] / spx.loc[:"2018-12-31"].iloc[-1] - 1
    assert row.sp_500_pct == pytest.approx(spx_2019 * 100, abs=0.01)
    assert csv.set_index("year").loc[2008].russell_2000_pct == pytest.approx(-34.80, abs=0.005)


def test_growth_csv_starts_at_10000_and_follows_the_index(built_site, raw_dir):
    csv = pd.read_csv(built_site.site_dir / "figures" / "r2k-growth-price.csv", index_col=0,
                      parse_dates=True)
    rut = raw_close(raw_dir, "^RUT")
    assert csv.index[0] == rut.index[0]
    assert csv["russell_2000_usd"].iloc[0] == pytest.approx(10_000)
    expected = 10_000 * rut.loc["2008-12-31"] / rut.iloc[0]
    assert csv.loc["2008-12-31", "russell_2000_usd"] == pytest.approx(expected)


def test_worst_drawdowns_csv_has_the_2007_2009_bear_market_first(built_site, raw_dir):
    csv = pd.read_csv(built_site.site_dir / "figures" / "r2k-worst-drawdowns.csv")
    rut = raw_close(raw_dir, "^RUT")
    peak = rut.loc[:"2008-12-31"].idxmax()
    trough = rut.loc["2008-01-01":"2009-12-31"].idxmin()
    first = csv.iloc[0]
    assert (first.peak, first.trough) == (f"{peak:%Y-%m-%d}", f"{trough:%Y-%m-%d}")
    assert first.depth == pytest.approx(rut[trough] / rut[peak] - 1)


def test_home_page_shows_the_latest_close_with_its_date(built_site, raw_dir):
    rut = raw_close(raw_dir, "^RUT")
    html = (built_site.site_dir / "index.html").read_text()
    assert f"{rut.iloc[-1]:,.2f}" in html
    assert f"{rut.index[-1].day} {rut.index[-1]:%B %Y}" in html


def test_figure_captions_carry_source_as_of_method_and_csv(built_site):
    html = (built_site.site_dir / "history" / "index.html").read_text()
    for figure_id in ("r2k-growth-price", "r2k-calendar-year-returns", "r2k-drawdown"):
        block = html[html.index(f'id="{figure_id}"'):]
        block = block[: block.index("</figure>")]
        for needle in ("Source:", "As of 20", "Method:", f"figures/{figure_id}.csv"):
            assert needle in block, (figure_id, needle)
