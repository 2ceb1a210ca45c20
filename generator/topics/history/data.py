"""Facts for the home and History & performance pages."""

from __future__ import annotations

from typing import Any

import pandas as pd

from generator.analytics.periods import decade_returns, rolling_window_returns
from generator.analytics.returns import (
    calendar_year_returns,
    return_since,
    trailing_return,
    year_to_date,
)
from generator.analytics.risk import drawdown, drawdown_episodes, risk_table
from generator.catalog import get
from generator.store import Store, load_values
from generator.topics import provides
from generator.units import Count, Fraction, Level

TRAILING_YEARS = (1, 3, 5, 10)


def calendar_returns_table(store: Store) -> pd.DataFrame:
    """Calendar-year price returns in percent (`russell_2000_pct`, `sp_500_pct`) by `year`,
    for the complete years both indexes have."""
    rut = calendar_year_returns(load_values(store, "^RUT"))
    spx = calendar_year_returns(load_values(store, "^GSPC"))
    table = pd.concat({"russell_2000_pct": rut * 100, "sp_500_pct": spx * 100}, axis=1,
                      join="inner")
    table.index.name = "year"
    return table


def trailing_table(store: Store) -> pd.DataFrame:
    """Trailing annualised return, volatility and max drawdown (fractions) for 1/3/5/10 years."""
    rows = []
    for sid in ("^RUT", "^GSPC"):
        prices = load_values(store, sid)
        for years in TRAILING_YEARS:
            risk = risk_table(prices, years)
            rows.append({"series": get(sid).title, "years": years,
                         "annualised_return": trailing_return(prices, years),
                         "annualised_volatility": risk["volatility"],
                         "max_drawdown": risk["max_drawdown"]})
    return pd.DataFrame(rows)


def worst_drawdowns(store: Store, series_id: str = "^RUT", count: int = 10) -> pd.DataFrame:
    """The `count` deepest drawdown episodes of a stored price series."""
    return drawdown_episodes(load_values(store, series_id)).head(count)


def index_headline(prices: pd.Series) -> dict[str, Any]:
    """Prices -> latest close and date, YTD and 1-year change, all-time high and distance to it."""
    last_date = prices.index[-1]
    high_date = prices.idxmax()
    return {
        "close": Level(prices.iloc[-1]),
        "date": last_date.date(),
        "ytd": Fraction(year_to_date(prices)),
        "one_year": Fraction(return_since(prices, last_date - pd.DateOffset(years=1))),
        "ath": Level(prices.max()),
        "ath_date": high_date.date(),
        "from_ath": Fraction(drawdown(prices).iloc[-1]),
    }


def calendar_fractions(calendar: pd.DataFrame) -> pd.DataFrame:
    """The calendar-year table for the page: returns as fractions (`russell_2000`, `sp_500`),
    printed as percentages like every other return."""
    return calendar.rename(columns={"russell_2000_pct": "russell_2000",
                                    "sp_500_pct": "sp_500"}) / 100


@provides
def history_facts(store: Store) -> dict[str, Any]:
    """Headline numbers (home) and the History & performance tables."""
    rut = load_values(store, "^RUT")
    spx = load_values(store, "^GSPC")
    calendar = calendar_returns_table(store)
    diff = calendar["russell_2000_pct"] - calendar["sp_500_pct"]
    episodes = worst_drawdowns(store)
    return {
        "r2k": index_headline(rut),
        "spx": index_headline(spx),
        "r2k_first_date": rut.index[0].date(),
        "calendar": calendar_fractions(calendar),
        "calendar_best": {"year": int(calendar["russell_2000_pct"].idxmax()),
                          "return": Fraction(calendar["russell_2000_pct"].max() / 100)},
        "calendar_worst": {"year": int(calendar["russell_2000_pct"].idxmin()),
                           "return": Fraction(calendar["russell_2000_pct"].min() / 100)},
        "calendar_wins": Count((diff > 0).sum()),
        "calendar_years": Count(len(calendar)),
        "trailing": trailing_table(store),
        "worst_drawdowns": episodes,
        "worst_drawdown": deepest_fall(episodes),
    }


def deepest_fall(episodes: pd.DataFrame) -> dict[str, Any]:
    """The deepest drawdown episode for the pages: its depth (a fraction ≤ 0), dates, trading
    days to recover, and the gain a loss that deep needs to get back to even."""
    worst = episodes.iloc[0]
    return {"depth": Fraction(worst["depth"]), "peak": worst["peak"].date(),
            "trough": worst["trough"].date(),
            "days_to_recover": Count(worst["days_to_recover"]),
            "gain_to_recover": Fraction(1.0 / (1.0 + worst["depth"]) - 1.0)}


# Part two: decades, best and worst years, rolling 10-year windows.

ROLLING_YEARS = 10
RANKED_YEARS = 5


def decade_label(decade: int, start: pd.Timestamp, complete: bool, first_decade: bool) -> str:
    """'1990s'; a decade the data enters late reads 'from Sep 1987'; an unfinished one 'to date'."""
    if first_decade and start.year >= decade:
        return f"{decade}s (from {start:%b %Y})"
    return f"{decade}s" if complete else f"{decade}s to date"


