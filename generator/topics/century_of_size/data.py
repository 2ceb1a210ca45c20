"""Facts for "A century of size" (and the size sections of Valuation): the size premium since
1926, valuation and quality by size, from the Kenneth R. French Data Library's tables.

These are US stocks sorted into buckets by NYSE market-equity breakpoints — not the Russell
2000. The Russell 2000's place among them is found by its rank rule (the companies ranked just
below the largest 1,000) against the library's firm counts per size decile.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from generator.analytics import size as sz
from generator.catalog import (
    FF_FACTORS_TABLE,
    FF_SIZE_BM_TABLE,
    FF_SIZE_OP_TABLE,
    FF_SIZE_TABLE,
    HOLDINGS_TABLE,
    get,
)
from generator.sources.french import grid_columns
from generator.store import Store, load_values
from generator.topics import provides
from generator.units import Count, Dollars, Fraction, Level, Multiple, Points

DECILES = ("Lo 10", "Dec 2", "Dec 3", "Dec 4", "Dec 5", "Dec 6", "Dec 7", "Dec 8", "Dec 9",
           "Hi 10")
DECILE_NAMES = {c: f"decile {i}" for i, c in enumerate(DECILES, start=1)}
# Banz (1981) published the size effect; the usual "after publication" sample starts in 1982.
PUBLICATION_SPLIT = "1982-01"
WINDOWS = (10, 20)
# Definitions (FTSE Russell): the Russell 1000 is the largest 1,000 US companies; the Russell
# 2000 the next ones, about 2,000 (here: as many as IWM holds equities).
RUSSELL_1000_COUNT = 1000
FORWARD_YEARS = (5, 10)
BM = grid_columns("BM")
OP = grid_columns("OP")


def section(table: pd.DataFrame, name: str) -> pd.DataFrame:
    """One section of a stored library table (columns ``<section>:<column>``), rows with data."""
    prefix = f"{name}:"
    part = table[[c for c in table.columns if c.startswith(prefix)]]
    part.columns = [c[len(prefix):] for c in part.columns]
    return part.dropna(how="all")


def size_returns(store: Store) -> pd.DataFrame:
    """Value-weight monthly returns (percent) of the size portfolios since 1926-07."""
    return section(store.read_table(FF_SIZE_TABLE.id), "vw")


def smb(store: Store) -> pd.Series:
    """Fama/French SMB, monthly, percent."""
    return section(store.read_table(FF_FACTORS_TABLE.id), "monthly")["SMB"]


def quintile_frame(table: pd.DataFrame, row: int, sort: str) -> tuple[pd.DataFrame, ...]:
    """For size quintile `row` (1 smallest .. 5 biggest) of a 5x5 table: its five portfolios'
    BE/ME, OP, total market equity (firms x average size) and value-weight returns."""
    columns = list(grid_columns(sort)[(row - 1) * 5: row * 5])
    firms = section(table, "firms")[columns]
    weights = firms * section(table, "size")[columns]
    return (section(table, "beme")[columns], section(table, "op")[columns], weights,
            section(table, "vw")[columns])


def valuation_ratio(store: Store) -> pd.Series:
    """Book-to-market of the smallest size quintile over that of the largest, monthly: each the
    value-weight average of its five book-to-market portfolios' value-weight BE/ME. Above 1:
    small companies' shares cost less per dollar of book equity than big companies'."""
    table = store.read_table(FF_SIZE_BM_TABLE.id)
    small_beme, _, small_w, _ = quintile_frame(table, 1, "BM")
    big_beme, _, big_w, _ = quintile_frame(table, 5, "BM")
    ratio = sz.weighted_ratio(small_beme, small_w) / sz.weighted_ratio(big_beme, big_w)
    return ratio.rename("small_over_big_book_to_market")


def forward_gaps(store: Store) -> pd.DataFrame:
    """Subsequent 5- and 10-year annualised smallest-minus-largest quintile returns per month."""
    vw = size_returns(store)
    return pd.concat([sz.forward_annualised_gap(vw["Lo 20"], vw["Hi 20"], y)
                      for y in FORWARD_YEARS], axis=1)


def what_followed(store: Store) -> pd.DataFrame:
    """Mean subsequent small-minus-big returns by fifth of the valuation ratio's history."""
    ratio = valuation_ratio(store)
    return sz.by_quintile(ratio, forward_gaps(store).reindex(ratio.index))


