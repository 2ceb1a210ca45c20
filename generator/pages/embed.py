"""The HTML that places a figure on a page: a chart box and its provenance caption."""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup

from generator.errors import BuildError
from generator.figures import source_label
from generator.figures.images import PHONE_MEDIA, WIDE
from generator.figures.spec import FigureResult
from generator.pages.escape import text as escaped


def relative_root(page: str) -> str:
    """Prefix from a page's URL back to the site root under directory URLs."""
    parts = page.removesuffix(".md").split("/")
    depth = len(parts) - (1 if parts[-1] == "index" else 0)
    return "../" * depth


@dataclass
class EmbedContext:
    """Places figures on one page and records where each went."""

    page: str
    figures: dict[str, FigureResult]
    placed: dict[str, str]

    def figure(self, figure_id: str) -> Markup:
        result = self.figures.get(figure_id)
        if result is None:
            raise BuildError(f"content/{self.page}: unknown figure {figure_id!r}")
        if result.spec.page != self.page:
            raise BuildError(f"content/{self.page}: figure {figure_id!r} belongs on "
                             f"{result.spec.page}")
        if figure_id in self.placed:
            raise BuildError(f"content/{self.page}: figure {figure_id!r} placed twice")
        self.placed[figure_id] = self.page
        # Our own HTML, every outside value in it escaped by render_figure.
        return Markup(render_figure(result, relative_root(self.page)))


def render_data_table(result: FigureResult) -> str:
    """The chart's text alternative: a collapsed table of (a light view of) its data."""
    table = result.table
    if table is None or not table.rows:
        return ""
    esc = escaped
    head = "".join(f'<th scope="col">{esc(c)}</th>' for c in table.columns)
    body = "\n".join("<tr>" + "".join(f"<td>{esc(v)}</td>" for v in row) + "</tr>"
                     for row in table.rows)
    note = f" {esc(table.note)}" if table.note else ""
    return (
        f'<details class="primer-figure__data" id="{result.spec.id}-data">\n'
        f"<summary>Data table: {esc(result.spec.title)}</summary>\n"
        f'<div class="primer-table-scroll" tabindex="0" role="region" '
        f'aria-label="Data table: {esc(result.spec.title)}">\n'
        f"<table>\n<caption>{esc(result.spec.title)}.{note}</caption>\n"
        f"<thead><tr>{head}</tr></thead>\n<tbody>\n{body}\n</tbody>\n</table>\n</div>\n"
        f"</details>\n"
    )


def render_static(result: FigureResult, root: str) -> str:
    """The chart's build-time images, light and dark, each with its phone-width version: what
    the reader sees before (or without) JavaScript; charts.js swaps in the live chart."""
    images = result.images
    if images is None:
        return ""
    width, height = WIDE
    pictures = []
    for scheme, wide, narrow in (("light", images.light, images.narrow_light),
                                 ("dark", images.dark, images.narrow_dark)):
        pictures.append(
            f'<picture class="primer-chart__static primer-chart__static--{scheme}">'
            f'<source media="{PHONE_MEDIA}" srcset="{root}{narrow}">'
            f'<img src="{root}{wide}" alt="" width="{width}" height="{height}" '
            f'loading="lazy" decoding="async"></picture>')
    return "".join(pictures)


def render_figure(result: FigureResult, root: str) -> str:
    """Chart box + caption ("Source · As of · Method · Data table · Download CSV") + the data
    table that is the chart's text alternative."""
    spec = result.spec
    esc = escaped
    sources = "; ".join(source_label(s) for s in spec.sources)
    if spec.source_note:
        sources = f"{sources}; {spec.source_note}"
    extra = "".join(
        f' · <a href="{root}{p}" download>{esc(p.rsplit("/", 1)[-1])}</a>'
        for p in result.extra_csv_paths)
    label = f"{spec.title}. {result.takeaway}"
    table = render_data_table(result)
    table_link = f'<a href="#{spec.id}-data">Data table</a> · ' if table else ""
    return (
        f'<figure class="primer-figure" id="{spec.id}">\n'
        f'<div class="primer-chart" data-figure="{spec.id}" data-src="{root}{result.json_path}" '
        f'role="img" aria-label="{esc(label)}">{render_static(result, root)}</div>\n'
        f"<figcaption>\n"
        f'<p class="primer-figure__title"><strong>{esc(spec.title)}.</strong> '
        f"{esc(result.takeaway)}</p>\n"
        f'<p class="primer-figure__meta"><span>Source: {esc(sources)}</span> · '
        f"<span>As of {result.as_of.isoformat()}</span> · "
        f"<span>Method: {esc(result.method)}</span> · "
        f"{table_link}"
        f'<a href="{root}{result.csv_path}" download>Download CSV</a>{extra}</p>\n'
        f"</figcaption>\n{table}</figure>\n"
    )


