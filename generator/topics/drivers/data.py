"""Facts for What drives small caps, namespaced under ``drivers``: rates, credit and the cycle.

The event lists are published as facts and as figure CSVs, so other pages can cite the same
events: recession troughs derived from FRED's USREC, and first Fed cuts as the Federal Reserve
recorded the decisions (a dated reference file), checked against the stored target range.
"""

from __future__ import annotations

import itertools
from typing import Any

import pandas as pd

from generator.analytics import events, inflation
from generator.analytics.relative import period_end_prices, relative_line, returns_by_regime
from generator.analytics.risk import drawdown
from generator.catalog import FF_SIZE_TABLE, get
from generator.sources.reference import read_fomc_first_cuts
from generator.store import Store, load_values
from generator.topics import aligned, provides
from generator.units import Count, Fraction, Level, Percent, Points, records
from generator.units import rows as rows_by_label

HORIZONS = (3, 6, 12)  # months after each event
QUIET_MONTHS = 12  # a first cut follows at least a year with no cut
FOMC_FILE = "fomc_first_cuts.csv"
REGIME_THRESHOLD = 0.5  # percentage points over 12 months: "rising" / "falling"
SPREAD_BANDS = (0.0, 4.0, 6.0, 8.0, float("inf"))  # high-yield spread bands, percent


def month_end_values(store: Store, series_id: str) -> pd.Series:
    """A daily or monthly stored series -> one value per calendar month (the last one),
    indexed by month (a Period)."""
    values = load_values(store, series_id)
    last = period_end_prices(values, "M")
    return last.set_axis(last.index.to_period("M"))


def monthly_relative_returns(store: Store) -> pd.Series:
    """Russell 2000 minus S&P 500 monthly price return (fractions), complete months only."""
    prices = aligned(store, "^RUT", "^GSPC")
    ends = period_end_prices(prices, "M")
    ends = ends.set_axis(ends.index.to_period("M")).iloc[:-1]  # the last month is unfinished
    returns = ends.pct_change().dropna()
    return (returns["^RUT"] - returns["^GSPC"]).rename("relative_return")


def rates_table(store: Store) -> pd.DataFrame:
    """Daily Russell 2000 / S&P 500 relative line (start = 100) with the 10-year and 2-year
    Treasury yields and the effective fed funds rate (percent) on the same dates."""
    prices = aligned(store, "^RUT", "^GSPC")
    rel = relative_line(prices["^RUT"], prices["^GSPC"])
    rates = pd.concat({s: load_values(store, s) for s in ("DGS10", "DGS2", "DFF")}, axis=1,
                      sort=True)
    table = pd.concat([rel, rates.reindex(rel.index).ffill(limit=5)], axis=1)
    table.columns = ["relative_line", "treasury_10y", "treasury_2y", "fed_funds_effective"]
    table.index.name = "date"
    return table


def regime_summary(store: Store) -> pd.DataFrame:
    """Average monthly Russell 2000 − S&P 500 return when the fed funds rate (FEDFUNDS, monthly
    average) or the 10-year yield (month-end DGS10) had risen, fallen or barely moved over the
    previous 12 months."""
    rel = monthly_relative_returns(store)
    blocks = []
    for series_id, name in (("FEDFUNDS", "Fed funds rate"), ("DGS10", "10-year yield")):
        level = month_end_values(store, series_id)
        table = returns_by_regime(rel, level.diff(12), REGIME_THRESHOLD)
        # Annualised by compounding the average month, (1 + mean) ** 12 − 1, like every other
        # annual rate on the site (geometric, not mean × 12).
        table["annualised_mean"] = (1.0 + table["mean"]) ** 12 - 1.0
        table.index = [f"{name} {regime}" for regime in table.index]
        blocks.append(table)
    frame = pd.concat(blocks)
    frame.index.name = "regime"
    return frame


def monthly_change_correlations(store: Store) -> dict[str, float]:
    """Correlation of the monthly relative return with the same month's change in each rate."""
    rel = monthly_relative_returns(store)
    out = {}
    for series_id in ("DGS10", "DGS2", "FEDFUNDS", "BAMLH0A0HYM2"):
        change = month_end_values(store, series_id).diff()
        both = pd.concat([rel, change], axis=1, join="inner").dropna()
        out[series_id] = float(both.iloc[:, 0].corr(both.iloc[:, 1]))
    return out