def russell_place(store: Store) -> dict[str, Any]:
    """Where the Russell 2000's members fall among the library's size deciles by its rank rule:
    ranks 1,001 to 1,000 + (IWM's equity holdings), against the library's firm counts per decile
    in its last month, with those deciles' average firm sizes (USD)."""
    table = store.read_table(FF_SIZE_TABLE.id)
    firms = section(table, "firms")[list(DECILES)].iloc[-1]
    sizes = section(table, "size")[list(DECILES)].iloc[-1] * 1e6
    holdings = store.read_table(HOLDINGS_TABLE.id)
    members = int((holdings["asset_class"] == "Equity").sum())
    held = sz.rank_range_in_buckets(firms, RUSSELL_1000_COUNT + 1, RUSSELL_1000_COUNT + members)
    smallest, largest = held[-1], held[0]
    return {"members": members, "first_rank": RUSSELL_1000_COUNT + 1,
            "last_rank": RUSSELL_1000_COUNT + members, "deciles": held,
            "smallest": DECILE_NAMES[smallest], "largest": DECILE_NAMES[largest],
            "smallest_n": DECILES.index(smallest) + 1, "largest_n": DECILES.index(largest) + 1,
            "smallest_size": float(sizes[smallest]), "largest_size": float(sizes[largest]),
            "firms_total": int(firms.sum()), "month": firms.name.date(),
            "holdings_as_of": store.read_table_meta(HOLDINGS_TABLE.id).as_of_date,
            "lo10_size": float(sizes["Lo 10"]), "hi10_size": float(sizes["Hi 10"])}


def real_sizes(store: Store) -> pd.DataFrame:
    """Average firm size per decile in December of each year, USD millions: nominal since 1926
    and in dollars of the library's last month (CPI-U) since the CPI series starts (1947)."""
    sizes = section(store.read_table(FF_SIZE_TABLE.id), "size")[list(DECILES)]
    cpi = load_values(store, "CPIAUCSL")
    cpi.index = pd.DatetimeIndex(cpi.index).to_period("M").to_timestamp("M")
    cpi = cpi.reindex(sizes.index)
    real = sizes.mul(cpi.loc[sizes.index[-1]] / cpi, axis=0)
    december = sizes.index.month == 12
    frame = pd.concat([sizes[december].add_prefix("nominal "), real[december].add_prefix(
        "real ")], axis=1)
    frame.index = frame.index.year.rename("year")
    return frame


def index_era(store: Store, gap10: pd.Series) -> dict[str, Any]:
    """The library's small-minus-big 10-year windows that end once the Russell 2000's own
    data (^RUT) has ten years: how often small won in the index's era (empty without ^RUT)."""
    rut = get("^RUT")
    if not store.has(rut):
        return {}
    first = pd.Timestamp(store.read_meta(rut).first)
    window = gap10[gap10.index >= first + pd.DateOffset(years=10)]
    return {"index_first": first.date(), "share_small_won": float((window > 0).mean()),
            "windows": len(window), "first_end": window.index[0].date(),
            "last_end": window.index[-1].date()}


def _word(value: float, positive: str, negative: str) -> str:
    return positive if value > 0 else negative


def valuation_word(percentile: float) -> str:
    """How small stocks are priced against big ones, from the ratio's percentile."""
    if percentile >= 0.8:
        return "cheaper than usual"
    if percentile <= 0.2:
        return "dearer than usual"
    return "about as usual"


