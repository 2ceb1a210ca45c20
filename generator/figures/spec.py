"""One definition per figure; from it come the chart JSON, the CSV and the manifest entry."""

from __future__ import annotations

import datetime as dt
import io
import json
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import jinja2
import pandas as pd
import plotly.graph_objects as go
import yaml

from generator import units
from generator.figures.data_table import DataTable
from generator.sources.csvfeed import is_number
from generator.store import Store


@dataclass(frozen=True)
class Drawn:
    """What a figure builder returns.

    `data` is the table behind the chart at full precision (written as the CSV); `as_of` is the
    last data date used; `values` are what the figure's takeaway template (`takeaway:` in the
    topic's figures.yml) reads, each carrying its unit (`generator.units`); `notes`
    adds data-dependent details to the method (e.g. counts used or excluded); `units` names
    the unit of a data-table column, or of the index by its name (a `units.apply` kind), where
    the column's name and the chart's axes cannot tell it (``{"final_value": "dollars"}``).
    """

    figure: go.Figure
    data: pd.DataFrame
    as_of: dt.date
    values: Mapping[str, Any]
    notes: str = ""
    extra_csv: dict[str, pd.DataFrame] = field(default_factory=dict)
    units: dict[str, str] = field(default_factory=dict)


Builder = Callable[[Store], Drawn]


@dataclass(frozen=True)
class FigureSpec:
    """A figure's identity and provenance, declared once next to its builder."""

    id: str
    title: str
    page: str  # page source name, e.g. "history.md"
    sources: tuple[str, ...]  # catalog series ids (or store tables) the figure reads
    method: str
    build: Builder
    source_note: str = ""  # extra source text, e.g. for a reference file
    takeaway: str = ""  # Jinja template of the one-line message, filled from `Drawn.values`

    def say(self, values: Mapping[str, Any]) -> str:
        """The takeaway: the template rendered with the figure's `values` by the pages' own
        environment (`units.environment`: same filters, an unknown name is an error)."""
        return _template(self.takeaway).render(values)


@dataclass(frozen=True)
class ImageSet:
    """Site-relative URLs of one chart's images."""

    light: str
    dark: str
    narrow_light: str
    narrow_dark: str

    @classmethod
    def for_figure(cls, figure_id: str) -> ImageSet:
        base = f"figures/{figure_id}"
        return cls(f"{base}.svg", f"{base}.dark.svg", f"{base}.narrow.svg",
                   f"{base}.narrow.dark.svg")

    def paths(self) -> tuple[str, ...]:
        return (self.light, self.dark, self.narrow_light, self.narrow_dark)


@dataclass(frozen=True)
class FigureResult:
    """A built figure: its spec plus the data-dependent parts, ready for pages and manifest."""

    spec: FigureSpec
    as_of: dt.date
    takeaway: str
    notes: str
    json_path: str  # site-relative URL of the plotly JSON
    csv_path: str  # site-relative URL of the CSV
    extra_csv_paths: tuple[str, ...] = ()
    table: DataTable | None = None  # the text alternative: a small view of the data
    images: ImageSet | None = None  # build-time images (None where no browser was found)

    @property
    def method(self) -> str:
        return f"{self.spec.method} {self.notes}".strip()


REGISTRY: dict[str, FigureSpec] = {}
WORDS_FILE = "figures.yml"  # a topic's figure titles, methods and source notes, by figure id


@cache
def _words(folder: Path) -> dict[str, dict[str, str]]:
    """The `figures.yml` beside a topic's figures module (empty where there is none)."""
    path = folder / WORDS_FILE
    if not path.exists():
        return {}
    return yaml.safe_load(path.read_text(encoding="utf-8")) or {}


def _declared(build: Builder, id: str, key: str, given: str | None) -> str:
    """`key` (title, method, source_note, takeaway) of figure `id`: as given to `figure`, else
    from the `figures.yml` beside the builder's module, its ``{NAME}`` fields filled from the
    module's constants (as an f-string would); a takeaway is a Jinja template, kept as written."""
    if given is not None:
        return given
    module = sys.modules[build.__module__]
    words = _words(Path(module.__file__ or "").parent).get(id, {})
    if key not in words:
        if key == "source_note":
            return ""
        raise ValueError(f"figure {id!r} has no {key} in {WORDS_FILE} beside {module.__name__}")
    if key == "takeaway":
        return str(words[key])
    return str(words[key]).format_map(vars(module))


def _no_bare_number(value: Any) -> Any:
    """A takeaway prints quantities, dates, counts as ints and words; a float has no unit."""
    if isinstance(value, float):
        raise units.UnitError(f"a bare number ({value!r}) in a takeaway: give it its unit "
                              "(generator.units) in the figure's values")
    return value


