"""Colours and shared layout. One colour per series, everywhere (Okabe–Ito, colour-blind safe).

Figures carry no background or text colours: the site's script applies the light or dark
palette when it draws a chart and again whenever the reader switches scheme.
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from generator.analytics.cycle import recession_periods
from generator.store import Store, load_values

SERIES_COLORS: dict[str, str] = {
    "^RUT": "#D55E00",  # vermillion: the Russell 2000, the protagonist
    "IWM": "#E69F00",  # orange: the fund that tracks it
    "^GSPC": "#0072B2",  # blue: the S&P 500
    "SPY": "#56B4E9",  # sky blue: its fund
    "IWB": "#009E73",  # bluish green: Russell 1000 proxy
    "IJR": "#CC79A7",  # reddish purple: S&P SmallCap 600
    "VTWO": "#8C6D31",
    "SPSM": "#AA4499",
    "VB": "#117733",
    "SCHA": "#332288",
    "IWC": "#882255",
    "IWN": "#44AA99",
    "IWO": "#DDCC77",
    "TNA": "#999933",
    "^VIX": "#6F6F6F",
    "DGS10": "#0072B2",
    "DGS2": "#56B4E9",
    "DFF": "#009E73",
    "FEDFUNDS": "#009E73",
    "BAMLH0A0HYM2": "#CC79A7",
    "BAMLC0A0CM": "#882255",
    "relative": "#6A3D9A",
    "DRTSCIS": "#CC6677",  # banks tightening for small firms
    # Hedging illustrations (Strategies): the unhedged line is the Russell 2000's colour.
    "protective_put": "#009E73",
    "collar": "#56B4E9",
    # Inside the index (members' own data): one colour each, distinct from the series above.
    "breadth": "#7B3294",
    "ad_line": "#1B7837",
    "members_equal": "#2C7BB6",
    "members_cap": "#A6611A",
    "returns_12m": "#5E3C99",
    "returns_ytd": "#018571",
}

RECESSION_FILL = "rgba(128,128,128,0.22)"


def color(key: str) -> str:
    """The site-wide colour of a series (falls back to neutral grey)."""
    return SERIES_COLORS.get(key, NEUTRAL)


def dates(index: pd.Index) -> list[str]:
    """Dates as compact ISO strings for the chart JSON."""
    return list(pd.DatetimeIndex(index).strftime("%Y-%m-%d"))


def new_figure(y_title: str = "", y_format: str = "", log_y: bool = False,
               x_is_date: bool = True) -> go.Figure:
    """An empty figure with the site's layout (legend on top, compact margins)."""
    fig = go.Figure(layout=go.Layout(template=go.layout.Template()))
    fig.update_layout(
        margin={"l": 56, "r": 16, "t": 36, "b": 40},
        # Pinned to the top of the chart box (not the plot area), so a legend that wraps onto
        # several lines on a phone pushes the plot down instead of covering the range buttons.
        legend={"orientation": "h", "x": 0, "y": 1, "yref": "container", "yanchor": "top"},
        hovermode="x unified" if x_is_date else "closest",
        yaxis={"title": {"text": y_title}, "tickformat": y_format, "automargin": True,
               "type": "log" if log_y else "linear"},
        xaxis={"type": "date"} if x_is_date else {},
    )
    return fig


def add_recessions(fig: go.Figure, periods: pd.DataFrame, start: pd.Timestamp) -> None:
    """Shade NBER recessions (rows with ``start``/``end``) that end after `start`.

    plotly's `add_vrect` re-validates every shape already on the figure at each call, so the
    first band is added with it (which decides the subplots and references) and the others are
    copies of that band with their own dates, added at once: the same figure, in a fraction of
    the time."""
    spans = [(max(row.start, start).strftime("%Y-%m-%d"), row.end.strftime("%Y-%m-%d"))
             for row in periods.itertuples() if row.end >= start]
    if not spans:
        return
    before = len(fig.layout.shapes)
    fig.add_vrect(x0=spans[0][0], x1=spans[0][1], fillcolor=RECESSION_FILL, line_width=0,
                  layer="below")
    first = [shape.to_plotly_json() for shape in fig.layout.shapes[before:]]
    more = [{**shape, "x0": x0, "x1": x1} for x0, x1 in spans[1:] for shape in first]
    if more:
        fig.layout.shapes = (*fig.layout.shapes, *more)


