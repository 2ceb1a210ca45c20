"""Figures for the ETFs page: growth of each fund, costs, the dividend gap to the price index,
same-index comparisons, S&P 600 vs Russell 2000, dollar volume and TNA's daily leverage."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from generator import units
from generator.figures.spec import Drawn, figure
from generator.figures.theme import (
    GUIDE,
    color,
    dates,
    guide,
    line,
    new_figure,
    range_buttons,
    weekly,
)
from generator.store import Store, load_values
from generator.topics.etfs.data import (
    LEVERAGED,
    SPSM_BENCHMARKS,
    WITH_VOLUME,
    dividend_gap_table,
    dollar_volume,
    expense_ratios,
    fund_growth,
    leverage_paths,
    leverage_years,
    s600_vs_r2k_table,
    same_index_comparison,
    same_index_pairs,
)
from generator.units import Count, Day, Dollars, Fraction, Percent, Points

REFERENCE = "data/reference/expense_ratios.csv"
RECENT_DAYS = 252  # the dollar-volume takeaway's window: about a year of trading days


def _as_of(frame: pd.DataFrame | pd.Series) -> pd.Timestamp:
    return pd.Timestamp(frame.dropna(how="all").index[-1])


def _year_end(store: Store, series_id: str, year: int) -> dt.date:
    """The date of `series_id`'s last close in `year` (the as-of of a calendar-year figure)."""
    return load_values(store, series_id).loc[:f"{year}-12-31"].index[-1].date()


@figure("r2k-etf-growth", sources=("IWM", "IJR", "SPSM", "VB", "SCHA", "IWC", "IWN", "IWO"))
def etf_growth(store: Store) -> Drawn:
    growth = pd.concat(fund_growth(store), axis=1)
    fig = new_figure(y_title="Value of $10,000 (log scale)", y_format="$,.0f", log_y=True)
    shown = weekly(growth)
    for ticker in growth.columns:
        fund_line = shown[ticker].dropna()
        line(fig, fund_line, ticker, width=2.2 if ticker == "IWM" else 1.4, name=ticker)
    range_buttons(fig)
    last = growth.ffill().iloc[-1]
    best = last.idxmax()
    start = growth.index[0]
    says = {"start": Day.of(start), "iwm": Dollars(last["IWM"]), "best": best,
            "best_value": Dollars(last[best])}
    notes = ("" if "VTWO" in growth.columns
             else "Vanguard's VTWO is not drawn: our data does not have its prices yet.")
    data = growth.rename(columns=lambda t: f"{t.lower()}_usd")
    return Drawn(fig, data, _as_of(growth).date(), says, notes=notes)


@figure("r2k-etf-costs", sources=(REFERENCE,))
def etf_costs(store: Store) -> Drawn:
    ratios = expense_ratios(store).sort_values("expense_ratio_pct", ascending=False)
    fig = new_figure(y_title="", x_is_date=False)
    fig.add_bar(
        y=ratios.index.to_list(), x=(ratios["expense_ratio_pct"] / 100).round(6).to_list(),
        orientation="h", marker_color=[color(t) for t in ratios.index],
        text=[f"{units.Dollars(v * 100, digits=-1)} a year"
              for v in ratios["expense_ratio_pct"]],
        textposition="outside", cliponaxis=False, showlegend=False,
        hovertemplate="%{y}: %{x:.3%} a year<extra></extra>")
    # Room to the right of the longest bar for its label; labels are the cost on $10,000.
    fig.update_layout(xaxis={"tickformat": ".2%",
                             "range": [0, float(ratios["expense_ratio_pct"].max()) / 100 * 1.7]},
                      yaxis={"title": {"text": ""}, "type": "category"})
    r2k = ratios[ratios["index_tracked"] == "Russell 2000 Index"]["expense_ratio_pct"]
    cheap, dear = r2k.idxmin(), r2k.idxmax()
    says = {"cheap": cheap, "cheap_fee": Percent(r2k[cheap], 2), "dear": dear,
            "dear_fee": Percent(r2k[dear], 2),
            "more": Dollars((r2k[dear] - r2k[cheap]) * 100)}  # a year on $10,000
    data = ratios[["fund", "index_tracked", "expense_ratio_pct", "as_of", "source_url"]].copy()
    data["cost_per_10000_usd"] = data["expense_ratio_pct"] * 100
    as_ofs = pd.to_datetime(ratios["as_of"], format="mixed")
    return Drawn(fig, data, as_ofs.max().date(), says,
                 notes=f"As-of dates range from {ratios['as_of'].min()} to "
                       f"{ratios['as_of'].max()}.")


