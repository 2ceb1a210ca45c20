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

def test_recession_troughs_match_the_raw_usrec_file(built_site, raw_dir):
    usrec = raw_fred(raw_dir, "USREC")
    table = figure_csv(built_site, "r2k-event-study-recessions")
    assert table["trough_month"].tolist() == ["1991-03", "2001-11", "2009-06", "2020-04"]
    for month in table["trough_month"]:
        trough = pd.Timestamp(f"{month}-01")
        assert usrec.loc[trough] == 1 and usrec.loc[trough + pd.DateOffset(months=1)] == 0
    # USREC is 1 in 2008-12 (inside the recession), so December 2008 is not a trough.
    assert usrec.loc["2008-12-01"] == 1 and usrec.loc["2009-01-01"] == 1


FED_DECISIONS = [  # (decision, previous decrease): the Federal Reserve's record, typed from
    # federalreserve.gov (intended federal funds rate 1990-2008; FOMC statements since), and for
    # 1989 the recorded intermeeting decision (target series of Thornton, 2005).
    ("1989-06-06", "1988-02-11"), ("1995-07-06", "1992-09-04"), ("1998-09-29", "1996-01-31"),
    ("2001-01-03", "1998-11-17"), ("2007-09-18", "2003-06-25"), ("2019-07-31", "2008-12-16"),
    ("2024-09-18", "2020-03-15")]


def test_first_cuts_match_the_feds_decisions_within_two_days(built_site, raw_dir):
    table = figure_csv(built_site, "r2k-event-study-first-cuts")
    listed = pd.to_datetime(table["event"])
    rut_start = raw_close(raw_dir, "^RUT").index[0]
    decisions = [pd.Timestamp(d) for d, _ in FED_DECISIONS if pd.Timestamp(d) >= rut_start]
    # Every cycle the data covers is there, each within two days of the Fed's decision.
    assert len(listed) == len(decisions)
    for decided, event in zip(decisions, listed, strict=True):
        assert abs((event - decided).days) <= 2, (decided, event)
    assert table["source"].str.startswith("https://www.federalreserve.gov/").all()
    # Each is a first cut: a year or more since the previous decrease.
    for decided, previous in FED_DECISIONS:
        assert pd.Timestamp(previous) <= pd.Timestamp(decided) - pd.DateOffset(months=12)


def test_first_cuts_agree_with_the_raw_target_range(built_site, raw_dir):
    target = raw_fred(raw_dir, "DFEDTARU")
    drops = target.index[target.diff() < 0]
    # Read independently from the raw target range: the decreases with a quiet year before.
    first = [d for i, d in enumerate(drops)
             if (i == 0 and d - pd.DateOffset(months=12) >= target.index[0])
             or (i > 0 and drops[i - 1] <= d - pd.DateOffset(months=12))]
    assert [d.strftime("%Y-%m-%d") for d in first] == ["2019-08-01", "2024-09-19"]
    table = figure_csv(built_site, "r2k-event-study-first-cuts")
    listed = pd.to_datetime(table["event"])
    for effective in first:
        gap = (listed - effective).abs()
        assert gap.min() <= pd.Timedelta(days=2)
        assert target.loc[effective] == table.loc[gap.idxmin(), "rate_after"]
    # The 2025 cuts came nine months after December 2024: the same cycle, not a first cut.
    assert target.loc["2025-09-18"] < target.loc["2025-09-17"]
    assert not listed.dt.strftime("%Y-%m").eq("2025-09").any()
    # The effective rate's dips that fooled the old step detector are not events: August 2007
    # (far below an unchanged target for days) and October 1998 (a week after the decision).
    dff = raw_fred(raw_dir, "DFF")
    assert dff.loc["2007-08-10"] < 4.7 and dff.loc["2007-09-14"] >= 5.25
    assert not listed.dt.strftime("%Y-%m").isin(["2007-08", "1998-10"]).any()


def test_event_returns_reproduce_from_raw_closes(built_site, raw_dir):
    rut, spx = raw_close(raw_dir, "^RUT"), raw_close(raw_dir, "^GSPC")

    def ret(prices: pd.Series, start: str, end: str) -> float:
        return prices.loc[:end].iloc[-1] / prices.loc[:start].iloc[-1] - 1

    troughs = figure_csv(built_site, "r2k-event-study-recessions", index_col="event")
    assert troughs.loc["2009-06-30", "russell_2000_12m"] == pytest.approx(
        ret(rut, "2009-06-30", "2010-06-30"), abs=1e-12)
    assert troughs.loc["2020-04-30", "sp_500_3m"] == pytest.approx(
        ret(spx, "2020-04-30", "2020-07-31"), abs=1e-12)
    assert troughs.loc["1991-03-31", "reference_close"] == "1991-03-28"  # Good Friday 1991
    cuts = figure_csv(built_site, "r2k-event-study-first-cuts", index_col="event")
    gap = ret(rut, "2024-09-18", "2025-09-18") - ret(spx, "2024-09-18", "2025-09-18")
    assert cuts.loc["2024-09-18", "gap_12m"] == pytest.approx(gap, abs=1e-12)
    assert cuts.loc["2019-07-31", "russell_2000_6m"] == pytest.approx(
        ret(rut, "2019-07-31", "2020-01-31"), abs=1e-12)
