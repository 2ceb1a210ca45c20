"""The site's glossary, defined once in `content/_includes/glossary.yml`, rendered two ways:
the Glossary page's entries and the abbreviation list that gives every page its tooltips
(Markdown `abbr`, appended to each page by `pymdownx.snippets`, shown by Material's
`content.tooltips`)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from generator.errors import BuildError

GLOSSARY_SOURCE = Path("_includes") / "glossary.yml"
_MARKDOWN = re.compile(r"[*_`\[\]<>]")


@dataclass(frozen=True)
class Term:
    """One glossary entry: `short` is the plain-text tooltip, `definition` the page text
    (Markdown), `forms` the exact words that get the tooltip."""

    term: str
    short: str
    definition: str
    forms: tuple[str, ...] = ()

    @property
    def anchor(self) -> str:
        """The entry's anchor on the glossary page (`glossary.md#<anchor>`)."""
        return re.sub(r"[^a-z0-9]+", "-", self.term.lower()).strip("-")


def load_glossary(path: Path) -> list[Term]:
    """Read and check the glossary: unique terms and forms, plain-text tooltips."""
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BuildError(f"glossary missing: {path}") from None
    except yaml.YAMLError as exc:
        raise BuildError(f"{path}: not valid YAML: {exc}") from None
    if not isinstance(raw, list):
        raise BuildError(f"{path}: expected a list of terms")
    terms: list[Term] = []
    seen_forms: dict[str, str] = {}
    for i, entry in enumerate(raw, start=1):
        missing = {"term", "short", "definition"} - set(entry or {})
        if missing:
            raise BuildError(f"{path}: entry {i} lacks {sorted(missing)}")
        term = Term(term=str(entry["term"]).strip(), short=" ".join(str(entry["short"]).split()),
                    definition=str(entry["definition"]).strip(),
                    forms=tuple(str(f) for f in entry.get("forms") or ()))
        if _MARKDOWN.search(term.short):
            raise BuildError(f"{path}: {term.term}: tooltip text must be plain (no Markdown)")
        for form in tooltip_forms(term):
            if form in seen_forms:
                raise BuildError(f"{path}: form {form!r} used by both {seen_forms[form]} and "
                                 f"{term.term}")
            seen_forms[form] = term.term
        terms.append(term)
    anchors = [t.anchor for t in terms]
    duplicates = sorted({a for a in anchors if anchors.count(a) > 1})
    if duplicates:
        raise BuildError(f"{path}: terms defined twice: {duplicates}")
    return sorted(terms, key=lambda t: t.term.lower())


def glossary_markdown(terms: list[Term]) -> str:
    """The Glossary page's entries: one heading (with a stable anchor) and its text per term."""
    blocks = [f"## {t.term} {{#{t.anchor}}}\n\n{t.definition}\n" for t in terms]
    return "\n".join(blocks)


def tooltip_forms(term: Term) -> list[str]:
    """A term's forms plus, for each lower-case form, its sentence-start capitalisation
    ("drawdown" -> "Drawdown"); matching is case-sensitive."""
    forms = list(term.forms)
    for form in term.forms:
        if form[:1].islower() and form[:1].upper() + form[1:] not in forms:
            forms.append(form[:1].upper() + form[1:])
    return forms


def abbreviations_markdown(terms: list[Term]) -> str:
    """Markdown abbreviation definitions (`*[form]: tooltip`) for every term's forms, each its
    own paragraph: in one block, Markdown's parser takes one definition per pass and re-tests
    the rest of the block every time (quadratic: half of mkdocs' time on 59 pages); apart,
    the same HTML in half the time."""
    lines = [f"*[{form}]: {t.short}" for t in terms for form in tooltip_forms(t)]
    return "\n\n".join(lines) + "\n"
