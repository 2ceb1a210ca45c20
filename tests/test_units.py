"""The one formatter: values carry their unit; a unit slip is an error, not a wrong number."""

from __future__ import annotations

import datetime as dt
import pickle

import jinja2
import pytest
from hypothesis import given
from hypothesis import strategies as st

from generator import units
from generator.pages import environment, table
from generator.units import (
    Count,
    Day,
    Dollars,
    Fraction,
    Level,
    Percent,
    Points,
    UnitError,
)


def test_each_unit_formats_itself():
    assert str(Fraction(0.0912)) == "9.1%"
    assert str(Fraction(-0.031, signed=True)) == "−3.1%"
    assert str(Fraction(0.000945, digits=-1)) == "0.0945%"
    assert str(Fraction(0.0019, digits=-1)) == "0.19%"
    assert str(Percent(4.254)) == "4.25%"
    assert str(Points.between(0.12, 0.10)) == "+2.0 percentage points"
    assert format(Points(-0.4, digits=2), "short") == "−0.40 pp"
    assert str(abs(Points(-6.8))) == "6.8 percentage points"
    assert str(Dollars(12345.6)) == "$12,346"
    assert str(Dollars(9.45, digits=-1)) == "$9.45" and str(Dollars(19, digits=-1)) == "$19"
    assert format(Dollars(50e9), "short") == "$50.0 billion"
    assert str(Level(2134.5)) == "2,134.50"
    assert str(Count(1921)) == "1,921"
    assert str(Day.of("2026-08-21")) == "21 August 2026"
    assert str(Fraction(float("nan"))) == "—"


def test_f_string_specs_in_takeaways():
    assert f"{Fraction(0.0523):+.2}" == "+5.23%"
    assert f"{Fraction(-0.6):.0}" == "−60%"
    assert f"{Fraction(-0.6, signed=True):-}" == "−60.0%"
    with pytest.raises(UnitError):
        f"{Fraction(0.05):.1%}"  # the old float spec on a quantity is a slip


def test_no_negative_zero_and_no_sign_on_zero():
    assert str(Fraction(-0.00001, signed=True)) == "0.0%"
    assert units.apply("points:.2short", -0.0001) == "0.00 pp"


def test_unit_slips_are_errors():
    with pytest.raises(UnitError, match="a percentage points column holds a fraction"):
        units.apply("points:short", Fraction(0.1))
    with pytest.raises(UnitError):
        units.apply("fraction", Percent(4.2))  # a yield is not a fraction: it would print 420%
    with pytest.raises(UnitError):
        units.apply("percent", Fraction(0.042))
    with pytest.raises(UnitError):
        units.apply("dollars", Fraction(0.1))
    with pytest.raises(UnitError, match="only a unit takes a presentation"):
        units.apply("date_iso:+", dt.date(2026, 8, 21))
    with pytest.raises(UnitError, match="arithmetic"):
        Fraction(0.1) * 100
    with pytest.raises(UnitError):
        Fraction(0.1) < Points(1.0)  # noqa: B015 - comparing units is the error
    with pytest.raises(UnitError):
        Fraction(Points(1.0))


def test_table_kinds_give_bare_numbers_their_unit():
    """A data frame shared with a chart keeps plain numbers; its table column names the unit."""
    assert units.apply("fraction:+", 0.0523) == "+5.2%"
    assert units.apply("fraction", -0.0523) == "−5.2%"
    assert units.apply("fraction:.-1", 0.000945) == "0.0945%"
    assert units.apply("percent", 4.254) == "4.25%"
    assert units.apply("gap:short", 0.0123) == "+1.2 pp"  # a difference of two fractions
    assert units.apply("points:.2short", -0.4) == "−0.40 pp"  # already in points
    assert units.apply("dollars:short", 9.1e9) == "$9.1 billion"
    assert units.apply("dollars:.-1", 9.45) == "$9.45" and units.apply("dollars", 9.45) == "$9"
    assert units.apply("level:.0", 2134.5) == "2,134" and units.apply("count", 1921) == "1,921"
    assert units.apply("fraction:+.0", float("nan")) == "—"
    assert units.apply("fraction", Fraction(0.1)) == "10.0%"  # a quantity of the unit
    assert units.apply("ordinal", 0.634) == "63rd"
    assert units.apply("date_iso", dt.date(2026, 8, 21)) == "2026-08-21"
    assert units.date(dt.date(2026, 8, 21)) == "21 August 2026"


