"""Figures for the Sectors & composition page (IWM's holdings)."""

from __future__ import annotations

from generator.catalog import HOLDINGS_TABLE
from generator.figures.spec import Drawn, figure
from generator.figures.theme import color, new_figure
from generator.store import Store
from generator.topics.inside.data import holdings_summary, members_panel
from generator.units import Count, Fraction

LARGEST = 15


@figure("r2k-largest-holdings", sources=(HOLDINGS_TABLE.id,))
def largest_holdings(store: Store) -> Drawn:
    panel = members_panel(store)
    summary = holdings_summary(panel)
    top = panel.equities.head(LARGEST).copy()
    shown = top.iloc[::-1]  # plotly draws the first category at the bottom
    fig = new_figure(x_is_date=False)
    # Tickers on the axis (names would crush the bars at phone width); names in the hover.
    fig.add_bar(y=shown["ticker"].to_list(), x=shown["weight"].round(5).to_list(),
                orientation="h", marker_color=color("^RUT"), name="Share of equity weight",
                customdata=list(zip(shown["name"].str.title(), shown["sector"], strict=True)),
                hovertemplate="%{customdata[0]} (%{y}), %{customdata[1]}: %{x:.2%}"
                              "<extra></extra>")
    fig.update_layout(xaxis={"tickformat": ".1%", "title": {"text": "Share of equity weight"}},
                      yaxis={"automargin": True, "type": "category"}, showlegend=False,
                      hovermode="closest")
    first = top.iloc[0]
    says = {"name": first["name"].title(), "weight": Fraction(first["weight"]),
            "largest": Count(LARGEST), "together": Fraction(top["weight"].sum()),
            "lines": Count(summary["equity_lines"])}
    data = top.set_index("ticker")[["name", "sector", "market_value", "weight_pct", "weight"]]
    data = data.rename(columns={"market_value": "market_value_usd",
                                "weight_pct": "weight_of_fund_pct", "weight": "weight_share"})
    return Drawn(fig, data, summary["as_of"], says)
