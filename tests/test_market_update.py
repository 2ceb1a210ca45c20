"""The market update: facts and desk-note sentences for real dates, checked against a hand
computation from the raw snapshot CSVs; no look-ahead (in memory and with a truncated copy of
the store); freshness and the update report; the archive pages and the Atom feed of the built
site."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path
from xml.etree import ElementTree as ET

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.analytics.market_update import (
    business_days_after,
    flatten,
    market_update,
    trading_days_for_archive,
    truncate,
)
from generator.analytics.narrative import MAX_SENTENCES, desk_note
from generator.catalog import get
from generator.errors import DataError
from generator.pages import environment, table
from generator.pages.market_update import DAY_TEMPLATE, atom_feed
from generator.pages.narrative import sentence_text
from generator.store import Store
from generator.topics.market_update.data import (
    ROLES,
    data_freshness,
    day_update,
    load_inputs,
    with_units,
)
from tests.snapshot_raw import last_close_day, raw_close, raw_fred

ATOM = "{http://www.w3.org/2005/Atom}"


# --- the hand computation: raw snapshot CSVs, plain pandas, no project code ----------------

def raw_series(raw_dir: Path, series_id: str) -> pd.Series:
    """A series straight from its snapshot file (Yahoo's Close or FRED's value column)."""
    return (raw_close if series_id.startswith("^") else raw_fred)(raw_dir, series_id)


def by_hand(raw_dir: Path, day: str) -> dict:
    """Every fact the desk note uses for `day`, computed here without the project's code."""
    cut = pd.Timestamp(day)
    out: dict = {}
    for role, sid in (("r2k", "^RUT"), ("spx", "^GSPC")):
        prices = raw_series(raw_dir, sid)
        prices = prices[prices.index <= cut]
        close, last = prices.iloc[-1], prices.index[-1]
        month_ago = prices[prices.index <= last - pd.DateOffset(months=1)].iloc[-1]
        record = prices.max()
        record_day = prices[prices == record].index[0]
        year = prices[prices.index > last - pd.Timedelta(days=364)]
        out[role] = {
            "close": close, "d1": close / prices.iloc[-2] - 1, "m1": close / month_ago - 1,
            "ath": record, "ath_date": record_day.date(), "from_ath": close / record - 1,
            "prior_ath": prices.iloc[:-1].max(),
            "prior_ath_date": prices.iloc[:-1].idxmax().date(),
            "low_52w": year.min(), "high_52w": year.max(),
            "position": (close - year.min()) / (year.max() - year.min()),
        }
    out["gap_m1"] = out["r2k"]["m1"] - out["spx"]["m1"]
    for role, sid in (("dgs10", "DGS10"), ("dgs2", "DGS2"), ("fed", "DFEDTARU"),
                      ("hy", "BAMLH0A0HYM2")):
        values = raw_series(raw_dir, sid)
        values = values[values.index <= cut]
        last = values.index[-1]
        base = values[values.index <= last - pd.DateOffset(months=1)].iloc[-1]
        out[role] = {"value": values.iloc[-1], "change": round(values.iloc[-1] - base, 4),
                     "date": last.date()}
        if role == "hy":
            out[role]["percentile"] = (values <= values.iloc[-1]).sum() / len(values)
            out[role]["start"] = values.index[0].date()
    return out


def signed_pct(x: float, digits: int = 1) -> str:
    text = f"{abs(x) * 100:.{digits}f}%"
    return ("+" if x >= 0 else "−") + text