@provides
def century_facts(store: Store) -> dict[str, Any]:
    """The size premium since 1926: deciles, rolling windows, eras, dollars."""
    vw = size_returns(store)
    factor = smb(store)
    growth = sz.growth_of_one(vw[["Lo 10", "Hi 10"]]).iloc[-1]
    ladder = sz.annualised(vw[list(DECILES)])
    rolling = {}
    for years in WINDOWS:
        gap = sz.rolling_annualised_gap(vw["Lo 20"], vw["Hi 20"], years).dropna()
        # gaps: small minus big, each annualised (a difference of two returns, in points)
        rolling[f"y{years}"] = {"share_small_won": Fraction((gap > 0).mean()),
                                "windows": Count(len(gap)), "last": Points.of(gap.iloc[-1]),
                                "min": Points.of(gap.min()), "max": Points.of(gap.max()),
                                "min_end": gap.idxmin().date(), "max_end": gap.idxmax().date()}
    era = index_era(store, sz.rolling_annualised_gap(vw["Lo 20"], vw["Hi 20"], 10).dropna())
    before, after = sz.premium_split(factor, PUBLICATION_SPLIT)
    january, other = sz.premium_january(factor)
    decades = sz.premium_by_decade(factor)
    full = decades[decades["months"] == 120]
    place = russell_place(store)
    real = real_sizes(store)
    first_real = real["real Lo 10"].dropna()
    small_ann, big_ann = float(ladder["Lo 10"]), float(ladder["Hi 10"])
    return {"century": {
        "first": vw.index[0].date(), "last": vw.index[-1].date(), "months": Count(len(vw)),
        "years": Level(len(vw) / 12),
        "small_ann": Fraction(small_ann), "big_ann": Fraction(big_ann),
        "gap_ann": Points.between(small_ann, big_ann),
        "small_growth": Multiple(growth["Lo 10"]), "big_growth": Multiple(growth["Hi 10"]),
        "small_won": small_ann > big_ann,
        "verdict": _word(small_ann - big_ann, "earned more", "earned less"),
        "ladder": ladder.rename(index=DECILE_NAMES).to_frame("annualised"),
        "ladder_best": DECILE_NAMES[str(ladder.idxmax())],
        "quintile_gap": Points.between(sz.annualised(vw["Lo 20"]), sz.annualised(vw["Hi 20"])),
        "rolling": rolling,
        "smb": {"all": Fraction(sz.premium(factor)), "before": Fraction(before),
                "after": Fraction(after), "january": Fraction(january),
                "other": Fraction(other), "split": PUBLICATION_SPLIT,
                # January's share of a year's premium (one month) against the other eleven.
                "january_dominates": january / 12 > other * 11 / 12,
                "shrank": after < before,
                "after_word": _word(after, "positive", "negative"),
                "decades_positive": Count((full["premium"] > 0).sum()),
                "decades_full": Count(len(full)),
                "best_decade": int(full["premium"].idxmax()),
                "worst_decade": int(full["premium"].idxmin()),
                "best": Fraction(full["premium"].max()),
                "worst": Fraction(full["premium"].min())},
        "place": _in_units(place, PLACE_UNITS),
        "era": _in_units(era, {"share_small_won": Fraction, "windows": Count}),
        "real_first_year": int(first_real.index[0]),
        "real_lo10_first": Dollars(float(first_real.iloc[0]) * 1e6),
        "real_lo10_last": Dollars(float(first_real.iloc[-1]) * 1e6),
        "real_hi10_first": Dollars(float(real["real Hi 10"].dropna().iloc[0]) * 1e6),
        "real_hi10_last": Dollars(float(real["real Hi 10"].dropna().iloc[-1]) * 1e6),
        # the share of 10-year windows in which big companies did at least as well
        "rolling_big_won": Fraction(1.0 - rolling["y10"]["share_small_won"].value)
        if "y10" in rolling else None,
    }}


# The unit of each number `russell_place` hands out (names and dates stay as they are).
PLACE_UNITS = {"members": Count, "first_rank": Count, "last_rank": Count, "firms_total": Count,
               "smallest_size": Dollars, "largest_size": Dollars, "lo10_size": Dollars,
               "hi10_size": Dollars}


def _in_units(facts: dict[str, Any], units: dict[str, Any]) -> dict[str, Any]:
    """`facts` with each number named in `units` wrapped in its unit."""
    return {key: units[key](value) if key in units else value for key, value in facts.items()}