def credit_table(store: Store) -> pd.DataFrame:
    """Daily high-yield spread (percent), the Russell 2000 / S&P 500 relative line (start = 100
    on the spread's first shared day) and the Russell 2000's drawdown (fraction), on the days all
    three exist."""
    data = aligned(store, "BAMLH0A0HYM2", "^RUT", "^GSPC")
    rut = load_values(store, "^RUT")
    table = pd.DataFrame({
        "high_yield_spread": data["BAMLH0A0HYM2"],
        "relative_line": relative_line(data["^RUT"], data["^GSPC"]),
        # Drawdown from the Russell 2000's all-time high, not from the spread's first day.
        "russell_2000_drawdown": drawdown(rut).reindex(data.index),
    })
    table.index.name = "date"
    return table


def spread_bands(table: pd.DataFrame) -> pd.DataFrame:
    """Days grouped by the level of the high-yield spread: share of days, average and deepest
    Russell 2000 drawdown in each band."""
    rows = []
    spread = table["high_yield_spread"]
    for low, high in itertools.pairwise(SPREAD_BANDS):
        inside = table[(spread >= low) & (spread < high)]
        label = f"{low:g}% to {high:g}%" if high != float("inf") else f"{low:g}% or more"
        if low == 0.0:
            label = f"below {high:g}%"
        rows.append({"band": label, "share_of_days": len(inside) / len(table),
                     "mean_drawdown": float(inside["russell_2000_drawdown"].mean()),
                     "worst_drawdown": float(inside["russell_2000_drawdown"].min())})
    return pd.DataFrame(rows).set_index("band")


def rename_event_columns(table: pd.DataFrame) -> pd.DataFrame:
    """small_/large_/diff_ -> russell_2000_/sp_500_/gap_ (the names the CSV readers see)."""
    return table.rename(columns=lambda c: c.replace("small_", "russell_2000_")
                        .replace("large_", "sp_500_").replace("diff_", "gap_"))


def recession_events(store: Store) -> pd.DataFrame:
    """One row per NBER trough (last month USREC flags 1) since the Russell 2000 data begins,
    with both indexes' price returns 3, 6 and 12 months after the trough month's last close."""
    rut, spx = load_values(store, "^RUT"), load_values(store, "^GSPC")
    troughs = events.recession_troughs(load_values(store, "USREC"))
    ends = pd.DatetimeIndex([t + pd.offsets.MonthEnd(0) for t in troughs])
    ends = ends[ends >= rut.index[0]]
    table = rename_event_columns(events.event_study(rut, spx, ends, HORIZONS, month_end=True))
    table.insert(0, "trough_month", table["event"].dt.strftime("%Y-%m"))
    return table


def fomc_first_cuts(store: Store) -> pd.DataFrame:
    """The Fed's first cut of each easing cycle, as the Federal Reserve recorded the decision
    (`data/reference/fomc_first_cuts.csv`, each row with its federalreserve.gov source)."""
    return read_fomc_first_cuts(store.reference_file(FOMC_FILE), QUIET_MONTHS)


def target_first_cuts(store: Store) -> pd.DatetimeIndex:
    """First cuts read from the stored target range (DFEDTARU, since December 2008): the first
    day at a lower upper limit after at least `QUIET_MONTHS` months with no decrease. Used to
    check the reference file and to catch a new cycle before the file lists it."""
    target = load_values(store, "DFEDTARU")
    drops = pd.DatetimeIndex(events.target_decreases(target)["date"])
    return events.first_cuts(drops, QUIET_MONTHS, target.index[0])


def first_cut_events(store: Store) -> pd.DataFrame:
    """One row per first cut of a Fed easing cycle since the Russell 2000 data begins, dated by
    the FOMC's decision, with the target before and after and both indexes' price returns 3, 6
    and 12 months after the close on the decision day.

    A first cut the stored target range shows but the reference file does not yet list (a new
    cycle after the file was last edited) is added, dated the day before the target took effect,
    with ``source`` saying so.
    """
    rut, spx = load_values(store, "^RUT"), load_values(store, "^GSPC")
    reference = fomc_first_cuts(store)
    reference = reference[reference["decision_date"] >= rut.index[0]]
    rows = reference[["decision_date", "target_before", "target_after", "source_url"]].copy()
    target = load_values(store, "DFEDTARU")
    for effective in target_first_cuts(store):
        near = (reference["decision_date"] - effective).abs() <= pd.Timedelta(days=2)
        if not near.any():
            before = float(target.loc[:effective].iloc[-2])
            rows.loc[len(rows)] = [effective - pd.Timedelta(days=1), before,
                                   float(target.loc[effective]),
                                   "not yet in the reference file: read from the target range"]
    rows = rows.sort_values("decision_date").reset_index(drop=True)
    cuts = pd.DatetimeIndex(rows["decision_date"])
    table = rename_event_columns(events.event_study(rut, spx, cuts, HORIZONS))
    table["rate_before"] = rows["target_before"].to_numpy()
    table["rate_after"] = rows["target_after"].to_numpy()
    table["source"] = rows["source_url"].to_numpy()
    return table