def long_date(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


def ordinal(share: float) -> str:
    n = round(share * 100)
    return f"{n}{'th' if 10 <= n % 100 <= 20 else {1: 'st', 2: 'nd', 3: 'rd'}.get(n % 10, 'th')}"


# --- fixtures ---------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def inputs(store: Store) -> dict[str, pd.Series]:
    return load_inputs(store)


def update_for(inputs: dict[str, pd.Series], day: str) -> dict:
    return day_update(inputs, dt.date.fromisoformat(day))


# --- facts and sentences on chosen real dates --------------------------------------------------

def test_covid_crash_2020_03_23_deep_drawdown_fed_cut_spreads_blow_out(inputs, raw_dir):
    day = "2020-03-23"
    hand = by_hand(raw_dir, day)
    update = update_for(inputs, day)
    flat = flatten({k: v for k, v in update.items() if k not in
                    ("sentences", "windows_table", "rates_table")})
    r2k, spx = hand["r2k"], hand["spx"]
    assert flat["as_of"] == dt.date(2020, 3, 23)
    assert flat["r2k.close"] == r2k["close"] == 1002.400024
    assert flat["r2k.change.d1"] == r2k["d1"]
    assert flat["r2k.change.m1"] == r2k["m1"]
    assert flat["spx.change.m1"] == spx["m1"]
    assert flat["gap.m1"] == hand["gap_m1"]
    assert flat["r2k.ath"] == r2k["ath"] == 1740.75
    assert flat["r2k.ath_date"] == r2k["ath_date"] == dt.date(2018, 8, 31)
    assert flat["r2k.from_ath"] == r2k["from_ath"]
    assert flat["r2k.from_ath"] < -0.40  # deeper than 10 %, and a bear market
    assert flat["dgs10.change_m1"] == hand["dgs10"]["change"]
    assert flat["fed_target.value"] == hand["fed"]["value"] == 0.25
    assert flat["fed_target.change_m1"] == hand["fed"]["change"] == -1.5
    assert flat["hy.value"] == hand["hy"]["value"] == 10.87
    assert flat["hy.change_m1"] == hand["hy"]["change"]
    assert flat["hy.percentile"] == hand["hy"]["percentile"]

    # Seven rules have something to say, and all fit in the note; the 52-week-range sentence
    # (optional, checked elsewhere) comes after the level.
    assert [s.rule for s in update["sentences"]][3] == "52w-range"
    sentences = [s for s in update["sentences"] if s.rule != "52w-range"]
    assert [s.rule for s in sentences] == ["day-down", "month-lag", "bear-market", "yields-down",
                                           "fed-cut", "spreads-widen"]
    assert [sentence_text(s) for s in sentences] == [
        f"The Russell 2000 closed at {r2k['close']:,.2f} on 23 March 2020, down "
        f"{abs(r2k['d1']) * 100:.1f}% on the day (S&P 500: {signed_pct(spx['d1'])}).",
        f"Over the past month small caps lagged large caps by {abs(hand['gap_m1']) * 100:.1f} "
        f"percentage points (Russell 2000 {signed_pct(r2k['m1'])}, S&P 500 "
        f"{signed_pct(spx['m1'])}).",
        f"The index is in a bear market by the usual definition, "
        f"{abs(r2k['from_ath']) * 100:.1f}% below its all-time closing high of 1,740.75 set on "
        "31 August 2018.",
        f"The 10-year Treasury yield fell {abs(hand['dgs10']['change']):.2f} percentage points "
        f"over the month to {hand['dgs10']['value']:.2f}%; the 2-year yield is at "
        f"{hand['dgs2']['value']:.2f}% (−{abs(hand['dgs2']['change']):.2f} pp).",
        "The Federal Reserve lowered the top of its target range by 1.50 percentage points over "
        "the month, to 0.25%.",
        f"High-yield credit spreads widened {hand['hy']['change']:.2f} percentage points over the "
        f"month to 10.87%, the {ordinal(hand['hy']['percentile'])} percentile of their history "
        "since 31 December 1996.",
    ]
    # Each sentence names the facts it shows, and they are the update's own values.
    for sentence in sentences:
        for fact in sentence.facts:
            assert flat[fact.key] == fact.value


def test_record_high_2021_11_08_small_caps_lead(inputs, raw_dir):
    day = "2021-11-08"
    hand = by_hand(raw_dir, day)
    update = update_for(inputs, day)
    r2k, spx = hand["r2k"], hand["spx"]
    assert update["r2k"]["close"] == r2k["close"] == 2442.74
    assert update["r2k"]["new_ath"] and update["r2k"]["ath_date"] == dt.date(2021, 11, 8)
    assert update["r2k"]["new_52w_high"]
    assert update["r2k"]["prior_ath"] == r2k["prior_ath"]
    assert update["r2k"]["range_position"] == r2k["position"] == 1.0
    assert update["gap"]["m1"] == hand["gap_m1"] > 0.005
    # The 10-year yield moved exactly the 0.10-point threshold (1.51 against 1.61): rounding
    # the difference keeps binary noise from hiding it.
    assert update["dgs10"]["change_m1"] == hand["dgs10"]["change"] == -0.1
    assert update["fed_target"]["change_m1"] == 0.0
    assert [s.rule for s in update["sentences"]] == [
        "day-up", "month-lead", "record-high", "yields-down", "spreads-steady"]
    texts = [sentence_text(s) for s in update["sentences"]]
    assert texts[1] == (
        f"Over the past month small caps led large caps by {hand['gap_m1'] * 100:.1f} percentage "
        f"points (Russell 2000 {signed_pct(r2k['m1'])}, S&P 500 {signed_pct(spx['m1'])}).")
    assert texts[2] == (
        f"That close is a new all-time closing high, above the previous record of "
        f"{r2k['prior_ath']:,.2f} set on {long_date(r2k['prior_ath_date'])}.")
    assert texts[3].startswith("The 10-year Treasury yield fell 0.10 percentage points over the "
                               f"month to {hand['dgs10']['value']:.2f}%")
    assert texts[4] == (
        f"High-yield credit spreads were steady over the month at {hand['hy']['value']:.2f}% "
        f"({'+' if hand['hy']['change'] >= 0 else '−'}{abs(hand['hy']['change']):.2f} pp), the "
        f"{ordinal(hand['hy']['percentile'])} percentile of their history since "
        "31 December 1996.")


def test_tariff_shock_2025_04_08_spreads_widen_52_week_low(inputs, raw_dir):
    day = "2025-04-08"
    hand = by_hand(raw_dir, day)
    update = update_for(inputs, day)
    r2k = hand["r2k"]
    assert update["r2k"]["new_52w_low"] and update["r2k"]["low_52w"] == r2k["low_52w"]
    assert update["hy"]["value"] == hand["hy"]["value"] == 4.57
    assert update["hy"]["change_m1"] == hand["hy"]["change"] == 1.6  # 4.57 against 2.97
    assert [s.rule for s in update["sentences"]] == [
        "day-down", "month-lag", "52w-low", "yields-steady", "spreads-widen"]
    texts = [sentence_text(s) for s in update["sentences"]]
    assert texts[2] == (
        f"That is its lowest close in 52 weeks, {abs(r2k['from_ath']) * 100:.1f}% below the "
        "all-time closing high of 2,442.74 set on 8 November 2021.")
    assert texts[4] == (
        "High-yield credit spreads widened 1.60 percentage points over the month to 4.57%, the "
        f"{ordinal(hand['hy']['percentile'])} percentile of their history since 31 December 1996.")


def test_latest_update_matches_hand_computation(store, raw_dir):
    from generator.topics.market_update.data import market_update_facts

    facts = market_update_facts(store)["market_update"]
    latest = facts["latest"]
    last = last_close_day(raw_dir)  # 2026-08-21 in the snapshot; later on the nightly's store
    hand = by_hand(raw_dir, str(last.date()))
    assert latest["as_of"] == last.date()
    assert latest["r2k"]["close"] == hand["r2k"]["close"]
    assert latest["r2k"]["low_52w"] == hand["r2k"]["low_52w"]
    assert latest["r2k"]["high_52w"] == hand["r2k"]["high_52w"]
    assert latest["r2k"]["range_position"] == hand["r2k"]["position"]
    assert latest["hy"]["percentile"] == hand["hy"]["percentile"]
    assert latest["hy"]["date"] == hand["hy"]["date"] <= last.date()  # FRED lags a day or so
    assert 3 <= len(latest["sentences"]) <= MAX_SENTENCES
    # The archive: every trading day since 2026-07-01 (at least 30), newest first.
    days = [u["as_of"] for u in facts["archive"]]
    assert len(days) >= 30 and days == sorted(days, reverse=True)
    assert days[-1] == dt.date(2026, 7, 1)


def test_the_windows_table_is_the_facts(inputs):
    update = update_for(inputs, "2026-08-21")
    table = update["windows_table"]
    assert list(table.index) == ["1 day", "1 week", "1 month", "3 months", "Year to date",
                                 "1 year"]
    assert table.loc["Year to date", "r2k"] == update["r2k"]["change"]["ytd"]
    assert table.loc["Year to date", "since"] == dt.date(2025, 12, 31)
    assert table.loc["1 year", "gap"] == (update["r2k"]["change"]["y1"]
                                          - update["spx"]["change"]["y1"])


# --- no look-ahead ----------------------------------------------------------------------------

@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.integers(min_value=300, max_value=9800), st.floats(min_value=0.5, max_value=2.0))
def test_no_look_ahead_in_memory(inputs, position, factor):
    """Rewriting every observation after D (scaling it) changes nothing in the update for D."""
    day = inputs["r2k"].index[position]
    altered = {role: values.where(values.index <= day, values * factor)
               for role, values in inputs.items()}
    assert flatten(market_update(altered, day)) == flatten(market_update(inputs, day))
    assert flatten(market_update(truncate(inputs, day), day)) == \
        flatten(market_update(inputs, day))


