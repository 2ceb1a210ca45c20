"""Figures for "A century of size" and the size sections of Valuation (Kenneth R. French Data
Library: US stocks by NYSE size buckets, not the Russell 2000). Aggregates only: at most four
monthly lines (about 1,200 points each) per chart; the CSVs keep every decile or portfolio."""

from __future__ import annotations

import math

import pandas as pd
import plotly.graph_objects as go

from generator.analytics import size as sz
from generator.catalog import FF_FACTORS_TABLE, FF_SIZE_BM_TABLE, FF_SIZE_OP_TABLE, FF_SIZE_TABLE
from generator.figures.spec import Drawn, figure
from generator.figures.theme import NEUTRAL, dates, guide, new_figure, recession_bands
from generator.store import Store
from generator.topics.century_of_size.data import (
    DECILE_NAMES,
    DECILES,
    PUBLICATION_SPLIT,
    WINDOWS,
    forward_gaps,
    real_sizes,
    russell_place,
    section,
    size_returns,
    smb,
    valuation_ratio,
    what_followed,
)
from generator.units import Count, Day, Dollars, Fraction, Level, Points

VALUATION = "valuation.md"
SMALL, BIG = "#D55E00", "#0072B2"  # vermillion for small (as the Russell 2000), blue for big
SMALL_2, BIG_2 = "#E69F00", "#56B4E9"
# The deciles that hold the Russell 2000's ranks, largest first (colour-blind-safe sets).
RANK_COLOURS = ("#5E3C99", "#CC79A7", "#009E73", "#E69F00", "#D55E00", "#882255", "#117733")
NOT_R2K = ("US stocks (NYSE, AMEX and Nasdaq) sorted by NYSE market-equity breakpoints — not "
           "the Russell 2000.")


def _growth_lines(fig: go.Figure, growth: pd.DataFrame, styles: dict[str, tuple[str, str, str]]
                  ) -> None:
    low, high = float(growth.min().min()), float(growth.max().max())
    if high / low > 1e4:  # many decades: label powers of ten only (1-2-5 labels would collide)
        first, last = math.floor(math.log10(low)), math.ceil(math.log10(high))
        fig.update_yaxes(tickvals=[10.0 ** k for k in range(first, last + 1)])
    for column, (name, colour, dash) in styles.items():
        # Four significant digits: plenty on a log chart, a third of the bytes (the CSV keeps
        # full precision).
        shown = [float(f"{v:.4g}") for v in growth[column].to_numpy()]
        fig.add_scatter(x=dates(growth.index), y=shown, name=name,
                        line={"color": colour, "width": 1.6, "dash": dash},
                        hovertemplate="%{y:$,.2f}")


@figure("size-premium-deciles", sources=(FF_SIZE_TABLE.id,))
def premium_deciles(store: Store) -> Drawn:
    vw = size_returns(store)[list(DECILES)]
    growth = sz.growth_of_one(vw)
    ann = sz.annualised(vw)
    fig = new_figure(y_title="Value of $1 (log scale)", log_y=True)
    _growth_lines(fig, growth, {
        "Lo 10": (f"Smallest tenth ({Fraction(ann['Lo 10'])} a year)", SMALL, "solid"),
        "Hi 10": (f"Largest tenth ({Fraction(ann['Hi 10'])} a year)", BIG, "solid")})
    end = vw.index[-1]
    says = {"start": Day.of(vw.index[0]), "end": Day.of(end),
            "small": Dollars(growth["Lo 10"].iloc[-1]), "small_cagr": Fraction(ann["Lo 10"]),
            "big": Dollars(growth["Hi 10"].iloc[-1]), "big_cagr": Fraction(ann["Hi 10"])}
    ladder = sz.annualised_since_start(vw).rename(columns=DECILE_NAMES)
    monthly = growth.rename(columns=DECILE_NAMES)
    monthly.index.name = "date"
    return Drawn(fig, ladder, end.date(), says,
                 extra_csv={"size-premium-deciles-growth": monthly})


@figure("size-premium-rolling", sources=(FF_SIZE_TABLE.id, "USREC"))
def premium_rolling(store: Store) -> Drawn:
    vw = size_returns(store)
    gaps = pd.concat([sz.rolling_annualised_gap(vw["Lo 20"], vw["Hi 20"], y) for y in WINDOWS],
                     axis=1).dropna(how="all")
    fig = new_figure(y_title="Small minus big, % a year", y_format=".0%")
    for (years, colour) in zip(WINDOWS, (SMALL, BIG), strict=True):
        line = gaps[f"{years}y"].dropna()
        fig.add_scatter(x=dates(line.index), y=line.round(5).to_numpy(),
                        name=f"{years}-year windows", line={"color": colour, "width": 1.5},
                        hovertemplate="%{y:.1%}")
    guide(fig, 0, dash=None)
    recession_bands(fig, store, gaps.index[0])
    shares = {y: float((gaps[f"{y}y"].dropna() > 0).mean()) for y in WINDOWS}
    says = {"won_10y": Fraction(shares[10], 0), "won_20y": Fraction(shares[20], 0),
            "since": vw.index[0].year, "end": Day.of(gaps.index[-1]),
            "last_10y": Points.of(gaps["10y"].iloc[-1])}  # a gap of two annualised returns
    data = gaps.rename(columns={f"{y}y": f"small_minus_big_{y}y_annualised" for y in WINDOWS})
    return Drawn(fig, data, gaps.index[-1].date(), says,
                 notes=f"{len(gaps['10y'].dropna()):,} ten-year and "
                       f"{len(gaps['20y'].dropna()):,} twenty-year windows.")


