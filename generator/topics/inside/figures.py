"""Figures for the Inside the Russell 2000 page: sectors, concentration, breadth, dispersion and
survivorship, from IWM's holdings and its members' own closes."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from generator.catalog import HOLDINGS_TABLE, MEMBERS_TABLE
from generator.figures.spec import Drawn, figure
from generator.figures.theme import NEUTRAL, color, dates, line, new_figure, weekly
from generator.store import Store
from generator.topics.inside.data import (
    BREADTH_START,
    DOWN_FROM_HIGH,
    MA_WINDOW,  # noqa: F401 (named in figures.yml)
    TOP_N,
    MembersPanel,
    breadth,
    counts_note,
    dispersion,
    holdings_summary,
    members_panel,
    survivorship,
)
from generator.units import Count, Day, Fraction, Points

HOLDINGS = (HOLDINGS_TABLE.id,)
MEMBERS = (HOLDINGS_TABLE.id, MEMBERS_TABLE.id)
SURVIVORSHIP_NOTE = ("It uses today's members (IWM's holdings on the holdings date): firms that "
                     "left the index before then are missing, so the early part of the history "
                     "leans toward names that survived.")


def _used(panel: MembersPanel, excluded: pd.DataFrame) -> int:
    """Members with closes that a figure keeps (all of them minus those it left out)."""
    return panel.closes.shape[1] - int(excluded["ticker"].drop_duplicates()
                                       .isin(panel.closes.columns).sum())


def _two_panels(fig: go.Figure, top_title: str, bottom_title: str, top_format: str = "",
                bottom_format: str = "") -> None:
    """Stack two y axes on one shared date axis (top: the member measure; bottom: the index)."""
    fig.update_layout(
        yaxis={"domain": [0.44, 1.0], "title": {"text": top_title}, "tickformat": top_format,
               "automargin": True},
        yaxis2={"domain": [0.0, 0.34], "anchor": "x", "title": {"text": bottom_title},
                "tickformat": bottom_format, "automargin": True},
        xaxis={"anchor": "y2", "type": "date"},
    )


@figure("r2k-sector-weights", sources=HOLDINGS)
def sector_weights_figure(store: Store) -> Drawn:
    panel = members_panel(store)
    summary = holdings_summary(panel)
    sectors = summary["sectors"].sort_values("weight")
    fig = new_figure(y_title="", x_is_date=False)
    fig.add_bar(y=sectors.index.to_list(), x=sectors["weight"].round(5).to_list(),
                orientation="h", name="Share of equity weight", marker_color=color("^RUT"),
                customdata=sectors["count"].to_numpy(),
                hovertemplate="%{y}: %{x:.1%} (%{customdata} holdings)<extra></extra>")
    fig.update_layout(xaxis={"tickformat": ".0%", "title": {"text": "Share of equity weight"}},
                      yaxis={"automargin": True, "type": "category"}, showlegend=False,
                      hovermode="closest")
    top = summary["sectors"].head(3)
    says = {"sectors": list(top.index), "largest": Fraction(top["weight"].iloc[0]),
            "together": Fraction(top["weight"].sum(), 0), "count": Count(summary["sector_count"])}
    data = summary["sectors"].rename(columns={"count": "holdings", "weight": "weight_share"})
    data["market_value_usd"] = panel.equities.groupby("sector")["market_value"].sum()
    return Drawn(fig, data, summary["as_of"], says,
                 notes=f"{summary['equity_lines']:,} equity lines.")


def _curve_points(curve: pd.DataFrame) -> pd.DataFrame:
    """Thin the rank curve for the chart (every rank to 100, then every 10th, then every 50th)
    while keeping the marked ranks and the last one; the CSV keeps every rank."""
    rank = curve.index.to_numpy()
    keep = (rank <= 100) | ((rank <= 500) & (rank % 10 == 0)) | (rank % 50 == 0)
    keep |= np.isin(rank, (*TOP_N, rank[-1]))
    return curve[keep]


@figure("r2k-concentration", sources=HOLDINGS)
def concentration_figure(store: Store) -> Drawn:
    panel = members_panel(store)
    summary = holdings_summary(panel)
    curve = summary["curve"]
    shown = _curve_points(curve)
    count = len(curve)
    fig = new_figure(y_title="Combined weight of the largest N", y_format=".0%", x_is_date=False)
    fig.add_scatter(x=shown.index.to_list(), y=shown["cumulative_weight"].round(5).to_numpy(),
                    name="IWM (cap-weighted)", line={"color": color("^RUT"), "width": 2},
                    hovertemplate="Largest %{x}: %{y:.1%}<extra></extra>")
    fig.add_scatter(x=shown.index.to_list(), y=(shown.index / count).round(5).to_list(),
                    name="Equal weights", mode="lines",
                    line={"color": NEUTRAL, "width": 1.2, "dash": "dash"}, hoverinfo="skip")
    marks = curve.loc[list(TOP_N)]
    fig.add_scatter(x=marks.index.to_list(), y=marks["cumulative_weight"].round(5).to_numpy(),
                    mode="markers+text", name="Top 10 / 50 / 200",
                    text=[f"top {n}: {Fraction(w):.0}"
                          for n, w in marks["cumulative_weight"].items()],
                    textposition="middle right", marker={"color": color("^RUT"), "size": 8},
                    showlegend=False, hoverinfo="skip")
    fig.update_layout(xaxis={"title": {"text": "Number of holdings, largest first"},
                             "type": "log"}, hovermode="closest")
    top = summary["top"]
    says = {"holdings": Count(count), "top_10": Fraction(top[10]), "top_200": Fraction(top[200], 0),
            "effective": Count(summary["effective_number"])}
    eq = panel.equities
    data = curve.assign(ticker=eq["ticker"].to_numpy(), name=eq["name"].to_numpy(),
                        weight=eq["weight"].to_numpy())
    data = data[["ticker", "name", "weight", "cumulative_weight", "share_of_holdings"]]
    return Drawn(fig, data, summary["as_of"], says,
                 notes=f"Equity lines used: {count:,} (all of them; {summary['unlisted']} "
                       "unlisted lines included at their reported value). Log-scale x axis.")


@figure("r2k-breadth-above-200d", sources=(*MEMBERS, "^RUT"))
def breadth_figure(store: Store) -> Drawn:
    panel = members_panel(store)
    table, excluded = breadth(panel)
    daily = table.loc[BREADTH_START:].dropna(subset=["share"])
    fig = new_figure()
    line(fig, daily["share"], "breadth", digits=4, width=1.4,
         name="Members above their 200-day average")
    line(fig, daily["russell_2000"], "^RUT", width=1.4, name="Russell 2000", yaxis="y2")
    _two_panels(fig, "Above 200-day avg.", "Russell 2000", ".0%", ",.0f")
    fig.add_hline(y=0.5, line={"color": NEUTRAL, "width": 1, "dash": "dot"}, yref="y")
    last = daily.iloc[-1]
    low = daily["share"].idxmin()
    says = {"day": Day.of(daily.index[-1]), "share": Fraction(last["share"], 0),
            "members": Count(last["eligible"]), "since": BREADTH_START.year,
            "low": Fraction(daily.loc[low, "share"], 0), "low_day": Day.of(low)}
    data = daily[["eligible", "above", "share", "russell_2000"]]
    return Drawn(fig, data, daily.index[-1].date(), says,
                 notes=counts_note(panel, _used(panel, excluded), excluded)
                 + " Members join once they have 200 closes.",
                 extra_csv={"r2k-breadth-above-200d-exclusions": excluded})


@figure("r2k-advance-decline", sources=(*MEMBERS, "^RUT"))
def advance_decline_figure(store: Store) -> Drawn:
    panel = members_panel(store)
    table, excluded = breadth(panel)
    daily = table.dropna(subset=["ad_line"])
    shown = weekly(daily)
    fig = new_figure()
    fig.add_scatter(x=dates(shown.index), y=shown["ad_line"].to_numpy(),
                    name="Cumulative advances − declines",
                    line={"color": color("ad_line"), "width": 1.4})
    line(fig, shown["russell_2000"], "^RUT", width=1.4, name="Russell 2000", yaxis="y2")
    _two_panels(fig, "Advance–decline", "Russell 2000", ",.0f", ",.0f")
    rut = daily["russell_2000"].dropna()
    ad = daily["ad_line"]
    peak = ad.idxmax()
    says = {"start": Day.of(daily.index[0]),
            "moved": Fraction(rut.iloc[-1] / rut.iloc[0] - 1, 0, signed=True),
            "peak_day": Day.of(peak), "peak": Count(ad.loc[peak], signed=True),
            "last": Count(ad.iloc[-1], signed=True)}
    data = daily[["advances", "declines", "net", "ad_line", "russell_2000"]]
    return Drawn(fig, data, daily.index[-1].date(), says,
                 notes=counts_note(panel, _used(panel, excluded), excluded),
                 extra_csv={"r2k-advance-decline-exclusions": excluded})


@figure("r2k-dispersion", sources=(*MEMBERS, "IWM", "^RUT"))
def dispersion_figure(store: Store) -> Drawn:
    panel = members_panel(store)
    disp = dispersion(panel)
    windows = disp["windows"]
    fig = new_figure(y_title="Number of members", x_is_date=False)
    labels = {"12m": "Past 12 months", "ytd": "Year to date"}
    tallest = 0
    for key, label in labels.items():
        hist = windows[key]["histogram"]
        centers = ((hist["bin_low"] + hist["bin_high"]) / 2).round(3)
        tallest = max(tallest, int(hist["count"].max()))
        fig.add_bar(x=centers.to_list(), y=hist["count"].to_numpy(), name=label, width=0.1,
                    marker={"color": color(f"returns_{key}"), "opacity": 0.6},
                    customdata=np.stack([hist["bin_low"], hist["bin_high"]], axis=1),
                    hovertemplate=f"{label}: %{{Fraction(customdata[0]):+.0}} to "
                                  f"%{{Fraction(customdata[1]):+.0}}"
                                  ": %{y} members<extra></extra>")
    for key, label in labels.items():
        w = windows[key]
        fig.add_scatter(x=[w["median"]] * 2, y=[0, tallest * 1.08], mode="lines",
                        name=f"Median member, {label.lower()}",
                        line={"color": color(f"returns_{key}"), "width": 2.5, "dash": "dash"})
        fig.add_scatter(x=[w["iwm"]] * 2, y=[0, tallest * 1.08], mode="lines",
                        name=f"IWM, {label.lower()}",
                        line={"color": color("IWM"), "width": 2,
                              "dash": "solid" if key == "12m" else "dot"})
    fig.update_layout(barmode="overlay", hovermode="closest",
                      xaxis={"tickformat": "+.0%", "title": {"text": "Member's total return"},
                             "range": [-1.0, 3.0]})
    twelve = windows["12m"]
    says = {"median": Fraction(twelve["median"], 0, signed=True),
            "iwm": Fraction(twelve["iwm"], 0, signed=True),
            "beat": Fraction(twelve["share_beat_iwm"], 0),
            "down": Fraction(disp["share_down_50_from_high"], 0),
            "down_from_high": Fraction(-DOWN_FROM_HIGH, 0)}
    table = pd.concat({key: windows[key]["histogram"].set_index(["bin_low", "bin_high"])["count"]
                       for key in labels}, axis=1)
    table.columns = ["members_12m", "members_ytd"]
    table = table.reset_index()
    per_member = pd.DataFrame({"return_12m": windows["12m"]["returns"],
                               "return_ytd": windows["ytd"]["returns"],
                               "from_52w_high": disp["from_high"]})
    per_member.index.name = "ticker"
    excluded = disp["excluded"]
    used = int(twelve["count"])
    return Drawn(fig, table, disp["end"], says,
                 notes=(f"12-month window {twelve['start']:%Y-%m-%d} to {disp['end']:%Y-%m-%d}. "
                        + counts_note(panel, used, excluded)
                        + f" Year to date uses {windows['ytd']['count']:,} members."),
                 extra_csv={"r2k-dispersion-members": per_member.sort_index(),
                            "r2k-dispersion-exclusions": excluded})


@figure("r2k-survivorship-gap", sources=(*MEMBERS, "IWM"))
def survivorship_figure(store: Store) -> Drawn:
    panel = members_panel(store)
    surv = survivorship(panel)
    table = surv["table"] * 10_000
    shown = weekly(table)
    fig = new_figure(y_title="Value of $10,000", y_format="$,.0f")
    fig.update_layout(yaxis={"automargin": True})
    labels = {"cap_weight_members": ("Today's members, today's weights", "members_cap", None),
              "equal_weight_members": ("Today's members, equal weight", "members_equal", None),
              "point_in_time_members": ("Today's members, weights of the time",
                                        "members_cap", "dot"),
              "iwm_total_return": ("IWM, what investors got", "IWM", None)}
    for col, (label, key, dash) in labels.items():
        fig.add_scatter(x=dates(shown.index), y=shown[col].round(1).to_numpy(), name=label,
                        line={"color": color(key), "width": 2 if key == "IWM" else 1.5,
                              "dash": dash})
    cagr = surv["cagr"]
    says = {"start": Day.of(surv["start"]), "equal": Fraction(cagr["equal_weight_members"]),
            "cap": Fraction(cagr["cap_weight_members"]), "iwm": Fraction(cagr["iwm_total_return"]),
            "gap_equal": Points.of(surv["gap_equal"]), "gap_cap": Points.of(surv["gap_cap"])}
    data = table.rename(columns={c: f"{c}_usd" for c in table.columns})
    excluded = surv["excluded"]
    return Drawn(fig, data, surv["end"], says,
                 notes=counts_note(panel, surv["used"], excluded)
                 + f" The members used carry {Fraction(surv['weight_used']):.1} of IWM's equity "
                   f"weight.",
                 extra_csv={"r2k-survivorship-gap-exclusions": excluded,
                            "r2k-survivorship-gap-yearly": surv["yearly"]})