@cache
def _template(source: str) -> jinja2.Template:
    """A takeaway template, compiled once (plain text: escaped where a page places it)."""
    return _takeaways().from_string(source)


@cache
def _takeaways() -> jinja2.Environment:
    """The pages' environment (`units.environment`: same filters, strict) for plain text."""
    return units.environment(finalize=_no_bare_number)


def _topic_page(build: Builder) -> str:
    """The page of a topic's figure: its folder's name as a page source (`what_it_is` ->
    `what-it-is.md`)."""
    parts = build.__module__.split(".")
    if parts[:2] != ["generator", "topics"] or len(parts) < 4:
        raise ValueError(f"{build.__module__}: a figure outside generator/topics/ names its page")
    return parts[2].replace("_", "-") + ".md"


def figure(id: str, *, sources: tuple[str, ...], title: str | None = None,
           page: str | None = None, method: str | None = None,
           source_note: str | None = None,
           takeaway: str | None = None) -> Callable[[Builder], Builder]:
    """Register a builder as figure `id` (ids are stable: pages, CSV URLs and tests use them).

    What the builder reads (`sources`) is declared in code; the reader's words (`title`,
    `method`, `source_note`, and `takeaway`, a template the builder's `Drawn.values` fill) come
    from the topic's `figures.yml` unless given here, and the page is the topic's own unless
    `page` names another.
    """

    def register(build: Builder) -> Builder:
        if id in REGISTRY:
            raise ValueError(f"figure id {id!r} declared twice")
        REGISTRY[id] = FigureSpec(
            id=id, title=_declared(build, id, "title", title),
            page=page or _topic_page(build), sources=sources,
            method=_declared(build, id, "method", method), build=build,
            source_note=_declared(build, id, "source_note", source_note),
            takeaway=_declared(build, id, "takeaway", takeaway))
        return build

    return register


# A text cell that starts with one of these is a formula to a spreadsheet (=HYPERLINK(…),
# =cmd|…): OWASP's CSV-injection advice is to make it plain text with a leading apostrophe.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value: object) -> object:
    """A text cell that a spreadsheet would run as a formula, made inert (``'=…``); numbers,
    a lone sign (iShares writes ``-`` for an unlisted line's ticker) and other values unchanged."""
    if isinstance(value, str) and len(value) > 1 and value.startswith(FORMULA_START) \
            and not is_number(value):
        return "'" + value
    return value


def csv_bytes(data: pd.DataFrame) -> bytes:
    """CSV of a figure's data: dates as YYYY-MM-DD, full float precision; text cells (and
    headers) that a spreadsheet would run as formulas are prefixed with an apostrophe."""
    data = data.rename(columns=csv_safe)
    if not pd.api.types.is_numeric_dtype(data.index) and \
            not pd.api.types.is_datetime64_any_dtype(data.index):
        data = data.set_axis(data.index.map(csv_safe), axis=0)
    text_columns = [i for i, c in enumerate(data.columns)
                    if not pd.api.types.is_numeric_dtype(data.iloc[:, i])
                    and not pd.api.types.is_datetime64_any_dtype(data.iloc[:, i])]
    date_columns = [i for i, c in enumerate(data.columns)
                    if pd.api.types.is_datetime64_any_dtype(data.iloc[:, i])]
    if text_columns or date_columns:
        data = data.copy()
        for i in text_columns:
            data.isetitem(i, data.iloc[:, i].map(csv_safe))
        for i in date_columns:  # what date_format writes (NaT empty), formatted in one call
            data.isetitem(i, data.iloc[:, i].dt.strftime("%Y-%m-%d"))
    if isinstance(data.index, pd.DatetimeIndex):
        # pandas' date_format formats an index one Python call per row; this is one call.
        data = data.set_axis(data.index.strftime("%Y-%m-%d").rename(data.index.name), axis=0)
    out = io.StringIO()
    data.to_csv(out, index=data.index.name is not None, date_format="%Y-%m-%d",
                lineterminator="\n")
    return out.getvalue().encode("utf-8")


def figure_json(fig: go.Figure) -> str:
    """Compact plotly JSON (no template: the site's script themes charts for light/dark)."""
    payload = json.loads(fig.to_json())
    payload["layout"].pop("template", None)
    return json.dumps(payload, separators=(",", ":"))


def page_url(page: str) -> str:
    """Site-relative URL of a page source under directory URLs (`history.md` -> `history/`)."""
    stem = page.removesuffix(".md")
    if stem == "index":
        return ""
    return stem.removesuffix("/index") + "/"
