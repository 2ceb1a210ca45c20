"""Light and dark as two plotly templates, and the layout a chart takes at a given width.

The same two templates theme the interactive charts (``figures/templates.json``, read by
``charts.js``) and the build-time images (`generator.figures.images`), so a chart looks the same
before and after plotly.js takes over. Colours are Material for MkDocs' own: the ``default``
scheme's text is black at 87 % opacity, ``slate``'s a blue-grey white at 82 %.

`sized_layout` is the Python twin of ``adapted()`` in ``charts.js`` (font size, margins, legend
place, tick count by chart width): change one, change the other.
"""

from __future__ import annotations

import copy
import re
from typing import Any

FONT = "Roboto, -apple-system, BlinkMacSystemFont, Helvetica, Arial, sans-serif"
NARROW = 600  # px of chart width below which the compact layout applies (charts.js: NARROW)

# Material's text colours (--md-default-fg-color, --light, --lighter, --lightest) and page
# background, per scheme. (r, g, b) and an opacity each, so the SVG recolouring below is exact.
PALETTES: dict[str, dict[str, tuple[tuple[int, int, int], float]]] = {
    "light": {"fg": ((0, 0, 0), 0.87), "light": ((0, 0, 0), 0.54),
              "muted": ((0, 0, 0), 0.32), "faint": ((0, 0, 0), 0.07),
              "bg": ((255, 255, 255), 1.0)},
    "dark": {"fg": ((226, 228, 233), 0.82), "light": ((226, 228, 233), 0.56),
             "muted": ((226, 228, 233), 0.32), "faint": ((226, 228, 233), 0.12),
             "bg": ((30, 33, 41), 1.0)},
}
SCHEMES = {"default": "light", "slate": "dark"}  # Material's scheme names -> ours


def rgba(scheme: str, role: str) -> str:
    (r, g, b), alpha = PALETTES[scheme][role]
    return f"rgba({r},{g},{b},{alpha})"


def template(scheme: str) -> dict[str, Any]:
    """The plotly template (as a dict) for `scheme` ("light" or "dark")."""
    c = {role: rgba(scheme, role) for role in PALETTES[scheme]}
    axis = {"gridcolor": c["faint"], "linecolor": c["muted"], "zerolinecolor": c["muted"],
            "tickcolor": c["muted"], "automargin": True, "title": {"font": {"color": c["fg"]}},
            "tickfont": {"color": c["fg"]}}
    return {"layout": {
        "paper_bgcolor": "rgba(0,0,0,0)", "plot_bgcolor": "rgba(0,0,0,0)",
        "font": {"color": c["fg"], "family": FONT},
        "legend": {"bgcolor": "rgba(0,0,0,0)", "font": {"color": c["fg"]}},
        "hoverlabel": {"bgcolor": c["bg"], "bordercolor": c["muted"],
                       "font": {"color": c["fg"]}},
        "xaxis": {**axis, "rangeselector": {
            "bgcolor": c["faint"], "activecolor": c["muted"], "bordercolor": c["muted"],
            "borderwidth": 1, "font": {"color": c["fg"]}}},
        "yaxis": axis,
        "annotationdefaults": {"arrowcolor": c["light"], "font": {"color": c["fg"]}},
        "shapedefaults": {"line": {"color": c["light"]}},
        "updatemenudefaults": {"bgcolor": c["bg"], "bordercolor": c["muted"],
                               "font": {"color": c["fg"]}},
    }}


def templates() -> dict[str, dict[str, Any]]:
    """Both templates keyed by Material's scheme names (what ``charts.js`` looks up)."""
    return {material: template(ours) for material, ours in SCHEMES.items()}


def _axis_keys(layout: dict[str, Any]) -> list[str]:
    keys = [k for k in layout if re.fullmatch(r"[xy]axis\d*", k)]
    return keys + [k for k in ("xaxis", "yaxis") if k not in keys]


def _has_top_row(layout: dict[str, Any]) -> bool:
    """The top row holds the range selector or the log toggle (charts.js: `selector`)."""
    selector = any(k.startswith("x") and (layout.get(k) or {}).get("rangeselector")
                   for k in _axis_keys(layout))
    log = (layout.get("yaxis") or {}).get("type") == "log" or \
        (layout.get("meta") or {}).get("log_toggle") is True
    return bool(selector or log)


def sized_layout(layout: dict[str, Any], width: int) -> dict[str, Any]:
    """A copy of the figure's `layout` laid out for a chart `width` px wide (no colours: those
    come from the template)."""
    out = copy.deepcopy(layout)
    narrow = width < NARROW
    margin = layout.get("margin") or {}
    top_row = _has_top_row(layout)
    out["font"] = {**(out.get("font") or {}), "size": 11 if narrow else 13}
    out["margin"] = {
        "l": 8 if narrow else margin.get("l", 56), "r": 8 if narrow else margin.get("r", 16),
        "t": 40 if top_row else (16 if narrow else margin.get("t", 36)),
        "b": 8 if narrow else margin.get("b", 40), "autoexpand": True}
    legend = {**(out.get("legend") or {}), "orientation": "h", "x": 0, "xanchor": "left"}
    if top_row or narrow:
        legend.update(yref="container", y=0, yanchor="bottom")
    else:
        legend.update(yref="paper", y=1.02, yanchor="bottom")
    out["legend"] = legend
    for key in _axis_keys(layout):
        axis = out.setdefault(key, {})
        axis["automargin"] = True
        if key.startswith("x"):
            dated = axis.get("type") == "date"
            if narrow:
                axis["nticks"] = 5 if dated else 7
            if axis.get("rangeselector"):
                axis["rangeselector"].update(x=0, xanchor="left", y=1.0, yanchor="bottom",
                                             yref="paper", pad={"t": 0, "b": 8})
        else:
            if narrow:
                axis["nticks"] = 6
            title = axis.get("title")
            if isinstance(title, dict):
                # On a phone the title stays (readers need the unit), small and close to ticks.
                title["standoff"] = 2 if narrow else 6
                if narrow:
                    title["font"] = {**(title.get("font") or {}), "size": 10}
    return out


# Plotly writes colours into SVG as `rgb(r, g, b)` followed by an opacity property.
_COLOUR = re.compile(r"(fill|stroke): rgb\((\d+), (\d+), (\d+)\); \1-opacity: ([\d.]+)")


def recolour_svg(svg: str, source: str = "light", target: str = "dark") -> str:
    """The `source`-scheme SVG redrawn in `target`'s colours: every theme colour (text, grid,
    axis lines) is swapped; series colours, which both schemes share, are left alone."""
    swap = {(rgb, round(alpha, 2)): PALETTES[target][role]
            for role, (rgb, alpha) in PALETTES[source].items() if role != "bg"}

    def replace(match: re.Match[str]) -> str:
        prop = match.group(1)
        rgb = (int(match.group(2)), int(match.group(3)), int(match.group(4)))
        alpha = round(float(match.group(5)), 2)
        new = swap.get((rgb, alpha))
        if new is None:
            # The theme's base colour with an opacity plotly keeps elsewhere (an axis title
            # says `opacity: 0.87; fill: rgb(0, 0, 0); fill-opacity: 1`): swap the colour only.
            if rgb != PALETTES[source]["fg"][0] or alpha == 0:
                return match.group(0)
            new = (PALETTES[target]["fg"][0], alpha)
        (r, g, b), alpha = new
        return f"{prop}: rgb({r}, {g}, {b}); {prop}-opacity: {alpha:g}"

    return _COLOUR.sub(replace, svg)