def test_the_old_unit_filters_are_gone():
    """One formatter: a page prints a quantity (``{{ x }}``, ``| signed``, ``| digits(0)``);
    no filter turns a bare number into a percentage any more."""
    for name in ("pct", "pct_plain", "pct_gap", "pct_trim", "pp", "rate", "num", "money",
                 "int", "usd_short", "days"):
        assert name not in units.FILTERS


def test_rows_hand_table_rows_in_their_units():
    import pandas as pd

    frame = pd.DataFrame({"depth": [-0.5, -0.2], "months": [3, 7]}, index=["a", "b"])
    listed = units.records(frame, {"depth": Fraction, "months": Count})
    assert [str(r["depth"]) for r in listed] == ["−50.0%", "−20.0%"]
    assert listed[1]["name"] == "b" and str(listed[1]["months"]) == "7"
    assert units.rows(frame, {"depth": Points.of})["a"]["depth"] == Points(-50.0)
    with pytest.raises(UnitError, match="columns without a unit: depth"):
        units.records(frame, {"months": Count})
    with pytest.raises(ValueError, match="unique"):
        units.rows(pd.DataFrame({"x": [1, 2]}, index=["a", "a"]), {})


def test_templates_print_quantities_and_reject_arithmetic(tmp_path):
    (tmp_path / "ok.md").write_text(
        "{{ g }} / {{ g | signed }} / {{ g | digits(2) }} / {{ p | abs }} / {{ p | short }} / "
        "{{ g | signed | digits(0) }} / {% if g > 0 %}up{% endif %}")
    (tmp_path / "slip.md").write_text("{{ (g * 100) | num(1) }}")
    (tmp_path / "wrong.md").write_text("{{ g | bare | short }}")
    env = environment(tmp_path)
    out = env.get_template("ok.md").render(g=Fraction(0.0912), p=Points(-1.37))
    assert out == "9.1% / +9.1% / 9.12% / 1.4 percentage points / −1.4 pp / +9% / up"
    for name in ("slip.md", "wrong.md"):
        with pytest.raises((UnitError, jinja2.TemplateError)):
            env.get_template(name).render(g=Fraction(0.0912))


def test_table_cells_format_quantities():
    import pandas as pd

    frame = pd.DataFrame({"r": [Fraction(0.1), Fraction(-0.05)], "x": [1.5, 2.0]},
                         index=[2024, 2025])
    text = table(frame, {"r": ("Return", "text"), "x": ("X", "level:.1")}, index=("Year", "text"))
    assert "| 2024 | 10.0% | 1.5 |" in text and "| 2025 | −5.0% | 2.0 |" in text


def test_quantities_survive_the_facts_cache_pickle():
    facts = {"a": Fraction(0.1), "b": Points(2.0), "d": Day.of("2026-01-02")}
    back = pickle.loads(pickle.dumps(facts))
    assert back == facts and type(back["d"]) is Day and str(back["d"]) == "2 January 2026"


@given(st.floats(min_value=-5, max_value=5, allow_nan=False), st.integers(0, 4))
def test_percent_text_is_the_number_times_100(value, places):
    text = Fraction(value, digits=places).text()
    assert "-" not in text and text.endswith("%")
    shown = float(text.removesuffix("%").replace("−", "-").replace(",", ""))
    assert shown == pytest.approx(round(value * 100, places), abs=10 ** -places)


@given(st.floats(min_value=-1, max_value=1, allow_nan=False),
       st.floats(min_value=-1, max_value=1, allow_nan=False))
def test_points_between_is_the_difference_in_percent(a, b):
    assert Points.between(a, b).value == pytest.approx((a - b) * 100)
    assert (Points.between(a, b) > 0) == (a - b > 0)


