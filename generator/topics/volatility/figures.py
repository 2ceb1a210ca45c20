"""Volatility & drawdowns: rolling volatility, the spread of monthly returns, VIX vs realised."""

from __future__ import annotations

import pandas as pd

from generator.figures.spec import Drawn, figure
from generator.figures.theme import (
    color,
    guide,
    line,
    new_figure,
    recession_bands,
    stacked_figure,
    weekly,
)
from generator.store import Store, load_values
from generator.topics.volatility.data import (
    BIG_MONTH,
    HISTOGRAM_WIDTH,
    REALISED_WINDOW,
    ROLLING_WINDOW,  # noqa: F401 (named in figures.yml)
    monthly_histogram,
    monthly_returns_table,
    rolling_volatility_table,
    summary_of_rolling,
    vix_vs_realised_table,
    worst_days,
    worst_months,
)
from generator.units import Count, Day, Fraction, Level

HISTOGRAM_POINTS = HISTOGRAM_WIDTH * 100  # named in figures.yml


@figure("r2k-rolling-volatility", sources=("^RUT", "^GSPC", "USREC"))
def rolling_vol(store: Store) -> Drawn:
    table = rolling_volatility_table(store)
    shown = weekly(table)
    fig = stacked_figure(("Annualised volatility", "Ratio"), (".0%", ".2f"), heights=(0.65, 0.35))
    for col, sid, name in (("russell_2000", "^RUT", "Russell 2000"),
                           ("sp_500", "^GSPC", "S&P 500")):
        line(fig, shown[col], sid, digits=4, width=1.5, name=name, row=1, col=1)
    line(fig, shown["ratio"], "relative", digits=3, width=1.5,
         name="Ratio (Russell 2000 / S&P 500)", row=2, col=1)
    guide(fig, 1, row=2, col=1)
    recession_bands(fig, store, table.index[0])
    s = summary_of_rolling(table)
    says = {"small": Fraction(s["latest_small"], 0), "large": Fraction(s["latest_large"], 0),
            "ratio": Level(s["latest_ratio"], 2), "since": s["first_date"].year,
            "mean_ratio": Level(s["mean_ratio"], 2), "above_one": Fraction(s["share_above_one"], 0)}
    return Drawn(fig, table, table.index[-1].date(), says)


@figure("r2k-monthly-return-distribution", sources=("^RUT", "^GSPC"))
def monthly_distribution(store: Store) -> Drawn:
    monthly = monthly_returns_table(store)
    table = monthly_histogram(monthly)
    centres = ((table["bin_from"] + table["bin_to"]) / 2).round(4)
    labels = [f"{a * 100:+.0f}% to {b * 100:+.0f}%".replace("-", "−")
              for a, b in zip(table["bin_from"], table["bin_to"], strict=True)]
    fig = new_figure(y_title="Share of months", y_format=".0%", x_is_date=False)
    for col, sid, name in (("russell_2000_share", "^RUT", "Russell 2000"),
                           ("sp_500_share", "^GSPC", "S&P 500")):
        fig.add_bar(x=centres.to_list(), y=table[col].round(4).to_numpy(), name=name,
                    marker_color=color(sid), customdata=labels,
                    hovertemplate="%{customdata}: %{y:.1%} of months<extra>" + name + "</extra>")
    fig.update_layout(barmode="group", bargap=0.1, hovermode="closest",
                      xaxis={"title": {"text": "Monthly price return"}, "tickformat": "+.0%"})
    small, large = monthly["russell_2000"], monthly["sp_500"]
    first = monthly.index[0].to_timestamp()
    says = {"since": Day.of(first), "big": Fraction(BIG_MONTH, 0),
            "small_big": Count((small <= -BIG_MONTH).sum()), "months": Count(len(monthly)),
            "large_big": Count((large <= -BIG_MONTH).sum()), "small_sd": Fraction(small.std()),
            "large_sd": Fraction(large.std())}
    months = worst_months(monthly)
    days = worst_days(store)
    as_of = monthly.index[-1].to_timestamp(how="end").date()
    last_close = load_values(store, "^RUT").loc[:pd.Timestamp(as_of)].index[-1].date()
    return Drawn(fig, table, last_close, says,
                 extra_csv={"r2k-worst-months": months, "r2k-worst-days": days})


@figure("r2k-vix-vs-realised", sources=("^VIX", "^RUT"))
def vix_vs_realised(store: Store) -> Drawn:
    table = vix_vs_realised_table(store)
    shown = weekly(table)
    fig = new_figure(y_title="Volatility, % a year", y_format=".0f")
    line(fig, shown["vix"], "^VIX", width=1.4, name="VIX (S&P 500, expected)")
    line(fig, shown["russell_2000_realised"], "^RUT", width=1.4,
         name=f"Russell 2000, realised ({REALISED_WINDOW} days)")
    above = float((table["russell_2000_realised"] > table["vix"]).mean())
    says = {"since": table.index[0].year, "vix": Level(table["vix"].mean(), 1),
            "realised": Level(table["russell_2000_realised"].mean(), 1),
            "above": Fraction(above, 0)}
    return Drawn(fig, table, table.index[-1].date(), says)