@provides
def size_valuation_facts(store: Store) -> dict[str, Any]:
    """Valuation by size: the small/big book-to-market ratio's standing and what followed;
    small value vs small growth since 1926; quality by size since 1963."""
    ratio = valuation_ratio(store)
    followed = what_followed(store)
    now = sz.quintile_of(ratio, float(ratio.iloc[-1]))
    percentile = sz.percentile_rank(ratio)
    table = store.read_table(FF_SIZE_BM_TABLE.id)
    vw = section(table, "vw")
    corners = {"small_value": "SMALL HiBM", "small_growth": "SMALL LoBM",
               "big_value": "BIG HiBM", "big_growth": "BIG LoBM"}
    ann = sz.annualised(vw[list(BM)])
    op_table = store.read_table(FF_SIZE_OP_TABLE.id)
    op_vw = section(op_table, "vw")
    quality = {k: float(sz.annualised(op_vw[c])) for k, c in (
        ("small_low", "SMALL LoOP"), ("small_high", "SMALL HiOP"),
        ("big_low", "BIG LoOP"), ("big_high", "BIG HiOP"))}
    # The middle profitability fifth of each size quintile: a typical company's profitability
    # (averages over a whole quintile are swamped by a few firms with tiny book equity).
    op = section(op_table, "op")
    small_prof, big_prof = op["ME1 OP3"], op["ME5 OP3"]
    years = len(ratio) / 12
    return {"size_valuation": {
        # the ratio is a plain number (small's book-to-market over big's)
        "last": Level(ratio.iloc[-1]), "date": ratio.index[-1].date(),
        "first": ratio.index[0].date(), "percentile": Fraction(percentile),
        "median": Level(ratio.median()), "min": Level(ratio.min()), "max": Level(ratio.max()),
        "min_date": ratio.idxmin().date(), "max_date": ratio.idxmax().date(),
        "small_cheaper": float(ratio.iloc[-1]) > 1.0,
        "word": valuation_word(percentile), "quintile_now": now,
        "followed": followed,
        # mean annualised small-minus-big returns that followed: gaps, in points
        "now_next5": Points.of(followed.loc[now, "next_5y_mean"]),
        "now_next10": Points.of(followed.loc[now, "next_10y_mean"]),
        "now_next10_size": abs(Points.of(followed.loc[now, "next_10y_mean"])),
        "now_small_ahead": float(followed.loc[now, "next_10y_mean"]) > 0,
        "top_next10": Points.of(followed.loc[5, "next_10y_mean"]),
        "bottom_next10": Points.of(followed.loc[1, "next_10y_mean"]),
        "independent5": Count(years // 5), "independent10": Count(years // 10),
        "years": Level(years),
    }, "size_styles": {
        **{k: Fraction(ann[c]) for k, c in corners.items()},
        "first": vw.index[0].date(), "last": vw.index[-1].date(),
        "small_growth_rank": Count((ann > ann["SMALL LoBM"]).sum() + 1),
        "portfolios": Count(len(ann)),
        "small_growth_last": bool(ann.idxmin() == "SMALL LoBM"),
        "value_gap": Points.between(ann["SMALL HiBM"], ann["SMALL LoBM"]),
    }, "size_quality": {
        **{k: Fraction(v) for k, v in quality.items()},
        "small_gap": Points.between(quality["small_high"], quality["small_low"]),
        "big_gap": Points.between(quality["big_high"], quality["big_low"]),
        "first": op_vw.index[0].date(), "last": op_vw.index[-1].date(),
        # operating profitability: operating profits over book equity, a plain ratio
        "small_prof": Level(small_prof.iloc[-1]), "big_prof": Level(big_prof.iloc[-1]),
        "small_prof_first": Level(small_prof.iloc[0]),
        "big_prof_first": Level(big_prof.iloc[0]),
        "matters_more_small": (quality["small_high"] - quality["small_low"])
        > (quality["big_high"] - quality["big_low"]),
    }}
