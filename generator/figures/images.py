"""Build-time images of every chart, so a page paints its charts before any JavaScript runs.

From each figure's plotly JSON, Kaleido (which drives a local Chrome/Chromium) renders, in one
browser session for the whole build:

- ``figures/<id>.svg`` and ``figures/<id>.narrow.svg``: the chart in the light theme at a
  desktop width and at phone width (text stays readable on a phone), with daily series thinned
  to about two points per pixel column (the lowest and the highest of each column, so spikes
  stay); ``<id>.dark.svg`` / ``<id>.narrow.dark.svg`` are the same drawings recoloured for the
  dark scheme (`templates.recolour_svg`), which costs no second render;
- ``assets/cards/<page>.png``: a 1200 x 630 preview card per page (its lead chart, or a plain
  title card), for link previews (og:image / twitter:card).

Images are cached under ``<cache_dir>/images/`` by the sha256 of what they are drawn from (the
figure JSON or the card's title) plus this recipe (this module, the templates and the plotly.js
bundle), so an unchanged chart is never rendered again, whatever else changed.

Where no browser is found the build goes on without images: pages then show the charts drawn by
plotly.js only, as before.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import hashlib
import json
import os
import re
import shutil
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache, partial
from pathlib import Path
from typing import Any

import numpy as np

from generator.figures import templates as tpl
from generator.figures.spec import FigureResult, ImageSet
from generator.store import atomic_write_bytes

FORMAT = 3  # bump when the files or their drawing change in a way the sources below do not show
WIDE = (760, 440)  # px; the chart box is 440 px high on a desktop (primer.css)
NARROW = (360, 380)  # px; and 380 px on a phone
CARD = (1200, 630)  # px; the size link previews expect
PHONE_MEDIA = "(max-width: 640px)"  # where a page shows the narrow image
CARDS_DIR = "assets/cards"
SITE_NAME = "Small-Cap Primer"
RENDERS_PER_RELOAD = 40  # Kaleido reloads plotly.js in a tab after every image; we every 40
# Chromium's headless shell first (Debian's chromium-headless-shell; Playwright's own choice for
# headless runs): the same Blink without the browser's UI, it draws the same bytes with about a
# quarter less CPU than the full browser.
BROWSER_CANDIDATES = ("/usr/lib/chromium/chromium-headless-shell", "chromium-headless-shell",
                      "/usr/bin/chromium", "chromium", "chromium-browser", "google-chrome",
                      "google-chrome-stable", "chrome")


def find_browser(explicit: str | None = None) -> str | None:
    """The Chrome/Chromium to render with: `explicit` (CHROME_PATH) if given - and then only
    it - else the first of `BROWSER_CANDIDATES` that exists and is executable; None if none."""
    for candidate in [explicit] if explicit else BROWSER_CANDIDATES:
        path = candidate if os.path.isabs(candidate) else shutil.which(candidate)
        if path and os.path.isfile(path) and os.access(path, os.X_OK):
            return path
    return None


def plotly_bundle() -> Path:
    """The plotly.js the site ships: the images are drawn by the same code as the page."""
    return Path(__file__).resolve().parents[1] / "assets" / "javascripts" / "plotly-basic.min.js"


@lru_cache(maxsize=1)
def recipe_digest() -> str:
    """What every image depends on besides its input: this module, the templates, plotly.js."""
    digest = hashlib.sha256(f"{FORMAT}\n".encode())
    for path in (Path(__file__), Path(tpl.__file__), plotly_bundle()):
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def cache_key(*parts: bytes | str) -> str:
    digest = hashlib.sha256(recipe_digest().encode())
    for part in parts:
        digest.update(b"\0" + (part.encode() if isinstance(part, str) else part))
    return digest.hexdigest()


# ---- drawing ------------------------------------------------------------------------------

def _values(array: Any) -> np.ndarray | None:
    """A trace array as numpy (plotly JSON may hold it as base64 ``{dtype, bdata}``)."""
    if array is None:
        return None
    if isinstance(array, dict) and "bdata" in array:
        import base64

        data = np.frombuffer(base64.b64decode(array["bdata"]), dtype=np.dtype(array["dtype"]))
        shape = array.get("shape")
        return data.reshape([int(n) for n in str(shape).split(",")]) if shape else data
    return np.asarray(array, dtype=object)


def thin_indices(y: np.ndarray, columns: int) -> np.ndarray:
    """Indices keeping, for each of `columns` equal runs of points, the first, the lowest and
    the highest (in order), and the last point overall: the drawn line looks the same."""
    n = len(y)
    if n <= 2 * columns:
        return np.arange(n)
    values = y.astype(float) if y.dtype.kind in "biuf" else \
        np.array([float(v) if v is not None else np.nan for v in y], dtype=float)
    # The runs of `np.array_split`: the first n % columns have one point more. Each block of
    # equal runs is one 2-D array, so the lowest and highest of every run come in one call.
    size, longer = divmod(n, columns)
    keep = [np.array([0, n - 1])]
    for lo, hi, width in ((0, longer * (size + 1), size + 1), (longer * (size + 1), n, size)):
        if hi <= lo:
            continue
        runs = values[lo:hi].reshape(-1, width)
        first = lo + np.arange(len(runs)) * width
        finite = np.isfinite(runs)
        seen = finite.any(axis=1)
        nan = np.isnan(runs)  # ignored as np.nanargmin / np.nanargmax do
        lowest = np.where(nan, np.inf, runs).argmin(axis=1)
        highest = np.where(nan, -np.inf, runs).argmax(axis=1)
        gap = ~finite  # keep gaps (NaN) visible as gaps: the first of each run
        has_gap = gap.any(axis=1)
        keep += [first, (first + lowest)[seen], (first + highest)[seen],
                 (first + gap.argmax(axis=1))[has_gap]]
    return np.unique(np.concatenate(keep))


def thinned(figure: dict[str, Any], width: int) -> dict[str, Any]:
    """`figure` with every long line trace thinned to about two points per pixel column."""
    data = []
    for trace in figure.get("data", []):
        x, y = _values(trace.get("x")), _values(trace.get("y"))
        per_point = [k for k in ("x", "y", "text", "hovertext", "customdata") if k in trace]
        marker_arrays = any(isinstance(v, (list, dict)) for v in
                            (trace.get("marker") or {}).values() if not isinstance(v, dict)
                            or "bdata" in v)
        if (trace.get("type", "scatter") != "scatter" or x is None or y is None
                or len(x) != len(y) or len(y) <= 2 * width or marker_arrays):
            data.append(trace)
            continue
        keep = thin_indices(y, width)
        trace = dict(trace)
        for key in per_point:
            values = _values(trace[key])
            if values is not None and len(values) == len(y):
                trace[key] = [v.item() if hasattr(v, "item") else v for v in values[keep]]
        data.append(trace)
    return {**figure, "data": data}


def chart_for(figure: dict[str, Any], size: tuple[int, int]) -> dict[str, Any]:
    """The figure as the page first shows it at `size`, in the light theme."""
    width = size[0]
    out = thinned(figure, width)
    layout = tpl.sized_layout(figure.get("layout") or {}, width)
    layout["template"] = tpl.template("light")
    return {**out, "layout": layout}


def title_card(title: str, subtitle: str = "") -> dict[str, Any]:
    """A plain 1200 x 630 card for a page without a chart: the page title and the site."""
    fg = tpl.rgba("light", "fg")
    notes = [
        {"text": SITE_NAME, "x": 0.05, "y": 0.86, "xanchor": "left", "font": {"size": 30,
                                                                            "color": "#b23c00"}},
        {"text": "<br>".join(_wrap(title, 30)), "x": 0.05, "y": 0.55, "xanchor": "left",
         "align": "left", "font": {"size": 64, "color": fg}},
    ]
    if subtitle:
        notes.append({"text": subtitle, "x": 0.05, "y": 0.12, "xanchor": "left",
                      "font": {"size": 26, "color": tpl.rgba("light", "light")}})
    for note in notes:
        note.update(xref="paper", yref="paper", showarrow=False, yanchor="middle")
    return {"data": [], "layout": {
        "template": tpl.template("light"), "paper_bgcolor": "#ffffff",
        "xaxis": {"visible": False}, "yaxis": {"visible": False},
        "margin": {"l": 0, "r": 0, "t": 0, "b": 0}, "annotations": notes}}


def _wrap(text: str, width: int) -> list[str]:
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines[:3]


def card_chart(figure: dict[str, Any], title: str) -> dict[str, Any]:
    """A chart as a 1200 x 630 preview card: white background, its title on top."""
    chart = chart_for(figure, CARD)
    layout = chart["layout"]
    layout["paper_bgcolor"] = "#ffffff"
    layout["font"] = {**layout.get("font", {}), "size": 18}
    layout["title"] = {"text": f"<b>{_escape(title)}</b>", "x": 0.02, "xanchor": "left",
                       "font": {"size": 26}}
    layout["margin"] = {**layout.get("margin", {}), "t": 110, "l": 80, "r": 30}
    for key in list(layout):
        if re.fullmatch(r"xaxis\d*", key) and isinstance(layout[key], dict):
            layout[key].pop("rangeselector", None)
    layout.pop("updatemenus", None)
    return chart


def card_chart_from(raw: bytes, title: str) -> dict[str, Any]:
    return card_chart(json.loads(raw), title)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


# ---- the browser session ------------------------------------------------------------------

class Renderer:
    """One Kaleido browser session for the whole build, opened on first use.

    Kaleido is asynchronous; the build is not. The session lives on an event loop in a
    background thread: `submit` hands it a batch and returns at once (the browser draws while
    the build goes on), `render` waits for the batch. Two tabs draw at a time.
    """

    def __init__(self, browser: str, tabs: int = 2, timeout: float = 120) -> None:
        self.browser = browser
        self.tabs = tabs
        self.timeout = timeout
        self._loop: asyncio.AbstractEventLoop | None = None
        self._session: concurrent.futures.Future[Any] | None = None  # the open Kaleido

    def _start(self) -> None:
        self._loop = asyncio.new_event_loop()
        threading.Thread(target=self._loop.run_forever, name="kaleido", daemon=True).start()
        session_class = _reusing_kaleido()

        async def open_session() -> Any:
            session = session_class(n=self.tabs, timeout=self.timeout,
                                    plotlyjs=str(plotly_bundle()), mathjax=False,
                                    path=self.browser)
            await session.__aenter__()
            return session

        # Not waited for: the browser starts while the build goes on.
        self._session = asyncio.run_coroutine_threadsafe(open_session(), self._loop)

    def submit(self, jobs: Sequence[tuple[dict[str, Any], str, tuple[int, int]]],
               ) -> concurrent.futures.Future[list[bytes]]:
        """Start rendering `(figure, format, (width, height))` jobs; the future's result is
        their bytes in the same order."""
        if self._session is None:
            self._start()
        assert self._loop is not None and self._session is not None
        opened = self._session

        async def batch() -> list[bytes]:
            session = await asyncio.wrap_future(opened)
            return list(await asyncio.gather(*(
                session.calc_fig(fig, opts={"format": fmt, "width": w, "height": h})
                for fig, fmt, (w, h) in jobs)))

        return asyncio.run_coroutine_threadsafe(batch(), self._loop)

    def render(self, jobs: Sequence[tuple[dict[str, Any], str, tuple[int, int]]]) -> list[bytes]:
        """Render the jobs (see `submit`) and wait for them."""
        return self.submit(jobs).result() if jobs else []

    def close(self) -> None:
        if self._session is not None and self._loop is not None:
            try:
                session = self._session.result()
                asyncio.run_coroutine_threadsafe(
                    session.__aexit__(None, None, None), self._loop).result()
            except Exception:  # a browser that never opened has nothing to close
                pass
            finally:
                self._session = None
        if self._loop is not None:
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._loop = None


def _reusing_kaleido() -> type:
    """Kaleido's session class, reloading a tab only every `RENDERS_PER_RELOAD` images.

    Stock Kaleido reloads the tab (and so parses plotly.js again) after every image: about
    three quarters of our image time. Each render already draws into a fresh element and purges
    it (`kaleido_scopes.js`), and the images come out the same either way (tested). The hook is
    Kaleido's own tab-return step; if a Kaleido release renames it, the stock class is used.

    Each tab is also reloaded once before its first image: Kaleido's first navigation enables
    the page's JavaScript events after navigating, so on a loaded machine it can take the blank
    page's context for the chart page's ("kaleido_scopes is not defined"); a reload waits for
    the new page's own context.
    """
    import kaleido

    stock = kaleido.Kaleido
    if not all(hasattr(stock, hook) for hook in ("_return_kaleido_tab", "_get_kaleido_tab")):
        return stock

    class ReusingKaleido(stock):  # type: ignore[misc, valid-type]
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._renders: dict[int, int] = {}  # images drawn per tab (by id)

        async def _get_kaleido_tab(self) -> Any:
            tab = await super()._get_kaleido_tab()
            if id(tab) not in self._renders:  # its first image: reload it once (see above)
                self._renders[id(tab)] = 0
                await tab.reload()
            return tab

        async def _return_kaleido_tab(self, tab: Any) -> None:
            self._renders[id(tab)] = self._renders.get(id(tab), 0) + 1
            if self._renders[id(tab)] % RENDERS_PER_RELOAD == 0:
                await super()._return_kaleido_tab(tab)
            else:
                await self.tabs_ready.put(tab)

    return ReusingKaleido


_PLOTLY_UIDS = re.compile(rb'(?:id="defs-|id="legend|class="[^"]*\btrace)([0-9a-f]{6})\b')


_START_TAG = re.compile(rb'<([A-Za-z][\w:-]*)((?:\s+[\w:-]+="[^"]*")+)(\s*/?)>')
_ATTRIBUTE = re.compile(rb'[\w:-]+="[^"]*"')


def _sorted_attributes(tag: re.Match[bytes]) -> bytes:
    name, attributes, end = tag.groups()
    return (b"<" + name + b" " + b" ".join(sorted(_ATTRIBUTE.findall(attributes)))
            + end.strip() + b">")


def stable_ids(svg: bytes, key: str) -> bytes:
    """plotly names an SVG's clip paths, legend and traces with random ids: number them from the
    image's cache key instead; and it sets some attributes in another order on a tab's first
    chart (a legend's box): write every tag's attributes sorted. So the same chart gives the
    same bytes on every build."""
    uids = list(dict.fromkeys(found.group(1) for found in _PLOTLY_UIDS.finditer(svg)))
    if uids:  # every id replaced in one pass over the SVG
        stable = {uid: f"{key[:4]}{n:02x}".encode("ascii") for n, uid in enumerate(uids)}
        svg = re.sub(rb"(defs-|clip|trace|legend)(" + b"|".join(uids) + rb")",
                      lambda found: found.group(1) + stable[found.group(2)], svg)
    return _START_TAG.sub(_sorted_attributes, svg)


class RenderError(Exception):
    """The browser could not render the images (the build goes on without them)."""


# ---- the cache and the two build steps ------------------------------------------------------

@dataclass(frozen=True)
class ImageCache:
    root: Path  # <cache_dir>/images

    def get(self, key: str, names: Sequence[str]) -> list[bytes] | None:
        folder = self.root / key[:2] / key
        try:
            return [(folder / name).read_bytes() for name in names]
        except FileNotFoundError:
            return None

    def put(self, key: str, files: dict[str, bytes]) -> None:
        folder = self.root / key[:2] / key
        for name, data in files.items():
            atomic_write_bytes(folder / name, data)


def _write(path: Path, data: bytes) -> None:
    if not path.is_file() or path.read_bytes() != data:
        atomic_write_bytes(path, data, durable=False)  # the docs folder (see atomic_write_files)


class ChartImages:
    """The four SVGs of each figure, written into `docs_dir` from the cache or the browser.

    `add(figure_id)` as soon as a figure's JSON is written: a cached chart is placed at once,
    another is handed to the browser, which draws it while the build makes the next figure;
    `finish()` waits for the drawings, caches and places them, and returns what was made.
    """

    NAMES = ("light.svg", "narrow.svg")

    def __init__(self, docs_dir: Path, cache: ImageCache, renderer: Renderer | None,
                 log: Callable[[str], None]) -> None:
        self.docs_dir, self.cache, self.renderer, self.log = docs_dir, cache, renderer, log
        self.done: dict[str, ImageSet] = {}
        self.pending: list[tuple[str, str, concurrent.futures.Future[list[bytes]]]] = []

    def add(self, figure_id: str) -> None:
        raw = (self.docs_dir / "figures" / f"{figure_id}.json").read_bytes()
        key = cache_key("chart", raw)
        hit = self.cache.get(key, self.NAMES)
        if hit is not None:
            _place(self.docs_dir, figure_id, hit[0], hit[1])
            self.done[figure_id] = ImageSet.for_figure(figure_id)
        elif self.renderer is not None:
            figure = json.loads(raw)
            jobs = [(chart_for(figure, size), "svg", size) for size in (WIDE, NARROW)]
            self.pending.append((figure_id, key, self.renderer.submit(jobs)))

    def finish(self) -> dict[str, ImageSet]:
        """Wait for what the browser draws; RenderError if it fails (the build goes on
        without those images)."""
        pending, self.pending = self.pending, []
        for figure_id, key, future in pending:
            try:
                rendered = future.result()
            except Exception as exc:  # a browser failure costs the images, not the build
                for _, _, other in pending:
                    other.cancel()
                raise RenderError(f"{type(exc).__name__}: {exc}") from exc
            wide, narrow = (stable_ids(svg, key) for svg in rendered)
            self.cache.put(key, dict(zip(self.NAMES, (wide, narrow), strict=True)))
            _place(self.docs_dir, figure_id, wide, narrow)
            self.done[figure_id] = ImageSet.for_figure(figure_id)
            self.log(f"image {figure_id}")
        return dict(self.done)


def _place(docs_dir: Path, figure_id: str, wide: bytes, narrow: bytes) -> None:
    paths = ImageSet.for_figure(figure_id)
    for path, svg in ((paths.light, wide), (paths.narrow_light, narrow)):
        _write(docs_dir / path, svg)
        dark = path.removesuffix(".svg") + ".dark.svg"
        _write(docs_dir / dark, tpl.recolour_svg(svg.decode("utf-8")).encode("utf-8"))


@dataclass(frozen=True)
class CardRequest:
    """One page's preview card: the page's docs path, its title, and its lead figure if any."""

    page: str  # e.g. "history.md", "market-update/archive/2026-08-14.md"
    title: str
    figure_id: str | None


def card_path(page: str) -> str:
    """Site-relative URL of a page's preview card (``history.md`` -> assets/cards/history.png)."""
    if page.startswith("market-update/archive/"):
        return f"{CARDS_DIR}/market-update-archive.png"  # one card for the whole archive
    stem = page.removesuffix(".md").removesuffix("/index") or "index"
    return f"{CARDS_DIR}/{stem.replace('/', '--')}.png"


def preview_cards(requests: Sequence[CardRequest], docs_dir: Path, cache: ImageCache,
                  renderer: Renderer | None, log: Callable[[str], None]) -> dict[str, str]:
    """Write the PNG cards; return {page: card URL} for the pages that have one. Pages whose
    cards would be identical (the archive's title cards) share one file."""
    done: dict[str, str] = {}
    by_key: dict[str, tuple[str, Callable[[], dict[str, Any]]]] = {}
    page_key: dict[str, str] = {}
    for request in requests:
        if request.figure_id:
            raw = (docs_dir / "figures" / f"{request.figure_id}.json").read_bytes()
            key = cache_key("card", raw, request.title)
            build = partial(card_chart_from, raw, request.title)
        else:
            key = cache_key("title", request.title)
            build = partial(title_card, request.title, "The Russell 2000, explained with data")
        by_key.setdefault(key, (card_path(request.page), build))
        page_key[request.page] = key
    todo = []
    for key, (path, build) in by_key.items():
        hit = cache.get(key, ("card.png",))
        if hit is not None:
            _write(docs_dir / path, hit[0])
        elif renderer is not None:
            todo.append((key, path, build()))
    if todo and renderer is not None:
        try:
            rendered = renderer.render([(fig, "png", CARD) for _, _, fig in todo])
        except Exception as exc:
            raise RenderError(f"{type(exc).__name__}: {exc}") from exc
        for (key, path, _), png in zip(todo, rendered, strict=True):
            cache.put(key, {"card.png": png})
            _write(docs_dir / path, png)
        log(f"{len(todo)} preview cards")
    for page, key in page_key.items():
        path = by_key[key][0]
        if (docs_dir / path).is_file():
            done[page] = path
    return done


_FIGURE_ATTR = re.compile(r'data-figure="([^"]+)"')
_TITLE = re.compile(r"^title:\s*(.+)$", re.M)


def card_requests(docs_dir: Path, pages: Sequence[str]) -> list[CardRequest]:
    """A card request per written page: its front-matter title and its first chart."""
    requests = []
    for page in pages:
        text = (docs_dir / page).read_text(encoding="utf-8")
        title_match = _TITLE.search(text.split("\n---", 1)[0]) if text.startswith("---") \
            else None
        title = title_match.group(1).strip().strip("'\"") if title_match else SITE_NAME
        lead = _FIGURE_ATTR.search(text)
        if page.startswith("market-update/archive/") and not lead:
            title = "Market update archive"  # one card for every day's page
        requests.append(CardRequest(page, title, lead.group(1) if lead else None))
    return requests


def add_card_to_front_matter(docs_dir: Path, page: str, card: str) -> None:
    """Name the page's card in its front matter (``card: assets/cards/….png``), which the theme
    override turns into og:image / twitter:image."""
    path = docs_dir / page
    text = path.read_text(encoding="utf-8")
    line = f"card: {card}\n"
    if text.startswith("---\n"):
        if line in text.split("\n---", 1)[0] + "\n":
            return
        text = "---\n" + line + text[4:]
    else:
        text = f"---\n{line}---\n" + text
    atomic_write_bytes(path, text.encode("utf-8"), durable=False)


# ---- what the build calls ------------------------------------------------------------------

NO_BROWSER = ("No Chrome or Chromium found (set CHROME_PATH to one): building without chart "
              "images; charts are drawn by plotly.js only.")


def write_templates(docs_dir: Path) -> None:
    """``figures/templates.json``: the light and dark templates charts.js themes charts with."""
    text = json.dumps(tpl.templates(), separators=(",", ":"), sort_keys=True) + "\n"
    _write(docs_dir / "figures" / "templates.json", text.encode("utf-8"))


def chart_images_for(docs_dir: Path, cache_dir: Path, renderer: Renderer | None,
                     log: Callable[[str], None]) -> ChartImages:
    """A `ChartImages` for the build's docs folder and image cache (templates written)."""
    write_templates(docs_dir)
    return ChartImages(docs_dir, ImageCache(cache_dir / "images"), renderer, log)


def with_images(results: dict[str, FigureResult], docs_dir: Path, cache_dir: Path,
                renderer: Renderer | None, log: Callable[[str], None],
                images: ChartImages | None = None) -> dict[str, FigureResult]:
    """`results` with their `images` set for every figure that has them (cached or rendered);
    with `images`, the figures already handed to it as they were built are not added again."""
    from dataclasses import replace

    if images is None:
        images = chart_images_for(docs_dir, cache_dir, renderer, log)
        for figure_id in sorted(results):
            images.add(figure_id)
    made = images.finish()
    return {fid: replace(r, images=made.get(fid)) for fid, r in results.items()}


def with_cards(docs_dir: Path, cache_dir: Path, renderer: Renderer | None,
               log: Callable[[str], None]) -> dict[str, str]:
    """Give every generated page a preview card (named in its front matter); {page: card}."""
    pages = sorted(p.relative_to(docs_dir).as_posix() for p in docs_dir.rglob("*.md")
                   if not any(part.startswith("_") for part in p.relative_to(docs_dir).parts))
    cards = preview_cards(card_requests(docs_dir, pages), docs_dir,
                          ImageCache(cache_dir / "images"), renderer, log)
    for page, card in cards.items():
        add_card_to_front_matter(docs_dir, page, card)
    return cards
