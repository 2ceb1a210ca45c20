"""Stage 5 — figures: plotly charts from analytics, each with its CSV and manifest entry.

Figures know nothing of Markdown. `build_figures` writes, under the docs folder:
``figures/<id>.json`` (plotly JSON, drawn by the site's one chart script), ``figures/<id>.csv``
(the data behind the chart) and ``figures.json`` (the manifest: id, title, page URL, CSV URL,
sources, as-of).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from generator.catalog import BY_ID, TABLES_BY_ID
from generator.errors import BuildError, DataError
from generator.figures.cache import FigureCache, RecordingStore, input_checksums
from generator.figures.data_table import data_table
from generator.figures.spec import (
    REGISTRY,
    FigureResult,
    FigureSpec,
    csv_bytes,
    figure_json,
    page_url,
)
from generator.figures.theme import log_ticks
from generator.store import Store, atomic_write_bytes, atomic_write_text

FIGURES_DIR = "figures"


def source_label(series_id: str) -> str:
    """Reader-facing source for a catalog series or a named store table."""
    series = BY_ID.get(series_id)
    if series is None:
        table = TABLES_BY_ID.get(series_id)
        if table:
            return f"{table.publisher}: {table.title}"
        # A reference file kept with the project: readers get words, not its path.
        return "a reference table kept with this site" if "/" in series_id else series_id
    return f"{series.publisher} ({series.id})"


def build_one(spec: FigureSpec, store: Store, out_dir: Path) -> FigureResult:
    """Build one figure and write its JSON and CSV(s)."""
    try:
        drawn = spec.build(store)
        takeaway = spec.say(drawn.values)
        alternative = data_table(drawn.data, drawn.figure, drawn.units)
    except DataError:
        raise
    except Exception as exc:  # a builder bug must name the figure, not dump a traceback
        raise BuildError(f"figure {spec.id}: {type(exc).__name__}: {exc}") from exc
    meta = drawn.figure.layout.meta
    drawn.figure.update_layout(meta={**(meta if isinstance(meta, dict) else {}), "id": spec.id})
    log_ticks(drawn.figure)
    figures = out_dir / FIGURES_DIR
    atomic_write_text(figures / f"{spec.id}.json", figure_json(drawn.figure), durable=False)
    atomic_write_bytes(figures / f"{spec.id}.csv", csv_bytes(drawn.data), durable=False)
    extra = []
    for name, table in drawn.extra_csv.items():
        atomic_write_bytes(figures / f"{name}.csv", csv_bytes(table), durable=False)
        extra.append(f"{FIGURES_DIR}/{name}.csv")
    return FigureResult(spec=spec, as_of=drawn.as_of, takeaway=takeaway, notes=drawn.notes,
                        json_path=f"{FIGURES_DIR}/{spec.id}.json",
                        csv_path=f"{FIGURES_DIR}/{spec.id}.csv", extra_csv_paths=tuple(extra),
                        table=alternative)


def manifest(results: list[FigureResult]) -> list[dict[str, object]]:
    """The site-wide figure manifest, one entry per figure, in id order."""
    return [{
        "id": r.spec.id, "title": r.spec.title, "page": page_url(r.spec.page),
        "csv": r.csv_path, "json": r.json_path, "extra_csv": list(r.extra_csv_paths),
        "sources": [source_label(s) for s in r.spec.sources], "as_of": r.as_of.isoformat(),
        "takeaway": r.takeaway, "method": r.method,
    } for r in sorted(results, key=lambda r: r.spec.id)]


def build_figures(store: Store, out_dir: Path,
                  log: Callable[[str], None] = lambda _: None,
                  cache_dir: Path | None = None,
                  on_figure: Callable[[str], None] = lambda _: None,
                  ) -> dict[str, FigureResult]:
    """Build every registered figure into `out_dir`; write the manifest last.

    With `cache_dir`, a figure whose code and input checksums are unchanged is restored from
    the cache instead of recomputed (see `generator.figures.cache`). `on_figure(id)` is called
    as each figure's files are written (the build starts drawing its images then).
    """
    cache = FigureCache(cache_dir / "figures") if cache_dir else None
    results = {}
    for spec in REGISTRY.values():
        hit = cache.lookup(spec, store, out_dir) if cache else None
        if hit is not None:
            results[spec.id] = hit
            log(f"figure {spec.id} (cached)")
            on_figure(spec.id)
            continue
        recording = RecordingStore(store)
        results[spec.id] = build_one(spec, recording, out_dir)
        if cache:
            inputs = input_checksums(store, {*spec.sources, *recording.read})
            cache.save(results[spec.id], inputs, out_dir)
        log(f"figure {spec.id}")
        on_figure(spec.id)
    atomic_write_text(out_dir / "figures.json",
                      json.dumps(manifest(list(results.values())), indent=1) + "\n",
                      durable=False)
    return results
