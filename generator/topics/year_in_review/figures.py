"""Figures for the year-in-review page: quarter returns, the path of both indexes and how rates
and credit spreads moved, over the last complete year and the current year to date."""

from __future__ import annotations

import pandas as pd

from generator.analytics.review import deepest_fall, period_window, rate_move, record_closes
from generator.catalog import get
from generator.figures.spec import Drawn, figure
from generator.figures.theme import GUIDE, color, dates, line, new_figure
from generator.store import Store, load_values
from generator.topics.year_in_review.data import (
    RATES,
    path_table,
    quarter_table,
    rates_table,
    years,
)
from generator.units import Day, Fraction, Level, Percent, Points


def _year_line(fig, year: int) -> None:
    """A thin vertical line at the start of `year` on a date axis."""
    fig.add_vline(x=f"{year}-01-01", line={"color": GUIDE, "width": 1, "dash": "dot"})


@figure("r2k-year-review-quarterly", sources=("^RUT", "^GSPC"))
def quarterly(store: Store) -> Drawn:
    table = quarter_table(store)
    fig = new_figure(y_title="Quarter's price return", y_format="+.0%", x_is_date=False)
    for col, sid in (("russell_2000", "^RUT"), ("sp_500", "^GSPC")):
        fig.add_bar(x=table["label"].to_list(), y=table[col].round(4).to_numpy(),
                    name=get(sid).title, marker_color=color(sid))
    fig.update_layout(barmode="group", hovermode="x unified")
    review, _ = years(store)
    done = table[table["year"] == review]
    worst = done.loc[done["russell_2000"].idxmin()]
    best = done.loc[done["russell_2000"].idxmax()]
    says = {"year": int(review), "worst": int(worst["quarter"]),
            "worst_return": Fraction(worst["russell_2000"], signed=True),
            "best": int(best["quarter"]),
            "best_return": Fraction(best["russell_2000"], signed=True)}
    data = table.set_index("label")
    return Drawn(fig, data, pd.Timestamp(table["end"].iloc[-1]).date(), says)


@figure("r2k-year-review-path", sources=("^RUT", "^GSPC"))
def path(store: Store) -> Drawn:
    table = path_table(store)
    fig = new_figure(y_title="Level (start of review year = 100)", y_format=".0f")
    for sid in table.columns:
        line(fig, table[sid], sid, digits=3, name=get(sid).title)
    review, current = years(store)
    _year_line(fig, current)
    rut = load_values(store, "^RUT")
    marks = []
    falls, records = {}, {}
    for year in (review, current):
        falls[year] = deepest_fall(period_window(rut, year))
        records[year] = record_closes(rut, year)
        marks.append((pd.Timestamp(falls[year]["trough"]), f"{year} low", "bottom center"))
        first = records[year]["first"]
        if first is not None:
            marks.append((pd.Timestamp(first), f"{year} first record", "top center"))
    xs = [m[0] for m in marks]
    ys = table["^RUT"].loc[xs].round(3).to_numpy()
    fig.add_scatter(x=dates(pd.DatetimeIndex(xs)), y=ys, mode="markers",
                    name="Russell 2000 marks", hovertext=[m[1] for m in marks],
                    hoverinfo="text",
                    marker={"color": color("^RUT"), "size": 9, "symbol": "diamond"},
                    showlegend=False)
    # Labels stand off the line on a short leader (text placed on the marker sat on the line).
    for (when, label, position), y in zip(marks, ys, strict=True):
        below = position.startswith("bottom")
        fig.add_annotation(x=dates(pd.DatetimeIndex([when]))[0], y=float(y), text=label,
                           showarrow=True, arrowhead=0, arrowwidth=1, ax=0,
                           ay=34 if below else -34, font={"size": 11})
    fall, record = falls[review], records[review]
    says = {"year": int(review), "fall": Fraction(fall["depth"], 0), "low": Day.of(fall["trough"]),
            "rebound": Fraction(fall["rebound"], 0),
            "record": Day.of(record["first"]) if record["first"] else None,
            "prior_high": Day.of(record["prior_high_date"])}
    data = table.rename(columns={"^RUT": "russell_2000_rebased", "^GSPC": "sp_500_rebased"})
    return Drawn(fig, data, table.index[-1].date(), says)


@figure("r2k-year-review-rates", sources=RATES)
def rates(store: Store) -> Drawn:
    table = rates_table(store)
    fig = new_figure(y_title="Percent", y_format=".1f")
    names = {"DGS10": "10-year Treasury", "DGS2": "2-year Treasury", "DFF": "Fed funds (effective)",
             "BAMLH0A0HYM2": "High-yield spread"}
    for sid in RATES:
        line(fig, table[sid].dropna(), sid, digits=3, name=names[sid],
             dash="dot" if sid == "BAMLH0A0HYM2" else "solid")
    review, current = years(store)
    _year_line(fig, current)
    moves = {sid: rate_move(load_values(store, sid), review) for sid in RATES}
    # Changes in percentage points of rates published in percent: the sentence names the
    # unit once, so the later ones are signed numbers (Level) beside the first (Points).
    def move(sid: str) -> Level:
        return Level(moves[sid]["change"], 2, signed=True)

    spread = moves["BAMLH0A0HYM2"]
    says = {"year": int(review), "ten": Points(moves["DGS10"]["change"], 2),
            "two": move("DGS2"), "fed_funds": move("DFF"), "spread": move("BAMLH0A0HYM2"),
            "spread_high": Percent(spread["high"], 2),
            "spread_high_day": Day.of(spread["high_date"])}
    return Drawn(fig, table, table.dropna(how="all").index[-1].date(), says)