@figure("r2k-etf-dividend-gap", sources=("IWM", "^RUT"))
def dividend_gap(store: Store) -> Drawn:
    table = dividend_gap_table(store)
    mean = float(table["difference"].mean())
    fig = new_figure(y_title="IWM total return − index price return", y_format="+.1%",
                     x_is_date=False)
    fig.add_bar(x=table.index.to_list(), y=table["difference"].round(5).to_numpy(),
                name="IWM − Russell 2000 (price)", marker_color=color("IWM"),
                hovertemplate="%{x}: %{y:+.2%}<extra></extra>")
    guide(fig, round(mean, 5), dash="dash",
          annotation_text=f"average {Fraction(mean, 2, signed=True)}",
          annotation_position="top left")
    fig.update_layout(hovermode="closest", xaxis={"dtick": 2}, showlegend=False)
    says = {"first": int(table.index[0]), "last": int(table.index[-1]),
            "mean": Points.of(mean, 2), "low": Points.of(table["difference"].min(), 2),
            "high": Points.of(table["difference"].max(), 2)}
    return Drawn(fig, table, _year_end(store, "IWM", int(table.index[-1])), says)


@figure("r2k-etf-same-index", sources=("SPSM", "IJR"))
def same_index(store: Store) -> Drawn:
    fig = new_figure(y_title="Ahead (+) or behind (−) the other fund", y_format="+.1%")
    frames = {}
    pairs = []
    for fund, other, since in same_index_pairs(store):
        result = same_index_comparison(store, fund, other, since)
        growth = result["growth"]
        relative = growth[fund] / growth[other] - 1.0
        frames[f"{fund.lower()}_usd"] = growth[fund]
        frames[f"{other.lower()}_usd"] = growth[other]
        frames[f"{fund.lower()}_vs_{other.lower()}"] = relative
        line(fig, relative, fund, digits=5, name=f"{fund} vs {other}")
        pairs.append({"fund": fund, "other": other, "start": Day.of(result["start"]),
                      "gap": Points.of(result["cagr_gap"], 2)})
    guide(fig, 0, dash=None)
    data = pd.DataFrame(frames)
    history = ", ".join(f"{name} from {start}" for start, name in SPSM_BENCHMARKS)
    return Drawn(fig, data, _as_of(data).date(), {"pairs": pairs},
                 notes=f"SPSM's benchmark history: {history}.")


@figure("r2k-etf-s600-vs-r2k", sources=("IJR", "IWM"))
def s600_vs_r2k(store: Store) -> Drawn:
    table = s600_vs_r2k_table(store)
    fig = new_figure(y_title="IJR − IWM (total return)", y_format="+.0%", x_is_date=False)
    fig.add_bar(x=table.index.to_list(), y=table["difference"].round(5).to_numpy(),
                marker_color=[color("IJR") if d > 0 else color("IWM")
                              for d in table["difference"]],
                hovertemplate="%{x}: %{y:+.1%}<extra></extra>", showlegend=False)
    fig.update_layout(hovermode="closest", xaxis={"dtick": 2})
    last = table.index[-1]
    says = {"wins": Count((table["difference"] > 0).sum()), "years": Count(len(table)),
            "first": int(table.index[0]), "last": int(last),
            "gap": Points.of(table["difference"].iloc[-1])}
    return Drawn(fig, table, _year_end(store, "IJR", int(last)), says)