def truncated_store(store: Store, day: dt.date, target: Path) -> Store:
    """A copy of the store whose update series all end on or before `day`."""
    shutil.copytree(store.root, target)
    copy = Store(target)
    for series_id in ROLES.values():
        series = get(series_id)
        frame = copy.read_series(series)
        copy.write_series(series, frame.loc[:pd.Timestamp(day)], origin="test:truncated")
    return copy


def render_day(settings, update: dict) -> str:
    """The day page as the build renders it (the page gets the update's numbers with units)."""
    env = environment(settings.content_dir)
    return env.get_template(DAY_TEMPLATE).render(mu=with_units(update), newer=None, older=None,
                                                 root="../../", table=table)


@pytest.mark.parametrize("day", ["2020-03-23", "2025-04-08", "2026-07-01"])
def test_update_for_d_is_identical_whether_the_store_ends_at_d_or_later(
        store, built_site, tmp_path, day):
    when = dt.date.fromisoformat(day)
    short = truncated_store(store, when, tmp_path / "store")
    assert short.read_meta(get("^RUT")).last_date == when
    assert short.read_meta(get("BAMLH0A0HYM2")).last_date <= when
    full_update = day_update(load_inputs(store), when)
    short_update = day_update(load_inputs(short), when)

    def facts_only(update):
        return flatten({k: v for k, v in update.items()
                        if k not in ("sentences", "windows_table", "rates_table")})

    assert facts_only(short_update) == facts_only(full_update)
    assert short_update["sentences"] == full_update["sentences"]
    pd.testing.assert_frame_equal(short_update["windows_table"], full_update["windows_table"])
    assert render_day(built_site, short_update) == render_day(built_site, full_update)


