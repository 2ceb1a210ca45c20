"""The link checker: a tiny hand-made site with known breakage, and the real built site."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.cli import main
from generator.linkcheck import check_site, is_external

INDEX = """<!doctype html><html><head>
<link rel="stylesheet" href="assets/site.css">
<link rel="preconnect" href="https://fonts.example.org">
<script src="assets/missing.js"></script>
</head><body>
<h1 id="top">Home</h1>
<a href="guide/">guide</a>
<a href="guide/#intro">guide intro</a>
<a href="guide/#nowhere">broken anchor</a>
<a href="missing.html">broken file</a>
<a href="#top">own anchor</a>
<a href="#bottom">broken own anchor</a>
<a href="../outside.html">outside</a>
<a href="guide/index.html#old-name">a name anchor</a>
<a href="assets/site.css#x">anchor into css</a>
<a href="guide/?q=1">query</a>
<a href="https://example.org/page#frag">external</a>
<a href="mailto:someone@example.org">mail</a>
<a href="//cdn.example.org/x.js">protocol relative</a>
<img src="img/a.png" srcset="img/a.png 1x, img/b.png 2x" alt="">
<a href="guide%20notes/">percent-encoded folder</a>
</body></html>
"""

GUIDE = """<!doctype html><html><body>
<h2 id="intro">Intro</h2><a name="old-name"></a>
<a href="../#top">back home</a>
<a href="/index.html#top">root-relative</a>
<a href="../empty/">folder without index</a>
</body></html>
"""


@pytest.fixture()
def tiny_site(tmp_path: Path) -> Path:
    site = tmp_path / "site"
    for path, text in {
        "index.html": INDEX, "guide/index.html": GUIDE, "assets/site.css": "body{}",
        "img/a.png": "png", "guide notes/index.html": "<p id='n'>notes</p>",
    }.items():
        (site / path).parent.mkdir(parents=True, exist_ok=True)
        (site / path).write_text(text)
    (site / "empty").mkdir()
    return site


def test_tiny_site_reports_exactly_the_broken_links(tiny_site: Path) -> None:
    report = check_site(tiny_site)
    broken = {(b.reference.page, b.reference.url): b.reason for b in report.broken}
    assert broken == {
        ("index.html", "assets/missing.js"): "no file assets/missing.js",
        ("index.html", "guide/#nowhere"): 'no id "nowhere" in guide/index.html',
        ("index.html", "missing.html"): "no file missing.html",
        ("index.html", "#bottom"): 'no id "bottom" in index.html',
        ("index.html", "../outside.html"): "points outside the site folder",
        ("index.html", "assets/site.css#x"):
            "#x points into assets/site.css, which is not an HTML page",
        ("index.html", "img/b.png"): "no file img/b.png",
        ("guide/index.html", "../empty/"): "folder empty has no index.html",
    }
    assert report.pages == 3
    assert sorted(report.external) == [
        "//cdn.example.org/x.js", "https://example.org/page#frag", "mailto:someone@example.org"]
    assert "https://fonts.example.org" not in report.external  # a preconnect hint, not a link
    # Every link whose file resolves is counted (12 in index.html, 2 in the guide), and every
    # #fragment among them was looked up (8, of which 3 are broken above).
    assert (report.internal, report.anchors) == (14, 8)


def test_cli_prints_one_line_per_broken_link_and_fails(tiny_site: Path, capsys) -> None:
    assert main(["linkcheck", "--site", str(tiny_site)]) == 1
    out = capsys.readouterr().out.splitlines()
    broken = [line for line in out if line.startswith("broken: ")]
    assert len(broken) == 8
    assert "broken: index.html:10: <a href=\"missing.html\">: no file missing.html" in broken
    assert any(line.startswith("linkcheck ") and line.endswith("8 broken") for line in out)
    assert "  external: mailto:someone@example.org" in out


def test_cli_without_a_site_says_so(tmp_path: Path, capsys) -> None:
    assert main(["linkcheck", "--site", str(tmp_path / "nope")]) == 2
    assert "no built site" in capsys.readouterr().err


def test_fixing_the_links_makes_the_check_pass(tiny_site: Path) -> None:
    (tiny_site / "index.html").write_text(
        '<a id="top" href="guide/#intro">ok</a><a href="#top">ok</a>'
        '<a href="guide%20notes/#n">ok</a>')
    (tiny_site / "guide/index.html").write_text('<p id="intro"><a href="../">up</a></p>')
    report = check_site(tiny_site)
    assert report.ok and report.broken == []
    assert (report.internal, report.anchors) == (4, 3)


@pytest.mark.parametrize(("url", "external"), [
    ("https://a.org/", True), ("mailto:x@y.z", True), ("//cdn.org/a.js", True),
    ("data:image/png;base64,AAAA", True), ("history/", False), ("#x", False),
    ("../a.html", False), ("/abs/path", False),
])
def test_is_external(url: str, external: bool) -> None:
    assert is_external(url) is external


def test_real_built_site_has_no_broken_link(built_site) -> None:
    report = check_site(built_site.site_dir)
    assert [str(b) for b in report.broken] == []
    pages = {p.relative_to(built_site.site_dir).as_posix()
             for p in built_site.site_dir.rglob("*.html")}
    assert {"index.html", "history/index.html"} <= pages
    assert report.pages == len(pages)
    # Non-vacuous: nav links between pages and the table-of-contents anchors were checked.
    assert report.internal >= 5 * report.pages
    assert report.anchors > 0