def event_summary(table: pd.DataFrame) -> dict[str, Any]:
    """Count of events, and per horizon: events with a known outcome, wins, mean and median gap
    (plain numbers, for the figures; `event_facts` gives them their units for the page)."""
    out: dict[str, Any] = {"events": len(table)}
    for months in HORIZONS:
        gap = table[f"gap_{months}m"].dropna()
        out[f"{months}m"] = {
            "known": len(gap), "wins": int((gap > 0).sum()),
            "mean_gap": float(gap.mean()) if len(gap) else float("nan"),
            "median_gap": float(gap.median()) if len(gap) else float("nan"),
            "mean_small": float(table[f"russell_2000_{months}m"].mean()),
            "mean_large": float(table[f"sp_500_{months}m"].mean()),
        }
    return out


def event_facts(table: pd.DataFrame) -> dict[str, Any]:
    """`event_summary` with units: counts, mean returns (fractions), gaps in points."""
    out = event_summary(table)
    facts: dict[str, Any] = {"events": Count(out["events"])}
    for months in HORIZONS:
        h = out[f"{months}m"]
        facts[f"{months}m"] = {
            "known": Count(h["known"]), "wins": Count(h["wins"]),
            "mean_gap": Points.of(h["mean_gap"]), "median_gap": Points.of(h["median_gap"]),
            "mean_small": Fraction(h["mean_small"]), "mean_large": Fraction(h["mean_large"])}
    return facts


@provides
def drivers_facts(store: Store) -> dict[str, Any]:
    """Rates, credit and the event studies."""
    credit = credit_table(store)
    troughs = recession_events(store)
    cuts = first_cut_events(store)
    reference = fomc_first_cuts(store)
    target_first = load_values(store, "DFEDTARU").index[0]
    peak_day = credit["high_yield_spread"].idxmax()
    return {"drivers": {
        "regimes": regime_summary(store),
        "regime_rows": rows_by_label(regime_summary(store), {
            "annualised_mean": Fraction, "mean": Fraction, "share_small_won": Fraction,
            "periods": Count}),
        "regime_threshold": Points(REGIME_THRESHOLD, signed=False),
        "correlations": {k: Level(v) for k, v in monthly_change_correlations(store).items()},
        "spread_bands": spread_bands(credit),
        "spread_band_list": records(spread_bands(credit), {
            "share_of_days": Fraction, "mean_drawdown": Fraction,
            "worst_drawdown": Fraction}, key="band"),
        "spread_first_date": credit.index[0].date(),
        "spread_latest": Percent(credit["high_yield_spread"].iloc[-1]),
        "spread_latest_date": credit.index[-1].date(),
        "spread_peak": Percent(credit["high_yield_spread"].max()), "spread_peak_date":
            peak_day.date(),
        "spread_peak_drawdown": Fraction(credit.loc[peak_day, "russell_2000_drawdown"]),
        "spread_drawdown_correlation": Level(
            credit["high_yield_spread"].corr(credit["russell_2000_drawdown"])),
        "recession_events": troughs,
        "recessions": event_facts(troughs),
        "first_cut_events": cuts,
        "first_cuts": event_facts(cuts),
        "first_cuts_unannounced": Count((~reference["announced"]).sum()),
        "first_cuts_unlisted": Count(cuts["source"].str.startswith("not yet").sum()),
        "quiet_months": Count(QUIET_MONTHS),
        "target_first_date": target_first.date(),
        "horizons": list(HORIZONS),
    }}


# --- Inflation: real returns by inflation regime -------------------------------------------------

INFLATION_INDEXES = {"^RUT": "russell_2000", "^GSPC": "sp_500"}


def _real_months(nominal: pd.DataFrame, cpi: pd.DataFrame) -> pd.DataFrame:
    """Monthly returns `nominal` deflated by that month's CPI change (`cpi`: the inflation
    table), beside the nominal ones (``*_nominal``), CPI inflation on the month and on the year,
    and the month's regime; on the months all exist."""
    real = inflation.real_returns(nominal, cpi["monthly"])
    out = real.join(nominal.add_suffix("_nominal"), how="inner")
    out = out.join(cpi[["monthly", "yoy"]].rename(columns={
        "monthly": "cpi_inflation_month", "yoy": "cpi_inflation_yoy"}), how="inner")
    out = out.join(inflation.regimes(cpi["yoy"]), how="inner")
    out.index.name = "month"
    return out


