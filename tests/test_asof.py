"""Each page states its data's as-of once near the top, and flags holdings older than the last
reconstitution (generator/pages/asof.py)."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from generator.pages.asof import fourth_friday_of_june, kind_of, reconstitution_between
from tests.snapshot_raw import last_close_day, long_day


def test_june_reconstitution_is_the_fourth_friday():
    assert fourth_friday_of_june(2025) == dt.date(2025, 6, 27)  # FTSE Russell's 2025 recon
    assert fourth_friday_of_june(2026) == dt.date(2026, 6, 26)
    assert fourth_friday_of_june(2024) == dt.date(2024, 6, 28)


def test_holdings_before_a_reconstitution_are_flagged():
    assert reconstitution_between(dt.date(2026, 5, 5), dt.date(2026, 8, 21)) == dt.date(2026, 6, 26)
    assert reconstitution_between(dt.date(2026, 7, 1), dt.date(2026, 8, 21)) is None


def test_kinds_of_sources():
    assert kind_of("^RUT") == "market" and kind_of("DGS10") == "market"
    assert kind_of("IWM") == "fund" and kind_of("USREC") == "monthly"
    assert kind_of("iwm_holdings") == "holdings" and kind_of("members_close") == "members"
    assert kind_of("data/reference/expense_ratios.csv") is None


def test_pages_state_their_as_of_once_under_the_title(built_site, store, raw_dir):
    from generator.catalog import HOLDINGS_TABLE, MEMBERS_TABLE

    docs = built_site.docs_dir
    # The days each source ends on, from the store (the snapshot's: 21 August, 3 August and
    # 5 May 2026; later on the nightly's store).
    index_day = long_day(last_close_day(raw_dir))
    members_day = long_day(pd.Timestamp(store.read_table_meta(MEMBERS_TABLE.id).last))
    holdings = dt.date.fromisoformat(store.read_table_meta(HOLDINGS_TABLE.id).as_of)
    snapshot = index_day == "21 August 2026"
    inside = (docs / "inside.md").read_text()
    assert inside.count('class="primer-asof"') == 1
    title = inside.index("# Inside the Russell 2000")
    line = inside[inside.index('class="primer-asof"'):].split("</p>")[0]
    assert inside.index('class="primer-asof"') > title
    assert f"index levels and rates {index_day}" in line
    assert f"members&#39; prices {members_day}" in line
    assert f"holdings {long_day(pd.Timestamp(holdings))}" in line
    recon = reconstitution_between(holdings, last_close_day(raw_dir).date())
    assert ("reconstitution of" in line) is (recon is not None)
    if snapshot:
        assert "reconstitution of 26 June 2026" in line
    etfs = (docs / "etfs.md").read_text()
    assert "fund prices " in etfs and (f" to {index_day}" in etfs or f"prices {index_day}" in etfs)
    volatility = (docs / "volatility.md").read_text()
    assert "monthly economic data " in volatility
    if snapshot:
        assert "fund prices 3 to 21 August 2026" in etfs
        assert "monthly economic data June 2026" in volatility
    for page in ("glossary.md", "faq.md"):  # no figures: nothing to date
        assert 'class="primer-asof"' not in (docs / page).read_text()