@figure("r2k-etf-dollar-volume", sources=WITH_VOLUME)
def etf_dollar_volume(store: Store) -> Drawn:
    daily = pd.concat([dollar_volume(store, t) for t in WITH_VOLUME], axis=1, join="inner")
    monthly = daily.groupby(daily.index.to_period("M")).mean()
    month_dates = monthly.index.to_timestamp()
    fig = new_figure(y_title="Dollars traded per day (log scale)", y_format="$.2s", log_y=True)
    for ticker in WITH_VOLUME:
        fig.add_scatter(x=dates(month_dates), y=monthly[ticker].round(-3).to_numpy(),
                        name=ticker, line={"color": color(ticker), "width": 1.6},
                        hovertemplate=ticker + ": $%{customdata}<extra></extra>",
                        customdata=[f"{v / 1e9:,.1f} billion" for v in monthly[ticker]])
    range_buttons(fig)
    recent = daily.iloc[-RECENT_DAYS:].mean()
    says = {"days": Count(RECENT_DAYS), "iwm": Dollars(recent["IWM"]),
            "spy": Dollars(recent["SPY"])}
    data = daily.rename(columns=lambda t: f"{t.lower()}_dollar_volume_usd")
    return Drawn(fig, data, _as_of(daily).date(), says)


@figure("r2k-leverage-decay", sources=(LEVERAGED, "IWM"))
def leverage_decay(store: Store) -> Drawn:
    paths = leverage_paths(store)
    fig = new_figure(y_title="Value of $10,000 (log scale)", y_format="$,.0f", log_y=True)
    shown = weekly(paths)
    styles = {
        "tna": ("TNA (actual, after costs)", color(LEVERAGED), "solid", 2.0),
        "daily_3x_iwm_no_costs": ("3× IWM each day, no costs", color(LEVERAGED), "dot", 1.6),
        "three_times_iwm_gain": ("3 × IWM's total gain", GUIDE, "dash", 1.4),
        "iwm": ("IWM", color("IWM"), "solid", 1.4),
    }
    for col, (name, line_color, dash, width) in styles.items():
        fig.add_scatter(x=dates(shown.index), y=shown[col].round(2).to_numpy(), name=name,
                        line={"color": line_color, "dash": dash, "width": width})
    range_buttons(fig)
    last = paths.iloc[-1]
    says = {"start": Day.of(paths.index[0]), "tna": Dollars(last["tna"]),
            "daily_3x": Dollars(last["daily_3x_iwm_no_costs"]), "iwm": Dollars(last["iwm"])}
    return Drawn(fig, paths.rename(columns=lambda c: f"{c}_usd"), _as_of(paths).date(), says)


@figure("r2k-leverage-years", sources=(LEVERAGED, "IWM"))
def leverage_years_figure(store: Store) -> Drawn:
    table = leverage_years(store)
    fig = new_figure(y_title="Calendar-year return", y_format="+.0%", x_is_date=False)
    fig.add_bar(x=table.index.to_list(), y=table["three_times_iwm"].round(4).to_numpy(),
                name="3 × IWM's year", marker_color=GUIDE)
    fig.add_bar(x=table.index.to_list(), y=table["tna"].round(4).to_numpy(),
                name="TNA's year", marker_color=color(LEVERAGED))
    fig.update_layout(barmode="group", hovermode="x unified", xaxis={"dtick": 2})
    worst = table["tna_minus_three_times"].idxmin()
    says = {"behind": Count((table["tna_minus_three_times"] < 0).sum()),
            "years": Count(len(table)), "worst": int(worst),
            "iwm": Fraction(table.loc[worst, "iwm"], 0, signed=True),
            "three_times": Fraction(table.loc[worst, "three_times_iwm"], 0, signed=True),
            "tna": Fraction(table.loc[worst, "tna"], 0, signed=True)}
    return Drawn(fig, table, _year_end(store, LEVERAGED, int(table.index[-1])), says)
