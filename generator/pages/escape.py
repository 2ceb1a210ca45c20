"""Escaping by construction: every value a page source prints is text unless our own code marked
it as markup.

Pages are Markdown with inline HTML, rendered by Python-Markdown (which passes HTML through). So
text from outside (a company name, a sector, a feed's message) must be neutral twice over: as
HTML (``<``, ``&``, quotes) and as Markdown (``[`` ``]`` make links, ``{`` ``}`` attributes via
attr_list, ``|`` splits a table cell, ``*`` ``_`` `````` ` `````` emphasis and code, ``\\``
escapes). Each is written as a numeric character reference: the reader sees the character,
neither parser sees syntax. Markup we write ourselves (figure embeds, tables, the desk note) is
returned as `markupsafe.Markup` and passes through unchanged.
"""

from __future__ import annotations

from typing import Any

from markupsafe import Markup

# HTML's five plus the Markdown characters that start syntax anywhere in a line (a
# `javascript:` URL is inert once `[`, `]` and `<` cannot open a link).
_SPECIAL = "&<>\"'\\`*_[]{}|"
_TABLE = str.maketrans({c: f"&#{ord(c)};" for c in _SPECIAL})


def text(value: Any) -> Markup:
    """`value` as page text: markup from our own code unchanged, anything else escaped for both
    HTML and Markdown (also inside a Markdown table cell)."""
    if isinstance(value, Markup) or hasattr(value, "__html__"):
        return Markup(value.__html__())
    return Markup(str(value).translate(_TABLE))


def finalize(value: Any) -> Any:
    """Jinja `finalize`: every ``{{ … }}`` goes through `text` (autoescape then leaves it)."""
    return text(value)