# --- freshness and the update report ------------------------------------------------------------

SNAPSHOT_END = pd.Timestamp("2026-08-21")


def small_store(store: Store, target: Path) -> Store:
    """A store of the Russell 2000's closes up to the snapshot's last day (Fri 2026-08-21):
    real past closes, cut where the snapshot ends, whatever day the session's store ends on."""
    small = Store(target)
    rut = get("^RUT")
    frame = store.read_series(rut)
    # Those closes are the snapshot's (past closes do not change): its origin, as imported.
    small.write_series(rut, frame[frame.index <= SNAPSHOT_END], origin="snapshot:yahoo/^RUT.csv")
    return small


def test_freshness_without_a_report_says_snapshot_and_stale(store, tmp_path):
    fresh = data_freshness(small_store(store, tmp_path), dt.date(2026, 11, 25))["freshness"]
    assert fresh["as_of"] == dt.date(2026, 8, 21)
    # Weekdays after Fri 2026-08-21 up to Wed 2026-11-25, counted by hand.
    weekdays = sum(1 for d in pd.date_range("2026-08-22", "2026-11-25") if d.weekday() < 5)
    assert fresh["business_days_behind"] == weekdays == 68
    assert fresh["calendar_days_behind"] == 96
    assert fresh["stale"] and fresh["behind"] and fresh["problems"] == []
    assert fresh["report"] is None and fresh["from_snapshot"]


def test_freshness_next_monday_is_current(store, tmp_path):
    fresh = data_freshness(small_store(store, tmp_path), dt.date(2026, 8, 24))["freshness"]
    assert fresh["business_days_behind"] == 1
    assert not fresh["stale"]


