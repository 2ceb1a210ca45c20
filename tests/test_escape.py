"""Text from outside is escaped by construction: in page sources (Jinja autoescape with the
HTML + Markdown escape), in tables, figure captions and data tables, and the desk note's
footnotes. Checked on the HTML that Python-Markdown (the site's extensions) makes of it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import markdown
import pandas as pd
import pytest
from bs4 import BeautifulSoup
from hypothesis import given, settings
from hypothesis import strategies as st
from markupsafe import Markup

from generator.pages import environment, link, table
from generator.pages.escape import text

HOSTILE = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(2)>",
    '"><svg onload=alert(3)>',
    "[click](javascript:alert(4))",
    "![x](javascript:alert(5))",
    "<javascript:alert(6)>",
    "Tech | <b>bold</b> | more",
    "Name {: onclick=alert(7) }",
    "*[Name]: <i>tip</i>",
    "A & B's \"fund\" `code` *em* _u_ \\",
    "--8<-- \"/etc/passwd\"",
]
EXTENSIONS = ["abbr", "admonition", "attr_list", "def_list", "footnotes", "md_in_html",
              "tables", "pymdownx.details", "pymdownx.superfences"]


def render_markdown(source: str) -> BeautifulSoup:
    return BeautifulSoup(markdown.markdown(source, extensions=EXTENSIONS), "lxml")


def live_markup(soup: BeautifulSoup) -> list[str]:
    """Elements or attributes an attacker could have put there."""
    found = [t.name for t in soup.find_all(["script", "img", "svg", "b", "i", "a", "abbr",
                                            "em", "code"])]
    found += [f"{t.name}[{a}]" for t in soup.find_all(True) for a in t.attrs
              if a.startswith("on") or a == "href"]
    return found


@pytest.mark.parametrize("value", HOSTILE)
def test_text_renders_as_the_same_characters_and_nothing_else(value: str) -> None:
    soup = render_markdown(f"Before {text(value)} after.")
    assert live_markup(soup) == []
    assert soup.get_text().strip() == f"Before {value} after."


@settings(deadline=None, max_examples=80)
@given(st.text(alphabet=st.sampled_from(list("<>&\"'\\`*_[]{}|()!:#=-x ab\n")), max_size=40))
def test_any_text_in_a_table_cell_stays_one_cell(value: str) -> None:
    value = " ".join(value.split())  # a cell is one line
    frame = pd.DataFrame({"name": [value], "n": [1.5]}, index=["r1"])
    source = table(frame, {"name": ("Name", "text"), "n": ("N", "level")}, index=("Id", "text"))
    soup = render_markdown(source)
    cells = [td.get_text() for td in soup.find_all("td")]
    assert cells == ["r1", value.strip() or "", "1.50"]
    assert live_markup(soup) == []


def test_table_is_markup_and_escapes_headers_too() -> None:
    frame = pd.DataFrame({"a": ["x"]})
    out = table(frame, {"a": ("<b>|head</b>", "text")})
    assert isinstance(out, Markup)
    assert out.splitlines()[0] == "| &#60;b&#62;&#124;head&#60;/b&#62; |"


@pytest.mark.parametrize(("url", "expected"), [
    ("https://www.ssga.com/us/spsm", '<a href="https://www.ssga.com/us/spsm">ssga.com</a>'),
    ("http://ishares.com/a_b|c", '<a href="http://ishares.com/a&#95;b&#124;c">ishares.com</a>'),
    ("javascript:alert(1)", "javascript:alert(1)"),
    ("JavaScript://www.x.com/%0aalert(1)", "JavaScript://www.x.com/%0aalert(1)"),
    ("data:text/html,<script>alert(1)</script>",
     "data:text/html,&#60;script&#62;alert(1)&#60;/script&#62;"),
])
def test_links_only_for_http_urls(url: str, expected: str) -> None:
    assert link(url) == expected


def test_page_sources_escape_every_value_but_our_markup(tmp_path: Path) -> None:
    (tmp_path / "page.md").write_text(
        "# {{ name }}\n\n{{ ours }}\n\n{{ name | upper }} and {{ day | date }}\n")
    env = environment(tmp_path)
    out = env.get_template("page.md").render(
        name="<img src=x onerror=alert(1)> [x](javascript:alert(2))",
        ours=Markup("<em>ours</em>"), day=dt.date(2026, 8, 21))
    soup = render_markdown(out)
    assert [t.name for t in soup.find_all(["img", "a"])] == []
    assert soup.h1.get_text() == "<img src=x onerror=alert(1)> [x](javascript:alert(2))"
    assert str(soup.find("em")) == "<em>ours</em>"
    assert "21 August 2026" in soup.get_text()


def test_figure_caption_and_data_table_escape_outside_text() -> None:
    from generator.figures.data_table import DataTable
    from generator.figures.spec import FigureResult, FigureSpec
    from generator.pages.embed import render_figure

    spec = FigureSpec(id="f", title="T", page="p.md", sources=("^RUT",), method="m",
                      build=lambda store: None)  # type: ignore[arg-type,return-value]
    table = DataTable(columns=("Sector", "Weight"),
                      rows=(("<img src=x onerror=alert(1)>", "1%"),
                            ("[a](javascript:alert(2))", "2%")), note="")
    result = FigureResult(spec=spec, takeaway="Top: <script>alert(3)</script>",
                          notes="", as_of=dt.date(2026, 8, 21), json_path="figures/f.json",
                          csv_path="figures/f.csv", table=table)
    # Indented under a list item, Markdown parses inside the HTML: the case to beat.
    soup = render_markdown("- item\n\n    " + render_figure(result, "").replace("\n", "\n    "))
    assert soup.find_all(["img", "script"]) == []
    assert [a.get("href") for a in soup.find_all("a")] == ["#f-data", "figures/f.csv"]
    assert "<script>alert(3)</script>" in soup.get_text()


def test_csv_downloads_make_formulas_inert_and_keep_numbers() -> None:
    from generator.figures.spec import csv_bytes

    frame = pd.DataFrame(
        {"name": ['=HYPERLINK("http://x","y")', "+cmd|' /C calc'!A0", "@SUM(A1)", "\tTab",
                  "\rCR", "-2.5", "Plain, with comma", "-"],
         "weight": [-0.5, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0]},
        index=pd.Index(["=1+1", "b", "c", "d", "e", "f", "g", "-"], name="ticker"))
    lines = csv_bytes(frame).decode().split("\n")
    assert lines[0] == "ticker,name,weight"
    assert lines[1] == "'=1+1,\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\",-0.5"
    assert lines[2] == "b,'+cmd|' /C calc'!A0,1.0"
    assert lines[3] == "c,'@SUM(A1),2.0"
    assert lines[4] == "d,'\tTab,3.0"
    assert lines[5] == "e,'\rCR,4.0"
    assert lines[6] == "f,-2.5,5.0"  # text that is a number stays as it is
    assert lines[7] == 'g,"Plain, with comma",6.0'
    assert lines[8] == "-,-,7.0"  # a lone sign is no formula (iShares' unlisted ticker)
    dated = pd.DataFrame({"=x": [-1.0]}, index=pd.DatetimeIndex(["2026-08-21"], name="date"))
    assert csv_bytes(dated).decode() == "date,'=x\n2026-08-21,-1.0\n"


def test_csv_dates_are_days_with_missing_ones_empty() -> None:
    from generator.figures.spec import csv_bytes

    dated = pd.DataFrame(
        {"value": [1.5, None, 3.0],
         "since": pd.to_datetime(["1987-09-10", None, "2026-08-21"]),
         "note": ["a", "b", "c"]},
        index=pd.DatetimeIndex(["2026-08-19", None, "2026-08-21 16:00"], name="date"))
    assert csv_bytes(dated).decode() == ("date,value,since,note\n2026-08-19,1.5,1987-09-10,a\n"
                                         ",,,b\n2026-08-21,3.0,2026-08-21,c\n")
    unnamed = dated.rename_axis(None)  # an unnamed index is not written
    assert csv_bytes(unnamed).decode().splitlines()[1] == "1.5,1987-09-10,a"


@pytest.mark.parametrize("value", HOSTILE)
def test_desk_note_names_from_the_data_are_text(value: str) -> None:
    from generator.analytics.narrative import Fact, Sentence
    from generator.pages.narrative import desk_note

    sentence = Sentence(rule="sectors-split", text="By sector, {best} led.",
                        slots=(("best", Fact("members.sectors.best", value, "text")),),
                        because="a test")
    soup = render_markdown(f"Note: {desk_note([sentence])}")
    assert [t.name for t in soup.find_all(["img", "svg", "script", "a", "b", "i"])] == []
    assert not [a for t in soup.find_all(True) for a in t.attrs if a.startswith("on")]
    assert soup.find("span", {"data-fact": "members.sectors.best"}).get_text() == value
