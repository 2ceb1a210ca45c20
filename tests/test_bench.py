"""`make bench` pieces (generator/bench.py) on the session's built site: page weights against
naive embedding, page families, the gzip server Lighthouse is pointed at."""

from __future__ import annotations

import gzip
import json
import shutil
import urllib.request

from generator.bench import (
    LighthouseRun,
    Report,
    chart_in_first_screen,
    gz,
    median_run,
    naive_chart_html,
    page_families,
    page_weights,
    serve,
)


def test_page_weights_add_up_and_beat_naive_embedding(built_site) -> None:
    site = built_site.site_dir
    weights = {w.path: w for w in page_weights(site, plotly_gz=1_000, naive=False)}
    history = weights["history/"]
    manifest = [e for e in json.loads((site / "figures.json").read_text())
                if e["page"] == "history/"]
    assert history.charts == len(manifest) > 0
    assert history.html == (site / "history/index.html").stat().st_size
    assert history.json == sum((site / e["json"]).stat().st_size for e in manifest)
    assert history.own == history.html + history.json and history.own_gz < history.own
    assert weights[""].path == "" and weights[""].html > 0
    if history.image:  # built with a browser: one SVG per chart counted, four on disk
        light = [site / "figures" / f"{e['id']}.svg" for e in manifest]
        assert history.image == sum(p.stat().st_size for p in light)
        assert history.image_all > 3 * history.image
    # One chart the naive way carries all of plotly.js: far heavier than our whole page.
    naive = naive_chart_html((site / manifest[0]["json"]).read_text())
    assert "Plotly.newPlot" in naive and len(naive) > 3_000_000 > history.own


def test_page_families_group_template_pages_only() -> None:
    pages = ["", "history/", *[f"market-update/archive/2026-08-{d:02d}/" for d in range(1, 7)],
             "a/b/", "a/c/"]
    families = page_families(pages)
    assert set(families) == {f"market-update/archive/2026-08-{d:02d}/" for d in range(1, 7)}
    assert set(families.values()) == {"market-update/archive/"}


def test_gzip_server_and_report(tmp_path) -> None:
    (tmp_path / "index.html").write_text("<p>" + "small caps " * 200 + "</p>")
    with serve(tmp_path) as url:
        request = urllib.request.Request(url, headers={"Accept-Encoding": "gzip"})
        with urllib.request.urlopen(request) as response:
            assert response.headers["Content-Encoding"] == "gzip"
            body = gzip.decompress(response.read()).decode()
    assert body.count("small caps") == 200
    assert gz(body.encode()) < len(body)
    report = Report()
    report.add("build: total (wall clock)", "1.00 s full", "≤ 20 s", "yes")
    text = report.render("bench")
    assert "build: total" in text and "≤ 20 s" in text


def test_a_chart_after_a_short_intro_is_in_the_first_screen() -> None:
    chart = '<div class="primer-chart" data-figure="x"></div>'
    assert chart_in_first_screen(f"<article><p>{'word ' * 20}</p>{chart}".encode())
    assert not chart_in_first_screen(f"<article><p>{'word ' * 200}</p>{chart}".encode())
    assert not chart_in_first_screen(b"<article><p>No chart here.</p></article>")


def test_first_screen_is_measured_at_lighthouses_phone_viewport(built_site, tmp_path) -> None:
    """Measured in Chromium at 412 x 823: a page that opens with its chart counts, one whose
    chart sits below a screenful of prose does not, and a page without charts never does."""
    from generator.bench import charts_on_first_screen, serve

    site = tmp_path / "site"
    shutil.copytree(built_site.site_dir / "assets", site / "assets")
    history = (built_site.site_dir / "history" / "index.html").read_text()
    start = history.index("<article")
    body = history.index(">", start) + 1
    long_intro = "<p>" + "Small caps are a large part of the market. " * 120 + "</p>"
    figure = history.index('<figure class="primer-figure"')
    for name, html in (("top", history[:body] + history[figure:]),
                       ("below", history[:body] + long_intro + history[body:]),
                       ("none", "<html><body><article><p>No chart.</p></article></body></html>")):
        (site / name).mkdir()
        (site / name / "index.html").write_text(html)
    with serve(site) as url:
        found = charts_on_first_screen(url, ["top/", "below/", "none/"])
    assert found == {"top/"}


def test_the_median_run_is_reported_and_a_failed_run_does_not_count() -> None:
    def run(score: float | None, error: str = "") -> LighthouseRun:
        return LighthouseRun(page="etfs/", preset="mobile", score=score, error=error)

    assert median_run([run(92), run(99), run(88)]).score == 92
    assert median_run([run(97), run(None, "timed out"), run(90)]).score == 90  # lower middle
    assert median_run([run(95)]).score == 95
    assert median_run([run(None, "a"), run(None, "b")]).error == "b"
