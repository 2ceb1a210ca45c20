"""Figures for the Strategies & allocation page: the core-satellite grid, value vs growth and
dollar-cost averaging vs a lump sum."""

from __future__ import annotations

import pandas as pd

from generator.analytics.portfolio import dca_vs_lump_sum
from generator.analytics.returns import growth_of
from generator.figures.spec import Drawn, figure
from generator.figures.theme import GUIDE, color, dates, line, new_figure, range_buttons, weekly
from generator.store import Store, load_values
from generator.topics import aligned
from generator.topics.strategies.data import (
    CALL_MONEYNESS,
    CORE,
    DCA_MONTHS,
    PUT_MONEYNESS,
    SATELLITE,
    grid_table,
    hedge_diagram,
    rolling_put_table,
    value_growth_prices,
    value_growth_years,
)
from generator.units import Count, Day, Dollars, Fraction

PUT_BELOW = 1 - PUT_MONEYNESS  # named in figures.yml
CALL_ABOVE = CALL_MONEYNESS - 1  # named in figures.yml


@figure("r2k-core-satellite-grid", sources=(CORE, SATELLITE))
def core_satellite(store: Store) -> Drawn:
    grid = grid_table(store)
    prices = aligned(store, CORE, SATELLITE)
    labels = [f"{Fraction(s):.0}" for s in grid["small_cap_share"]]
    fig = new_figure(y_title="Compound annual return", y_format=".2%", x_is_date=False)
    fig.add_scatter(
        x=grid["volatility"].round(5).to_list(), y=grid["cagr"].round(5).to_numpy(),
        mode="lines+markers+text", text=labels,
        # The first label goes right of its point so it is not cut off at the left edge.
        textposition=["top right"] + ["top left"] * (len(labels) - 1),
        marker={"color": color(SATELLITE), "size": 9},
        line={"color": color(SATELLITE), "width": 1},
        name="Small-cap share", showlegend=False,
        customdata=grid[["max_drawdown", "worst_year_return"]].round(4).to_numpy(),
        hovertemplate="%{text} small caps<br>CAGR %{y:.2%}<br>volatility %{x:.2%}"
                      "<br>max drawdown %{customdata[0]:.1%}"
                      "<br>worst year %{customdata[1]:.1%}<extra></extra>")
    fig.update_layout(xaxis={"title": {"text": "Annualised volatility (daily)"},
                             "tickformat": ".1%", "automargin": True})
    zero, top = grid.iloc[0], grid.iloc[-1]
    says = {"start": Day.of(prices.index[0]), "end": Day.of(prices.index[-1]),
            "low_share": Fraction(zero["small_cap_share"], 0),
            "high_share": Fraction(top["small_cap_share"], 0),
            "low_cagr": Fraction(zero["cagr"], 2), "high_cagr": Fraction(top["cagr"], 2),
            "low_volatility": Fraction(zero["volatility"]),
            "high_volatility": Fraction(top["volatility"])}
    data = grid.set_index("small_cap_share")
    return Drawn(fig, data, prices.index[-1].date(), says,
                 units={"small_cap_share": "fraction:.0", "final_value": "dollars"},
                 notes=f"Period {prices.index[0]:%Y-%m-%d} to {prices.index[-1]:%Y-%m-%d}.")


@figure("r2k-value-growth", sources=("IWN", "IWO", "IWM"))
def value_growth(store: Store) -> Drawn:
    prices = value_growth_prices(store)
    growth = prices.apply(growth_of)
    fig = new_figure(y_title="Value of $10,000 (log scale)", y_format="$,.0f", log_y=True)
    shown = weekly(growth)
    names = {"IWN": "Value (IWN)", "IWO": "Growth (IWO)", "IWM": "Blend (IWM)"}
    for ticker, name in names.items():
        line(fig, shown[ticker], ticker, name=name)
    range_buttons(fig)
    last = growth.iloc[-1]
    years = value_growth_years(store)
    says = {"start": Day.of(growth.index[0]), "value": Dollars(last["IWN"]),
            "growth": Dollars(last["IWO"]), "blend": Dollars(last["IWM"]),
            "wins": Count((years["value_minus_growth"] > 0).sum()), "years": Count(len(years))}
    data = growth.rename(columns=lambda t: f"{t.lower()}_usd")
    return Drawn(fig, data, growth.index[-1].date(), says)


