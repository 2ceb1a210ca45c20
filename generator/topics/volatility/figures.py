"""Volatility & drawdowns: rolling volatility, the spread of monthly returns, VIX vs realised."""

from __future__ import annotations

import pandas as pd

from generator.analytics.cycle import recession_periods
from generator.figures.spec import Drawn, figure
from generator.figures.theme import (
    add_recessions,
    color,
    dates,
    new_figure,
    stacked_figure,
    weekly,
)
from generator.store import Store, load_values
from generator.topics.volatility.data import (
    BIG_MONTH,
    HISTOGRAM_WIDTH,
    REALISED_WINDOW,
    ROLLING_WINDOW,
    monthly_histogram,
    monthly_returns_table,
    rolling_volatility_table,
    summary_of_rolling,
    vix_vs_realised_table,
    worst_days,
    worst_months,
)
from generator.units import Fraction

PAGE = "volatility.md"


@figure(
    id="r2k-rolling-volatility",
    title="Rolling 1-year volatility: Russell 2000 vs S&P 500, and their ratio",
    page=PAGE, sources=("^RUT", "^GSPC", "USREC"),
    method=f"Standard deviation of daily price returns over the past {ROLLING_WINDOW} trading "
           "days (one year), annualised with √252, on the days both indexes have a close. The "
           "lower panel divides the Russell 2000's figure by the S&P 500's: above 1, small caps "
           "were the more volatile. Drawn weekly, CSV daily. Grey bands are NBER recessions.",
)
def rolling_vol(store: Store) -> Drawn:
    table = rolling_volatility_table(store)
    shown = weekly(table)
    fig = stacked_figure(("Annualised volatility", "Ratio"), (".0%", ".2f"), heights=(0.65, 0.35))
    for col, sid, name in (("russell_2000", "^RUT", "Russell 2000"),
                           ("sp_500", "^GSPC", "S&P 500")):
        fig.add_scatter(x=dates(shown.index), y=shown[col].round(4).to_numpy(), name=name,
                        line={"color": color(sid), "width": 1.5}, row=1, col=1)
    fig.add_scatter(x=dates(shown.index), y=shown["ratio"].round(3).to_numpy(),
                    name="Ratio (Russell 2000 / S&P 500)",
                    line={"color": color("relative"), "width": 1.5}, row=2, col=1)
    fig.add_hline(y=1, line_width=1, line_dash="dot", line_color="rgba(128,128,128,0.8)",
                  row=2, col=1)
    add_recessions(fig, recession_periods(load_values(store, "USREC")), table.index[0])
    s = summary_of_rolling(table)
    takeaway = (f"Over the past year the Russell 2000's volatility was "
                f"{Fraction(s['latest_small']):.0} "
                f"against {Fraction(s['latest_large']):.0} for the S&P 500, a ratio of "
                f"{s['latest_ratio']:.2f}; since {s['first_date']:%Y} the ratio averaged "
                f"{s['mean_ratio']:.2f} and was above 1 on {Fraction(s['share_above_one']):.0} "
                f"of days.")
    return Drawn(fig, table, table.index[-1].date(), takeaway)


@figure(
    id="r2k-monthly-return-distribution",
    title="How monthly returns are spread: Russell 2000 vs S&P 500",
    page=PAGE, sources=("^RUT", "^GSPC"),
    method=f"Calendar-month price returns (last close of the month / last close of the month "
           f"before − 1) for every complete month both indexes have, counted in bins "
           f"{HISTOGRAM_WIDTH * 100:.0f} percentage points wide ([from, to)); bar height is the "
           "share of all months. The current, unfinished month is left out.",
)
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
    takeaway = (f"Since {first:%B %Y} the Russell 2000 lost {Fraction(BIG_MONTH):.0} or more in "
                f"{int((small <= -BIG_MONTH).sum())} of {len(monthly)} months, the S&P 500 in "
                f"{int((large <= -BIG_MONTH).sum())}; the typical monthly swing (standard "
                f"deviation) was {Fraction(small.std()):.1} against {Fraction(large.std()):.1}.")
    months = worst_months(monthly)
    days = worst_days(store)
    as_of = monthly.index[-1].to_timestamp(how="end").date()
    last_close = load_values(store, "^RUT").loc[:pd.Timestamp(as_of)].index[-1].date()
    return Drawn(fig, table, last_close, takeaway,
                 extra_csv={"r2k-worst-months": months, "r2k-worst-days": days})


@figure(
    id="r2k-vix-vs-realised",
    title="The VIX against the Russell 2000's realised volatility",
    page=PAGE, sources=("^VIX", "^RUT"),
    method=f"VIX: Cboe's index of the S&P 500's expected volatility over the next 30 days, from "
           f"option prices (daily close). Realised: the Russell 2000's standard deviation of "
           f"daily price returns over the past {REALISED_WINDOW} trading days, annualised with "
           "√252, in the same units (percent a year). Cboe's small-cap volatility index (RVX) "
           "is not in our data. Drawn weekly, CSV daily.",
)
def vix_vs_realised(store: Store) -> Drawn:
    table = vix_vs_realised_table(store)
    shown = weekly(table)
    fig = new_figure(y_title="Volatility, % a year", y_format=".0f")
    fig.add_scatter(x=dates(shown.index), y=shown["vix"].round(2).to_numpy(),
                    name="VIX (S&P 500, expected)", line={"color": color("^VIX"), "width": 1.4})
    fig.add_scatter(x=dates(shown.index), y=shown["russell_2000_realised"].round(2).to_numpy(),
                    name=f"Russell 2000, realised ({REALISED_WINDOW} days)",
                    line={"color": color("^RUT"), "width": 1.4})
    above = float((table["russell_2000_realised"] > table["vix"]).mean())
    takeaway = (f"Since {table.index[0]:%Y} the VIX averaged {table['vix'].mean():.1f} while the "
                f"Russell 2000's realised volatility averaged "
                f"{table['russell_2000_realised'].mean():.1f}; realised small-cap volatility "
                f"ran above the VIX on {Fraction(above):.0} of days.")
    return Drawn(fig, table, table.index[-1].date(), takeaway)
