"""Real (inflation-adjusted) returns and inflation regimes.

Inflation comes from a monthly price index (CPI): month-over-month change deflates a month's
return; the year-over-year change sorts months into regimes. Returns are simple fractions.
"""

from __future__ import annotations

import math

import pandas as pd

# Year-over-year CPI bands (fractions): (low, high, label); low inclusive, high exclusive.
BANDS: tuple[tuple[float, float, str], ...] = (
    (-math.inf, 0.02, "below 2%"), (0.02, 0.04, "2% to 4%"), (0.04, math.inf, "above 4%"))
DIRECTIONS = ("rising", "falling")
DIRECTION_LAG = 12  # months: inflation is "rising" when above its level a year earlier


def monthly_index(values: pd.Series) -> pd.Series:
    """A monthly series dated on any day of the month -> the same values on a monthly
    PeriodIndex (one value per month; the last one if a month has several)."""
    periods = pd.DatetimeIndex(values.index).to_period("M")
    return values.groupby(periods).last()


def inflation_table(cpi: pd.Series) -> pd.DataFrame:
    """Monthly CPI levels -> per month (PeriodIndex): ``cpi``, ``monthly`` (change on the month
    before) and ``yoy`` (change on the same month a year earlier), fractions. Months are taken
    as consecutive calendar months, so a missing month shows as NaN, never as a longer change."""
    level = monthly_index(cpi)
    level = level.reindex(pd.period_range(level.index[0], level.index[-1], freq="M"))
    return pd.DataFrame({"cpi": level, "monthly": level / level.shift(1) - 1.0,
                         "yoy": level / level.shift(12) - 1.0})


def month_end_returns(prices: pd.Series) -> pd.Series:
    """Daily closes -> calendar-month returns from the last close of one month to the last close
    of the next (PeriodIndex). The first month (no prior month-end) is left out; so is the last
    month when it has no close on or after its last business day (unfinished)."""
    index = pd.DatetimeIndex(prices.index)
    last = prices.groupby(index.to_period("M")).last()
    last_day = pd.Series(index, index=index).groupby(index.to_period("M")).last()
    final_month = last.index[-1]
    if last_day.iloc[-1] < (final_month.to_timestamp(how="end") - pd.offsets.BDay(1)).normalize():
        last = last.iloc[:-1]
    return (last / last.shift(1) - 1.0).dropna()


def real_returns(nominal: pd.Series | pd.DataFrame, monthly_inflation: pd.Series
                 ) -> pd.Series | pd.DataFrame:
    """Nominal monthly returns and the same months' inflation -> real returns
    (1 + r) / (1 + π) − 1, on the months both have."""
    pi = monthly_inflation.dropna()
    joined = nominal.loc[nominal.index.intersection(pi.index)]
    factor = 1.0 + pi.loc[joined.index]
    if isinstance(joined, pd.DataFrame):
        return (1.0 + joined).div(factor, axis=0) - 1.0
    return (1.0 + joined) / factor - 1.0


def regimes(yoy: pd.Series) -> pd.DataFrame:
    """Year-over-year inflation per month -> its ``level`` band (see BANDS) and ``direction``
    (``rising`` when higher than DIRECTION_LAG months earlier, ``falling`` when lower; NaN when
    equal or unknown)."""
    level = pd.Series(pd.NA, index=yoy.index, dtype="object")
    for low, high, label in BANDS:
        level[(yoy >= low) & (yoy < high)] = label
    before = yoy.shift(DIRECTION_LAG)
    direction = pd.Series(pd.NA, index=yoy.index, dtype="object")
    direction[yoy > before] = "rising"
    direction[yoy < before] = "falling"
    return pd.DataFrame({"level": level, "direction": direction})


def annualised(returns: pd.Series) -> float:
    """Monthly returns -> their compound growth per year: prod(1 + r) ** (12 / n) − 1."""
    clean = returns.dropna()
    if clean.empty:
        return math.nan
    return float((1.0 + clean).prod() ** (12.0 / len(clean)) - 1.0)


def returns_by_regime(real: pd.DataFrame, labels: pd.DataFrame) -> pd.DataFrame:
    """Real monthly returns (one column per index) and `regimes` labels -> one row per regime
    (the level bands, then the directions): ``months`` and each column's annualised real return
    over the months in that regime (months need not be consecutive)."""
    joined = real.join(labels, how="inner")
    rows = []
    for kind, names in (("level", [b[2] for b in BANDS]), ("direction", DIRECTIONS)):
        for name in names:
            part = joined[joined[kind] == name]
            row: dict[str, object] = {"regime": name, "kind": kind, "months": len(part)}
            if len(part):
                row["first"], row["last"] = str(part.index[0]), str(part.index[-1])
            for col in real.columns:
                row[col] = annualised(part[col])
            rows.append(row)
    return pd.DataFrame(rows).set_index("regime")