@figure("size-premium-eras", sources=(FF_FACTORS_TABLE.id,))
def premium_eras(store: Store) -> Drawn:
    factor = smb(store)
    decades = sz.premium_by_decade(factor)
    before, after = sz.premium_split(factor, PUBLICATION_SPLIT)
    january, other = sz.premium_january(factor)
    labels = [f"{d}s" for d in decades.index]
    groups = {"Decade": (labels, decades["premium"].to_list(), BIG),
              "Publication": (["Before 1982", "1982 on"], [before, after], SMALL),
              "Calendar": (["Januaries only", "Other months"], [january, other], SMALL_2)}
    fig = new_figure(y_title="SMB, average % a year", y_format=".0%", x_is_date=False)
    for name, (xs, ys, colour) in groups.items():
        fig.add_bar(x=xs, y=[round(y, 5) for y in ys], name=name, marker_color=colour,
                    hovertemplate="%{x}: %{y:.1%}<extra></extra>")
    fig.update_layout(bargap=0.25, xaxis={"type": "category", "tickangle": -45})
    says = {"before": Fraction(before), "after": Fraction(after),
            "split": Day.of(PUBLICATION_SPLIT).year, "january": Fraction(january),
            "other": Fraction(other)}
    data = pd.DataFrame({
        "period": [*labels, "1926-07 to 1981-12", "1982-01 on", "Januaries", "February-December"],
        "smb_average_annual": [*decades["premium"], before, after, january, other],
        "months": [*decades["months"], int((factor.index < PUBLICATION_SPLIT).sum()),
                   int((factor.index >= PUBLICATION_SPLIT).sum()),
                   int((factor.index.month == 1).sum()), int((factor.index.month != 1).sum())],
    }).set_index("period")
    return Drawn(fig, data, factor.index[-1].date(), says)


@figure("size-in-dollars", sources=(FF_SIZE_TABLE.id, "CPIAUCSL", "iwm_holdings"))
def size_in_dollars(store: Store) -> Drawn:
    frame = real_sizes(store)
    place = russell_place(store)
    real = frame[[f"real {d}" for d in DECILES]].dropna() * 1e6
    index = pd.to_datetime([f"{y}-12-31" for y in real.index])
    fig = new_figure(y_title="Average company size, today's dollars (log scale)", log_y=True)
    palette = iter(RANK_COLOURS)
    for decile in reversed(DECILES):
        inside = decile in place["deciles"]
        # Deciles outside the Russell 2000's ranks: thin grey, one legend entry for them all.
        first_outside = not inside and decile == next(
            d for d in reversed(DECILES) if d not in place["deciles"])
        fig.add_scatter(
            x=dates(index), y=[float(f"{v:.3g}") for v in real[f"real {decile}"]],
            name=(DECILE_NAMES[decile].capitalize() + " (Russell 2000 ranks)" if inside
                  else "Other deciles" if first_outside else DECILE_NAMES[decile].capitalize()),
            legendgroup="inside" if inside else "outside",
            line={"color": next(palette) if inside else "#BBBBBB",
                  "width": 1.8 if inside else 1.0, "dash": "solid" if inside else "dot"},
            hovertemplate=f"{DECILE_NAMES[decile]}: " + "%{y:$,.3s}<extra></extra>",
            showlegend=inside or first_outside)
    fig.update_layout(legend={"font": {"size": 10}})
    first = real.index[0]
    says = {"year": place["month"].year, "first_rank": Count(place["first_rank"]),
            "last_rank": Count(place["last_rank"]), "smallest": place["smallest_n"],
            "largest": place["largest_n"], "deciles": len(DECILES),
            "smallest_size": Dollars(place["smallest_size"]),
            "largest_size": Dollars(place["largest_size"]), "first": int(first),
            "then": Dollars(real["real Lo 10"].iloc[0]),
            "now": Dollars(real["real Lo 10"].iloc[-1])}
    return Drawn(fig, frame, pd.Timestamp(f"{frame.index[-1]}-12-31").date(), says,
                 notes=f"Russell 2000 members counted: {place['members']:,} stocks in IWM's "
                       f"holdings of {place['holdings_as_of']:%d %B %Y}.")


@figure("size-valuation-spread",
        sources=(FF_SIZE_BM_TABLE.id, FF_SIZE_TABLE.id, "USREC"),
        page=VALUATION)
