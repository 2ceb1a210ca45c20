"""iShares: parse a fund's published holdings CSV (preamble, table, legal footer), live or saved.

The file iShares publishes for IWM is not a plain CSV: a preamble of ``key,"value"`` lines (fund
name, "Fund Holdings as of", inception date, ...), a blank line, the holdings table, another blank
line and a legal footer in one quoted paragraph. A file whose layout moved (no "Fund Holdings as
of", a table header that is not where the preamble ends, a missing column) fails with a
`DataError` naming the file: a mis-parsed holdings file would silently change every weight.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from generator.errors import DataError
from generator.sources.retry import RetryPolicy

FUND = "IWM"
HOLDINGS_URL = ("https://www.ishares.com/us/products/239710/ishares-russell-2000-etf/"
                "1467271812596.ajax?fileType=csv&fileName=IWM_holdings&dataType=fund")

# The published header, column by column, and the name each gets in the clean frame.
COLUMNS: dict[str, str] = {
    "Ticker": "ticker", "Name": "name", "Sector": "sector", "Asset Class": "asset_class",
    "Market Value": "market_value", "Weight (%)": "weight_pct", "Price": "price",
    "Location": "location", "Exchange": "exchange", "Currency": "currency",
}
NUMERIC = ("market_value", "weight_pct", "price")
AS_OF_KEY = "Fund Holdings as of"
# How far down the header may sit: the preamble has had 8–10 lines over the years.
MAX_PREAMBLE_LINES = 20
UNLISTED_TICKER = "-"


@dataclass(frozen=True)
class Holdings:
    """A parsed holdings file: the fund, the holdings' as-of date and the clean table.

    `table` has one row per line of the published table, in its order, with columns
    ``ticker, name, sector, asset_class, market_value (USD), weight_pct (percent of the fund),
    price (USD), location, exchange, currency``.
    """

    fund: str
    as_of: dt.date
    table: pd.DataFrame


def _blank(line: str) -> bool:
    # iShares separates the blocks with a line holding a non-breaking space.
    return line.replace("\xa0", " ").strip().strip(",") == ""


def _preamble_value(line: str) -> tuple[str, str] | None:
    match = re.match(r'^\s*([^,"]+?)\s*,\s*"?(.*?)"?\s*$', line)
    return (match.group(1), match.group(2)) if match else None


def parse_holdings_csv(source: str | bytes | Path, where: str | None = None) -> Holdings:
    """Parse an iShares holdings CSV (a path, or the downloaded text/bytes) into `Holdings`.

    `where` names the file or URL in error messages (defaults to the path).
    """
    where = where or (str(source) if isinstance(source, Path) else "iShares holdings response")
    try:
        raw = source.read_bytes() if isinstance(source, Path) else source
    except FileNotFoundError:
        raise DataError(f"{FUND} holdings: file not found: {where}") from None
    text = raw.decode("utf-8-sig", errors="replace") if isinstance(raw, bytes) else raw
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    if not text.strip():
        raise DataError(f"{FUND} holdings: empty file: {where}")
    if lines[0].lstrip().startswith("<"):
        raise DataError(f"{FUND} holdings: {where} is an HTML page, not the holdings CSV")

    header_at = next((i for i, line in enumerate(lines[:MAX_PREAMBLE_LINES])
                      if line.startswith("Ticker,")), None)
    if header_at is None:
        raise DataError(f"{FUND} holdings: no table header starting 'Ticker,' in the first "
                        f"{MAX_PREAMBLE_LINES} lines of {where} (layout changed?)")
    preamble = dict(p for p in map(_preamble_value, lines[:header_at]) if p)
    if AS_OF_KEY not in preamble:
        raise DataError(f"{FUND} holdings: no '{AS_OF_KEY}' line in the preamble of {where} "
                        "(layout changed?)")
    try:
        as_of = dt.datetime.strptime(preamble[AS_OF_KEY].strip(), "%b %d, %Y").date()
    except ValueError:
        raise DataError(f"{FUND} holdings: unreadable '{AS_OF_KEY}' date "
                        f"{preamble[AS_OF_KEY]!r} in {where}") from None
    if not _blank(lines[header_at - 1]):
        raise DataError(f"{FUND} holdings: the table header on line {header_at + 1} of {where} "
                        "does not follow a blank line (layout changed?)")

    # The table runs from the header to the first blank line; the legal footer follows it.
    end = next((i for i in range(header_at + 1, len(lines)) if _blank(lines[i])), None)
    if end is None:
        raise DataError(f"{FUND} holdings: no blank line after the table in {where} "
                        "(truncated file, or the legal footer is missing)")
    # The csv module, not pandas: pandas would silently turn a surplus first field into an
    # index and shift every column by one, exactly the mis-parse a changed layout must not cause.
    try:
        rows = list(csv.reader(lines[header_at:end]))
    except csv.Error as exc:
        raise DataError(f"{FUND} holdings: cannot parse the table in {where}: {exc}") from None
    width = len(rows[0])
    ragged = next((i for i, row in enumerate(rows) if len(row) != width), None)
    if ragged is not None:
        raise DataError(f"{FUND} holdings: cannot parse the table in {where}: line "
                        f"{header_at + ragged + 1} has {len(rows[ragged])} fields, the header "
                        f"{width} (layout changed?)")
    table = pd.DataFrame(rows[1:], columns=rows[0], dtype=str)
    header = [c.strip() for c in table.columns]
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        raise DataError(f"{FUND} holdings: columns {missing} missing from the table in {where} "
                        f"(found {header})")
    table.columns = header
    if table.empty:
        raise DataError(f"{FUND} holdings: the table in {where} has no rows")
    clean = table[list(COLUMNS)].rename(columns=COLUMNS).apply(lambda c: c.str.strip())
    for col in NUMERIC:
        text_values = clean[col].str.replace(",", "", regex=False)
        values = pd.to_numeric(text_values.replace({"-": None, "": None}), errors="coerce")
        broken = values.isna() & ~text_values.isin(["-", ""])
        if broken.any():
            row = int(broken.to_numpy().nonzero()[0][0])
            raise DataError(f"{FUND} holdings: non-numeric {col} {clean[col].iloc[row]!r} for "
                            f"{clean['ticker'].iloc[row]} on table row {row + 1} of {where}")
        clean[col] = values.astype("float64")
    return Holdings(fund=FUND, as_of=as_of, table=clean.reset_index(drop=True))


def equities(table: pd.DataFrame) -> pd.DataFrame:
    """The equity lines of a clean holdings table (cash, futures and money market left out)."""
    return table[table["asset_class"] == "Equity"]


def yahoo_symbol(ticker: str) -> str:
    """The Yahoo Finance symbol of an iShares ticker (share classes: 'MOGA' -> 'MOG-A').

    iShares glues a share class letter to the root; Yahoo writes it after a dash. Only the
    classes known to be listed that way are mapped: a wrong guess would fetch another company.
    """
    return SHARE_CLASS_SYMBOLS.get(ticker, ticker.replace(".", "-").replace("/", "-"))


# Share classes in the IWM file whose Yahoo symbol differs from iShares' ticker.
SHARE_CLASS_SYMBOLS = {"MOGA": "MOG-A", "GEFB": "GEF-B", "CRDA": "CRD-A"}


def fetch_holdings_text(url: str = HOLDINGS_URL, policy: RetryPolicy | None = None) -> str:
    """Download the holdings CSV text from iShares under the feeds' retry policy (timeouts,
    429 and 5xx retried; another 4xx fails at once). Raises `FeedError` when it gives up."""
    text, _ = (policy or RetryPolicy()).get_text(
        f"{FUND} holdings", url, headers={"User-Agent": "smallcap-primer/0.1 (+holdings)"})
    return text
