"""Facts for the Sectors & composition and Inside the Russell 2000 pages.

Everything here starts from two stored tables: IWM's holdings (weights, sectors) and the daily
closes of its equity holdings. Members flagged by the single-stock rules (`validate`) are left
out of the figures whose dates their flags touch; each figure lists who was left out and why.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from generator.analytics.members import (
    advance_decline,
    annualised,
    base_date,
    cumulative_weight_curve,
    drawdown_from_high,
    effective_number,
    equity_weights,
    histogram,
    member_returns,
    rebalanced_monthly_set,
    sector_weights,
    share_above_moving_average,
    top_weight,
)
from generator.catalog import EXCLUSIONS_TABLE, HOLDINGS_TABLE, MEMBERS_TABLE
from generator.store import Store, load_values
from generator.topics import provides
from generator.units import Count, Dollars, Fraction, Level, Points
from generator.validate import MemberRules, excluded_between

UNLISTED_TICKER = "-"
TOP_N = (10, 50, 200)
MA_WINDOW = 200
BREADTH_START = pd.Timestamp("2022-01-01")
DOWN_FROM_HIGH = -0.5
# Histogram bins for member returns, in fractions: −100 % to +300 % by 10 points; the last bin
# also holds everything above +300 %.
RETURN_EDGES = np.round(np.arange(-1.0, 3.0001, 0.1), 10)


@dataclass(frozen=True, eq=False)  # eq=False: hashed by identity, so results can be cached
class MembersPanel:
    """The stored holdings and members' closes, joined.

    `equities`: equity lines, largest first, with ``weight`` (share of equity market value) and
    ``has_closes``. `closes`: closes of the equity holdings that have them (columns = tickers).
    `exclusions`: the validation exclusion list (ticker, rule, first_date, last_date, days,
    detail) restricted to those tickers.
    """

    store: Store
    holdings_as_of: dt.date
    equities: pd.DataFrame
    other_lines: pd.DataFrame
    closes: pd.DataFrame
    exclusions: pd.DataFrame
    rules: MemberRules

    @property
    def closes_as_of(self) -> dt.date:
        return pd.Timestamp(self.closes.index[-1]).date()

    @property
    def names(self) -> pd.Series:
        return self.equities.drop_duplicates("ticker").set_index("ticker")["name"]


@functools.lru_cache(maxsize=4)
def _panel(root: str, key: tuple[str, ...]) -> MembersPanel:
    store = Store(Path(root))
    holdings = store.read_table(HOLDINGS_TABLE.id)
    closes = store.read_table(MEMBERS_TABLE.id)
    exclusions = store.read_table(EXCLUSIONS_TABLE.id)
    is_equity = holdings["asset_class"] == "Equity"
    equities = equity_weights(holdings[is_equity])
    equities["has_closes"] = equities["ticker"].isin(closes.columns)
    tickers = [t for t in equities["ticker"].drop_duplicates() if t in closes.columns]
    exclusions = exclusions[exclusions["ticker"].isin(tickers)].reset_index(drop=True)
    return MembersPanel(
        store=store, holdings_as_of=store.read_table_meta(HOLDINGS_TABLE.id).as_of_date,
        equities=equities, other_lines=holdings[~is_equity].reset_index(drop=True),
        closes=closes[tickers], exclusions=exclusions, rules=MemberRules())


def members_panel(store: Store) -> MembersPanel:
    """The joined holdings and closes, read once per build (cached by the tables' checksums)."""
    key = tuple(store.read_table_meta(t.id).sha256
                for t in (HOLDINGS_TABLE, MEMBERS_TABLE, EXCLUSIONS_TABLE))
    return _panel(str(store.root), key)


# --- Who is used, who is left out -------------------------------------------------------------

def left_out(panel: MembersPanel, start: pd.Timestamp | None, end: pd.Timestamp | None,
             extra: dict[str, str] | None = None) -> pd.DataFrame:
    """The members a figure leaves out, one row per ticker and reason: equity lines with no
    closes in the data, members whose validation flags touch [start, end], and `extra`
    (ticker -> reason) from the figure's own requirement (e.g. no close on its start date)."""
    no_data = panel.equities[~panel.equities["has_closes"]]
    rows = [pd.DataFrame({"ticker": no_data["ticker"], "reason": "no closes in the data",
                          "detail": np.where(no_data["ticker"] == UNLISTED_TICKER,
                                             "unlisted line: " + no_data["name"],
                                             "not in the price source")})]
    flagged = excluded_between(panel.exclusions, start, end)
    rows.append(pd.DataFrame({
        "ticker": flagged["ticker"], "reason": "validation: " + flagged["rule"],
        "detail": (flagged["detail"] + " (" + flagged["first_date"].astype(str) + " to "
                   + flagged["last_date"].astype(str) + ")")}))
    if extra:
        rows.append(pd.DataFrame({"ticker": list(extra), "reason": list(extra.values()),
                                  "detail": ""}))
    out = pd.concat(rows, ignore_index=True)
    out.insert(1, "name", out["ticker"].map(panel.names).fillna(""))
    return out.reset_index(drop=True)


def usable_closes(panel: MembersPanel, start: pd.Timestamp | None,
                  end: pd.Timestamp | None) -> pd.DataFrame:
    """Members' closes without the members flagged in [start, end]."""
    flagged = set(excluded_between(panel.exclusions, start, end)["ticker"])
    return panel.closes[[t for t in panel.closes.columns if t not in flagged]]


def counts_note(panel: MembersPanel, used: int, excluded: pd.DataFrame) -> str:
    """The method's count sentence: equity lines, lines without closes, members left out by the
    checks or for lack of history, members used."""
    eq = panel.equities
    no_data = int((~eq["has_closes"]).sum())
    unlisted = int((eq["ticker"] == UNLISTED_TICKER).sum())
    checks = excluded[excluded["reason"].str.startswith("validation")].drop_duplicates("ticker")
    rules = checks["reason"].str.removeprefix("validation: ").value_counts()
    other = excluded[~excluded["reason"].str.startswith("validation")
                     & (excluded["reason"] != "no closes in the data")]["ticker"].nunique()
    with_closes = panel.closes.shape[1]
    text = (f"Of {len(eq):,} equity lines, {no_data} have no closes in the data ({unlisted} "
            f"unlisted, the rest not in the price source); of the {with_closes:,} members with "
            f"closes, {len(checks)} failed the single-stock checks")
    if len(checks):
        text += " (" + ", ".join(f"{n} {r}" for r, n in rules.items()) + ")"
    if other:
        text += f" and {other} lacked the history this chart needs"
    return (text + f". Members used: {used:,}. The full list with reasons is in the "
            "exclusions CSV.")


# --- Holdings: sectors and concentration -------------------------------------------------------

@functools.cache
def holdings_summary(panel: MembersPanel) -> dict[str, Any]:
    """Counts, top weights, effective number and sector table from the holdings."""
    eq = panel.equities
    listed = eq[eq["ticker"] != UNLISTED_TICKER]
    sectors = sector_weights(eq)
    curve = cumulative_weight_curve(eq["weight"])
    half = int((curve["cumulative_weight"] < 0.5).sum()) + 1
    largest = eq.head(10)[["ticker", "name", "sector", "weight"]].copy()
    largest.index = pd.RangeIndex(1, len(largest) + 1, name="rank")
    largest["name"] = largest["name"].str.title()
    other = panel.other_lines
    return {
        "as_of": panel.holdings_as_of,
        "equity_lines": len(eq),
        "listed": len(listed),
        "unlisted": int((eq["ticker"] == UNLISTED_TICKER).sum()),
        "no_market": int(eq["exchange"].str.contains("NO MARKET", case=False).sum()),
        "with_closes": int(eq["has_closes"].sum()),
        "other_lines": len(other),
        "other_weight": float(other["weight_pct"].sum() / 100.0),
        "equity_weight_of_fund": float(eq["weight_pct"].sum() / 100.0),
        "equity_value": float(eq["market_value"].sum()),
        "top": {n: top_weight(eq["weight"], n) for n in TOP_N},
        "effective_number": effective_number(eq["weight"]),
        "half_weight_count": half,
        "largest": largest,
        "sectors": sectors,
        "sector_count": len(sectors),
        "curve": curve,
        "weight_in_data": float(eq.loc[eq["has_closes"], "weight"].sum()),
    }


# --- Members' prices -------------------------------------------------------------------------

@functools.cache
def breadth(panel: MembersPanel) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(daily table since 2022: eligible, above, share, advances, declines, net, ad_line,
    russell_2000; who was left out)."""
    closes = usable_closes(panel, None, None)
    above = share_above_moving_average(closes, MA_WINDOW)
    ad = advance_decline(closes)
    table = above.join(ad, how="left")
    index_level = load_values(panel.store, "^RUT")
    table["russell_2000"] = index_level.reindex(table.index)
    excluded = left_out(panel, None, None)
    return table, excluded


@functools.cache
def dispersion(panel: MembersPanel) -> dict[str, Any]:
    """Member returns over the last 12 months and year to date, the median member against IWM
    (total return), and the share of members down more than 50 % from their 52-week high."""
    store = panel.store
    index = pd.DatetimeIndex(panel.closes.index)
    end = index[-1]
    windows = {"12m": base_date(index, end - pd.DateOffset(years=1)),
               "ytd": base_date(index, pd.Timestamp(end.year - 1, 12, 31))}
    iwm = load_values(store, "IWM")
    rut = load_values(store, "^RUT")
    out: dict[str, Any] = {"end": end.date(), "windows": {}}
    start_all = min(windows.values())
    closes = usable_closes(panel, start_all, end)
    for key, start in windows.items():
        returns = member_returns(closes, start, end)
        iwm_r = float(iwm.loc[:end].iloc[-1] / iwm.loc[:start].iloc[-1] - 1.0)
        rut_r = float(rut.loc[:end].iloc[-1] / rut.loc[:start].iloc[-1] - 1.0)
        out["windows"][key] = {
            "start": start.date(), "returns": returns, "count": len(returns),
            "median": float(returns.median()), "iwm": iwm_r, "rut": rut_r,
            "share_up": float((returns > 0).mean()),
            "share_beat_iwm": float((returns > iwm_r).mean()),
            "share_down_half": float((returns <= -0.5).mean()),
            "histogram": histogram(returns, RETURN_EDGES),
        }
    twelve = out["windows"]["12m"]
    from_high = drawdown_from_high(closes[twelve["returns"].index], end)
    out["from_high"] = from_high
    out["share_down_50_from_high"] = float((from_high < DOWN_FROM_HIGH).mean())
    out["from_high_count"] = len(from_high)
    no_base = {t: f"no close on {twelve['start']:%Y-%m-%d} (listed later) or on {end:%Y-%m-%d}"
               for t in closes.columns if t not in twelve["returns"].index}
    out["excluded"] = left_out(panel, start_all, end, no_base)
    return out


# Screens for the sensitivity check: the rules each one leaves out (cumulative).
SCREENS = {
    "basic": ("non-positive close", "stale run"),
    "reversals": ("non-positive close", "stale run", "move that reverses", "extreme move"),
    "full": None,  # every rule
}


def screened_closes(panel: MembersPanel, screen: str) -> pd.DataFrame:
    """Members' closes without the members flagged by the screen's rules (any date)."""
    rules = SCREENS[screen]
    flagged = panel.exclusions if rules is None else panel.exclusions[
        panel.exclusions["rule"].isin(rules)]
    drop = set(flagged["ticker"])
    return panel.closes[[t for t in panel.closes.columns if t not in drop]]


def survivor_backtests(panel: MembersPanel, closes: pd.DataFrame) -> pd.DataFrame:
    """Growth of 1 from the first row: today's members equal-weighted, at today's weights, at
    the weights of the time (today's weights scaled back by each member's price), and IWM."""
    weights = panel.equities.groupby("ticker")["weight"].sum().reindex(closes.columns)
    iwm = load_values(panel.store, "IWM").reindex(closes.index).ffill()
    return pd.DataFrame({
        **rebalanced_monthly_set(closes, {"equal_weight_members": (None, False),
                                          "cap_weight_members": (weights, False),
                                          "point_in_time_members": (weights, True)}),
        "iwm_total_return": iwm / iwm.iloc[0]})


def gap_parts(cagr: dict[str, float]) -> dict[str, float]:
    """Annual rates -> the survivorship gap split into named parts (fractions a year).

    ``survivorship``: today's members at the weights of the time minus IWM (the companies that
    left the index, and fund costs); ``weighting``: equal weight minus weights of the time;
    ``look_ahead``: today's weights minus weights of the time (hindsight in the weights). So
    equal-weight gap = survivorship + weighting and today's-weights gap = survivorship +
    look_ahead, exactly.
    """
    base = cagr["point_in_time_members"]
    return {"survivorship": base - cagr["iwm_total_return"],
            "weighting": cagr["equal_weight_members"] - base,
            "look_ahead": cagr["cap_weight_members"] - base}


def yearly_returns(table: pd.DataFrame) -> pd.DataFrame:
    """Growth table -> each calendar year's return, with the dates it runs from and to and
    whether it is a whole year (the first and last years of the data may be partial)."""
    ends = table.groupby(table.index.year).tail(1)
    starts = pd.concat([table.iloc[[0]], ends.iloc[:-1]])
    yearly = pd.DataFrame(ends.to_numpy() / starts.to_numpy() - 1.0, columns=table.columns,
                          index=pd.Index(ends.index.year, name="year"))
    yearly.insert(0, "from", [d.date() for d in starts.index])
    yearly.insert(1, "to", [d.date() for d in ends.index])
    yearly.insert(2, "whole_year", [f.month == 12 and f.day >= 28 and t.month == 12
                                    and t.day >= 28 for f, t in zip(starts.index, ends.index,
                                                                   strict=True)])
    return yearly


@functools.cache
def survivorship(panel: MembersPanel) -> dict[str, Any]:
    """Backtests of today's members since the first close in the data against IWM's actual
    total return (equal weight, today's cap weights and the weights of the time, all reset
    monthly), the gap split into its parts, and how the gap moves with the single-stock screen."""
    closes = usable_closes(panel, None, None)
    table = survivor_backtests(panel, closes)
    start, end = closes.index[0], closes.index[-1]

    def rates(frame: pd.DataFrame) -> dict[str, float]:
        return {col: annualised(float(frame[col].iloc[-1] / frame[col].iloc[0]), start, end)
                for col in frame.columns}

    cagr = rates(table)
    sensitivity = {}
    for screen in SCREENS:
        used = screened_closes(panel, screen)
        c = rates(survivor_backtests(panel, used))
        sensitivity[screen] = {"members": used.shape[1],
                               "gap_equal": c["equal_weight_members"] - c["iwm_total_return"],
                               "gap_cap": c["cap_weight_members"] - c["iwm_total_return"],
                               **gap_parts(c)}
    weights = panel.equities.groupby("ticker")["weight"].sum().reindex(closes.columns)
    return {
        "table": table, "start": start.date(), "end": end.date(), "cagr": cagr,
        "gap_equal": cagr["equal_weight_members"] - cagr["iwm_total_return"],
        "gap_cap": cagr["cap_weight_members"] - cagr["iwm_total_return"],
        "parts": gap_parts(cagr), "sensitivity": sensitivity,
        "growth": {col: float(table[col].iloc[-1]) for col in table.columns},
        "yearly": yearly_returns(table), "used": closes.shape[1],
        "weight_used": float(weights.sum()),
        "first_close_count": int(panel.closes.iloc[0].notna().sum()),
        "excluded": left_out(panel, None, None),
    }


def _breadth_facts(panel: MembersPanel) -> dict[str, Any]:
    table, excluded = breadth(panel)
    daily = table.loc[BREADTH_START:].dropna(subset=["share"])
    last = daily.iloc[-1]
    low, high = daily["share"].idxmin(), daily["share"].idxmax()
    ad = table["ad_line"].dropna()
    return {
        "date": daily.index[-1].date(), "share": Fraction(last["share"]),
        "eligible": Count(last["eligible"]), "low": Fraction(daily.loc[low, "share"]),
        "low_date": low.date(), "high": Fraction(daily.loc[high, "share"]),
        "high_date": high.date(),
        "ad_start": ad.index[0].date(), "ad_last": Count(ad.iloc[-1]),
        "ad_high_date": ad.idxmax().date(), "ad_low_date": ad.idxmin().date(),
        "rut_change": Fraction(table["russell_2000"].dropna().iloc[-1]
                               / table["russell_2000"].loc[ad.index[0]:].dropna().iloc[0] - 1.0),
        "excluded_count": Count(excluded["ticker"].nunique()),
    }


_GAP_KEYS = ("gap_equal", "gap_cap", "survivorship", "weighting", "look_ahead")


def _typed_gaps(surv: dict[str, Any]) -> dict[str, Any]:
    """The survivorship facts for pages: each gap (a difference of two annual rates) in
    percentage points, also inside the parts and the screen sensitivity; annual rates as
    fractions, growth of $1 as a plain number, counts as counts."""
    def typed(d: dict[str, Any]) -> dict[str, Any]:
        return {k: Points.of(v) if k in _GAP_KEYS else Count(v) if k == "members" else v
                for k, v in d.items()}

    out = typed(surv)
    out["parts"] = typed(surv["parts"])
    out["sensitivity"] = {k: typed(v) for k, v in surv["sensitivity"].items()}
    out["cagr"] = {k: Fraction(v) for k, v in surv["cagr"].items()}
    # equal weight minus today's weights: what weighting alone won or cost
    out["equal_minus_cap"] = Points.between(surv["cagr"]["equal_weight_members"],
                                            surv["cagr"]["cap_weight_members"])
    out["growth"] = {k: Level(v) for k, v in surv["growth"].items()}
    out["used"], out["first_close_count"] = Count(surv["used"]), Count(surv["first_close_count"])
    out["weight_used"] = Fraction(surv["weight_used"])
    return out


# The unit of each number `holdings_summary` hands out (tables and dates stay as they are).
_HOLDINGS_UNITS = {
    "equity_lines": Count, "listed": Count, "unlisted": Count, "no_market": Count,
    "with_closes": Count, "other_lines": Count, "other_weight": Fraction,
    "equity_weight_of_fund": Fraction, "equity_value": Dollars,
    "effective_number": Level, "half_weight_count": Count, "sector_count": Count,
    "weight_in_data": Fraction,
}


def _holdings_facts(summary: dict[str, Any]) -> dict[str, Any]:
    """`holdings_summary` for pages: each number in its unit, the top-N weights as fractions
    and the sectors, largest first, as (name, count, weight) items."""
    out = {k: _HOLDINGS_UNITS[k](v) if k in _HOLDINGS_UNITS else v
           for k, v in summary.items() if k != "curve"}
    out["top"] = {n: Fraction(w) for n, w in summary["top"].items()}
    out["sector_list"] = [{"name": name, "count": Count(row["count"]),
                           "weight": Fraction(row["weight"])}
                          for name, row in summary["sectors"].iterrows()]
    return out


def _window_facts(window: dict[str, Any]) -> dict[str, Any]:
    """One dispersion window for pages: returns and shares as fractions, the count a count."""
    return {k: v if k == "start" else Count(v) if k == "count" else Fraction(v)
            for k, v in window.items() if k not in ("returns", "histogram")}


@provides
def inside_facts(store: Store) -> dict[str, Any]:
    """Numbers for composition.md (`composition`) and inside.md (`inside`)."""
    panel = members_panel(store)
    summary = holdings_summary(panel)
    disp = dispersion(panel)
    surv = survivorship(panel)
    windows = {k: _window_facts(v) for k, v in disp["windows"].items()}
    holdings = _holdings_facts(summary)
    return {
        "composition": holdings,
        "inside": {
            "holdings": holdings,
            "members": {"tickers": Count(panel.closes.shape[1]), "as_of": panel.closes_as_of,
                        "first": pd.Timestamp(panel.closes.index[0]).date(),
                        "flagged": Count(panel.exclusions["ticker"].nunique()),
                        "rules": panel.rules.describe(),
                        "large_move": Fraction(panel.rules.large_up - 1.0),
                        "started_later": Count(panel.closes.iloc[0].isna().sum())},
            "breadth": _breadth_facts(panel),
            "dispersion": {"end": disp["end"], "windows": windows,
                           "share_down_50_from_high": Fraction(disp["share_down_50_from_high"]),
                           "from_high_count": Count(disp["from_high_count"])},
            "gap": _typed_gaps({k: v for k, v in surv.items() if k not in ("table", "excluded")}),
        },
    }