def inflation_months(store: Store) -> pd.DataFrame:
    """Per calendar month since the Russell 2000 data begins: both indexes' price returns
    (``*_nominal``), the same returns deflated by that month's CPI change (``russell_2000``,
    ``sp_500``), CPI inflation on the month and on the year, and the month's regime."""
    table = inflation.inflation_table(load_values(store, "CPIAUCSL"))
    prices = aligned(store, *INFLATION_INDEXES)
    nominal = pd.DataFrame({name: inflation.month_end_returns(prices[sid])
                            for sid, name in INFLATION_INDEXES.items()})
    return _real_months(nominal, table)


def inflation_regime_table(months: pd.DataFrame) -> pd.DataFrame:
    """One row per regime: months, annualised real return of each index and their gap."""
    table = inflation.returns_by_regime(months[list(INFLATION_INDEXES.values())],
                                        months[["level", "direction"]])
    table["gap"] = table["russell_2000"] - table["sp_500"]
    return table


def inflation_verdict(table: pd.DataFrame) -> dict[str, Any]:
    """The plain answer to "are small caps an inflation hedge?", chosen by rules from the
    regime table: a hedge keeps its real value when inflation runs high (real return ≥ 0 in the
    highest band) and does not do worse there than when inflation is low.

    ``answer`` is "no" (lost purchasing power in the highest band), "partly" (kept ahead of
    inflation, but earned less than in the lowest band) or "yes"; ``versus_large`` says
    whether small caps did better or worse than large caps in the highest band."""
    high, low = table.loc[inflation.BANDS[-1][2]], table.loc[inflation.BANDS[0][2]]
    small = float(high["russell_2000"])
    if small < 0:
        answer = "no"
    elif small < float(low["russell_2000"]):
        answer = "partly"
    else:
        answer = "yes"
    versus = "better" if high["gap"] > 0 else "worse"
    return {"answer": answer, "versus_large": versus, "high_band": high.name,
            "low_band": low.name}


@provides
def inflation_facts(store: Store) -> dict[str, Any]:
    """Real returns by inflation regime and the verdict, under ``inflation``."""
    months = inflation_months(store)
    table = inflation_regime_table(months)
    cpi = load_values(store, "CPIAUCSL")
    yoy = months["cpi_inflation_yoy"]
    return {"inflation": {
        "table": table, "verdict": inflation_verdict(table),
        "rows": rows_by_label(table, {"months": Count, "russell_2000": Fraction, "sp_500": Fraction,
                             "gap": Points.of}),
        "start": months.index[0].to_timestamp().date(),
        "end": months.index[-1].to_timestamp().date(), "months": Count(len(months)),
        "cpi_last_date": cpi.index[-1].date(), "cpi_last_yoy": Fraction(yoy.iloc[-1]),
        "cpi_last_level": months["level"].iloc[-1],
        "cpi_peak_yoy": Fraction(yoy.max()), "cpi_peak_month": yoy.idxmax().to_timestamp().date(),
        "real_total": {c: Fraction(inflation.annualised(months[c]))
                       for c in INFLATION_INDEXES.values()},
        "nominal_total": {c: Fraction(inflation.annualised(months[f"{c}_nominal"]))
                          for c in INFLATION_INDEXES.values()},
        "band_names": [b[2] for b in inflation.BANDS],
        "high_episodes": regime_episodes(months, inflation.BANDS[-1][2]),
    }}


def regime_episodes(months: pd.DataFrame, band: str) -> list[str]:
    """Runs of consecutive months in inflation band `band`, as 'Oct 1987 to Dec 1991' (or one
    month's name), in time order."""
    inside = months["level"] == band
    runs = (inside != inside.shift()).cumsum()[inside]
    out = []
    for _, run in runs.groupby(runs):
        first, last = run.index[0], run.index[-1]
        out.append(f"{first:%b %Y}" if first == last else f"{first:%b %Y} to {last:%b %Y}")
    return out


# --- Small-business credit: the Senior Loan Officer survey (DRTSCIS) ---------------------------

SMALL_FIRM_CREDIT = "DRTSCIS"