def range_buttons(fig: go.Figure) -> None:
    """1Y / 5Y / 10Y / Max range selector on a long date axis."""
    fig.update_xaxes(rangeselector={"buttons": [
        {"count": 1, "label": "1Y", "step": "year", "stepmode": "backward"},
        {"count": 5, "label": "5Y", "step": "year", "stepmode": "backward"},
        {"count": 10, "label": "10Y", "step": "year", "stepmode": "backward"},
        {"step": "all", "label": "Max"},
    ], "x": 0, "y": 1.02, "yanchor": "bottom"})


def log_ticks(fig: go.Figure) -> None:
    """On a log y axis, label only 1-2-5 steps (…, 5,000, 10,000, 20,000, …) between the
    lowest and highest y drawn: plotly's default labels every digit and they overlap."""
    if fig.layout.yaxis.type != "log" or fig.layout.yaxis.tickvals is not None:
        return
    values = [float(v) for trace in fig.data if getattr(trace, "y", None) is not None
              for v in trace.y if v is not None and v == v and float(v) > 0]
    if not values:
        return
    low, high = min(values), max(values)
    ticks = []
    decade = 10.0 ** math.floor(math.log10(low))
    while decade <= high:
        ticks.extend(step * decade for step in (1, 2, 5) if low <= step * decade * 1.25
                     and step * decade <= high * 1.25)
        decade *= 10
    fig.update_yaxes(tickvals=ticks)
    if str(fig.layout.yaxis.tickformat or "").startswith("$"):
        # d3's SI prefixes write a billion as "G" ($50G): label dollars in words' initials.
        fig.update_yaxes(ticktext=[money_tick(t) for t in ticks])


def money_tick(value: float) -> str:
    """A dollar axis label: 5e10 -> "$50B", 2.5e8 -> "$250M", 1e12 -> "$1T"."""
    for size, letter in ((1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "K")):
        if abs(value) >= size:
            return f"${value / size:,.3g}{letter}"
    return f"${value:,.0f}"


def weekly(frame: pd.DataFrame | pd.Series) -> pd.DataFrame | pd.Series:
    """Last observation of each week (for multi-decade views; the CSV keeps daily data)."""
    return frame.groupby(pd.DatetimeIndex(frame.index).to_period("W")).tail(1)


def stacked_figure(y_titles: tuple[str, ...], y_formats: tuple[str, ...],
                   heights: tuple[float, ...] | None = None) -> go.Figure:
    """Panels stacked on one shared date axis (top to bottom), with the site's layout.

    Add traces with ``row=`` (1 = top). The range buttons and zoom act on every panel at once.
    """
    from plotly.subplots import make_subplots

    rows = len(y_titles)
    fig = make_subplots(rows=rows, cols=1, shared_xaxes=True, vertical_spacing=0.06,
                        row_heights=list(heights) if heights else None)
    fig.update_layout(
        template=go.layout.Template(),
        margin={"l": 56, "r": 16, "t": 36, "b": 40},
        legend={"orientation": "h", "x": 0, "y": 1.02, "yanchor": "bottom"},
        hovermode="x unified",
    )
    for row, (title, fmt) in enumerate(zip(y_titles, y_formats, strict=True), start=1):
        fig.update_yaxes(title_text=title, tickformat=fmt, row=row, col=1)
        fig.update_xaxes(type="date", row=row, col=1)
    return fig


# One neutral grey, three strengths: a fallback series colour, guide lines (zero, 100, parity)
# and the recession bands (RECESSION_FILL above).
NEUTRAL = "#777777"
GUIDE = "rgba(128,128,128,0.8)"


def line(fig: go.Figure, series: pd.Series, key: str, digits: int = 2, width: float = 1.6,
         dash: str | None = None, **trace: Any) -> None:
    """Add `series` (dated index) as a line in the site colour of `key`, its values rounded to
    `digits` (the chart JSON stays small; the CSV keeps full precision). `trace` passes on
    plotly's own arguments (name, row, col, fill, yaxis, …)."""
    style: dict[str, Any] = {"color": color(key), "width": width}
    if dash is not None:
        style["dash"] = dash
    fig.add_scatter(x=dates(series.index), y=series.round(digits).to_numpy(), line=style,
                    **trace)


def guide(fig: go.Figure, y: float, dash: str | None = "dot", **options: Any) -> None:
    """A thin neutral horizontal reference line at `y` (zero, 100, parity)."""
    fig.add_hline(y=y, line_width=1, line_dash=dash, line_color=GUIDE, **options)


def recession_bands(fig: go.Figure, store: Store, start: pd.Timestamp) -> None:
    """Shade the NBER recessions (FRED's USREC in the store) that end after `start`."""
    add_recessions(fig, recession_periods(load_values(store, "USREC")), start)