def test_a_rejected_series_in_the_report_makes_the_data_stale(store, tmp_path):
    small = small_store(store, tmp_path)
    report = [
        {"series": "^RUT", "status": "unchanged", "reason": "", "last_date": "2026-08-21",
         "checked_at": "2026-08-24T22:00:00Z"},
        {"series": "BAMLH0A0HYM2", "status": "rejected",
         "reason": "implausible move on 2026-08-21", "last_date": "2026-08-20",
         "checked_at": "2026-08-24T22:01:00Z"},
    ]
    # The shape `make update` writes: {"checked_at", "exit_code", "series": [...]}.
    path = tmp_path / "_update_report.json"
    path.write_text(json.dumps({"checked_at": "2026-08-24T22:01:00Z", "exit_code": 1,
                                "series": report}))
    fresh = data_freshness(small, dt.date(2026, 8, 24))["freshness"]
    assert not fresh["behind"] and fresh["stale"]
    assert [p["series"] for p in fresh["problems"]] == ["BAMLH0A0HYM2"]
    assert fresh["last_checked"] == "2026-08-24T22:01:00Z"
    assert fresh["checked_on"] == dt.date(2026, 8, 24)
    # Pages get publishers and counts, never the report's reasons.
    assert fresh["failed_sources"] == [{"name": "FRED", "count": 1}]
    assert "reason" not in fresh["problems"][0]
    assert fresh["problems"][0]["last_date"] == dt.date(2026, 8, 20)
    # Nothing rejected, but a feed the update reads has not moved on: still stale.
    report[1] = {"series": "DGS10", "status": "unchanged", "reason": "", "stale": True,
                 "last_date": "2026-08-13", "checked_at": "2026-08-24T22:01:00Z"}
    path.write_text(json.dumps({"series": report}))
    fresh = data_freshness(small, dt.date(2026, 8, 24))["freshness"]
    assert fresh["problems"] == [] and [e["series"] for e in fresh["lagging"]] == ["DGS10"]
    assert fresh["stale"]
    report[1]["stale"] = False
    path.write_text(json.dumps({"series": report}))
    assert not data_freshness(small, dt.date(2026, 8, 24))["freshness"]["stale"]
    path.write_text("{not json")
    with pytest.raises(DataError, match=r"_update_report\.json"):
        data_freshness(small, dt.date(2026, 8, 24))


def test_failures_are_grouped_by_publisher_in_a_fixed_order():
    from generator.topics.market_update.data import _reader_entry, by_publisher

    entries = [{"series": s, "status": "unreachable", "reason": "curl: (6) …"}
               for s in ("DGS10", "^RUT", "DFF", "IWM")]
    entries += [{"series": "IWM holdings", "status": "rejected", "source": "ishares"},
                {"series": "members' closes", "status": "unreachable", "source": "yahoo"},
                {"series": "mystery", "status": "failed", "last_date": "not a date"}]
    groups = by_publisher([_reader_entry(e) for e in entries])
    assert groups == [{"name": "Yahoo Finance", "count": 3}, {"name": "FRED", "count": 2},
                      {"name": "iShares", "count": 1}, {"name": "another source", "count": 1}]


def test_business_days_and_archive_days():
    assert business_days_after(dt.date(2026, 8, 21), dt.date(2026, 8, 21)) == 0
    assert business_days_after(dt.date(2026, 8, 21), dt.date(2026, 8, 23)) == 0  # weekend
    assert business_days_after(dt.date(2026, 8, 21), dt.date(2026, 8, 28)) == 5
    days = pd.bdate_range("2026-06-01", "2026-08-21")
    assert trading_days_for_archive(days, dt.date(2026, 8, 10), 30)[0] == days[-30].date()
    assert trading_days_for_archive(days, dt.date(2026, 6, 2), 30)[0] == dt.date(2026, 6, 2)
    assert len(trading_days_for_archive(days[:5], dt.date(2026, 6, 2), 30)) == 5


def test_missing_rates_leave_fewer_sentences():
    """Before the spread series begins, the update still speaks about the indexes."""
    prices = pd.Series(np.linspace(100, 120, 400),
                       index=pd.bdate_range("2020-01-01", periods=400))
    facts = market_update({"r2k": prices, "spx": prices * 2}, prices.index[-1])
    rules = [s.rule for s in desk_note(facts)]
    assert rules == ["day-up", "month-in-step", "record-high"]


