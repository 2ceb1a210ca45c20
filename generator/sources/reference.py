"""Small hand-maintained reference files in `data/reference/` (each row with its source and date).

`expense_ratios.csv` lists fund expense ratios as each issuer publishes them. It is not market
data from a feed, so it is read here, checked column by column, and cited on the page with each
row's source URL and as-of date.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from generator.errors import DataError

EXPENSE_RATIO_COLUMNS = ("ticker", "fund", "index_tracked", "expense_ratio_pct", "as_of",
                         "source_url")
# An expense ratio above this (percent a year) is a typo or a unit change (0.19 vs 19).
MAX_EXPENSE_RATIO_PCT = 5.0
# Issuers date fact sheets to the day or only to the month ("2026-01").
_AS_OF = re.compile(r"^\d{4}-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?$")
_TICKER = re.compile(r"^[A-Z][A-Z0-9.]{0,9}$")


RowError = Callable[[int, str, str], DataError]


def _read_reference_csv(path: Path, what: str, columns: tuple[str, ...],
                        require_rows: bool = True) -> tuple[pd.DataFrame, RowError]:
    """Read a reference CSV as text (header and cells stripped), check its header is exactly
    `columns` and (with `require_rows`) that it has rows; return it with ``fail(row, column,
    detail)``, the `DataError` naming `what`, the file, its line and the column."""
    try:
        raw = pd.read_csv(path, dtype=str, keep_default_na=False)
    except FileNotFoundError:
        raise DataError(f"{what}: file not found: {path}") from None
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
        raise DataError(f"{what}: cannot parse {path}: {exc}") from None
    header = [c.strip() for c in raw.columns]
    if tuple(header) != columns:
        missing = [c for c in columns if c not in header]
        extra = [c for c in header if c not in columns]
        raise DataError(
            f"{what}: unexpected columns in {path}: {header} "
            f"(expected {list(columns)}; missing {missing}, unexpected {extra})")
    raw.columns = header
    raw = raw.apply(lambda column: column.str.strip())
    if require_rows and raw.empty:
        raise DataError(f"{what}: no rows in {path}")

    def fail(row: int, column: str, detail: str) -> DataError:
        # Line numbers as an editor shows them: the header is line 1.
        return DataError(f"{what}: {path} line {row + 2}, column {column}: {detail}")

    return raw, fail


def read_expense_ratios(path: Path) -> pd.DataFrame:
    """Read and check `expense_ratios.csv`; one row per fund, indexed by ``ticker``.

    Columns: ``fund``, ``index_tracked`` (text), ``expense_ratio_pct`` (float, percent a year:
    0.19 = 0.19 %), ``as_of`` (text, ``YYYY-MM`` or ``YYYY-MM-DD`` as the issuer dated it) and
    ``source_url`` (https). Raises `DataError` naming the file, line and column of the first
    problem.
    """
    raw, fail = _read_reference_csv(path, "expense ratios", EXPENSE_RATIO_COLUMNS)
    for row, record in raw.iterrows():
        for column in EXPENSE_RATIO_COLUMNS:
            if not record[column]:
                raise fail(int(row), column, "empty value")
        if not _TICKER.match(record["ticker"]):
            raise fail(int(row), "ticker", f"not a ticker: {record['ticker']!r}")
        try:
            ratio = float(record["expense_ratio_pct"])
        except ValueError:
            raise fail(int(row), "expense_ratio_pct",
                       f"not a number: {record['expense_ratio_pct']!r}") from None
        if not 0.0 <= ratio <= MAX_EXPENSE_RATIO_PCT:
            raise fail(int(row), "expense_ratio_pct",
                       f"{ratio:g} is outside 0..{MAX_EXPENSE_RATIO_PCT:g} percent a year "
                       "(percent expected: 0.19 means 0.19%)")
        if not _AS_OF.match(record["as_of"]):
            raise fail(int(row), "as_of",
                       f"{record['as_of']!r} is not a date (YYYY-MM-DD or YYYY-MM)")
        if not record["source_url"].startswith("https://"):
            raise fail(int(row), "source_url", f"{record['source_url']!r} is not an https URL")
    duplicated = raw["ticker"][raw["ticker"].duplicated()]
    if len(duplicated):
        raise fail(int(duplicated.index[0]), "ticker",
                   f"{duplicated.iloc[0]!r} appears more than once")
    frame = raw.set_index("ticker")
    frame["expense_ratio_pct"] = frame["expense_ratio_pct"].astype("float64")
    return frame


FOMC_COLUMNS = ("decision_date", "target_before", "target_after", "previous_cut", "announced",
                "source_url", "note")
_DAY = re.compile(r"^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$")


def read_fomc_first_cuts(path: Path, quiet_months: int) -> pd.DataFrame:
    """Read and check `fomc_first_cuts.csv`: the first cut of each Fed easing cycle, as the
    Federal Reserve recorded the decision; one row per cycle, in date order.

    Columns: ``decision_date`` and ``previous_cut`` (Timestamps: the day the FOMC decided, and
    its last decrease before it), ``target_before`` / ``target_after`` (percent; the range's
    upper limit since December 2008), ``announced`` (bool: the FOMC announced target changes
    only from 1994), ``source_url`` (https, federalreserve.gov) and ``note``. Each row must be a
    decrease that follows at least `quiet_months` months with no decrease, or this raises
    `DataError` naming the file, line and column.
    """
    raw, fail = _read_reference_csv(path, "FOMC first cuts", FOMC_COLUMNS)
    for row, record in raw.iterrows():
        for column in ("decision_date", "previous_cut"):
            if not _DAY.match(record[column]):
                raise fail(int(row), column, f"{record[column]!r} is not a date (YYYY-MM-DD)")
        for column in ("target_before", "target_after"):
            try:
                float(record[column])
            except ValueError:
                raise fail(int(row), column, f"not a number: {record[column]!r}") from None
        if float(record["target_after"]) >= float(record["target_before"]):
            raise fail(int(row), "target_after", "not below target_before: not a cut")
        if record["announced"] not in ("yes", "no"):
            raise fail(int(row), "announced", f"{record['announced']!r} is not yes or no")
        if not record["source_url"].startswith("https://www.federalreserve.gov/"):
            raise fail(int(row), "source_url", "not a federalreserve.gov https URL")
        decided, previous = pd.Timestamp(record["decision_date"]), pd.Timestamp(
            record["previous_cut"])
        if previous > decided - pd.DateOffset(months=quiet_months):
            raise fail(int(row), "previous_cut",
                       f"{record['previous_cut']} is within {quiet_months} months of "
                       f"{record['decision_date']}: not the first cut of a cycle")
    frame = raw.assign(
        decision_date=pd.to_datetime(raw["decision_date"]),
        previous_cut=pd.to_datetime(raw["previous_cut"]),
        target_before=raw["target_before"].astype("float64"),
        target_after=raw["target_after"].astype("float64"),
        announced=raw["announced"] == "yes")
    if not frame["decision_date"].is_monotonic_increasing:
        raise DataError(f"FOMC first cuts: {path}: rows are not in date order")
    return frame.reset_index(drop=True)


CALENDAR_COLUMNS = ("date", "kind", "event", "source_url", "note")
CALENDAR_KINDS = frozenset({"fomc", "russell"})


def read_calendar(path: Path) -> pd.DataFrame:
    """Read and check `calendar.csv`: dated events published in advance (FOMC decision days,
    Russell reconstitution dates), each with its source. Columns ``date`` (Timestamp), ``kind``
    (one of `CALENDAR_KINDS`), ``event`` (the words the market note uses), ``source_url``
    (https) and ``note``; sorted by date. Raises `DataError` naming the file, line and column."""
    raw, fail = _read_reference_csv(path, "calendar", CALENDAR_COLUMNS, require_rows=False)
    for row, record in raw.iterrows():
        if not _DAY.match(record["date"]):
            raise fail(int(row), "date", f"{record['date']!r} is not a date (YYYY-MM-DD)")
        if record["kind"] not in CALENDAR_KINDS:
            raise fail(int(row), "kind", f"{record['kind']!r} is not one of "
                                         f"{sorted(CALENDAR_KINDS)}")
        if not record["event"].strip():
            raise fail(int(row), "event", "empty value")
        if not record["source_url"].startswith("https://"):
            raise fail(int(row), "source_url", f"{record['source_url']!r} is not an https URL")
    frame = raw.assign(date=pd.to_datetime(raw["date"], format="%Y-%m-%d"))
    return frame.sort_values("date", kind="stable").reset_index(drop=True)