def small_firm_credit_table(store: Store) -> pd.DataFrame | None:
    """One row per survey quarter (the survey's date): the net share of banks tightening
    standards on loans to small firms (percent) and the Russell 2000 / S&P 500 relative line's
    change over that quarter (fraction; from the last close before the quarter to its last
    close). None when the store does not hold the survey yet (it comes from the live update)."""
    if not store.has(get(SMALL_FIRM_CREDIT)):
        return None
    survey = load_values(store, SMALL_FIRM_CREDIT)
    prices = aligned(store, "^RUT", "^GSPC")
    rel = relative_line(prices["^RUT"], prices["^GSPC"])
    rows = []
    for day, value in survey.items():
        end = day + pd.offsets.QuarterEnd(0)
        before, inside = rel.loc[:day - pd.Timedelta(days=1)], rel.loc[day:end]
        complete = len(inside) and inside.index[-1] >= end - pd.offsets.BDay(3)
        change = (float(inside.iloc[-1] / before.iloc[-1] - 1.0)
                  if len(before) and complete else float("nan"))
        rows.append({"quarter": day, "net_share_tightening": float(value),
                     "relative_change_in_quarter": change})
    return pd.DataFrame(rows).set_index("quarter")


@provides
def small_firm_credit_facts(store: Store) -> dict[str, Any]:
    """The survey's latest reading, its peaks and its link with small caps' relative returns,
    under ``small_credit``; ``in_store`` is False until the live update has fetched it."""
    table = small_firm_credit_table(store)
    if table is None:
        return {"small_credit": {"in_store": False}}
    survey = table["net_share_tightening"]
    both = table.dropna()
    tight = both[both["net_share_tightening"] > 0]["relative_change_in_quarter"]
    easy = both[both["net_share_tightening"] <= 0]["relative_change_in_quarter"]
    return {"small_credit": {
        "in_store": True, "first": survey.index[0].date(), "last": survey.index[-1].date(),
        "latest": Percent(survey.iloc[-1], 1), "peak": Percent(survey.max(), 1),
        "peak_date": survey.idxmax().date(), "quarters": Count(len(survey)),
        "correlation": Level(both["net_share_tightening"].corr(
            both["relative_change_in_quarter"]) if len(both) > 2 else float("nan")),
        "tight_quarters": Count(len(tight)), "easy_quarters": Count(len(easy)),
        "tight_mean": Fraction(tight.mean() if len(tight) else float("nan")),
        "easy_mean": Fraction(easy.mean() if len(easy) else float("nan")),
    }}


# The same question over a longer history: US stocks by size (Kenneth French's library) since
# CPI begins. Total returns (dividends included), value-weighted within each bucket.
LONG_COLUMNS = {"vw:Lo 30": "small_stocks", "vw:Hi 30": "large_stocks"}


def inflation_months_long(store: Store) -> pd.DataFrame:
    """Per month from the first with a year of CPI before it to the library's last: the
    smallest and largest 30 % of US stocks (NYSE breakpoints, value-weighted, total return)
    deflated by that month's CPI change, with CPI inflation and the month's regime."""
    table = inflation.inflation_table(load_values(store, "CPIAUCSL"))
    french = store.read_table(FF_SIZE_TABLE.id)[list(LONG_COLUMNS)] / 100.0  # percent -> fraction
    nominal = inflation.monthly_index(french).rename(columns=LONG_COLUMNS)
    return _real_months(nominal, table).dropna(subset=["level"])


def inflation_regime_table_long(months: pd.DataFrame) -> pd.DataFrame:
    """One row per regime for the size buckets: months, annualised real returns, their gap."""
    table = inflation.returns_by_regime(months[list(LONG_COLUMNS.values())],
                                        months[["level", "direction"]])
    table["gap"] = table["small_stocks"] - table["large_stocks"]
    return table


@provides
def inflation_long_facts(store: Store) -> dict[str, Any]:
    """The size buckets' real returns by inflation regime, under ``inflation_long``."""
    months = inflation_months_long(store)
    table = inflation_regime_table_long(months)
    verdict = inflation_verdict(table.rename(columns={"small_stocks": "russell_2000",
                                                      "large_stocks": "sp_500"}))
    return {"inflation_long": {
        "table": table, "verdict": verdict, "months": Count(len(months)),
        "rows": rows_by_label(table, {"months": Count, "small_stocks": Fraction,
                             "large_stocks": Fraction, "gap": Points.of}),
        "start": months.index[0].to_timestamp().date(),
        "end": months.index[-1].to_timestamp().date(),
        "library_start": store.read_table(FF_SIZE_TABLE.id).index[0].date(),
        "cpi_start": load_values(store, "CPIAUCSL").index[0].date(),
        "real_total": {c: Fraction(inflation.annualised(months[c]))
                       for c in LONG_COLUMNS.values()},
    }}
