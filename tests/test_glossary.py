"""The glossary: one source, a page and tooltips; tooltips must not break headings or links."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from generator.errors import BuildError
from generator.pages.glossary import (
    GLOSSARY_SOURCE,
    Term,
    abbreviations_markdown,
    glossary_markdown,
    load_glossary,
)

CONTENT = Path(__file__).resolve().parent.parent / "content"


def test_real_glossary_loads_sorted_and_covers_the_core_terms():
    terms = load_glossary(CONTENT / GLOSSARY_SOURCE)
    names = [t.term for t in terms]
    assert names == sorted(names, key=str.lower)
    for needed in ("Drawdown", "CAGR", "OAS", "Tracking difference", "Reconstitution", "Float",
                   "Total return", "Price return", "Volatility", "Beta", "Correlation",
                   "Breadth", "Survivorship bias", "Look-ahead bias", "Market cap", "Rank day",
                   "Banding", "Expense ratio", "Basis point", "NBER recession", "Yield curve",
                   "High-yield spread", "ETF", "Rebalancing", "Dollar-cost averaging"):
        assert needed in names, needed


def test_markdown_outputs():
    terms = [Term("Drawdown", "The fall from a peak.", "Text **bold**.", ("drawdown",)),
             Term("P/E ratio", "Price over earnings.", "Text.", ("P/E",))]
    assert glossary_markdown(terms).startswith("## Drawdown {#drawdown}\n\nText **bold**.\n")
    assert "## P/E ratio {#p-e-ratio}" in glossary_markdown(terms)
    assert abbreviations_markdown(terms) == ("*[drawdown]: The fall from a peak.\n\n"
                                             "*[Drawdown]: The fall from a peak.\n\n"
                                             "*[P/E]: Price over earnings.\n")
    # Rendered by Markdown's abbr extension (as mkdocs does): every term a tooltip.
    import markdown

    html = markdown.markdown("A drawdown and a P/E.\n\n" + abbreviations_markdown(terms),
                             extensions=["abbr"])
    assert html == ('<p>A <abbr title="The fall from a peak.">drawdown</abbr> and a '
                    '<abbr title="Price over earnings.">P/E</abbr>.</p>')


@pytest.mark.parametrize("body, message", [
    ("- term: A\n  short: x\n  definition: y\n  forms: [a]\n"
     "- term: B\n  short: x\n  definition: y\n  forms: [a]\n", "used by both"),
    ("- term: A\n  short: x\n  definition: y\n- term: a\n  short: x\n  definition: y\n",
     "defined twice"),
    ("- term: A\n  short: '[link](x.md)'\n  definition: y\n", "plain"),
    ("- term: A\n  definition: y\n", "lacks"),
])
def test_bad_glossaries_fail_with_a_clear_message(tmp_path, body, message):
    path = tmp_path / "glossary.yml"
    path.write_text(body)
    with pytest.raises(BuildError, match=message):
        load_glossary(path)


def test_built_pages_carry_tooltips_and_intact_headings(built_site):
    terms = load_glossary(CONTENT / GLOSSARY_SOURCE)
    glossary = (built_site.site_dir / "glossary" / "index.html").read_text()
    for term in terms:
        assert f'id="{term.anchor}"' in glossary, term.term
    risks = (built_site.site_dir / "risks" / "index.html").read_text()
    assert re.search(r'<abbr title="[^"]+">volatility</abbr>', risks)
    assert re.search(r'<abbr title="[^"]+">Drawdowns</abbr>', risks)
    # Headings keep their anchors even when a tooltip term sits inside them.
    assert 'id="survivorship-bias"' in risks
    what = (built_site.site_dir / "what-it-is" / "index.html").read_text()
    assert 'id="how-members-are-weighted-float-adjusted-market-cap"' in what
    assert re.search(r'<h2 id="how-members-are-weighted[^>]*>[^<]*<abbr', what)
    # The abbreviation list is appended to pages, not published as a page of its own.
    assert not (built_site.site_dir / "_includes").exists()
    for page in ("risks", "what-it-is", "glossary"):
        html = (built_site.site_dir / page / "index.html").read_text()
        assert "*[" not in html, page