def decades_table(store: Store) -> pd.DataFrame:
    """One row per decade: Russell 2000 and S&P 500 price returns (annualised and cumulative,
    fractions) over the same span, and IWM / SPY total returns where both funds cover that
    same span (NaN otherwise). Index: decade label; also ``start``, ``end``, ``complete``."""
    rut = load_values(store, "^RUT")
    spx = load_values(store, "^GSPC").loc[rut.index[0]:]
    small, large = decade_returns(rut), decade_returns(spx)
    iwm, spy = decade_returns(load_values(store, "IWM")), decade_returns(load_values(store, "SPY"))
    rows = []
    for i, (decade, row) in enumerate(small.iterrows()):
        out: dict[str, Any] = {
            "label": decade_label(decade, row.start, row.complete, i == 0),
            "start": row.start, "end": row.end, "complete": bool(row.complete),
            "russell_2000_annualised": row.annualised, "sp_500_annualised":
                large.loc[decade, "annualised"],
            "russell_2000_cumulative": row.cumulative,
            "sp_500_cumulative": large.loc[decade, "cumulative"],
        }
        same_span = (decade in iwm.index and decade in spy.index
                     and iwm.loc[decade, "start"] == row.start
                     and spy.loc[decade, "start"] == row.start)
        out["iwm_annualised"] = iwm.loc[decade, "annualised"] if same_span else float("nan")
        out["spy_annualised"] = spy.loc[decade, "annualised"] if same_span else float("nan")
        rows.append(out)
    return pd.DataFrame(rows).set_index("label")


def rolling_wins_table(store: Store) -> pd.DataFrame:
    """Annualised return over every rolling 10-year window (month-end to month-end): Russell 2000
    and S&P 500 (price) and, from IWM's first full window, IWM and SPY (total return)."""
    columns = {
        "russell_2000": rolling_window_returns(load_values(store, "^RUT"), ROLLING_YEARS),
        "sp_500": rolling_window_returns(load_values(store, "^GSPC"), ROLLING_YEARS),
        "iwm_total_return": rolling_window_returns(load_values(store, "IWM"), ROLLING_YEARS),
        "spy_total_return": rolling_window_returns(load_values(store, "SPY"), ROLLING_YEARS),
    }
    # Align by calendar month (a fund and the index close the month on the same day, but a
    # missing day in one file must not drop the month), then date each window by the Russell
    # 2000's own month-end close.
    frame = pd.concat({k: v.set_axis(v.index.to_period("M")) for k, v in columns.items()}, axis=1,
                      sort=True)
    frame = frame.dropna(subset=["russell_2000", "sp_500"])
    frame["price_difference"] = frame["russell_2000"] - frame["sp_500"]
    frame["total_return_difference"] = frame["iwm_total_return"] - frame["spy_total_return"]
    ends = columns["russell_2000"]
    frame.index = pd.DatetimeIndex(ends.index[ends.index.to_period("M").isin(frame.index)],
                                   name="window_end")
    return frame


def wins_summary(difference: pd.Series) -> dict[str, Any]:
    """A rolling difference series -> count of windows, wins (> 0), share, first and last end
    (plain numbers, for the figures; `wins_facts` gives them their units for the page)."""
    data = difference.dropna()
    wins = int((data > 0).sum())
    return {"windows": len(data), "wins": wins, "share": wins / len(data),
            "first_end": data.index[0].date(), "last_end": data.index[-1].date(),
            "latest": float(data.iloc[-1]),
            "best": float(data.max()), "best_end": data.idxmax().date(),
            "worst": float(data.min()), "worst_end": data.idxmin().date()}


def wins_facts(difference: pd.Series) -> dict[str, Any]:
    """`wins_summary` with units: counts, the share won, and the annualised gaps as fractions."""
    out = wins_summary(difference)
    out.update(windows=Count(out["windows"]), wins=Count(out["wins"]),
               share=Fraction(out["share"]),
               **{k: Fraction(out[k]) for k in ("latest", "best", "worst")})
    return out


@provides
def history_period_facts(store: Store) -> dict[str, Any]:
    """Decades, best and worst calendar years, and the rolling 10-year scorecard."""
    calendar = calendar_returns_table(store)
    ranked = calendar.sort_values("russell_2000_pct", ascending=False, kind="stable")
    rolling = rolling_wins_table(store)
    decades = decades_table(store)
    complete = decades[decades["complete"]]
    decade_wins = int((complete["russell_2000_annualised"] > complete["sp_500_annualised"]).sum())
    return {"history": {
        "decades": decades,
        "complete_decades": Count(len(complete)),
        "decade_wins": Count(decade_wins),
        "best_years": calendar_fractions(ranked.head(RANKED_YEARS)),
        "worst_years": calendar_fractions(ranked.tail(RANKED_YEARS).iloc[::-1]),
        "ranked_years": Count(RANKED_YEARS),
        "rolling_years": Count(ROLLING_YEARS),
        "rolling_price": wins_facts(rolling["price_difference"]),
        "rolling_total": wins_facts(rolling["total_return_difference"]),
    }}
