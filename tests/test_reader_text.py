"""Reader text carries no machine language: no series ids, file paths, make targets, code-style
rule or fact names and no raw fractions, on any built page. A figure's source/method line (its
method note) and the CSVs may name series ids; they are left out of the check."""

from __future__ import annotations

import re
from pathlib import Path

from lxml import html

from generator.catalog import SERIES
from generator.settings import Settings

_IDS = sorted({s.id for s in SERIES if s.source == "fred" or s.id.startswith("^")})
PATTERNS = {
    "series id": re.compile(r"(?<![\w^])(" + "|".join(map(re.escape, _IDS)) + r")(?!\w)"),
    "file path": re.compile(r"\b[\w.-]+/[\w./-]*\.(?:csv|py|json|parquet|gz|yml|md)\b"
                            r"|\bdata/(?:reference|store)\b"),
    "make target": re.compile(r"\bmake (?:update|site|test|serve|bench|lint)\b"),
    "raw fraction": re.compile(r"(?<![\d.,])[−-]?0\.\d{4,}(?![\d%])"),
}
# Known, not yet fixed (page, kind): each entry is a defect to remove, not a licence. A new
# page or a new kind of slip on a listed page fails the test.
KNOWN = {
    ("century-of-size/index.html", "raw fraction"),  # decile returns table (no % axis)
    ("strategies/index.html", "raw fraction"),  # core-satellite grid index, hedge tables
    ("valuation/index.html", "raw fraction"),  # size valuation spread table
    ("glossary/index.html", "series id"),  # the glossary names the tickers it defines
    ("faq/index.html", "series id"),  # "The Russell 2000's level (^RUT)"
    ("risks/index.html", "series id"),
    ("drivers/index.html", "series id"),  # USREC in a sentence on recessions
    ("year-in-review/index.html", "series id"),  # "DGS10 and DGS2 are …" below the rates table
}


def reader_text(page: Path) -> tuple[str, list[str]]:
    """The article's text without method notes (figure source/method lines, collapsed "How
    this … is computed" boxes), and its code spans."""
    tree = html.parse(str(page))
    method_notes = ('//*[contains(@class, "primer-figure__meta")] | //script | //style'
                    ' | //details[starts-with(normalize-space(summary), "How this")]')
    for node in tree.xpath(method_notes):
        node.getparent().remove(node)
    article = tree.xpath("//article") or tree.xpath("//body")
    text = " ".join(a.text_content() for a in article)
    codes = [c.text_content() for a in article for c in a.xpath(".//code")]
    return text, codes


def slips(site: Path) -> dict[tuple[str, str], list[str]]:
    found: dict[tuple[str, str], list[str]] = {}
    for page in sorted(site.rglob("*.html")):
        if "assets" in page.parts:
            continue
        name = page.relative_to(site).as_posix()
        text, codes = reader_text(page)
        for kind, pattern in PATTERNS.items():
            hits = sorted({m.group(0) for m in pattern.finditer(text)})
            if hits:
                found[(name, kind)] = hits
        if codes:
            found[(name, "code-style name")] = sorted(set(codes))
    return found


def test_the_check_catches_each_kind_of_slip(tmp_path: Path) -> None:
    (tmp_path / "p").mkdir()
    (tmp_path / "p" / "index.html").write_text(
        "<html><body><article><p>Rule <code>day-up</code>: r2k.change.d1 = 0.00850145; "
        "DGS10 from data/reference/expense_ratios.csv (make update).</p>"
        '<p class="primer-figure__meta">Source: FRED (DGS2)</p></article></body></html>')
    found = slips(tmp_path)
    assert found[("p/index.html", "raw fraction")] == ["0.00850145"]
    assert found[("p/index.html", "series id")] == ["DGS10"]  # DGS2 is in the method line
    assert found[("p/index.html", "file path")] == ["data/reference/expense_ratios.csv"]
    assert found[("p/index.html", "make target")] == ["make update"]
    assert found[("p/index.html", "code-style name")] == ["day-up"]


def test_reader_pages_speak_in_words(built_site: Settings) -> None:
    found = slips(built_site.site_dir)
    new = {key: hits for key, hits in found.items() if key not in KNOWN}
    assert new == {}, "machine language on reader pages: " + "; ".join(
        f"{page} ({kind}): {', '.join(hits[:5])}" for (page, kind), hits in sorted(new.items()))
    # The desk note's footnotes are in words on every archive day.
    archive = sorted((built_site.site_dir / "market-update" / "archive").rglob("index.html"))
    assert archive and all("Based on: Russell 2000" in p.read_text() for p in archive[:5])
