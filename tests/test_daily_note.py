"""The daily note beneath the index: members' breadth, sector returns and contributions (hand
arithmetic on tiny frames), the dated calendar, and the rules that choose the sentences."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from generator.analytics.market_update import members_day, next_events
from generator.analytics.narrative import desk_note
from generator.errors import DataError
from generator.pages.narrative import sentence_text
from generator.sources.reference import read_calendar
from tests.conftest import ROOT

DAYS = pd.bdate_range("2025-06-02", periods=260)


def tiny_members() -> tuple[pd.DataFrame, pd.Series, pd.Series, pd.Series]:
    """Four members over 260 sessions: A and B (Tech), C and D (Energy); flat at 10, then on
    the last day A +10 %, B −5 %, C +2 % (a new 52-week high), D −20 % (a new low)."""
    closes = pd.DataFrame(10.0, index=DAYS, columns=list("ABCD"))
    closes.iloc[100, 2] = 10.1  # C's old high, inside the 52 weeks
    closes.iloc[-1] = [11.0, 9.5, 10.2, 8.0]
    sectors = pd.Series({"A": "Tech", "B": "Tech", "C": "Energy", "D": "Energy"})
    weights = pd.Series({"A": 0.4, "B": 0.1, "C": 0.3, "D": 0.2})
    names = pd.Series({t: f"Company {t}" for t in "ABCD"})
    return closes, sectors, weights, names


def test_members_day_by_hand() -> None:
    closes, sectors, weights, names = tiny_members()
    day = members_day(closes, sectors, weights, names, DAYS[-1])
    assert day is not None
    assert (day["up"], day["down"], day["count"]) == (2, 2, 4)
    assert day["share_up"] == 0.5
    assert (day["new_highs"], day["new_lows"]) == (2, 2)  # A and C above 10.1; B and D below 10
    # Tech: (0.4 × 10 % + 0.1 × −5 %) / 0.5 = 7 %; Energy: (0.3 × 2 % + 0.2 × −20 %) / 0.5
    assert day["sectors"]["best"] == "Tech"
    assert day["sectors"]["best_return"] == pytest.approx(0.07)
    assert day["sectors"]["worst"] == "Energy"
    assert day["sectors"]["worst_return"] == pytest.approx(-0.068)
    assert day["sectors"]["up"] == 1 and day["sectors"]["count"] == 2
    # Contributions: A +4 %, C +0.6 %, B −0.5 %, D −4 % (weight × return).
    assert [day["leaders"][k]["ticker"] for k in ("1", "2")] == ["A", "C"]
    assert [day["laggards"][k]["ticker"] for k in ("1", "2")] == ["D", "B"]
    assert day["weighted_return"] == pytest.approx(0.4 * 0.1 - 0.1 * 0.05 + 0.3 * 0.02 - 0.2 * 0.2)


def test_members_day_is_none_when_the_closes_stop_earlier_and_sees_no_later_day() -> None:
    closes, sectors, weights, names = tiny_members()
    assert members_day(closes.iloc[:-5], sectors, weights, names, DAYS[-1]) is None
    earlier = members_day(closes, sectors, weights, names, DAYS[-2])
    assert earlier is not None and earlier["up"] == 0 and earlier["new_highs"] == 0


def test_members_day_ignores_members_without_a_weight_or_a_close() -> None:
    closes, sectors, weights, names = tiny_members()
    closes["E"] = np.nan
    closes.loc[DAYS[-1], "E"] = 50.0
    day = members_day(closes, sectors, weights.drop("D"), names, DAYS[-1])
    assert day is not None and day["count"] == 3  # D has no weight, E no close the day before


def test_next_events_one_per_kind_within_the_horizon() -> None:
    calendar = pd.DataFrame({"date": pd.to_datetime(["2026-07-29", "2026-09-16", "2026-10-28",
                                                     "2026-09-01", "2027-06-25"]),
                             "kind": ["fomc", "fomc", "fomc", "russell", "russell"],
                             "event": ["a", "b", "c", "d", "e"]})
    events = next_events(calendar, dt.date(2026, 7, 29))
    assert [(e["kind"], e["event"], e["days"]) for e in events] == [("russell", "d", 34),
                                                                   ("fomc", "b", 49)]


def test_the_calendar_file_is_checked(tmp_path: Path) -> None:
    calendar = read_calendar(ROOT / "data" / "reference" / "calendar.csv")
    fomc = calendar[calendar["kind"] == "fomc"]
    assert pd.Timestamp("2026-09-16") in set(fomc["date"])  # FOMC September 15-16, 2026
    assert calendar["date"].is_monotonic_increasing
    bad = tmp_path / "calendar.csv"
    bad.write_text("date,kind,event,source_url,note\n2026-13-01,fomc,x,https://a,\n")
    with pytest.raises(DataError, match=r"line 2, column date"):
        read_calendar(bad)
    bad.write_text("date,kind,event,source_url,note\n2026-12-01,ecb,x,https://a,\n")
    with pytest.raises(DataError, match=r"column kind"):
        read_calendar(bad)


def facts(move: float, share_up: float, sectors_up: int = 6) -> dict:
    """Just enough of an update's facts for the rules under test."""
    return {
        "r2k": {"close": 2000.0, "date": dt.date(2026, 7, 31), "change": {"d1": move}},
        "spx": {"change": {"d1": 0.001}},
        "members": {"share_up": share_up, "count": 1800, "new_highs": 12, "new_lows": 3,
                    "sectors": {"best": "Energy", "best_return": 0.021, "worst": "Health Care",
                                "worst_return": -0.025, "up": sectors_up, "count": 11},
                    "leaders": {"1": {"ticker": "AAA", "return": 0.3, "sector": "Energy"}},
                    "laggards": {"1": {"ticker": "ZZZ", "return": -0.2, "sector": "Utilities"}}},
        "coming": {"fomc": {"date": dt.date(2026, 9, 16),
                            "event": "the Federal Reserve's policy decision"}},
    }


@pytest.mark.parametrize(("share", "rule"), [(0.7, "breadth-broad-gains"),
                                             (0.3, "breadth-broad-losses"),
                                             (0.5, "breadth-mixed")])
def test_breadth_words_follow_the_share_of_members_up(share: float, rule: str) -> None:
    rules = [s.rule for s in desk_note(facts(0.003, share))]
    assert rule in rules


def test_a_big_day_puts_what_moved_beneath_right_after_the_move() -> None:
    big = [s.rule for s in desk_note(facts(-0.021, 0.2, sectors_up=0))]
    assert big[:4] == ["day-down", "breadth-broad-losses", "sectors-all-down", "movers"]
    text = [sentence_text(s) for s in desk_note(facts(-0.021, 0.2, sectors_up=0))]
    assert "Every sector fell, Health Care most (−2.5%)" in text[2]
    assert text[-1] == ("Next on the calendar: the Federal Reserve's policy decision on "
                        "16 September 2026.")


def test_names_from_the_data_are_escaped_in_the_html() -> None:
    from generator.pages.narrative import sentence_html

    hostile = facts(0.003, 0.5)
    hostile["members"]["sectors"]["best"] = '<img src=x onerror="alert(1)">{x}'
    html = " ".join(sentence_html(s) for s in desk_note(hostile))
    assert "<img" not in html and ("&lt;img" in html or "&#60;img" in html)
