"""Pages the generator makes from templates (``content/_templates/…``) rather than from page
sources, and the write both kinds of page go through."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2

from generator.errors import BuildError
from generator.pages.tables import table
from generator.store import atomic_write_text


def write_text_if_changed(path: Path, text: str) -> None:
    """Atomic write, skipped when the file already holds `text` (a rebuild with unchanged
    data then rewrites nothing, and its fsyncs cost nothing)."""
    try:
        if path.read_text(encoding="utf-8") == text:
            return
    except (FileNotFoundError, UnicodeDecodeError):
        pass
    atomic_write_text(path, text, durable=False)  # the docs folder (see atomic_write_files)


@dataclass(frozen=True)
class GeneratedPage:
    """A page the generator makes from a template (``content/_templates/…``) rather than from a
    page source: `target` is its path in the docs folder, `context` what it adds to the facts."""

    template: str
    target: str
    context: dict[str, Any] = field(default_factory=dict)


def render_generated(env: jinja2.Environment, docs_dir: Path, facts: dict[str, Any],
                     pages: Iterable[GeneratedPage], suffix: str = "") -> list[str]:
    """Render generated pages into `docs_dir` (facts plus each page's own context), each
    followed by `suffix` (the glossary's abbreviation definitions)."""
    written = []
    for page in pages:
        try:
            text = env.get_template(page.template).render(
                **{**facts, **page.context}, table=table, facts=facts)
        except jinja2.TemplateError as exc:
            line = getattr(exc, "lineno", None)
            where = f"content/{page.template}" + (f":{line}" if line else "")
            raise BuildError(f"{where} (for {page.target}): {exc}") from None
        write_text_if_changed(docs_dir / page.target, text + suffix)
        written.append(page.target)
    return written
