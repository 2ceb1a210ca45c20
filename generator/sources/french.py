"""Kenneth R. French Data Library: parse the library's sectioned CSV (snapshot file or live zip).

A library file is a run of sections, each an optional title (one or more lines), a header line
starting with a comma, and rows ``YYYYMM,v1,v2,…`` (monthly) or ``YYYY,…`` (annual), separated
by blank lines; description lines may precede the first header and a copyright line ends it.
Values are percent for returns (1.25 = 1.25 %), counts for firms, USD millions for sizes and
plain ratios for BE/ME, profitability and investment; ``-99.99`` and ``-999`` mark missing
values. Lines end with CRLF.

The parser knows each file's layout (`DATASETS`: sections in order, their titles and columns)
and refuses anything else — a section missing, added, renamed or reordered, a column changed,
a row that does not parse — with one line naming the file, the section and the line, so a
changed layout can never be mis-read as data. The snapshot copy lacks the description lines and
the first section's title; the live zip has them: both read the same.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd
import requests

from generator.errors import DataError, ResponseError
from generator.sources.csvfeed import is_number
from generator.sources.retry import RetryPolicy

BASE_URL = "https://mba.tuck.dartmouth.edu/pages/faculty/ken.french/ftp/"
USER_AGENT = "smallcap-primer/0.1 (educational static-site generator; keyless zip download)"
# The library's zips are a few hundred kB and their CSVs a few MB (the 5x5 grids ~2.3 MB):
# anything far larger is refused before it is read or inflated (a corrupt or hostile file).
MAX_ZIP_BYTES = 32 * 2**20
MAX_CSV_BYTES = 64 * 2**20
MISSING_VALUES = (-99.99, -999.0)

Frequency = Literal["monthly", "annual"]
Kind = Literal["return", "count", "size", "ratio"]

ME_COLUMNS = ("<= 0", "Lo 30", "Med 40", "Hi 30", "Lo 20", "Qnt 2", "Qnt 3", "Qnt 4", "Hi 20",
              "Lo 10", "Dec 2", "Dec 3", "Dec 4", "Dec 5", "Dec 6", "Dec 7", "Dec 8", "Dec 9",
              "Hi 10")
FACTOR_COLUMNS = ("Mkt-RF", "SMB", "HML", "RF")


def grid_columns(sort: str) -> tuple[str, ...]:
    """The 25 columns of a size x `sort` grid (``SMALL LoBM``, ``ME1 BM2`` … ``BIG HiBM``)."""
    names = []
    for size in range(1, 6):
        for q in range(1, 6):
            if q in (1, 5) and size in (1, 5):
                names.append(f"{'SMALL' if size == 1 else 'BIG'} {'Lo' if q == 1 else 'Hi'}{sort}")
            else:
                names.append(f"ME{size} {sort}{q}")
    return tuple(names)


@dataclass(frozen=True)
class Section:
    """One expected section: its key, a phrase its title contains, frequency and value kind."""

    key: str
    title: str
    frequency: Frequency
    kind: Kind


@dataclass(frozen=True)
class Dataset:
    """One library file: its store table, zip name, columns and sections in order.

    `key_columns` must be complete (no missing value) in every section: the pages use them.
    """

    id: str  # the store table
    name: str  # the library's file name, without ``_CSV.zip``
    title: str
    columns: tuple[str, ...]
    sections: tuple[Section, ...]
    key_columns: tuple[str, ...]

    @property
    def url(self) -> str:
        return f"{BASE_URL}{self.name}_CSV.zip"

    @property
    def snapshot_file(self) -> str:
        return f"french/{self.name}.csv"


def _grid_sections() -> tuple[Section, ...]:
    return (
        Section("vw", "Average Value Weighted Returns -- Monthly", "monthly", "return"),
        Section("ew", "Average Equal Weighted Returns -- Monthly", "monthly", "return"),
        Section("vw_annual", "Average Value Weighted Returns -- Annual", "annual", "return"),
        Section("ew_annual", "Average Equal Weighted Returns -- Annual", "annual", "return"),
        Section("firms", "Number of Firms in Portfolios", "monthly", "count"),
        Section("size", "Average Market Cap", "monthly", "size"),
        Section("beme", "Value Weight Average of BE/ME", "monthly", "ratio"),
        Section("beme_june", "Value Weight Average of BE_FYt-1/ME_June t", "monthly", "ratio"),
        Section("op", "Value Weight Average of OP", "monthly", "ratio"),
        Section("inv", "Value Weight Average of investment", "monthly", "ratio"),
    )


SIZE = Dataset(
    id="ff_me_deciles", name="Portfolios_Formed_on_ME",
    title="Portfolios formed on size (NYSE market-equity breakpoints)", columns=ME_COLUMNS,
    sections=(
        Section("vw", "Value Weight Returns -- Monthly", "monthly", "return"),
        Section("ew", "Equal Weight Returns -- Monthly", "monthly", "return"),
        Section("vw_annual", "Value Weight Returns -- Annual", "annual", "return"),
        Section("ew_annual", "Equal Weight Returns -- Annual", "annual", "return"),
        Section("firms", "Number of Firms in Portfolios", "monthly", "count"),
        Section("size", "Average Firm Size", "monthly", "size"),
    ),
    key_columns=ME_COLUMNS[1:])
FACTORS = Dataset(
    id="ff_factors", name="F-F_Research_Data_Factors", title="Fama/French 3 factors",
    columns=FACTOR_COLUMNS,
    sections=(Section("monthly", "Monthly", "monthly", "return"),
              Section("annual", "Annual Factors: January-December", "annual", "return")),
    key_columns=FACTOR_COLUMNS)
SIZE_BM = Dataset(
    id="ff_me_bm_25", name="25_Portfolios_5x5", title="25 portfolios formed on size and "
    "book-to-market (5 x 5)", columns=grid_columns("BM"), sections=_grid_sections(),
    key_columns=grid_columns("BM"))
SIZE_OP = Dataset(
    id="ff_me_op_25", name="25_Portfolios_ME_OP_5x5", title="25 portfolios formed on size and "
    "operating profitability (5 x 5)", columns=grid_columns("OP"), sections=_grid_sections(),
    key_columns=grid_columns("OP"))
DATASETS: tuple[Dataset, ...] = (SIZE, FACTORS, SIZE_BM, SIZE_OP)
DATASETS_BY_ID: dict[str, Dataset] = {d.id: d for d in DATASETS}

UNITS: dict[Kind, str] = {"return": "percent per period", "count": "number of firms",
                          "size": "USD millions (average market equity per firm)",
                          "ratio": "ratio (BE/ME, OP/BE or log asset growth)"}


@dataclass(frozen=True)
class FrenchFile:
    """A parsed library file: each section as a frame (index: month-end dates for monthly
    sections, integer years for annual ones; columns as the library names them; NaN where it
    marked a value missing), plus the description lines above the first header (if any)."""

    dataset: Dataset
    sections: dict[str, pd.DataFrame]
    description: tuple[str, ...]

    def monthly(self) -> pd.DataFrame:
        """Every monthly section side by side, columns ``<section>:<column>`` (outer join)."""
        parts = [frame.add_prefix(f"{key}:") for key, frame in self.sections.items()
                 if _section(self.dataset, key).frequency == "monthly"]
        joined = pd.concat(parts, axis=1, join="outer").sort_index()
        joined.index.name = "date"
        return joined


def _section(dataset: Dataset, key: str) -> Section:
    return next(s for s in dataset.sections if s.key == key)


_DATA_ROW = re.compile(r"^\s*(\d{4}|\d{6})\s*,")
_SPACES = re.compile(r"\s+")


def _norm(text: str) -> str:
    return _SPACES.sub(" ", text.strip().strip(",").strip()).lower()


@dataclass
class _Block:
    title: list[str]
    header_line: int
    header: list[str]
    rows: list[tuple[int, str]]


def _blocks(lines: list[str], where: str, dataset: Dataset) -> tuple[list[_Block], list[str]]:
    """Split the file into blocks: the text since the previous block's rows (its title), a
    header, and its rows (which end at a blank line). Text before the first header is the
    description; after the last block only the copyright line may follow."""
    blocks: list[_Block] = []
    text: list[str] = []  # non-blank, non-row lines since the last rows
    current: _Block | None = None  # the block receiving rows
    for number, line in enumerate(lines, start=1):
        stripped = line.strip()
        if _DATA_ROW.match(line):
            if current is None:
                raise DataError(f"{dataset.name}: {where} line {number}: a data row outside "
                                "any section (no header above it): the file's layout changed")
            current.rows.append((number, line))
        elif stripped.startswith(","):
            if current is not None and not current.rows:
                raise DataError(f"{dataset.name}: {where} line {number}: a header right after "
                                f"the header on line {current.header_line}: the file's layout "
                                "changed")
            header = [c.strip() for c in stripped.split(",")[1:]]
            while header and header[-1] == "":
                header.pop()
            current = _Block(title=text, header_line=number, header=header, rows=[])
            blocks.append(current)
            text = []
        elif not stripped.strip(","):
            if current is not None and current.rows:
                current = None
        else:
            if current is not None and current.rows:
                current = None
            text.append(stripped.strip(",").strip())
    trailing = [t for t in text if not t.lower().startswith("copyright")]
    if blocks and trailing:
        raise DataError(f"{dataset.name}: {where}: unexpected text after the last section: "
                        f"{trailing[0][:60]!r}: the file's layout changed")
    description = blocks[0].title if blocks else text
    return blocks, list(description)


def parse_french_text(text: str, dataset: Dataset, where: str) -> FrenchFile:
    """Parse one library CSV (already decoded) against `dataset`'s expected layout.

    Raises `DataError` (for a live response, `ResponseError`) naming the file, section and line
    of the first difference: a missing or extra section, a changed title or header, a row that
    does not parse or has the wrong number of values, or a date of the wrong frequency.
    """
    lines = text.splitlines()  # CRLF or LF alike
    if not any(line.strip() for line in lines):
        raise ResponseError(dataset.name, "empty response", "no lines", path=where)
    blocks, description = _blocks(lines, where, dataset)
    expected = dataset.sections
    if len(blocks) != len(expected):
        found = [" ".join(b.title)[-50:] or "(untitled)" for b in blocks]
        raise ResponseError(dataset.name, "layout changed",
                            f"{len(blocks)} sections found, {len(expected)} expected "
                            f"({', '.join(s.title for s in expected)}); found: {found}",
                            path=where)
    known = [_norm(s.title) for s in expected]
    sections: dict[str, pd.DataFrame] = {}
    for i, (block, section) in enumerate(zip(blocks, expected, strict=True)):
        title = _norm(" ".join(block.title))
        named = [k for k in known if k in title]
        # The first section's title may be absent (the snapshot copy dropped it; the factors
        # file never had one); if a title is there, it must be the expected one.
        if (i > 0 or named) and _norm(section.title) not in title:
            raise ResponseError(dataset.name, "layout changed",
                                f"section {i + 1} on line {block.header_line} is titled "
                                f"{' '.join(block.title)[:80]!r}, expected {section.title!r}",
                                path=where)
        if tuple(block.header) != dataset.columns:
            raise ResponseError(dataset.name, "columns changed",
                                f"section {section.title!r} (line {block.header_line}) has "
                                f"columns {block.header}, expected {list(dataset.columns)}",
                                path=where)
        sections[section.key] = _rows(block, section, dataset, where)
    return FrenchFile(dataset=dataset, sections=sections, description=tuple(description))


def _rows(block: _Block, section: Section, dataset: Dataset, where: str) -> pd.DataFrame:
    width = len(dataset.columns)
    digits = 6 if section.frequency == "monthly" else 4
    for number, line in block.rows:  # cheap shape checks first, each naming its line
        cells = line.rstrip().rstrip(",").split(",", 1)
        if line.rstrip().rstrip(",").count(",") != width:
            raise ResponseError(dataset.name, "row does not parse",
                                f"line {number} of {section.title!r} has "
                                f"{line.rstrip().rstrip(',').count(',')} values, expected "
                                f"{width}", path=where)
        if len(cells[0].strip()) != digits:
            raise ResponseError(dataset.name, "row does not parse",
                                f"line {number} of {section.title!r}: date {cells[0].strip()!r} "
                                f"is not {'YYYYMM' if digits == 6 else 'YYYY'}", path=where)
    text = "\n".join(line.rstrip().rstrip(",") for _, line in block.rows)
    try:  # one vectorised parse of the whole section
        raw = pd.read_csv(io.StringIO(text), header=None, dtype="float64", engine="c",
                          skipinitialspace=True, na_filter=False).to_numpy()
    except ValueError:
        for number, line in block.rows:
            bad = next((c for c in line.split(",")[1:] if c.strip() and not is_number(c)), None)
            if bad is not None:
                raise ResponseError(dataset.name, "row does not parse",
                                    f"line {number} of {section.title!r}: value {bad.strip()!r} "
                                    "is not a number", path=where) from None
        raise ResponseError(dataset.name, "row does not parse",
                            f"{section.title!r} (from line {block.rows[0][0]}) has an empty "
                            "value", path=where) from None
    dates = raw[:, 0].astype("int64")
    values = raw[:, 1:]
    values[np.isin(values, MISSING_VALUES)] = np.nan
    if section.frequency == "monthly":
        months = dates % 100
        if np.any((months < 1) | (months > 12)):
            row = int(np.flatnonzero((months < 1) | (months > 12))[0])
            raise ResponseError(dataset.name, "row does not parse",
                                f"line {block.rows[row][0]} of {section.title!r}: "
                                f"{dates[row]} is not a valid YYYYMM", path=where)
        periods = pd.PeriodIndex.from_fields(year=dates // 100, month=months, freq="M")
        index = pd.DatetimeIndex(periods.end_time.normalize(), name="date")
    else:
        index = pd.Index(dates, name="year")
    return pd.DataFrame(values, index=index, columns=list(dataset.columns))


def decode(data: bytes) -> str:
    """The library writes plain ASCII; be lenient with a BOM or a stray Latin-1 byte."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def read_zip(data: bytes, dataset: Dataset, where: str) -> str:
    """The CSV inside a library zip (one member ending .csv, any case), decoded."""
    head = data.lstrip()[:200].lower()
    if head.startswith((b"<!doctype", b"<html", b"<?xml", b"<head", b"<body")):
        raise ResponseError(dataset.name, "HTML instead of a zip",
                            "the library sent a web page, not the zip archive", path=where)
    if not data:
        raise ResponseError(dataset.name, "empty response", "the response body is empty",
                            path=where)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = [n for n in archive.namelist() if n.lower().endswith(".csv")]
            if len(members) != 1:
                raise ResponseError(dataset.name, "layout changed",
                                    f"the zip holds {archive.namelist()}, expected one CSV",
                                    path=where)
            size = archive.getinfo(members[0]).file_size
            if size > MAX_CSV_BYTES:
                raise ResponseError(dataset.name, "response too large",
                                    f"the zip's CSV inflates to {size:,} bytes, at most "
                                    f"{MAX_CSV_BYTES:,} accepted", path=where)
            with archive.open(members[0]) as member:
                data = member.read(MAX_CSV_BYTES + 1)  # the declared size may lie
            if len(data) > MAX_CSV_BYTES:
                raise ResponseError(dataset.name, "response too large",
                                    f"the zip's CSV inflates past {MAX_CSV_BYTES:,} bytes",
                                    path=where)
            return decode(data)
    except zipfile.BadZipFile as exc:
        raise ResponseError(dataset.name, "not a zip archive",
                            f"the response is not a whole zip archive ({exc})",
                            path=where) from None


def read_snapshot(snapshot_dir: Path, dataset: Dataset) -> FrenchFile:
    """Parse the snapshot copy of `dataset` (`french/<name>.csv`)."""
    path = snapshot_dir / dataset.snapshot_file
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise DataError(f"{dataset.name}: snapshot file missing: {path}") from None
    return parse_french_text(decode(data), dataset, str(path))


Fetch = Callable[[str], bytes]


def fetch_zip(dataset: Dataset, policy: RetryPolicy,
              session: requests.Session | None = None) -> bytes:
    """Download `dataset`'s zip (keyless) under the feeds' retry policy: timeouts, dropped
    connections, HTTP 429 and 5xx retried; other 4xx fail at once (`FeedError`)."""
    data, _ = policy.get_bytes(dataset.name, dataset.url, session,
                               headers={"User-Agent": USER_AGENT}, max_bytes=MAX_ZIP_BYTES)
    return data


def fetch_french(dataset: Dataset, policy: RetryPolicy,
                 session: requests.Session | None = None) -> FrenchFile:
    """Download and parse `dataset` from the library (the live path)."""
    data = fetch_zip(dataset, policy, session)
    return parse_french_text(read_zip(data, dataset, dataset.url), dataset, dataset.url)
