"""Event dates: recession troughs and first Fed cuts, by hand, by invariant, and against the raw
snapshot (hand checks of known events, read with plain pandas)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.analytics import events
from tests.snapshot_raw import figure_csv, raw_close, raw_fred


def monthly(flags: list[int], start: str = "2000-01-01") -> pd.Series:
    return pd.Series(flags, index=pd.date_range(start, periods=len(flags), freq="MS"))


def test_trough_is_the_last_month_flagged_one():
    usrec = monthly([0, 1, 1, 0, 0, 1, 0, 1])
    # Runs of 1s end in 2000-03 and 2000-06; the run still open in 2000-08 has no trough yet.
    assert list(events.recession_troughs(usrec)) == [pd.Timestamp("2000-03-01"),
                                                     pd.Timestamp("2000-06-01")]


def test_target_decreases_by_hand():
    target = pd.Series([5.25, 5.25, 4.75, 4.75, 5.0, 4.5],
                       index=pd.date_range("2007-09-17", periods=6, freq="D"))
    table = events.target_decreases(target)
    assert table["date"].dt.strftime("%Y-%m-%d").tolist() == ["2007-09-19", "2007-09-22"]
    assert table["change"].tolist() == pytest.approx([-0.5, -0.5])
    assert table["before"].tolist() == [5.25, 5.0]


def test_first_cuts_need_a_quiet_year_before_them():
    dates = pd.to_datetime(["2001-01-03", "2001-01-31", "2001-12-11", "2002-11-06",
                            "2007-09-18", "2008-01-22"])
    cuts = events.first_cuts(dates, 12, covered_from=pd.Timestamp("1990-01-01"))
    # 2002-11-06 comes 11 months after 2001-12-11: the same cycle.
    assert list(cuts) == [pd.Timestamp("2001-01-03"), pd.Timestamp("2007-09-18")]
    # With a 10-month quiet period the 2002 cut starts a new cycle.
    assert pd.Timestamp("2002-11-06") in events.first_cuts(dates, 10, pd.Timestamp("1990-01-01"))
    # The earliest decrease counts only if the data covers the year before it.
    assert events.first_cuts(dates, 12, pd.Timestamp("2000-06-01"))[0] == pd.Timestamp(
        "2007-09-18")


def test_stable_quiet_range_by_hand():
    dates = pd.to_datetime(["2001-01-03", "2001-12-11", "2002-11-06", "2007-09-18"])
    # Gaps: 11.3 months (2001-01 -> 2001-12), 10.9 (-> 2002-11), 58 (-> 2007-09). Any quiet
    # period of 12..58 months keeps exactly 2001-01-03 and 2007-09-18.
    low, high = events.stable_quiet_range(dates, 12, pd.Timestamp("1990-01-01"),
                                          since=pd.Timestamp("1990-01-01"))
    assert (low, high) == (12, 58)


def business_days(values: list[float], start: str = "1995-01-02") -> pd.Series:
    return pd.Series(values, index=pd.bdate_range(start, periods=len(values)))


def test_detector_finds_a_lasting_step_on_its_first_day():
    rates = business_days([5.50] * 40 + [5.25] * 60)
    found = events.effective_rate_decreases(rates)
    assert found["date"].tolist() == [rates.index[40]]
    assert found["before"].iloc[0] == 5.50 and found["after"].iloc[0] == 5.25


def test_detector_ignores_one_day_dips_and_dips_that_fade():
    year_end = [5.5] * 40 + [4.5] + [5.5] * 60  # a one-day dip (a year-end effect)
    fading = [5.25] * 40 + [4.8] * 12 + [5.25] * 50  # liquidity dip, back within six weeks
    for values in (year_end, fading):
        assert events.effective_rate_decreases(business_days(values)).empty


def naive_detector(rates: pd.Series) -> list[pd.Timestamp]:
    """The detector's rules, written as a plain loop (the reference for the vectorised one)."""
    x = rates[rates.index.day_of_week < 5].to_numpy()
    idx = rates[rates.index.day_of_week < 5].index
    smooth = pd.Series(x).rolling(events.SMOOTH_DAYS).median().to_numpy()
    out, i = [], events.PRE_WINDOW
    while i <= len(x) - events.HOLD_DAYS:
        before = np.median(x[i - events.PRE_WINDOW:i])
        after = np.median(x[i:i + events.POST_WINDOW])
        ok = (all(before - v > events.CONFIRM_DROP + events.EPS
                  for v in x[i:i + events.CONFIRM_DAYS])
              and before - after >= events.STEP - events.EPS
              and np.nanmax(smooth[i + events.SMOOTH_DAYS - 1:i + events.HOLD_DAYS])
              <= before - events.HOLD_MARGIN + events.EPS)
        if ok:
            out.append(idx[i])
            i += events.POST_WINDOW
        else:
            i += 1
    return out


