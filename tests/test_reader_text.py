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
# Known, not yet fixed (page, kind): each entry would be a defect to remove, not a licence.
# Empty: every page speaks in words; a new slip anywhere fails the test.
KNOWN: set[tuple[str, str]] = set()
# Elements whose text stands apart from its neighbours' (table cells must not run together
# into one number: "0.05" and "8.7%" are not "0.058.7%").
_SEPARATE = ("td", "th", "caption", "li", "p", "dt", "dd", "summary", "h1", "h2", "h3", "h4",
             "figcaption", "div", "br")


def reader_text(page: Path) -> tuple[str, list[str]]:
    """The article's text without method notes (figure source/method lines, collapsed "How
    this … is computed" boxes), and its code spans."""
    tree = html.parse(str(page))
    method_notes = ('//*[contains(@class, "primer-figure__meta")] | //script | //style'
                    ' | //details[starts-with(normalize-space(summary), "How this")]')
    for node in tree.xpath(method_notes):
        node.getparent().remove(node)
    for node in tree.iter(*_SEPARATE):
        node.tail = " " + (node.tail or "")
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


def test_table_cells_are_read_apart(tmp_path: Path) -> None:
    """Neighbouring cells never merge into a fraction, and a raw fraction in a cell is caught."""
    (tmp_path / "t").mkdir()
    (tmp_path / "t" / "index.html").write_text(
        "<html><body><article><table><tr><td>0.0</td><td>508</td><td>8.6%</td></tr>"
        "<tr><td>0.1160</td><td>$88,099</td></tr></table></article></body></html>")
    assert slips(tmp_path) == {("t/index.html", "raw fraction"): ["0.1160"]}


def test_reader_pages_speak_in_words(built_site: Settings) -> None:
    found = slips(built_site.site_dir)
    new = {key: hits for key, hits in found.items() if key not in KNOWN}
    assert new == {}, "machine language on reader pages: " + "; ".join(
        f"{page} ({kind}): {', '.join(hits[:5])}" for (page, kind), hits in sorted(new.items()))
    # The desk note's footnotes are in words on every archive day.
    archive = sorted((built_site.site_dir / "market-update" / "archive").rglob("index.html"))
    assert archive and all("Based on: Russell 2000" in p.read_text() for p in archive[:5])


def _cells(page: Path, header: str) -> list[str]:
    """The text of every cell in the column headed `header`, in each table that has one."""
    tree = html.parse(str(page))
    cells = []
    for table in tree.xpath("//article//table"):
        heads = [" ".join(th.text_content().split()) for th in table.xpath(".//thead//th")]
        if header in heads:
            at = heads.index(header) + 1
            cells += [" ".join(td.text_content().split())
                      for td in table.xpath(f".//tbody/tr/td[{at}]")]
    return cells


def test_differences_of_percentages_print_in_points(built_site: Settings, store) -> None:
    """A gap between two percentages reads in percentage points, never "%": the rolling
    three-year gap on Comparison and the regime differences on Scenarios."""
    from generator.topics.comparison.data import comparison_facts
    from generator.topics.scenarios.data import scenarios_facts
    from generator.units import Points

    def pct_gap(gap: Points, digits: int = 1) -> str:  # a gap in points, as pages print it
        assert isinstance(gap, Points)
        return format(gap.with_digits(digits), "+short")

    site = built_site.site_dir
    gap = comparison_facts(store)["compare"]["diff_price"]
    text = " ".join(reader_text(site / "comparison" / "index.html")[0].split())
    low, high = pct_gap(gap["min"]), pct_gap(gap["max"])
    assert low.endswith(" pp") and low.startswith("−")  # the worst stretch: small caps behind
    assert f"The gap ranged from {low} a year" in text
    assert f"to {high} a year" in text
    assert f"{pct_gap(gap['min'])[:-3]}% a year" not in text

    regimes = scenarios_facts(store)["scenarios"]["regime"]
    expected = [pct_gap(regimes[key][side]["relative"], 2)
                for key in ("fed", "growth", "credit") for side in ("on", "off")]
    page = site / "scenarios" / "index.html"
    assert _cells(page, "Difference") == expected
    assert all(cell.endswith(" pp") and "%" not in cell for cell in expected)
    # The strategies page's value-minus-growth column, the same way.
    column = _cells(site / "strategies" / "index.html", "Value − growth")
    assert column and all(cell.endswith(" pp") for cell in column)