def valuation_spread(store: Store) -> Drawn:
    ratio = valuation_ratio(store)
    percentile = sz.percentile_rank(ratio)
    fig = new_figure(y_title="Small ÷ big book-to-market (log scale)", log_y=True,
                     y_format=".1f")
    fig.add_scatter(x=dates(ratio.index), y=ratio.round(4).to_numpy(), name="Small ÷ big",
                    line={"color": SMALL, "width": 1.4},
                    hovertemplate="%{y:.2f}")
    # Percentile levels as two-point lines with legend names: hline annotations land in the
    # wrong place on a log axis.
    ends = dates(ratio.index[[0, -1]])
    for q, label, dash in ((0.8, "80th percentile", "dash"), (0.5, "Median", "dot"),
                           (0.2, "20th percentile", "dashdot")):
        level = float(ratio.quantile(q))
        fig.add_scatter(x=ends, y=[round(level, 4)] * 2, mode="lines",
                        name=f"{label} ({level:.2f})", hoverinfo="skip",
                        line={"dash": dash, "width": 1, "color": NEUTRAL})
    recession_bands(fig, store, ratio.index[0])
    followed = what_followed(store)
    now = sz.quintile_of(ratio, float(ratio.iloc[-1]))
    says = {"month": Day.of(ratio.index[-1]), "ratio": Level(ratio.iloc[-1]),
            "percentile": Fraction(percentile, 0), "since": ratio.index[0].year,
            "ahead": Points.of(followed.loc[now, "next_10y_mean"])}  # small minus big, a year
    data = pd.concat([ratio, forward_gaps(store).reindex(ratio.index)], axis=1)
    data.columns = ["small_over_big_book_to_market", "next_5y_small_minus_big_annualised",
                    "next_10y_small_minus_big_annualised"]
    followed = followed.rename(columns={"signal_min": "ratio_from", "signal_max": "ratio_to"})
    return Drawn(fig, data, ratio.index[-1].date(), says,
                 extra_csv={"size-valuation-spread-by-quintile": followed})


def _corner_growth(store: Store, table_id: str, sort: str, names: tuple[str, str, str, str]
                   ) -> tuple[pd.DataFrame, pd.Series, go.Figure, pd.DataFrame]:
    """Growth of $1 in four corners of a 5 x 5 size-and-`sort` table (`sort`: "BM", "OP"):
    small high, small low, big high, big low, called `names`; each line is named with its
    annualised return. Returns the value-weighted monthly returns, every portfolio's annualised
    return, the figure and the growth table for the CSV."""
    vw = section(store.read_table(table_id), "vw")
    columns = (f"SMALL Hi{sort}", f"SMALL Lo{sort}", f"BIG Hi{sort}", f"BIG Lo{sort}")
    corners = {c: (n, colour, dash) for c, n, colour, dash in zip(
        columns, names, (SMALL, SMALL_2, BIG, BIG_2), ("solid", "dash") * 2, strict=True)}
    growth = sz.growth_of_one(vw[list(corners)])
    ann = sz.annualised(vw)
    named = {c: (f"{n} ({Fraction(ann[c])} a year)", colour, dash)
             for c, (n, colour, dash) in corners.items()}
    fig = new_figure(y_title="Value of $1 (log scale)", log_y=True)
    _growth_lines(fig, growth, named)
    data = growth.rename(columns={c: n.lower().replace(", ", "_").replace(" ", "_")
                                  for c, (n, _, _) in corners.items()})
    data.index.name = "date"
    return vw, ann, fig, data


@figure("size-value-growth", sources=(FF_SIZE_BM_TABLE.id,), page=VALUATION)
def value_growth(store: Store) -> Drawn:
    vw, ann, fig, data = _corner_growth(store, FF_SIZE_BM_TABLE.id, "BM", (
        "Small value", "Small growth", "Large value", "Large growth"))
    says = {"value": Fraction(ann["SMALL HiBM"]), "growth": Fraction(ann["SMALL LoBM"]),
            "since": vw.index[0].year, "rank": Count((ann > ann["SMALL LoBM"]).sum() + 1),
            "portfolios": Count(len(ann))}
    return Drawn(fig, data, vw.index[-1].date(), says)


@figure("size-quality", sources=(FF_SIZE_OP_TABLE.id,))
def quality(store: Store) -> Drawn:
    vw, ann, fig, data = _corner_growth(store, FF_SIZE_OP_TABLE.id, "OP", (
        "Small, high profitability", "Small, low profitability", "Large, high profitability",
        "Large, low profitability"))
    small_gap = ann["SMALL HiOP"] - ann["SMALL LoOP"]
    big_gap = ann["BIG HiOP"] - ann["BIG LoOP"]
    says = {"since": vw.index[0].year, "profitable": Fraction(ann["SMALL HiOP"]),
            "unprofitable": Fraction(ann["SMALL LoOP"]), "small_gap": Points.of(small_gap),
            "big_gap": Points.of(big_gap),
            # How much wider the small-company gap is; within `same` it is "about the same".
            "wider_by": Points.between(small_gap, big_gap), "same": Points(0.05)}
    return Drawn(fig, data, vw.index[-1].date(), says)