@settings(max_examples=40, deadline=None)
@given(st.lists(st.sampled_from([-0.5, -0.25, -0.05, 0.0, 0.0, 0.0, 0.0, 0.05, 0.25]),
                min_size=60, max_size=250))
def test_vectorised_detector_equals_the_plain_loop(steps):
    rates = business_days(list(5.0 + np.cumsum(steps)))
    assert events.effective_rate_decreases(rates)["date"].tolist() == naive_detector(rates)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(0, 20 * 365), min_size=1, max_size=30, unique=True),
       st.integers(1, 36))
def test_first_cuts_are_decreases_and_each_follows_a_quiet_period(offsets, quiet):
    dates = pd.DatetimeIndex(sorted(pd.Timestamp("1990-01-01") + pd.Timedelta(days=d)
                                    for d in offsets))
    cuts = events.first_cuts(dates, quiet, covered_from=pd.Timestamp("1980-01-01"))
    assert set(cuts) <= set(dates)
    for cut in cuts:
        earlier = dates[(dates < cut) & (dates > cut - pd.DateOffset(months=quiet))]
        assert len(earlier) == 0
    for other in set(dates) - set(cuts):  # every decrease left out had one shortly before it
        earlier = dates[(dates < other) & (dates > other - pd.DateOffset(months=quiet))]
        assert len(earlier) > 0


def test_returns_after_an_event_by_hand():
    prices = pd.Series([100.0, 110.0, 121.0, 90.0], index=pd.to_datetime(
        ["2020-04-30", "2020-07-31", "2020-10-30", "2021-04-30"]))
    out = events.returns_after(prices, pd.Timestamp("2020-04-30"), (3, 6, 12, 24),
                               month_end=True)
    assert out[3] == pytest.approx(0.10)  # to 31 July: the horizon ends with the month
    assert out[6] == pytest.approx(0.21)  # last close on or before 2020-10-30
    assert out[12] == pytest.approx(-0.10)
    assert np.isnan(out[24])  # beyond the data
    # Without month_end, 30 April + 3 months is 30 July: the last close by then is April's.
    assert events.returns_after(prices, pd.Timestamp("2020-04-30"), (3,))[3] == 0.0


# --- Hand checks against the raw snapshot -------------------------------------------------

def test_recession_troughs_match_the_raw_usrec_file(built_site, snapshot_dir):
    usrec = raw_fred(snapshot_dir, "USREC")
    table = figure_csv(built_site, "r2k-event-study-recessions")
    assert table["trough_month"].tolist() == ["1991-03", "2001-11", "2009-06", "2020-04"]
    for month in table["trough_month"]:
        trough = pd.Timestamp(f"{month}-01")
        assert usrec.loc[trough] == 1 and usrec.loc[trough + pd.DateOffset(months=1)] == 0
    # USREC is 1 in 2008-12 (inside the recession), so December 2008 is not a trough.
    assert usrec.loc["2008-12-01"] == 1 and usrec.loc["2009-01-01"] == 1


