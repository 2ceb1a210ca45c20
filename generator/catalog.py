"""The catalog: every series the site uses, where it comes from and what counts as plausible.

One entry per series. Sources fetch by it, validation checks by it, the store files by it and
figures cite it, so a series is described exactly once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Source = Literal["yahoo", "fred"]
Kind = Literal["index", "etf", "leveraged_etf", "volatility", "rate", "spread", "indicator", "flag"]

PRICE_KINDS = frozenset({"index", "etf", "leveraged_etf", "volatility"})


@dataclass(frozen=True)
class Series:
    """A stored series.

    `max_move` bounds a one-observation change: a fraction of the previous value for prices
    (0.25 = 25 %), an absolute change in the series' units for rates and indicators.
    `value_range` is the plausible (low, high) in the series' units; it catches unit changes
    such as a yield reported as a fraction (0.04) instead of percent (4.0).
    `overlap_days`: how far before the last stored date `make update` re-fetches, to compare
    with what is stored (None: 10 days for daily series, 95 for monthly ones).
    `revised_by_publisher`: the publisher routinely revises past values (seasonal factors,
    benchmark revisions, NBER dating); an update applies such revisions and reports them
    instead of rejecting them.
    """

    id: str
    source: Source
    title: str
    kind: Kind
    units: str
    frequency: Literal["daily", "monthly", "quarterly"] = "daily"
    max_move: float | None = 0.25
    allowed_move_dates: tuple[str, ...] = ()
    value_range: tuple[float, float] | None = None
    ohlcv: bool = False
    total_return: bool = False
    required: bool = True
    stale_business_days: int = 5
    overlap_days: int | None = None
    revised_by_publisher: bool = False
    note: str = ""
    publisher: str = field(default="")

    @property
    def is_price(self) -> bool:
        return self.kind in PRICE_KINDS

    @property
    def label(self) -> str:
        """Short human label, e.g. 'Russell 2000 (^RUT)'."""
        return f"{self.title} ({self.id})"


def _yahoo(id: str, title: str, kind: Kind = "etf", **kw: object) -> Series:
    publisher = "Yahoo Finance"
    return Series(id=id, source="yahoo", title=title, kind=kind, publisher=publisher,
                  units="USD" if kind != "index" and kind != "volatility" else "index points",
                  total_return=kind in ("etf", "leveraged_etf"), **kw)  # type: ignore[arg-type]


def _fred(id: str, title: str, kind: Kind, units: str, **kw: object) -> Series:
    return Series(id=id, source="fred", title=title, kind=kind, units=units,
                  publisher="FRED, Federal Reserve Bank of St. Louis", **kw)  # type: ignore[arg-type]


SERIES: tuple[Series, ...] = (
    _yahoo("^RUT", "Russell 2000", "index", ohlcv=True,
           note="Price index (no dividends)."),
    _yahoo("^GSPC", "S&P 500", "index", ohlcv=True, note="Price index (no dividends).",
           # 1929-1933 had daily moves up to 17 %; 1987-10-19 fell 20.5 %.
           allowed_move_dates=("1987-10-19",)),
    _yahoo("^VIX", "Cboe Volatility Index (VIX)", "volatility", ohlcv=True, max_move=2.0,
           value_range=(5.0, 150.0)),
    _yahoo("IWM", "iShares Russell 2000 ETF", ohlcv=True),
    _yahoo("SPY", "SPDR S&P 500 ETF", ohlcv=True),
    _yahoo("IWB", "iShares Russell 1000 ETF"),
    _yahoo("IWN", "iShares Russell 2000 Value ETF"),
    _yahoo("IWO", "iShares Russell 2000 Growth ETF"),
    _yahoo("IWC", "iShares Micro-Cap ETF"),
    _yahoo("IJR", "iShares Core S&P Small-Cap ETF"),
    _yahoo("SPSM", "SPDR Portfolio S&P 600 Small Cap ETF"),
    _yahoo("VB", "Vanguard Small-Cap ETF"),
    _yahoo("SCHA", "Schwab U.S. Small-Cap ETF"),
    _yahoo("TNA", "Direxion Daily Small Cap Bull 3X", "leveraged_etf", max_move=0.75),
    _yahoo("VTWO", "Vanguard Russell 2000 ETF", required=False,
           note="Not in the snapshot; filled by the live update."),
    # NBER dates a peak or trough months after the fact, rewriting past months: re-fetch two years.
    _fred("USREC", "NBER recession indicator", "flag", "1 = recession", frequency="monthly",
          max_move=1.0, value_range=(0.0, 1.0), stale_business_days=130, overlap_days=730,
          revised_by_publisher=True),
    _fred("DGS10", "10-year Treasury yield", "rate", "percent", max_move=1.0,
          value_range=(-2.0, 25.0)),
    _fred("DGS2", "2-year Treasury yield", "rate", "percent", max_move=1.0,
          value_range=(-2.0, 25.0)),
    _fred("DGS3MO", "3-month Treasury yield", "rate", "percent", max_move=2.0,
          value_range=(-2.0, 25.0)),
    _fred("TB3MS", "3-month Treasury bill rate (monthly)", "rate", "percent", frequency="monthly",
          max_move=5.0, value_range=(-2.0, 25.0), stale_business_days=330),
    _fred("T10Y2Y", "10-year minus 2-year Treasury spread", "spread", "percentage points",
          max_move=1.0, value_range=(-5.0, 5.0)),
    _fred("FEDFUNDS", "Effective federal funds rate (monthly)", "rate", "percent",
          frequency="monthly", max_move=8.0, value_range=(-2.0, 25.0), stale_business_days=60),
    # The daily effective rate swung by up to 8 points a day around 1980s year-ends.
    _fred("DFF", "Effective federal funds rate (daily)", "rate", "percent", max_move=10.0,
          value_range=(-2.0, 25.0)),
    _fred("DFEDTARU", "Fed funds target range, upper limit", "rate", "percent", max_move=1.0,
          value_range=(0.0, 25.0)),
    _fred("BAMLH0A0HYM2", "ICE BofA US High Yield option-adjusted spread", "spread", "percent",
          max_move=2.0, value_range=(0.5, 30.0)),
    _fred("BAMLC0A0CM", "ICE BofA US Corporate (investment grade) option-adjusted spread",
          "spread", "percent", max_move=1.0, value_range=(0.2, 10.0)),
    _fred("VIXCLS", "Cboe VIX (FRED copy)", "volatility", "index points", max_move=30.0,
          value_range=(5.0, 150.0)),
    _fred("UNRATE", "Unemployment rate", "indicator", "percent", frequency="monthly",
          max_move=12.0, value_range=(0.0, 30.0), stale_business_days=60,
          revised_by_publisher=True),
    _fred("CPIAUCSL", "Consumer price index (CPI-U)", "indicator", "index 1982-84=100",
          frequency="monthly", max_move=10.0, value_range=(10.0, 1000.0), stale_business_days=60,
          revised_by_publisher=True),
    _fred("INDPRO", "Industrial production index", "indicator", "index 2017=100",
          frequency="monthly", max_move=20.0, value_range=(1.0, 300.0), stale_business_days=60,
          revised_by_publisher=True),
    # The Fed's Senior Loan Officer survey, quarterly since 1990 (dated the first day of the
    # survey's quarter). Not in the snapshot: the first live update fetches its whole history.
    _fred("DRTSCIS", "Banks tightening lending standards to small firms (net share)",
          "indicator", "percent of banks, net", frequency="quarterly", max_move=100.0,
          value_range=(-100.0, 100.0), stale_business_days=200, required=False,
          note="Net share of banks tightening standards for C&I loans to small firms. Not in "
               "the snapshot; filled by the live update."),
)

BY_ID: dict[str, Series] = {s.id: s for s in SERIES}


def get(series_id: str) -> Series:
    """The catalog entry for `series_id` (KeyError names it if unknown)."""
    try:
        return BY_ID[series_id]
    except KeyError:
        raise KeyError(f"unknown series {series_id!r}; known: {', '.join(BY_ID)}") from None


@dataclass(frozen=True)
class Table:
    """A stored table that is not one dated series (fund holdings, members' closes)."""

    id: str
    title: str
    publisher: str
    format: Literal["csv", "parquet"]
    note: str = ""


HOLDINGS_TABLE = Table("iwm_holdings", "IWM holdings",
                       "iShares (BlackRock)", "csv",
                       note="One line per holding as published; equities are the index members.")
MEMBERS_TABLE = Table("members_close", "members' adjusted daily closes",
                      "Yahoo Finance", "parquet",
                      note="Today's members only: history built from it is survivorship-biased.")
EXCLUSIONS_TABLE = Table("members_exclusions", "Members left out by the single-stock rules",
                         "Small-Cap Primer validation of Yahoo Finance closes", "csv")
# Kenneth R. French Data Library: US stocks by NYSE size buckets since 1926, not the Russell
# 2000. One table per library file, its monthly sections side by side (``<section>:<column>``,
# values as the library prints them: returns in percent); see generator/sources/french.py.
FRENCH_PUBLISHER = "Kenneth R. French Data Library"
FRENCH_NOTE = "US stocks (NYSE, AMEX, Nasdaq) by NYSE size breakpoints, not the Russell 2000."
FF_SIZE_TABLE = Table("ff_me_deciles", "US stocks by size decile (NYSE breakpoints)",
                      FRENCH_PUBLISHER, "parquet", note=FRENCH_NOTE)
FF_FACTORS_TABLE = Table("ff_factors", "Fama/French factors (SMB, HML, market, T-bill)",
                         FRENCH_PUBLISHER, "parquet", note=FRENCH_NOTE)
FF_SIZE_BM_TABLE = Table("ff_me_bm_25", "US stocks by size and book-to-market (5 x 5)",
                         FRENCH_PUBLISHER, "parquet", note=FRENCH_NOTE)
FF_SIZE_OP_TABLE = Table("ff_me_op_25", "US stocks by size and operating profitability (5 x 5)",
                         FRENCH_PUBLISHER, "parquet", note=FRENCH_NOTE)
FRENCH_TABLES: tuple[Table, ...] = (FF_SIZE_TABLE, FF_FACTORS_TABLE, FF_SIZE_BM_TABLE,
                                    FF_SIZE_OP_TABLE)
TABLES: tuple[Table, ...] = (HOLDINGS_TABLE, MEMBERS_TABLE, EXCLUSIONS_TABLE, *FRENCH_TABLES)
TABLES_BY_ID: dict[str, Table] = {t.id: t for t in TABLES}
