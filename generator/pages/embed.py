"""The HTML that places a figure on a page: a chart box and its provenance caption."""

from __future__ import annotations

import html
from dataclasses import dataclass

from generator.errors import BuildError
from generator.figures import source_label
from generator.figures.spec import FigureResult


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

    def figure(self, figure_id: str) -> str:
        result = self.figures.get(figure_id)
        if result is None:
            raise BuildError(f"content/{self.page}: unknown figure {figure_id!r}")
        if result.spec.page != self.page:
            raise BuildError(f"content/{self.page}: figure {figure_id!r} belongs on "
                             f"{result.spec.page}")
        if figure_id in self.placed:
            raise BuildError(f"content/{self.page}: figure {figure_id!r} placed twice")
        self.placed[figure_id] = self.page
        return render_figure(result, relative_root(self.page))


def render_figure(result: FigureResult, root: str) -> str:
    """Chart box + caption: "Source · As of · Method · Download CSV"."""
    spec = result.spec
    esc = html.escape
    sources = "; ".join(source_label(s) for s in spec.sources)
    if spec.source_note:
        sources = f"{sources}; {spec.source_note}"
    extra = "".join(
        f' · <a href="{root}{p}" download>{esc(p.rsplit("/", 1)[-1])}</a>'
        for p in result.extra_csv_paths)
    label = f"{spec.title}. {result.takeaway}"
    return (
        f'<figure class="primer-figure" id="{spec.id}">\n'
        f'<div class="primer-chart" data-figure="{spec.id}" data-src="{root}{result.json_path}" '
        f'role="img" aria-label="{esc(label)}"></div>\n'
        f"<figcaption>\n"
        f'<p class="primer-figure__title"><strong>{esc(spec.title)}.</strong> '
        f"{esc(result.takeaway)}</p>\n"
        f'<p class="primer-figure__meta"><span>Source: {esc(sources)}</span> · '
        f"<span>As of {result.as_of.isoformat()}</span> · "
        f"<span>Method: {esc(result.method)}</span> · "
        f'<a href="{root}{result.csv_path}" download>Download CSV</a>{extra}</p>\n'
        f"</figcaption>\n</figure>\n"
    )