@figure("r2k-dca-vs-lump-sum", sources=(SATELLITE,))
def dca_vs_lump(store: Store) -> Drawn:
    table = dca_vs_lump_sum(load_values(store, SATELLITE), DCA_MONTHS)
    lead = table["lump_sum"] - table["dca"]
    fig = new_figure(y_title="Lump sum ahead (+) or behind (−)", y_format="+.0%")
    fig.add_bar(x=dates(pd.DatetimeIndex(table["start"])), y=lead.round(4).to_numpy(),
                marker_color=[color(SATELLITE) if v > 0 else GUIDE for v in lead],
                hovertemplate="start %{x|%b %Y}: %{y:+.1%}<extra></extra>", showlegend=False)
    fig.update_layout(hovermode="closest", bargap=0)
    wins = int(table["lump_sum_wins"].sum())
    says = {"instalments": Count(DCA_MONTHS), "wins": Count(wins), "starts": Count(len(table)),
            "share": Fraction(wins / len(table), 0)}
    data = table.assign(lump_sum_minus_dca=lead).set_index("start")
    return Drawn(fig, data, table["end"].iloc[-1].date(), says,
                 units={"lump_sum_minus_dca": "gap:short"})


@figure("r2k-hedge-payoffs", sources=("^RUT",))
def hedge_payoffs(store: Store) -> Drawn:
    table = hedge_diagram()
    puts = rolling_put_table(store)
    x = [round(float(v), 2) for v in table.index]
    fig = new_figure(y_title="Result at expiry, before premiums", y_format="+.0%",
                     x_is_date=False)
    below, above = f"{PUT_BELOW:.0%}", f"{CALL_ABOVE:.0%}"
    lines = {"unhedged": ("Index alone", color("^RUT"), "solid"),
             "protective_put": (f"With a put {below} below", color("protective_put"), "dash"),
             "collar": (f"Collar (put {below} below, call {above} above)", color("collar"),
                        "dot")}
    for col, (name, colour, dash) in lines.items():
        fig.add_scatter(x=x, y=table[col].round(4).to_numpy(), name=name, mode="lines",
                        line={"color": colour, "width": 2.2, "dash": dash},
                        hovertemplate=f"{name}: %{{y:+.0%}}<extra></extra>")
    moves = puts["index_return"].clip(lower=float(table.index[0]), upper=float(table.index[-1]))
    fig.add_scatter(x=moves.round(4).to_numpy(),
                    y=(puts["index_return"] + puts["payoff"]).clip(
                        upper=float(table.index[-1])).round(4).to_numpy(),
                    name="Actual quarters, with the put", mode="markers",
                    marker={"color": GUIDE, "size": 6, "symbol": "circle-open"},
                    customdata=puts["end"].dt.strftime("%Y-%m-%d").to_numpy(),
                    hovertemplate="quarter to %{customdata}: index %{x:+.1%}, "
                                  "with the put %{y:+.1%}<extra></extra>")
    fig.update_layout(hovermode="closest", xaxis={
        "title": {"text": "Index move to expiry"}, "tickformat": "+.0%", "automargin": True})
    says = {"below": Fraction(PUT_BELOW, 0), "above": Fraction(CALL_ABOVE, 0),
            "paid": Count((puts["payoff"] > 0).sum()), "quarters": Count(len(puts)),
            "since": puts["start"].iloc[0].year}
    data = table.rename(columns=lambda c: f"{c}_before_premiums")
    quarters = puts.assign(start=puts["start"].dt.strftime("%Y-%m-%d"),
                           end=puts["end"].dt.strftime("%Y-%m-%d")).set_index("end")
    return Drawn(fig, data, puts["end"].iloc[-1].date(), says,
                 extra_csv={"r2k-hedge-quarters": quarters}, units={"index_move": "fraction:+.0"})


@figure("r2k-hedge-rolling-put", sources=("^RUT",))
def hedge_rolling_put(store: Store) -> Drawn:
    puts = rolling_put_table(store)
    fig = new_figure(y_title="Put payoff, share of index", y_format=".0%")
    fig.add_bar(x=dates(pd.DatetimeIndex(puts["end"])), y=puts["payoff"].round(4).to_numpy(),
                marker_color=color("protective_put"), name="Put payoff",
                customdata=puts["index_return"].round(4).to_numpy(),
                hovertemplate="quarter to %{x|%b %Y}: paid %{y:.1%} "
                              "(index %{customdata:+.1%})<extra></extra>", showlegend=False)
    fig.update_layout(hovermode="closest", bargap=0)
    paid = puts[puts["payoff"] > 0]
    says = {"quarters": Count(len(puts)), "start": Day.of(puts["start"].iloc[0]),
            "paid": Count(len(paid)), "payoff": Fraction(puts["payoff"].mean(), 2)}
    data = puts.assign(start=puts["start"].dt.strftime("%Y-%m-%d")).set_index("end")
    data.index.name = "expiry"
    return Drawn(fig, data, puts["end"].iloc[-1].date(), says,
                 units={"index_return": "fraction:+", "payoff": "fraction"})
