"""Page sources must not type market figures: every % or index level on a page comes from the
data through a Jinja placeholder. Rules and definitions ("$1 minimum price", "±2.5% band") are
allowed one by one, with a reason, in ALLOWED below."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

CONTENT = Path(__file__).resolve().parent.parent / "content"

# Jinja placeholders, statements and comments: whatever they print comes from the data.
JINJA = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.S)
# Link targets and bare URLs (article slugs and ids are not figures).
URLS = re.compile(r"\]\([^)]*\)|https?://\S+")
# Names that contain numbers but are not figures.
NAMES = re.compile(
    r"Russell (?:1000|2000|3000E?|Microcap)|S&P (?:500|SmallCap 600|600)|\b\d+-(?:year|month|day)\b"
    r"|\^RUT|\bT10Y2Y\b|BAMLH0A0HYM2|BAMLC0A0CM|\b\d+(?:st|nd|rd|th)\b")
NUMBER = r"[+\-−±]?\$?\d[\d,]*(?:\.\d+)?"
LITERAL = re.compile(
    rf"(?<![\w.]){NUMBER}\s?(?:%|percent\b|percentage points?\b|×)"  # percentages, multiples
    r"|(?<![\w.])[+\-−]?\$?\d{1,3}(?:,\d{3})+(?:\.\d+)?(?![\w])"  # 1,668.47 / $10,000 / 2,000
    r"|(?<![\w.])[+\-−]?\$?\d+\.\d+(?!\w|\.\d)"  # 499.45 / 2.75 / $1.00
)

# (page source, literal) -> why it may be typed. Every entry must still occur in its file.
ALLOWED: dict[tuple[str, str], str] = {
    ("history.md", "$10,000"): "the conventional amount of a growth-of chart, not data",
    ("index.md", "2,000"): "definition: the Russell 2000 holds roughly 2,000 companies",
    ("index.md", "$10,000"): "the conventional amount of a growth-of chart, not data",
    ("what-it-is.md", "3,000"): "definition: the Russell 3000 holds the largest ~3,000",
    ("what-it-is.md", "1,000"): "definition: the Russell 1000 holds the largest ~1,000",
    ("what-it-is.md", "2,000"): "definition, and a log-scale illustration (not a level)",
    ("what-it-is.md", "98%"): "sourced reference fact (FTSE Russell, 2025-01-16), cited",
    ("what-it-is.md", "10%"): "sourced reference fact: share of the Russell 3000, cited",
    ("what-it-is.md", "7%"): "sourced reference fact: share of the Russell 3000, cited",
    ("construction.md", "$1.00"): "eligibility rule: minimum price",
    ("construction.md", "5%"): "eligibility rule (float) and band width, FTSE Russell rules",
    ("construction.md", "±2.5%"): "banding rule, FTSE Russell",
    ("construction.md", "1,000"): "definition: the Russell 1000 is the largest 1,000",
    ("construction.md", "2,000"): "definition: the Russell 2000 is the next ~2,000",
    ("construction.md", "10,000"): "method: number of permutations in the test",
    ("risks.md", "3×"): "product definition: TNA promises three times the daily return",
    ("risks.md", "$10,000"): "the conventional amount of a growth-of comparison, not data",
    ("etfs.md", "$10,000"): "the conventional amount of a growth-of chart, not data",
    ("etfs.md", "3×"): "product definition: TNA promises three times the daily return",
    ("etfs.md", "2,000"): "definition: the Russell 2000 is the next ~2,000 companies",
    ("etfs.md", "1,000"): "definition: the Russell 1000 is the largest 1,000",
    ("strategies.md", "$10,000"): "the conventional amount of a growth-of chart, not data",
    ("strategies.md", "3×"): "product definition: a 3× daily leveraged fund",
    ("faq.md", "3×"): "product definition: TNA promises three times the daily return",
    ("market-update-body.md", "0%"): "definition of the range-position scale (0% = low)",
    ("market-update-body.md", "100%"): "definition of the range-position scale (100% = high)",
    ("market-update-body.md", "10%"): "definition: a fall of 10% is called a correction",
    ("market-update-body.md", "20%"): "definition: a fall of 20% is called a bear market",
    ("market-update-body.md", "0.10"): "rule threshold of the desk note (yields 'rose')",
    ("market-update-body.md", "0.25"): "rule threshold of the desk note (spreads 'widened')",
    ("checklist.md", "2,000"): "definition: the Russell 2000 holds about 2,000 companies",
    ("checklist.md", "1,000"): "definition: the Russell 1000 holds the largest 1,000",
    ("checklist.md", "3×"): "product definition: a 3× daily leveraged fund",
    ("faq.md", "$10,000"): "the conventional amount of a growth-of chart, not data",
    ("glossary.yml", "±2.5%"): "definition of the banding rule",
    ("glossary.yml", "5%"): "definition of the banding rule's total width",
    ("glossary.yml", "0.19%"): "worked example of a basis point, not a fund's data",
    ("glossary.yml", "1.2%"): "worked example of beta",
    ("glossary.yml", "1%"): "worked example (beta, tooltips)",
    ("glossary.yml", "30%"): "worked example of a drawdown in a tooltip",
    ("glossary.yml", "90%"): "worked examples of percentiles and a rebalancing mix",
    ("glossary.yml", "10%"): "worked examples of percentiles and a rebalancing mix",
    ("glossary.yml", "$10,000"): "worked example of an expense ratio",
    ("glossary.yml", "0.01 percentage points"): "definition of a basis point",
    ("composition.md", "100%"): "definition: weights are shares of equity value (sum 100%)",
    ("inside.md", "2,000"): "definition: the Russell 2000 holds roughly 2,000 companies",
    ("inside.md", "50%"): "rule threshold: members down more than 50% from their 52-week high",
    ("glossary.yml", "1.2"): "worked example of beta",
    ("strategies.md", "30%"): "sourced reference fact (SPIVA U.S. Year-End 2024), cited",
    ("strategies.md", "88.42%"): "sourced reference fact (SPIVA U.S. Year-End 2015), cited",
    ("mistakes.md", "$10,000"): "the conventional amount of a growth-of comparison, not data",
    ("drivers.md", "30%"): "definition: the French library's smallest/largest 30% size buckets",
}


def page_literals(text: str) -> list[tuple[int, str]]:
    """(line number, literal) for every market-looking number outside placeholders."""
    found = []
    for number, line in enumerate(text.splitlines(), start=1):
        bare = NAMES.sub(" ", URLS.sub(" ", line))
        found.extend((number, m.group(0).strip()) for m in LITERAL.finditer(bare))
    return found


def strip_jinja(text: str) -> str:
    """Replace every Jinja construct by a marker of the same line count (line numbers stay)."""
    return JINJA.sub(lambda m: "⟨jinja⟩" + "\n" * m.group(0).count("\n"), text)


def content_files(content_dir: Path) -> list[Path]:
    return sorted([*content_dir.rglob("*.md"), *content_dir.rglob("*.yml")])


def unexplained_literals(content_dir: Path,
                         allowed: dict[tuple[str, str], str]) -> list[str]:
    """Every literal not in `allowed`, as 'file:line: literal'."""
    problems = []
    for path in content_files(content_dir):
        for line, literal in page_literals(strip_jinja(path.read_text(encoding="utf-8"))):
            if (path.name, literal) not in allowed:
                problems.append(f"{path.relative_to(content_dir)}:{line}: {literal}")
    return problems


def test_no_literal_market_figures_in_page_sources():
    problems = unexplained_literals(CONTENT, ALLOWED)
    assert problems == [], ("literal market figures in page sources (use a placeholder, or "
                            "allow a rule/definition in ALLOWED with a reason):\n"
                            + "\n".join(problems))


def test_every_allowed_literal_is_still_used():
    used = Counter()
    for path in content_files(CONTENT):
        for _, literal in page_literals(strip_jinja(path.read_text(encoding="utf-8"))):
            used[(path.name, literal)] += 1
    stale = sorted(f"{f}: {lit}" for (f, lit) in ALLOWED if not used[(f, lit)])
    assert stale == [], f"allow-list entries no longer needed: {stale}"


@pytest.mark.parametrize("planted, literal", [
    ("The index closed at 2,134.50 on Friday.", "2,134.50"),
    ("Small caps rose 12.3% this year.", "12.3%"),
    ("It fell −38 % in the crash.", "−38 %"),
    ("A gap of 1.4 percentage points a year.", "1.4 percentage points"),
    ("The spread is 2.75 today.", "2.75"),
    ("It trades 5.5× as many dollars.", "5.5×"),
    ("It closed at 499.45.", "499.45"),
])
def test_a_planted_literal_is_caught(tmp_path, planted, literal):
    page = tmp_path / "risks.md"
    page.write_text((CONTENT / "risks.md").read_text(encoding="utf-8") + f"\n{planted}\n")
    problems = unexplained_literals(tmp_path, ALLOWED)
    assert len(problems) == 1 and problems[0].endswith(f": {literal}"), problems


@pytest.mark.parametrize("text", [
    "It closed at {{ r2k.close }} ({{ r2k.ytd | signed }}).",
    "The rate went from {{ faq.dff.then | digits(2) }} to {{ faq.dff.now }}.",
    "{% if x > 0.05 %}up{% endif %} and {# 12.5% in a comment #}",
    "The Russell 2000 and the S&P 500, the 10-year yield, the 90th percentile.",
    "[source](https://example.com/2,000-12.5%25) from 1984 to 1989",
])
def test_placeholders_names_and_links_are_not_literals(text):
    assert page_literals(strip_jinja(text)) == []
