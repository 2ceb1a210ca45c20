"""Values that carry their unit, and the one formatter for every text a reader meets.

Pages, figure takeaways, the desk note and the data tables all print numbers through this
module, so a percentage is written one way everywhere (a true minus sign, the same digits).

A data provider wraps each number it hands to the pages in its unit::

    Fraction(0.0912)        # a return, share or weight as a fraction   -> "9.1%"
    Percent(4.254)          # a level published in percent (a yield)   -> "4.25%"
    Points(1.37)            # a difference of two percentages          -> "+1.4 percentage points"
    Points.between(a, b)    # a − b for two fractions, in points
    Dollars(12345.6)        # -> "$12,346";  Level(2134.5) -> "2,134.50";  Count(1921) -> "1,921"
    Day(date)               # -> "21 August 2026"

``{{ etfs.iwm_cagr }}`` then formats itself. Filters change presentation, never the unit:
``| signed``, ``| plain`` (no sign), ``| digits(2)``, ``| short`` ("pp", "$9.1 billion"),
``| bare`` (the number alone, where the sentence or the column names the unit). Arithmetic
on a quantity (``x * 100`` in a template) raises `UnitError`: compute in the provider instead.
A table column names its unit (``table(frame, {"r": ("Return", "fraction:+")})``, see
`apply`), so a frame shared with a chart and its CSV keeps plain numbers.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from typing import Any, ClassVar

import jinja2
import pandas as pd

MINUS = "−"
MISSING = "—"


class UnitError(TypeError):
    """A value was formatted or combined as a unit it does not have."""


def is_missing(value: Any) -> bool:
    """None, NaN or NaT (also inside a quantity)."""
    if isinstance(value, Quantity):
        value = value.value
    return (value is None or value is pd.NaT
            or (isinstance(value, float) and math.isnan(value)))


def _signed(text: str) -> str:
    return text.replace("-", MINUS)


def _number(value: float, digits: int, signed: bool = False, commas: bool = True) -> str:
    shown = round(value, digits)
    if shown == 0:
        shown = 0.0  # never "−0.0"
    sign = "+" if signed and shown != 0 else ""
    return _signed(f"{shown:{sign}{',' if commas else ''}.{digits}f}")


@dataclass(frozen=True)
class Quantity:
    """A number with its unit. Subclasses define `unit` and `format`.

    Comparison with numbers and same-unit quantities works (``{% if x > 0 %}``); arithmetic
    does not (a page never computes), nor does mixing units.
    """

    value: float
    digits: int | None = None
    signed: bool = False

    unit: ClassVar[str] = "number"
    default_digits: ClassVar[int] = 2

    def __post_init__(self) -> None:
        if isinstance(self.value, Quantity):
            raise UnitError(f"{type(self).__name__} of a {self.value.unit} ({self.value!r})")
        if self.value is not None and not isinstance(self.value, bool):
            object.__setattr__(self, "value", float(self.value))

    # -- presentation -----------------------------------------------------------------------
    @property
    def places(self) -> int:
        return self.default_digits if self.digits is None else self.digits

    def text(self, short: bool = False) -> str:
        """The value as a reader reads it (`short`: the compact form for tables and charts)."""
        raise NotImplementedError

    def __str__(self) -> str:
        return MISSING if is_missing(self.value) else self.text()

    def __format__(self, spec: str) -> str:
        """f-string presentation: ``f"{q}"``, ``f"{q:+}"`` (signed), ``f"{q:.2}"``,
        ``f"{q:+.0}"``, ``f"{q:short}"``, ``f"{q:-}"`` (unsigned), ``f"{q:.-1}"`` (a fee's
        digits, cents only where there are any)."""
        q, short = self, False
        if spec.endswith("short"):
            short, spec = True, spec.removesuffix("short")
        if spec.startswith("+"):
            q, spec = q.with_sign(True), spec[1:]
        elif spec.startswith("-"):
            q, spec = q.with_sign(False), spec[1:]
        if spec.startswith(".") and spec[1:].removeprefix("-").isdigit():
            q, spec = q.with_digits(int(spec[1:])), ""
        if spec:
            raise UnitError(f"format spec {spec!r} for a {self.unit}: use +, -, .N or short")
        return MISSING if is_missing(q.value) else q.text(short)

    def with_sign(self, signed: bool = True) -> Quantity:
        return replace(self, signed=signed)

    def with_digits(self, digits: int) -> Quantity:
        return replace(self, digits=digits)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.value!r})"

    # -- comparison, no arithmetic ----------------------------------------------------------
    def _other(self, other: Any) -> float:
        if isinstance(other, Quantity):
            if type(other) is not type(self):
                raise UnitError(f"comparing a {self.unit} with a {other.unit}")
            return other.value
        if isinstance(other, int | float) and not isinstance(other, bool):
            return float(other)
        return NotImplemented  # type: ignore[return-value]

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Quantity) and type(other) is not type(self):
            return False
        o = self._other(other)
        return NotImplemented if o is NotImplemented else self.value == o

    def __hash__(self) -> int:
        return hash((type(self).__name__, self.value))

    def __lt__(self, other: Any) -> bool:
        return self.value < self._other(other)

    def __le__(self, other: Any) -> bool:
        return self.value <= self._other(other)

    def __gt__(self, other: Any) -> bool:
        return self.value > self._other(other)

    def __ge__(self, other: Any) -> bool:
        return self.value >= self._other(other)

    def __bool__(self) -> bool:
        return bool(self.value)

    def __float__(self) -> float:
        return self.value

    def __abs__(self) -> Quantity:
        return replace(self, value=abs(self.value))

    def __neg__(self) -> Quantity:
        return replace(self, value=-self.value)

    def _no_arithmetic(self, *_: Any) -> Any:
        raise UnitError(f"arithmetic on a {self.unit} ({self!r}): compute it in the topic's "
                        "data provider and hand the page the finished value")

    __add__ = __radd__ = __sub__ = __rsub__ = __mul__ = __rmul__ = _no_arithmetic
    __truediv__ = __rtruediv__ = __floordiv__ = __mod__ = __pow__ = _no_arithmetic


@dataclass(frozen=True, eq=False, repr=False)
class Fraction(Quantity):
    """A return, share, weight or rate of change as a fraction (0.0912), printed as a
    percentage ("9.1%"). `digits=-1` prints the digits a fee schedule needs (0.0945%)."""

    unit: ClassVar[str] = "fraction"
    default_digits: ClassVar[int] = 1

    def text(self, short: bool = False) -> str:
        if self.digits == -1:
            text = f"{abs(self.value) * 100:.4f}".rstrip("0")
            whole, _, decimals = text.partition(".")
            sign = MINUS if self.value < 0 else "+" if self.signed and self.value > 0 else ""
            return f"{sign}{whole}.{decimals.ljust(2, '0')}%"
        return _number(self.value * 100, self.places, self.signed) + "%"


@dataclass(frozen=True, eq=False, repr=False)
class Percent(Quantity):
    """A level published in percent (a yield, a spread, an unemployment rate): 4.254 -> "4.25%"."""

    unit: ClassVar[str] = "percent"
    default_digits: ClassVar[int] = 2

    def text(self, short: bool = False) -> str:
        return _number(self.value, self.places, self.signed) + "%"


@dataclass(frozen=True, eq=False, repr=False)
class Points(Quantity):
    """A difference of two percentages, in percentage points (1.37 -> "+1.4 percentage
    points"; short "+1.4 pp"). Signed unless asked otherwise; `abs(p)` prints no sign."""

    signed: bool = True
    unit: ClassVar[str] = "percentage points"
    default_digits: ClassVar[int] = 1

    @classmethod
    def between(cls, a: float, b: float, digits: int | None = None) -> Points:
        """a − b for two fractions (0.12, 0.10) in points (2.0)."""
        return cls((float(a) - float(b)) * 100, digits)

    @classmethod
    def of(cls, difference: float, digits: int | None = None) -> Points:
        """A difference of two fractions (0.02) in points (2.0)."""
        return cls(float(difference) * 100, digits)

    def __abs__(self) -> Points:
        return replace(self, value=abs(self.value), signed=False)

    def text(self, short: bool = False) -> str:
        number = _number(self.value, self.places, self.signed)
        return f"{number} pp" if short else f"{number} percentage points"


@dataclass(frozen=True, eq=False, repr=False)
class Dollars(Quantity):
    """US dollars: 12345.6 -> "$12,346"; short: "$9.1 billion"; `digits=-1`: cents only
    where there are any ("$19", "$9.45")."""

    unit: ClassVar[str] = "dollars"
    default_digits: ClassVar[int] = 0

    def text(self, short: bool = False) -> str:
        sign = MINUS if self.value < 0 else "+" if self.signed and self.value > 0 else ""
        size = abs(self.value)
        if short:
            for scale, word in ((1e12, "trillion"), (1e9, "billion"), (1e6, "million")):
                if size >= scale:
                    scaled = size / scale
                    return f"{sign}${scaled:,.{0 if scaled >= 100 else 1}f} {word}"
        if self.digits == -1:  # cents only where there are any: $19, $9.45
            return f"{sign}${size:,.2f}".removesuffix(".00")
        return f"{sign}${size:,.{self.places}f}"


@dataclass(frozen=True, eq=False, repr=False)
class Level(Quantity):
    """A plain number: an index level, a price, a ratio (2134.5 -> "2,134.50")."""

    unit: ClassVar[str] = "level"
    default_digits: ClassVar[int] = 2

    def text(self, short: bool = False) -> str:
        return _number(self.value, self.places, self.signed)


@dataclass(frozen=True, eq=False, repr=False)
class Multiple(Quantity):
    """A ratio read as "times": 3.14 -> "3.1×"."""

    unit: ClassVar[str] = "multiple"
    default_digits: ClassVar[int] = 1

    def text(self, short: bool = False) -> str:
        return _number(self.value, self.places, self.signed) + "×"


@dataclass(frozen=True, eq=False, repr=False)
class Count(Quantity):
    """A whole count: 1921 -> "1,921"."""

    unit: ClassVar[str] = "count"
    default_digits: ClassVar[int] = 0

    def text(self, short: bool = False) -> str:
        return _number(self.value, 0, self.signed)

    def __int__(self) -> int:
        return int(self.value)

    def __index__(self) -> int:  # usable as a loop bound or a slice
        return int(self.value)


class Day(dt.date):
    """A date that prints as a reader reads it: "21 August 2026"."""

    @classmethod
    def of(cls, value: dt.date | pd.Timestamp | str) -> Day:
        day = pd.Timestamp(value).date()
        return cls(day.year, day.month, day.day)

    def __str__(self) -> str:
        return date(self)

    def __format__(self, spec: str) -> str:
        return str(self) if not spec else super().__format__(spec)


def in_units(values: Mapping[str, Any], units: Mapping[str, Callable[[Any], Any]]
             ) -> dict[str, Any]:
    """`values` with each entry named in `units` made a quantity of its unit (``{"depth":
    Fraction}``; `Points.of` for a difference of two fractions); the rest as they are."""
    return {key: units[key](value) if key in units else value for key, value in values.items()}


def records(frame: pd.DataFrame, units: Mapping[str, Callable[[Any], Any]],
            key: str = "name") -> list[dict[str, Any]]:
    """A table's rows for a page, in order, each a dict of its columns in their units (see
    `in_units`) with the index label under `key`: a page reads ``rows[0].depth`` instead of a
    bare number out of a data frame. Every float column must be given a unit."""
    unitless = [c for c in frame.columns
                if pd.api.types.is_float_dtype(frame[c]) and c not in units]
    if unitless:
        raise UnitError(f"columns without a unit: {', '.join(map(str, unitless))}")
    return [{key: label, **in_units(row.to_dict(), units)} for label, row in frame.iterrows()]


def rows(frame: pd.DataFrame, units: Mapping[str, Callable[[Any], Any]],
         key: str = "name") -> dict[Any, dict[str, Any]]:
    """`records` by index label (unique): ``rows["10-year yield rising"].periods``."""
    if not frame.index.is_unique:
        raise ValueError(f"rows by label need a unique index: {list(frame.index)}")
    return {row[key]: row for row in records(frame, units, key)}


# -- the filters --------------------------------------------------------------------------------

def _expect(value: Any, filter_name: str, *units: type[Quantity]) -> Quantity | None:
    """The quantity if `value` is one of `units`; None for a bare number; UnitError otherwise."""
    if isinstance(value, Quantity):
        if isinstance(value, units):
            return value
        wanted = " or ".join(u.unit for u in units)
        raise UnitError(f"filter {filter_name!r} takes a {wanted}, not a {value.unit} "
                        f"({value!r}); print it as {{{{ value }}}} or change its unit in the "
                        "provider")
    return None


def _as(value: Any, filter_name: str, make: Callable[[Any], Quantity],
        *units: type[Quantity]) -> Quantity:
    """`value` as a quantity of `units` (a bare number is wrapped with `make`)."""
    q = _expect(value, filter_name, *units)
    return make(value) if q is None else q


# Presentation filters.

def ordinal(value: Any) -> str:
    """A share as a percentile rank: 0.634 -> "63rd"."""
    if is_missing(value):
        return MISSING
    q = _as(value, "ordinal", Fraction, Fraction)
    rank = round(q.value * 100)
    suffix = "th" if 10 <= rank % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(rank % 10, "th")
    return f"{rank}{suffix}"


def date(value: Any, style: str = "long") -> str:
    """A date: 'long' -> "21 August 2026", 'iso' -> "2026-08-21", 'month' -> "August 2026",
    'mon' -> "Aug 2026", 'day' -> "21 August"."""
    if is_missing(value):
        return MISSING
    if isinstance(value, Quantity):
        raise UnitError(f"filter 'date' takes a date, not a {value.unit} ({value!r})")
    day = value.date() if isinstance(value, pd.Timestamp) else value
    if style == "iso":
        return dt.date.isoformat(day)
    if style == "month":
        return f"{dt.date.strftime(day, '%B')} {day.year}"
    if style == "mon":
        return f"{dt.date.strftime(day, '%b')} {day.year}"
    if style == "day":
        return f"{day.day} {dt.date.strftime(day, '%B')}"
    return f"{day.day} {dt.date.strftime(day, '%B')} {day.year}"


def signed(value: Any) -> Any:
    """The quantity with a sign (+5.2%)."""
    return value.with_sign(True) if isinstance(value, Quantity) else value


def plain(value: Any) -> Any:
    """The quantity without a forced sign."""
    return value.with_sign(False) if isinstance(value, Quantity) else value


def digits(value: Any, places: int) -> Any:
    """The quantity with `places` decimals."""
    if not isinstance(value, Quantity):
        raise UnitError(f"filter 'digits' takes a quantity, not {value!r}")
    return value.with_digits(places)


def short(value: Any) -> str:
    """The quantity's compact form ("+1.4 pp", "$9.1 billion")."""
    if not isinstance(value, Quantity):
        raise UnitError(f"filter 'short' takes a quantity, not {value!r}")
    return format(value, "short")


def bare(value: Any) -> str:
    """The quantity's number alone, unsigned unless negative, in its unit's scale (a Fraction
    0.066 -> "6.6", Points 6.6 -> "6.6"): for a table column or a sentence that names the unit."""
    if not isinstance(value, Quantity):
        raise UnitError(f"filter 'bare' takes a quantity, not {value!r}")
    if is_missing(value):
        return MISSING
    scale = 100 if isinstance(value, Fraction) else 1
    return _number(value.value * scale, value.places, signed=False)


def text(value: Any) -> str:
    """Any value as a reader reads it: a quantity in its unit, a date in words, a float
    with two decimals (no unit known), — for missing."""
    if is_missing(value):
        return MISSING
    if isinstance(value, Quantity | Day):
        return str(value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, pd.Timestamp | dt.date):
        return date(value)
    if isinstance(value, int):  # a label (a year, a rank): a count is a Count
        return str(value)
    if isinstance(value, float):
        return _number(value, 2)
    return str(value)


# Jinja filters: presentation of a value that carries its unit (a quantity formats itself:
# ``{{ x }}``), and dates. No filter gives a bare number a unit: that is the provider's to do.
FILTERS: dict[str, Callable[..., Any]] = {
    "signed": signed, "plain": plain, "digits": digits, "short": short, "bare": bare,
    "text": text, "ordinal": ordinal, "date": date,
    "year": lambda value: MISSING if is_missing(value) else str(int(value)),
    "date_iso": lambda value: date(value, "iso"),
    "month": lambda value: date(value, "month"),
    "month_short": lambda value: date(value, "mon"),
    "day_month": lambda value: date(value, "day"),
    "recovery": lambda value: "not yet recovered" if is_missing(value) else date(value, "iso"),
}

# Units by name, for a table column whose cells are bare numbers (a data frame shared with a
# chart and its CSV): each cell is made a quantity of the column's unit, then printed.
UNITS: dict[str, Callable[[Any], Quantity]] = {
    "fraction": Fraction, "percent": Percent, "points": Points, "dollars": Dollars,
    "level": Level, "multiple": Multiple, "count": Count,
    "gap": Points.of,  # a difference of two fractions (0.012), shown in points (+1.2 pp)
}


def apply(kind: str, value: Any) -> str:
    """Format a table cell: `kind` is a unit with an optional presentation after a colon
    (``"fraction"``, ``"fraction:+.0"``, ``"points:.2short"``, ``"dollars:.-1"``; the spec of
    `Quantity.__format__`), or a filter of `FILTERS` (``"date_iso"``, ``"text"`` — the value
    as it reads). A bare number becomes a quantity of the unit; a quantity of another unit is
    a `UnitError`."""
    name, _, spec = kind.partition(":")
    if name in UNITS:
        if is_missing(value):
            return MISSING
        unit = UNITS[name]
        made = unit(1.0)
        if isinstance(value, Quantity):
            if type(value) is not type(made):
                raise UnitError(f"a {made.unit} column holds a {value.unit} ({value!r})")
            return format(value, spec)
        return format(unit(value), spec)
    if spec:
        raise UnitError(f"table kind {kind!r}: only a unit takes a presentation after ':'")
    out = FILTERS[name](value)
    return out if isinstance(out, str) else text(out)


def environment(**options: Any) -> jinja2.Environment:
    """The one Jinja environment for reader text, pages and figure takeaways alike: strict (a
    name the values do not hold fails the build) with this module's filters. `options` go to
    `jinja2.Environment`: the pages add their loader and HTML/Markdown escaping
    (`generator.pages.environment`); a takeaway is plain text, escaped where it is placed."""
    env = jinja2.Environment(undefined=jinja2.StrictUndefined, keep_trailing_newline=True,
                             **options)
    env.filters.update(FILTERS)
    return env
