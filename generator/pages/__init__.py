"""Stage 6 — pages: fill the page sources in `content/` with finished numbers and figures.

Page sources are Markdown with Jinja placeholders (`{{ r2k.close }}`, `{{ r2k.ytd | signed }}`,
`{{ figure("r2k-drawdown") }}`). Pages only format and place what earlier stages computed;
they never compute. Output goes to the docs folder that `mkdocs build` renders.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from generator import units
from generator.errors import BuildError
from generator.figures.spec import FigureResult
from generator.pages import escape
from generator.pages.asof import insert_after_title, page_as_of
from generator.pages.embed import EmbedContext
from generator.pages.generated import write_text_if_changed
from generator.pages.glossary import (
    GLOSSARY_SOURCE,
    abbreviations_markdown,
    glossary_markdown,
    load_glossary,
)
from generator.pages.tables import link, table  # noqa: F401 - page API

ASSETS = Path(__file__).resolve().parent.parent / "assets"


# plotly.js ships once per site, as the vendored "basic" bundle (scatter, bar, pie: every trace
# type our figures use, a quarter of the full bundle's size). charts.js loads it only on pages
# that hold a chart. tests/test_reader.py checks every trace type in figures.json against it.
PLOTLY_BUNDLE = "plotly-basic.min.js"


def plotly_js_path() -> Path:
    """The plotly.js bundle the site ships (vendored; licence beside it)."""
    return ASSETS / "javascripts" / PLOTLY_BUNDLE


def copy_assets(docs_dir: Path) -> None:
    """Copy the site's script, stylesheet and plotly.js into the docs folder."""
    shutil.copytree(ASSETS, docs_dir / "assets", dirs_exist_ok=True)


def environment(content_dir: Path) -> jinja2.Environment:
    """The Jinja environment: strict (a missing fact fails the build) with the site's filters.

    Escaping is on by construction: every ``{{ … }}`` is text, escaped for HTML and Markdown
    (`generator.pages.escape`), unless our own code returned `Markup` (figures, tables, the desk
    note, the glossary).
    """
    env = units.environment(loader=jinja2.FileSystemLoader(content_dir), autoescape=True,
                            finalize=escape.finalize)
    from generator.pages import narrative

    env.globals.update(desk_note=narrative.desk_note,
                       desk_note_footnotes=narrative.desk_note_footnotes)
    return env


def _template_line(exc: BaseException, source: Path) -> int | None:
    """The line of page source `source` that raised `exc` (Jinja maps its frames to the
    template's lines), e.g. the placeholder that did arithmetic on a quantity."""
    line, tb = None, exc.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == str(source):
            line = tb.tb_lineno
        tb = tb.tb_next
    return line


def page_sources(content_dir: Path) -> Iterable[Path]:
    """Every page source under `content_dir` (Markdown files, partials in `_*/` excluded)."""
    for path in sorted(content_dir.rglob("*.md")):
        rel = path.relative_to(content_dir)
        if not any(part.startswith("_") for part in rel.parts):
            yield rel


def render_pages(content_dir: Path, docs_dir: Path, facts: dict[str, Any],
                 figures: dict[str, FigureResult]) -> list[str]:
    """Render every page source into `docs_dir`; return the page paths written.

    Fails if a page uses an unknown fact or figure, or if a figure is placed on a page other
    than the one its definition names, or is placed nowhere.
    """
    env = environment(content_dir)
    terms = load_glossary(content_dir / GLOSSARY_SOURCE)
    # The glossary's tooltips: abbreviation definitions appended to every page (the `abbr`
    # extension turns each term into <abbr title=…>). Written by us, not by an engine plugin, so
    # any engine that reads mkdocs.yml (Material today, Zensical next) renders them alike.
    abbreviations = "\n" + abbreviations_markdown(terms)
    placed: dict[str, str] = {}
    written = []
    for rel in page_sources(content_dir):
        embed = EmbedContext(page=rel.as_posix(), figures=figures, placed=placed)
        try:
            text = env.get_template(rel.as_posix()).render(
                **facts, figure=embed.figure, table=table, facts=facts,
                takeaway=lambda figure_id: figures[figure_id].takeaway,
                glossary=lambda: Markup(glossary_markdown(terms)))
        except (jinja2.TemplateError, units.UnitError) as exc:
            line = getattr(exc, "lineno", None) or _template_line(exc, content_dir / rel)
            where = f"content/{rel.as_posix()}" + (f":{line}" if line else "")
            raise BuildError(f"{where}: {exc}") from None
        as_of = page_as_of(rel.as_posix(), figures.values(), facts.get("data_dates", {}))
        text = insert_after_title(text, as_of)
        write_text_if_changed(docs_dir / rel, text + abbreviations)
        written.append(rel.as_posix())
    unplaced = sorted(set(figures) - set(placed))
    if unplaced:
        raise BuildError(f"figures not placed on any page: {', '.join(unplaced)}")
    from generator.pages.market_update import write_archive  # its pages need this env

    written += write_archive(env, docs_dir, facts, suffix=abbreviations)
    return written