# --- the built site: archive pages, feed, page head ------------------------------------------

def test_feed_parses_with_an_entry_per_archive_day(built_site, store, raw_dir):
    site = built_site.site_dir
    feed = ET.parse(site / "market-update" / "feed.xml").getroot()
    entries = feed.findall(f"{ATOM}entry")
    archive = sorted((site / "market-update" / "archive").glob("20*/index.html"))
    assert len(entries) >= 30 and len(entries) == len(archive)
    ids = [e.findtext(f"{ATOM}id") for e in entries]
    assert len(set(ids)) == len(ids)
    for entry in entries:
        link = entry.find(f"{ATOM}link").get("href")
        assert link.startswith(built_site.site_url)  # absolute, from SITE_URL
        page = site / link.removeprefix(built_site.site_url) / "index.html"
        assert page.is_file(), link
        assert "Russell 2000 closed at" in entry.findtext(f"{ATOM}content")
    last = last_close_day(raw_dir)  # 2026-08-21 in the snapshot
    assert entries[0].findtext(f"{ATOM}updated") == f"{last.date()}T00:00:00Z"
    assert (site / "feed.xml").read_bytes() == (site / "market-update" / "feed.xml").read_bytes()
    head = (site / "market-update" / "index.html").read_text()
    assert 'rel="alternate" type="application/atom+xml"' in head


def test_feed_urls_follow_site_url(store):
    from generator.topics.market_update.data import market_update_facts

    facts = market_update_facts(store)
    feed = ET.fromstring(atom_feed(facts, "https://example.org/primer/"))
    hrefs = [link.get("href") for link in feed.iter(f"{ATOM}link")]
    assert hrefs[0] == "https://example.org/primer/market-update/feed.xml"
    assert all(h.startswith("https://example.org/primer/") for h in hrefs)


def test_day_pages_show_their_own_date_and_trace_every_sentence(built_site, store, raw_dir):
    docs = built_site.docs_dir
    page = (docs / "market-update" / "archive" / "2026-07-01.md").read_text()
    assert "# Market update: 1 July 2026" in page
    assert "data on or before that day" in page
    assert page.count('class="primer-sentence"') == page.count("[^note-") // 2
    html = (built_site.site_dir / "market-update" / "index.html").read_text()
    # Stale where the data ends long before the build (the snapshot: months), not otherwise.
    stale = data_freshness(store, built_site.build_date)["freshness"]["stale"]
    assert ("Stale data" in html) is stale
    assert 'data-fact="r2k.close"' in html
    index = (built_site.site_dir / "index.html").read_text()
    last = last_close_day(raw_dir)  # 21 August 2026 in the snapshot
    assert f"Latest market update: {last.day} {last:%B %Y}" in index


def test_past_year_figure_is_the_one_year_change(built_site, raw_dir):
    data = pd.read_csv(built_site.site_dir / "figures" / "market-update-year.csv",
                       index_col="date", parse_dates=True)
    hand = {sid: raw_series(raw_dir, sid) for sid in ("^RUT", "^GSPC")}
    last = last_close_day(raw_dir)  # 2026-08-21 in the snapshot
    year_before = last - pd.DateOffset(years=1)
    base = hand["^RUT"][hand["^RUT"].index <= year_before].index[-1]
    assert data.index[0] == base and data.index[-1] == last
    assert data.iloc[0].tolist() == [100.0, 100.0]
    for column, sid in (("russell_2000_rebased", "^RUT"), ("sp_500_rebased", "^GSPC")):
        expected = hand[sid].loc[last] / hand[sid].loc[base] * 100
        assert data[column].iloc[-1] == pytest.approx(expected, rel=1e-12)


def test_site_url_and_build_date_settings(monkeypatch):
    from generator.errors import BuildError
    from generator.settings import Settings

    monkeypatch.setenv("SITE_URL", "https://example.org/primer")
    monkeypatch.setenv("PRIMER_BUILD_DATE", "2026-08-24")
    settings = Settings.from_env()
    assert settings.site_url == "https://example.org/primer/"
    assert settings.build_date == dt.date(2026, 8, 24)
    monkeypatch.setenv("PRIMER_BUILD_DATE", "24/08/2026")
    with pytest.raises(BuildError, match="PRIMER_BUILD_DATE"):
        Settings.from_env()