def test_first_cuts_match_hand_checks_on_the_raw_rate_files(built_site, snapshot_dir):
    table = figure_csv(built_site, "r2k-event-study-first-cuts")
    assert table["event"].tolist() == ["1989-06-06", "1995-07-07", "1998-10-06", "2001-01-03",
                                       "2007-09-18", "2019-08-01", "2024-09-19"]
    target = raw_fred(snapshot_dir, "DFEDTARU")
    # The decisions of 31 July 2019 and 18 September 2024 took effect the next day; the year
    # before each has no decrease in the target at all.
    for day, before, after in (("2019-08-01", 2.50, 2.25), ("2024-09-19", 5.50, 5.00)):
        when = pd.Timestamp(day)
        assert target.loc[:when - pd.Timedelta(days=1)].iloc[-1] == before
        assert target.loc[when] == after
        year_before = target.loc[when - pd.DateOffset(months=12):when - pd.Timedelta(days=1)]
        assert (year_before.diff().dropna() >= 0).all()
    # The 2025 cuts came nine months after December 2024: the same cycle, not a first cut.
    assert target.loc["2025-09-18"] < target.loc["2025-09-17"]
    assert "2025-09-18" not in table["event"].tolist()
    dff = raw_fred(snapshot_dir, "DFF")
    dff = dff[dff.index.day_of_week < 5]
    # 3 January 2001 and 18 September 2007: the effective rate stepped down that day.
    for day in ("2001-01-03", "2007-09-18"):
        i = dff.index.get_loc(pd.Timestamp(day))
        before = dff.iloc[i - 10:i].median()
        assert (dff.iloc[i:i + 3] < before - 0.10).all()
        assert dff.iloc[i:i + 10].median() <= before - 0.15
    # August 2007: the effective rate fell far below the unchanged target for days, then went
    # back: not a cut.
    assert dff.loc["2007-08-10"] < 4.7 and dff.loc["2007-09-14"] >= 5.25
    decreases = figure_csv(built_site, "r2k-fed-rate-decreases")
    assert not decreases["date"].str.startswith("2007-08").any()


def test_every_raw_target_decrease_is_in_the_audit_csv(built_site, snapshot_dir):
    target = raw_fred(snapshot_dir, "DFEDTARU")
    drops = target.index[target.diff() < 0].strftime("%Y-%m-%d").tolist()
    decreases = figure_csv(built_site, "r2k-fed-rate-decreases")
    listed = decreases.loc[decreases["source"] == "DFEDTARU", "date"].tolist()
    assert listed == drops
    assert len(drops) == 11


def test_event_returns_reproduce_from_raw_closes(built_site, snapshot_dir):
    rut, spx = raw_close(snapshot_dir, "^RUT"), raw_close(snapshot_dir, "^GSPC")

    def ret(prices: pd.Series, start: str, end: str) -> float:
        return prices.loc[:end].iloc[-1] / prices.loc[:start].iloc[-1] - 1

    troughs = figure_csv(built_site, "r2k-event-study-recessions", index_col="event")
    assert troughs.loc["2009-06-30", "russell_2000_12m"] == pytest.approx(
        ret(rut, "2009-06-30", "2010-06-30"), abs=1e-12)
    assert troughs.loc["2020-04-30", "sp_500_3m"] == pytest.approx(
        ret(spx, "2020-04-30", "2020-07-31"), abs=1e-12)
    assert troughs.loc["1991-03-31", "reference_close"] == "1991-03-28"  # Good Friday 1991
    cuts = figure_csv(built_site, "r2k-event-study-first-cuts", index_col="event")
    gap = ret(rut, "2024-09-19", "2025-09-19") - ret(spx, "2024-09-19", "2025-09-19")
    assert cuts.loc["2024-09-19", "gap_12m"] == pytest.approx(gap, abs=1e-12)
    assert cuts.loc["2019-08-01", "russell_2000_6m"] == pytest.approx(
        ret(rut, "2019-08-01", "2020-02-01"), abs=1e-12)
