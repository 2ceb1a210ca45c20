"""Figures for the Strategies & allocation page: the core-satellite grid, value vs growth and
dollar-cost averaging vs a lump sum."""

from __future__ import annotations

import pandas as pd

from generator.analytics.portfolio import dca_vs_lump_sum
from generator.analytics.returns import growth_of
from generator.figures.spec import Drawn, figure
from generator.figures.theme import color, dates, new_figure, range_buttons, weekly
from generator.store import Store, load_values
from generator.topics import aligned
from generator.topics.strategies.data import (
    CORE,
    DCA_MONTHS,
    SATELLITE,
    grid_table,
    value_growth_prices,
    value_growth_years,
)
from generator.units import Fraction

PAGE = "strategies.md"
NEUTRAL = "rgba(128,128,128,0.8)"


@figure(
    id="r2k-core-satellite-grid",
    title="S&P 500 core plus 0–30% small caps: return vs risk (axes zoomed in)",
    page=PAGE, sources=(CORE, SATELLITE),
    method="Total-return proxies: dividend-adjusted closes of SPY (S&P 500) and IWM (Russell "
           "2000), after fund costs, on the dates both have. Each mix buys its target weights at "
           "the first shared close and resets them at the close of the first trading day of each "
           "later calendar year; no trading costs or taxes. CAGR from first to last close; "
           "volatility = standard deviation of daily returns × √252; max drawdown = deepest fall "
           "from a running high; worst year = lowest complete calendar-year return.",
)
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
    takeaway = (f"From {prices.index[0]:%B %Y} to {prices.index[-1]:%B %Y}, moving from 0% to "
                f"{Fraction(top['small_cap_share']):.0} small caps changed the compound return "
                f"from "
                f"{Fraction(zero['cagr']):.2} to {Fraction(top['cagr']):.2} a year and "
                f"volatility from "
                f"{Fraction(zero['volatility']):.1} to {Fraction(top['volatility']):.1}.")
    data = grid.set_index("small_cap_share")
    return Drawn(fig, data, prices.index[-1].date(), takeaway,
                 notes=f"Period {prices.index[0]:%Y-%m-%d} to {prices.index[-1]:%Y-%m-%d}.")


@figure(
    id="r2k-value-growth",
    title="Small-cap value vs growth: IWN vs IWO (total return)",
    page=PAGE, sources=("IWN", "IWO", "IWM"),
    method="Dividend-adjusted closes (total return after fund costs) of the Russell 2000 Value "
           "(IWN), Growth (IWO) and blend (IWM) funds on the dates all three have, rebased to "
           "$10,000; log scale; drawn weekly, CSV daily.",
)
def value_growth(store: Store) -> Drawn:
    prices = value_growth_prices(store)
    growth = prices.apply(growth_of)
    fig = new_figure(y_title="Value of $10,000 (log scale)", y_format="$,.0f", log_y=True)
    shown = weekly(growth)
    names = {"IWN": "Value (IWN)", "IWO": "Growth (IWO)", "IWM": "Blend (IWM)"}
    for ticker, name in names.items():
        fig.add_scatter(x=dates(shown.index), y=shown[ticker].round(2).to_numpy(), name=name,
                        line={"color": color(ticker), "width": 1.6})
    range_buttons(fig)
    last = growth.iloc[-1]
    years = value_growth_years(store)
    wins = int((years["value_minus_growth"] > 0).sum())
    takeaway = (f"Since {growth.index[0]:%B %Y}, $10,000 in small-cap value grew to "
                f"${last['IWN']:,.0f} and in small-cap growth to ${last['IWO']:,.0f} "
                f"(blend: ${last['IWM']:,.0f}); value beat growth in {wins} of {len(years)} "
                "calendar years.")
    data = growth.rename(columns=lambda t: f"{t.lower()}_usd")
    return Drawn(fig, data, growth.index[-1].date(), takeaway)


@figure(
    id="r2k-dca-vs-lump-sum",
    title="Lump sum vs 12 monthly instalments in IWM, by start month",
    page=PAGE, sources=(SATELLITE,),
    method="For each month-end start in IWM's history: invest everything at once (lump sum), or "
           "in 12 equal parts at that month-end and the next 11 (cash earns nothing meanwhile); "
           "both valued 12 months after the start, from dividend-adjusted closes (total return). "
           "The bar is the lump sum's growth multiple minus the instalments' (percentage points "
           "of the money invested). Overlapping windows: neighbouring bars share most of their "
           "months, so they are not independent trials.",
)
def dca_vs_lump(store: Store) -> Drawn:
    table = dca_vs_lump_sum(load_values(store, SATELLITE), DCA_MONTHS)
    lead = table["lump_sum"] - table["dca"]
    fig = new_figure(y_title="Lump sum ahead (+) or behind (−)", y_format="+.0%")
    fig.add_bar(x=dates(pd.DatetimeIndex(table["start"])), y=lead.round(4).to_numpy(),
                marker_color=[color(SATELLITE) if v > 0 else NEUTRAL for v in lead],
                hovertemplate="start %{x|%b %Y}: %{y:+.1%}<extra></extra>", showlegend=False)
    fig.update_layout(hovermode="closest", bargap=0)
    wins = int(table["lump_sum_wins"].sum())
    share = wins / len(table)
    why = ("markets rose more often than not, so money invested sooner had longer to grow"
           if share > 0.5 else "falls came often enough that waiting paid")
    takeaway = (f"Investing at once beat {DCA_MONTHS} monthly instalments in {wins} of "
                f"{len(table)} start months ({Fraction(share):.0}): {why}.")
    data = table.assign(lump_sum_minus_dca=lead).set_index("start")
    return Drawn(fig, data, table["end"].iloc[-1].date(), takeaway)
