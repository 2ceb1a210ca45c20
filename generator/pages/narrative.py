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

# How a sentence shows each kind of fact: a `units.apply` kind (the fact's unit and its
# presentation), or a function where the sentence itself says the direction.
KINDS: dict[str, Callable[[Any], str]] = {
    "num": lambda value: fmt.apply("level", value),
    "date": fmt.date,
    "pct": lambda value: fmt.apply("fraction:+", value),
    "pct_abs": lambda value: fmt.apply("fraction:-", abs(value)),
    "rate": lambda value: fmt.apply("percent", value),
    "points": lambda value: fmt.apply("points:.2short", value),
    # "fell by 0.25 percentage points": the number alone, the sentence names the unit
    "points_abs": lambda value: fmt.bare(abs(fmt.Points(value, digits=2))),
    "gap_abs": lambda value: fmt.bare(abs(fmt.Points.of(value))),
    "share": lambda value: fmt.apply("fraction:-.0", value),
    "ordinal": fmt.ordinal,
    "count": lambda value: fmt.apply("count", value),
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


# Reader words for the parts of a fact key (the keys themselves stay in the CSV and the
# sentence's data-facts attribute, for whoever wants to trace them).
_WORDS = {
    "r2k": "Russell 2000", "spx": "S&P 500", "gap": "small minus large",
    "hy": "high-yield spread", "dgs2": "2-year Treasury yield", "dgs10": "10-year Treasury yield",
    "dff": "fed funds rate", "fed_target": "fed funds target", "members": "index members",
    "coming": "coming up", "fomc": "Fed decision", "change": "change", "d1": "one-day",
    "m1": "one-month", "change_m1": "one-month change", "close": "close", "date": "date",
    "ath": "record close", "ath_date": "date of the record close",
    "prior_ath": "previous record close", "prior_ath_date": "date of the previous record",
    "new_ath": "new record", "from_ath": "distance from the record close",
    "range_position": "place in the 52-week range", "low_52w": "52-week low",
    "high_52w": "52-week high", "value": "level", "percentile": "percentile",
    "history_start": "history from", "share_up": "share that rose", "new_lows": "new lows",
    "new_highs": "new highs", "leaders": "leader", "laggards": "laggard",
    "sectors": "sectors", "best_return": "best return", "worst_return": "worst return",
    "up": "up", "count": "count", "event": "event", "return": "return", "ticker": "ticker",
}


def fact_label(key: str) -> str:
    """A fact key in reader words: ``r2k.change.d1`` -> "Russell 2000 one-day change"."""
    parts = [p for p in key.split(".") if not p.isdigit()]
    if parts[-2:] == ["change", "d1"] or parts[-2:] == ["change", "m1"]:
        parts = [*parts[:-2], parts[-1], "change"]
    return " ".join(_WORDS.get(p, p.replace("_", " ")) for p in parts)


def _value_text(key: str, value: Any) -> str:
    """A fact's value for the footnote, formatted as the pages format it."""
    if value is None:
        return "not available"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dt.date):
        return fmt.date(value)
    if isinstance(value, fmt.Quantity):  # a page fact: its unit decides
        if key.endswith(".percentile"):
            return fmt.ordinal(value)
        if isinstance(value, fmt.Fraction):
            return str(value.with_sign(True))
        return format(value, "short") if isinstance(value, fmt.Points) else str(value)
    if isinstance(value, float):  # its unit would be a guess from the key or the size
        raise fmt.UnitError(f"desk-note fact {key} = {value!r} has no unit: the market update's "
                            "provider hands each number in its unit (generator/units.py)")
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def desk_note_footnotes(sentences: Sequence[Sentence], facts: Mapping[str, Any],
                        notes: str) -> Markup:
    """Markdown footnote definitions matching `desk_note(sentences, notes)`: for each sentence,
    why it was chosen and, in words, every fact it rests on with its value (the rule's name and
    the fact keys are in the sentence's data-rule and data-facts attributes)."""
    flat = flatten({k: v for k, v in facts.items() if not k.endswith("_table")
                    and k != "sentences"})
    lines = []
    for number, sentence in enumerate(sentences, start=1):
        values = {key: _value_text(key, flat.get(key)) for key in sentence.keys}
        cited = "; ".join(f"{escaped(fact_label(key))} {escaped(values[key])}"
                          for key in sentence.keys)
        lines.append(f"[^{notes}-{number}]: Chosen because {escaped(sentence.because)}. "
                     f"Based on: {cited}.")
    return Markup("\n".join(lines) + "\n")
