"""The text alternative of a chart: a small, formatted view of its data for an HTML table.

Screen-reader users (and anyone who prefers numbers) get a table next to every chart. It must
stay light, because it is part of the page: long daily histories are shown as year-end values
(the CSV linked beside it keeps every day at full precision).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from generator import units
from generator.catalog import BY_ID

MAX_ROWS = 45
_TOKENS = {"sp": "S&P", "usd": "(USD)", "pct": "(%)", "pp": "(pp)", "etf": "ETF", "yoy": "YoY",
           "cagr": "CAGR", "dca": "instalments", "oas": "OAS", "ytd": "YTD", "pe": "P/E",
           "eps": "EPS"}
_TICKERS = {key.lstrip("^").lower(): key.lstrip("^") for key in BY_ID}


@dataclass(frozen=True)
class DataTable:
    """Column headers, rows of display strings, and a note on how rows were chosen."""

    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    note: str

    def to_dict(self) -> dict[str, Any]:
        return {"columns": list(self.columns), "rows": [list(r) for r in self.rows],
                "note": self.note}

    @classmethod
    def from_dict(cls, payload: dict[str, Any]) -> DataTable:
        return cls(columns=tuple(payload["columns"]),
                   rows=tuple(tuple(r) for r in payload["rows"]), note=payload["note"])


def header(name: object) -> str:
    """A column name as a reader-facing header: 'russell_2000_usd' -> 'Russell 2000 (USD)'."""
    text = str(name)
    if text in BY_ID:
        return BY_ID[text].title
    words = []
    for token in text.replace("-", "_").split("_"):
        low = token.lower()
        words.append(_TOKENS.get(low) or _TICKERS.get(low) or token)
    out = " ".join(w for w in words if w)
    return out[:1].upper() + out[1:]


# Column names that say a column is not a fraction even on a chart with a percent axis.
_NOT_FRACTION = ("usd", "pct", "level", "close", "rebased", "ratio", "count", "beta",
                 "correlation", "months", "days", "rank", "decile", "quintile", "line", "index",
                 "vix", "realised", "spread", "oas", "treasury", "fed_funds", "threshold",
                 "payoff", "strike", "over", "vs")
_POINTS = {"DGS10", "DGS2", "DGS3MO", "TB3MS", "T10Y2Y", "FEDFUNDS", "DFF", "DFEDTARU",
           "BAMLH0A0HYM2", "BAMLC0A0CM", "VIXCLS", "UNRATE"}


def column_kind(name: object, values: pd.Series, percent_axis: bool) -> str:
    """How a column is shown: as the chart shows it (a `units.apply` kind, or "auto")."""
    text = str(name)
    tokens = text.lower().replace("-", "_").split("_")
    if tokens[-1] == "year" and pd.api.types.is_numeric_dtype(values):
        finite = values.dropna()
        if len(finite) and (finite == finite.round()).all():
            return "year"  # a calendar year, not a quantity: no thousands separator
    if not pd.api.types.is_float_dtype(values):
        return "auto"
    if tokens[-1] == "usd":
        return "dollars:.2" if values.abs().max() < 100 else "dollars"
    if tokens[-1] == "pct" or text in _POINTS:
        return "percent"
    if percent_axis and not any(t in tokens for t in _NOT_FRACTION) \
            and values.abs().max() <= 20:
        return "fraction"
    size = values.abs().max()
    # One precision per column: the digits its largest value needs.
    return "level:.0" if size >= 1000 else "level:.3" if size < 0.1 else "level:.2"


def percent_axis(fig: go.Figure | None) -> bool:
    """Whether the chart reads its values as percentages (a y or x axis formatted with %)."""
    if fig is None:
        return False
    layout = fig.to_plotly_json().get("layout", {})
    return any("%" in str(axis.get("tickformat", "")) for key, axis in layout.items()
               if key.startswith(("yaxis", "xaxis")) and isinstance(axis, dict))


def cell(value: object, kind: str = "auto") -> str:
    """A value as display text: through the site's formatter (`kind`), dates ISO, a series id
    by its name, numbers with sensible precision, − for minus."""
    if value is None or value is pd.NaT or (isinstance(value, float) and math.isnan(value)):
        return "—"
    if kind != "auto":
        return units.apply(kind, value)
    if isinstance(value, pd.Timestamp):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return units.apply("count", value)
    if isinstance(value, float):
        size = abs(value)
        return units.apply(f"level:.{0 if size >= 1000 else 2 if size >= 1 else 3}", value)
    if isinstance(value, str) and value in _POINTS | {"USREC", "CPIAUCSL", "INDPRO"}:
        return BY_ID[value].title if value in BY_ID else value
    return str(value)


def _rows_to_show(data: pd.DataFrame) -> tuple[pd.DataFrame, str]:
    total = len(data)
    if total <= MAX_ROWS:
        return data, ""
    if isinstance(data.index, pd.DatetimeIndex):
        years = data.groupby(data.index.year).tail(1)
        if years.index[0] != data.index[0]:  # the starting value matters (e.g. $10,000)
            years = pd.concat([data.iloc[:1], years])
        note = (f"The first value, then year-end values ({len(years)} of {total:,} rows; the "
                "last row is the latest date). The CSV has every row.")
        if len(years) > MAX_ROWS:  # a century of data: every k-th year, always the latest
            step = math.ceil(len(years) / MAX_ROWS)
            keep = list(range(len(years) - 1, -1, -step))[::-1]
            years = years.iloc[keep]
            note = (f"Year-end values every {step} years ({len(years)} of {total:,} rows). "
                    "The CSV has every row.")
        return years, note
    step = math.ceil(total / MAX_ROWS)
    keep = list(range(total - 1, -1, -step))[::-1]
    return data.iloc[keep], f"Every {step}th row ({len(keep)} of {total:,}). The CSV has every row."


def data_table(data: pd.DataFrame, fig: go.Figure | None = None,
               units_by_column: dict[str, str] | None = None) -> DataTable:
    """The downsampled, formatted view of a figure's `data` (the CSV's table), each column in
    the unit the chart shows it (`fig`'s percent axes make fractions percentages), or as
    `units_by_column` names it (a column, or the index by its name)."""
    shown, note = _rows_to_show(data)
    axis = percent_axis(fig)
    given = units_by_column or {}
    kinds = [given.get(str(c)) or column_kind(c, data.iloc[:, i], axis)
             for i, c in enumerate(data.columns)]
    index_kind = given.get(str(data.index.name)) or (
        column_kind(data.index.name, data.index.to_series(), axis)
        if data.index.name is not None and not isinstance(data.index, pd.DatetimeIndex)
        else "auto")
    index_named = shown.index.name is not None or isinstance(shown.index, pd.DatetimeIndex)
    index_header = header(shown.index.name) if shown.index.name is not None else "Date"
    columns = ([index_header] if index_named else []) + [header(c) for c in shown]
    rows = []
    for key, row in zip(shown.index, shown.itertuples(index=False), strict=True):
        cells = [cell(v.item() if hasattr(v, "item") else v, kind)
                 for v, kind in zip(row, kinds, strict=True)]
        if not isinstance(key, pd.Timestamp) and hasattr(key, "item"):
            key = key.item()
        # An integer index is a label (a year, a rank), not a quantity: no thousands separator.
        label = (cell(key, index_kind) if index_kind != "auto"
                 else str(key) if isinstance(key, int) and not isinstance(key, bool)
                 else cell(key))
        rows.append(tuple(([label] if index_named else []) + cells))
    return DataTable(columns=tuple(columns), rows=tuple(rows), note=note)
