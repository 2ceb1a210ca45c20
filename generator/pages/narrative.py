"""Formatting of the desk note's sentences (chosen in `analytics.narrative`) for pages and feeds.

A sentence becomes text three ways: plain (feed titles), HTML in which every number is a
``<span data-fact="r2k.change.m1">`` naming the fact it shows and every sentence names its rule
and facts (``data-rule``, ``data-facts``), and Markdown footnotes that state the rule, why it
fired and each fact behind it, so a reader can trace every sentence to its numbers.
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from markupsafe import Markup

from generator import units as fmt
from generator.analytics.market_update import flatten
from generator.analytics.narrative import Fact, Sentence
from generator.pages.escape import text as escaped

KINDS: dict[str, Callable[[Any], str]] = {
    "num": fmt.num,
    "date": fmt.date,
    "pct": fmt.pct,
    "pct_abs": lambda value: fmt.pct_plain(abs(value)),
    "rate": fmt.rate,
    "points": fmt.pp,
    "points_abs": lambda value: f"{abs(value):.2f}",
    "gap_abs": lambda value: f"{abs(value) * 100:.1f}",
    "share": lambda value: fmt.pct_plain(value, 0),
    "ordinal": fmt.ordinal,
    "count": lambda value: f"{int(value):,}",
    "text": str,  # a name from the data (a sector, a ticker): escaped like every fact
}


def fact_text(fact: Fact) -> str:
    """A fact as the sentence shows it."""
    return KINDS[fact.kind](fact.value)


def sentence_text(sentence: Sentence) -> str:
    """The sentence as plain text."""
    return sentence.text.format(**{name: fact_text(fact) for name, fact in sentence.slots})


def sentence_html(sentence: Sentence) -> str:
    """The sentence as inline HTML: each number tagged with its fact key, the whole tagged
    with its rule and every fact key it rests on."""
    numbers = {name: f'<span class="primer-fact" data-fact="{fact.key}">'
                     f"{escaped(fact_text(fact))}</span>"
               for name, fact in sentence.slots}
    body = html.escape(sentence.text, quote=False).format(**numbers)
    return (f'<span class="primer-sentence" data-rule="{sentence.rule}" '
            f'data-facts="{" ".join(sentence.keys)}">{body}</span>')


def desk_note(sentences: Sequence[Sentence], notes: str | None = None) -> Markup:
    """The sentences as one Markdown paragraph of inline HTML; with `notes` (an id prefix),
    each sentence carries a footnote reference ``[^<notes>-<n>]``."""
    parts = []
    for number, sentence in enumerate(sentences, start=1):
        ref = f"[^{notes}-{number}]" if notes else ""
        parts.append(sentence_html(sentence) + ref)
    return Markup(" ".join(parts))


def _raw(value: Any) -> str:
    """A fact value as stored, for the footnotes (full precision, ISO dates)."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float):
        return f"{value:.6g}"
    return "—" if value is None else str(value)


def desk_note_footnotes(sentences: Sequence[Sentence], facts: Mapping[str, Any],
                        notes: str) -> Markup:
    """Markdown footnote definitions matching `desk_note(sentences, notes)`: for each sentence,
    its rule, the condition that chose it and every fact key with its value."""
    flat = flatten({k: v for k, v in facts.items() if not k.endswith("_table")
                    and k != "sentences"})
    lines = []
    for number, sentence in enumerate(sentences, start=1):
        cited = "; ".join(f"`{key}` = {escaped(_raw(flat.get(key)))}" for key in sentence.keys)
        lines.append(f"[^{notes}-{number}]: Rule `{sentence.rule}`, chosen because "
                     f"{escaped(sentence.because)}. Facts: {cited}.")
    return Markup("\n".join(lines) + "\n")