def test_mixing_units_is_an_error_not_a_number():
    with pytest.raises(UnitError, match="arithmetic"):
        Fraction(0.05) + Percent(4.2)  # a return plus a yield: no sum means anything
    with pytest.raises(UnitError, match="arithmetic"):
        1 - Fraction(0.3)  # "share above" is the provider's to compute, not the template's
    with pytest.raises(UnitError, match="a fraction column holds a percentage points"):
        units.apply("fraction", Points(9.7))  # a gap in points printed as a percent
    with pytest.raises(UnitError, match="a percent column holds a fraction"):
        units.apply("percent", Fraction(0.0425))


# Pages whose providers still hand out plain floats (issue 16, item 4: convert, then drop the
# page from this set; strict xfail fails the day a page is done and still listed).
NOT_YET_IN_UNITS: set[str] = set()


def _topics() -> list[str]:
    from generator.topics import topic_names

    return topic_names()


@pytest.mark.parametrize("page", [
    pytest.param(page, marks=pytest.mark.xfail(strict=True, reason="plain floats left"))
    if page in NOT_YET_IN_UNITS else page for page in _topics()])
def test_facts_command_prints_no_bare_floats(filled_store, capsys, page):
    """`python -m generator facts PAGE` lists each fact with its unit; none is a plain float
    (a float's formatting would be up to each template again)."""
    import argparse

    from generator.cli import cmd_facts

    assert cmd_facts(filled_store, argparse.Namespace(page=page)) == 0
    rows = [line.split("\t") for line in capsys.readouterr().out.splitlines()]
    assert all(len(row) == 3 for row in rows)  # a page may provide none (composition)
    bare = [f"{key} = {value}" for key, value, unit in rows if unit.startswith("bare number")]
    assert not bare, f"{page}: {len(bare)} facts without a unit, e.g. {bare[:3]}"


ARITHMETIC = (jinja2.nodes.Add, jinja2.nodes.Sub, jinja2.nodes.Mul, jinja2.nodes.Div,
              jinja2.nodes.FloorDiv, jinja2.nodes.Mod, jinja2.nodes.Pow, jinja2.nodes.Neg,
              jinja2.nodes.Pos)


def template_arithmetic(source: str) -> list[str]:
    """Every arithmetic expression in a page source, as ``line N: expression``."""
    env = jinja2.Environment()
    found = []
    for node in env.parse(source).find_all(ARITHMETIC):
        if isinstance(node, jinja2.nodes.UnaryExpr) and isinstance(node.node, jinja2.nodes.Const):
            continue  # a negative literal (-1) is a number, not a computation
        found.append(f"line {node.lineno}: {type(node).__name__.lower()}")
    return found


def test_the_arithmetic_finder_finds_arithmetic():
    assert template_arithmetic("{{ (a - b) | abs }}") == ["line 1: sub"]
    assert template_arithmetic("x\n{% if 1 / (1 + d) > 2 %}{% endif %}") == [
        "line 2: div", "line 2: add"]
    assert template_arithmetic("{{ (-x) | abs }} {{ y * 100 }}") == ["line 1: neg", "line 1: mul"]
    assert template_arithmetic('{{ a | abs }} {{ "End of " ~ y }} {% if a < -1 %}{% endif %}'
                               ) == []  # a filter, a join and a negative literal are not


def test_no_page_source_does_arithmetic():
    """Pages never compute: a difference, a ratio or a sign flip is the provider's to hand
    over in its unit (issue 16), so no page source or generated-page template holds any."""
    from generator.settings import Settings

    content = Settings.from_env().root / "content"
    sources = sorted(content.rglob("*.md")) + sorted(content.rglob("*.html"))
    assert len(sources) > 15
    found = [f"{path.relative_to(content)} {where}" for path in sources
             for where in template_arithmetic(path.read_text())]
    assert not found, f"template arithmetic: {found}"


def test_a_desk_note_fact_without_a_unit_is_an_error():
    """The footnotes print each fact in its unit; a bare float would leave the unit to a guess."""
    from generator.pages.narrative import _value_text

    assert _value_text("r2k.change.d1", Fraction(-0.021)) == "−2.1%"
    assert _value_text("dgs10.change_m1", Points(-0.25, digits=2)) == "−0.25 pp"
    assert _value_text("r2k.percentile", Fraction(0.634)) == "63rd"
    with pytest.raises(UnitError, match=r"r2k\.close = 2134\.5 has no unit"):
        _value_text("r2k.close", 2134.5)
