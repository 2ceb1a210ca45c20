"""Mistakes to avoid: what followed the Russell 2000's best calendar years."""

from __future__ import annotations

from generator.figures.spec import Drawn, figure
from generator.figures.theme import GUIDE, color, guide, new_figure
from generator.store import Store, load_values
from generator.topics.mistakes.data import BEST_SHARE, after_best_years
from generator.units import Count, Fraction

BEST_QUANTILE = 1 - BEST_SHARE  # named in figures.yml


@figure("r2k-after-best-years", sources=("^RUT",))
def after_best(store: Store) -> Drawn:
    table = after_best_years(store)
    fig = new_figure(y_title="Next year's return", y_format="+.0%", x_is_date=False)
    for best, name, marker in ((False, "Other years", {"color": GUIDE, "size": 8,
                                                        "symbol": "circle-open"}),
                               (True, "Best quarter of years", {"color": color("^RUT"),
                                                                 "size": 10})):
        part = table[table["best"] == best]
        fig.add_scatter(x=part["return"].round(4).to_numpy(),
                        y=part["next_year"].round(4).to_numpy(), mode="markers", name=name,
                        marker=marker, text=[str(y) for y in part.index],
                        hovertemplate="%{text}: %{x:+.1%}, next year %{y:+.1%}<extra></extra>")
    guide(fig, 0, dash=None)
    fig.update_layout(hovermode="closest", xaxis={
        "title": {"text": "Return in the year"}, "tickformat": "+.0%", "automargin": True})
    best = table[table["best"]]
    says = {"years": Count(len(best)), "threshold": Fraction(table.attrs["threshold"], 0),
            "after_best": Fraction(best["next_year"].median(), signed=True),
            "after_all": Fraction(table["next_year"].median(), signed=True),
            "losses": Count((best["next_year"] < 0).sum())}
    data = table.rename(columns={"return": "return_in_year", "next_year": "return_next_year",
                                 "best": "among_best_quarter"})
    rut = load_values(store, "^RUT")
    last_complete_year = rut[rut.index.year < rut.index[-1].year]  # the last year-end used
    return Drawn(fig, data, last_complete_year.index[-1].date(), says)
