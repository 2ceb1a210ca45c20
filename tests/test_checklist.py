"""The investor checklist: its numbers against a hand computation from the raw snapshot, and the
page in headless Chromium (ticks persist across a reload, reset clears, progress counts, instant
navigation, print media)."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from generator.analytics.holding_periods import annualised_without_best_days
from generator.analytics.narrative import MAX_SENTENCES
from generator.analytics.periods import rolling_window_returns
from generator.pages import table
from generator.topics.checklist.data import checklist_facts
from generator.units import Count, Fraction
from tests.conftest import navigate_instantly, sitemap_for
from tests.snapshot_raw import last_close_day, long_day, raw_close, raw_fred


def raw_series(raw_dir, series_id: str) -> pd.Series:
    return (raw_close if series_id.startswith("^") else raw_fred)(raw_dir, series_id)


@pytest.fixture(scope="module")
def facts(store) -> dict:
    return checklist_facts(store)["checklist"]


def test_worst_drawdown_and_its_recovery_by_hand(facts, raw_dir):
    rut = raw_series(raw_dir, "^RUT")
    running_high = rut.cummax()
    depth = rut / running_high - 1
    trough = depth.idxmin()
    peak_level = running_high[trough]
    peak = rut[:trough][rut[:trough] == peak_level].index[-1]
    after = rut[trough:]
    recovery = after[after >= peak_level].index[0]
    worst = facts["worst"]
    assert worst["depth"] == depth.min()
    assert (worst["peak"], worst["trough"], worst["recovery"]) == (
        peak.date(), trough.date(), recovery.date()) == (
        dt.date(2007, 7, 13), dt.date(2009, 3, 9), dt.date(2011, 4, 27))
    assert worst["days_to_recover"] == len(rut[trough:recovery]) - 1
    assert worst["years_peak_to_recovery"] == (recovery - peak).days / 365.25
    assert facts["worst_at_allocation"]["portfolio_loss"] == depth.min() * 0.10


def test_volatility_ratio_by_hand(facts, raw_dir):
    both = pd.concat([raw_series(raw_dir, "^RUT"), raw_series(raw_dir, "^GSPC")],
                     axis=1, join="inner").dropna()
    returns = both.pct_change().iloc[1:]
    vol = returns.std(ddof=1) * np.sqrt(252)
    assert facts["volatility"]["ratio"].value == pytest.approx(vol.iloc[0] / vol.iloc[1], rel=1e-12)
    recent = returns.iloc[-252:].std(ddof=1) * np.sqrt(252)
    assert facts["volatility"]["ratio_1y"].value == pytest.approx(recent.iloc[0] / recent.iloc[1],
                                                            rel=1e-12)
    assert facts["volatility"]["since"] == dt.date(1987, 9, 10)


def test_expense_ratios_from_the_reference_file(facts, settings_root):
    table = pd.read_csv(settings_root / "data" / "reference" / "expense_ratios.csv")
    small = table[table["ticker"].isin(["IWM", "VTWO", "IJR", "SPSM", "VB", "SCHA", "IWC"])]
    assert facts["cheapest"]["expense_ratio"] == small["expense_ratio_pct"].min() / 100
    cheapest = small.loc[small["expense_ratio_pct"] == small["expense_ratio_pct"].min(), "ticker"]
    assert facts["cheapest"]["tickers"] == ", ".join(cheapest)
    assert facts["funds"].loc["IWM", "cost_10k"] == pytest.approx(19.0)


def test_holding_period_helpers_on_a_tiny_series():
    # Month-end closes doubling over exactly ten years: 10-year annualised 2 ** (1/10) − 1.
    months = pd.date_range("2000-01-31", periods=121, freq="ME")
    prices = pd.Series(np.geomspace(100, 200, 121), index=months)
    # A close in the next month: that month is not over, so no window ends in it.
    prices[pd.Timestamp("2010-02-01")] = 999.0
    rolling = rolling_window_returns(prices, 10)
    assert len(rolling) == 1 and rolling.iloc[0] == pytest.approx(2 ** 0.1 - 1, rel=1e-12)
    # Five daily closes: +10 %, −10 %, +20 %, 0 %; without the best day the +20 % is gone.
    days = pd.Series([100.0, 110.0, 99.0, 118.8, 118.8],
                     index=pd.to_datetime(["2001-01-01", "2001-07-02", "2001-12-31",
                                           "2002-07-01", "2003-01-01"]))
    every, without = annualised_without_best_days(days, 1)
    years = 730 / 365.25  # 2001-01-01 to 2003-01-01
    assert every == pytest.approx(1.188 ** (1 / years) - 1, rel=1e-12)
    assert without == pytest.approx(0.99 ** (1 / years) - 1, rel=1e-12)


def test_checklist_and_history_count_the_same_ten_year_windows(built_site, store, raw_dir):
    """One function, one number: the checklist's windows are History's (complete months)."""
    from generator.topics.history.data import rolling_wins_table
    checklist = checklist_facts(store)["checklist"]["horizon"]
    history = rolling_wins_table(store)["russell_2000"].dropna()
    assert checklist["years"] == 10
    assert checklist["windows"] == len(history)
    last = last_close_day(raw_dir)
    # Complete months only: the last window ends at a month end before the last close.
    assert last - pd.DateOffset(months=1, days=7) <= history.index[-1] <= last
    if last == pd.Timestamp("2026-08-21"):  # the snapshot's
        assert len(history) == 347 and history.index[-1] == pd.Timestamp("2026-07-31")


def test_sector_weights_appear_only_when_holdings_facts_exist(built_site, store):
    """The sector item uses the composition facts (holdings) when they exist, and says plainly
    that they are missing when they do not."""
    from generator.pages import environment
    from generator.topics import build_facts
    from generator.topics.market_update.data import data_freshness

    facts = build_facts(store)
    facts.update(data_freshness(store, dt.date(2026, 8, 24)))
    env = environment(built_site.content_dir)
    kwargs = {"table": table, "figure": lambda _: "", "takeaway": lambda _: "",
              "facts": facts}
    without = {k: v for k, v in facts.items() if k != "composition"}
    page = env.get_template("checklist.md").render(**without, **kwargs)
    assert "not in this site's data" in page and "Largest sectors" not in page
    sectors = [{"name": "Financials", "count": Count(300), "weight": Fraction(0.181)},
               {"name": "Health Care", "count": Count(250), "weight": Fraction(0.157)}]
    with_holdings = {**without, "composition": {"sector_list": sectors,
                                                "as_of": dt.date(2026, 5, 5)}}
    page = env.get_template("checklist.md").render(**with_holdings, **kwargs)
    assert "Financials **18.1%**, Health Care **15.7%**." in page
    assert "IWM's holdings as of\n5 May 2026" in page


@pytest.fixture(scope="module")
def settings_root(built_site):
    return built_site.root


# --- in the browser ---------------------------------------------------------------------------

def _open(browser, url: str, width: int = 1280, scheme: str = "light"):
    context = browser.new_context(viewport={"width": width, "height": 900},
                                  color_scheme=scheme)
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(url, wait_until="networkidle")
    return context, page, errors


def _progress(page) -> str:
    return page.locator("[data-progress]").inner_text()


@pytest.mark.browser
def test_ticks_persist_across_reload_and_reset_clears(browser, site_url, artifacts):
    context, page, errors = _open(browser, site_url + "checklist/")
    boxes = page.locator("input[type=checkbox][data-item]")
    total = boxes.count()
    assert total >= 12
    assert _progress(page) == f"0 of {total} done"
    page.locator("input[data-item=hold-through]").check()
    page.locator("input[data-item=watch-credit]").check()
    assert _progress(page) == f"2 of {total} done"
    assert page.locator("progress").evaluate("el => el.value") == 2
    page.reload(wait_until="networkidle")
    assert page.locator("input[data-item=hold-through]").is_checked()
    assert page.locator("input[data-item=watch-credit]").is_checked()
    assert not page.locator("input[data-item=horizon]").is_checked()
    assert _progress(page) == f"2 of {total} done"
    assert page.locator("#check-hold-through.is-done").count() == 1
    page.screenshot(path=str(artifacts / "checklist-ticked-1280-light.png"), full_page=False)
    page.locator("[data-reset]").click()
    assert [boxes.nth(i).is_checked() for i in range(total)] == [False] * total
    assert _progress(page) == f"0 of {total} done"
    assert page.evaluate("Object.keys(localStorage).filter(k => k.startsWith('primer-'))") == []
    page.reload(wait_until="networkidle")
    assert not page.locator("input[data-item=hold-through]").is_checked()
    assert errors == []
    context.close()


@pytest.mark.browser
def test_checklist_works_after_instant_navigation(browser, built_site, site_url):
    """Material swaps the page in without a reload: the checklist must still initialise."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.route("**/sitemap.xml", sitemap_for(site_url, built_site))
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(site_url + "checklist/", wait_until="networkidle")
    page.locator("input[data-item=size-it]").check()
    page.goto(site_url + "market-update/", wait_until="networkidle")
    # Material may change the URL before it swaps the content in: wait for the new checklist.
    arrived = ("(() => { const el = document.querySelector('[data-checklist]');"
               " return location.pathname.endsWith('/checklist/')"
               " && el !== null && el.dataset.ready === 'true'; })()")
    assert navigate_instantly(page, "article a[href$='checklist/']", arrived), "a full reload"
    assert page.locator("input[data-item=size-it]").is_checked()
    assert _progress(page).startswith("1 of ")
    assert errors == []
    context.close()


@pytest.mark.browser
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_print_hides_navigation_and_shows_items(browser, site_url, artifacts, scheme, raw_dir):
    context, page, errors = _open(browser, site_url + "checklist/", scheme=scheme)
    page.locator("input[data-item=horizon]").check()
    page.emulate_media(media="print")
    for hidden in (".md-header", ".md-sidebar--primary", ".md-sidebar--secondary", ".md-footer",
                   "[data-reset]"):
        assert not page.locator(hidden).first.is_visible(), hidden
    items = page.locator(".primer-check")
    assert items.count() >= 12
    assert all(items.nth(i).is_visible() for i in range(items.count()))
    assert page.locator(".primer-check__box").first.is_visible()
    assert page.locator(".primer-check__data").first.is_visible()
    # 21 August 2026 in the snapshot; the store's last close on the nightly.
    assert page.get_by_text(f"Numbers as of {long_day(last_close_day(raw_dir))}").is_visible()
    assert page.get_by_text("Not investment advice").first.is_visible()
    # Dark readers print dark text on white, not light text on nothing.
    color = page.locator(".primer-check__title").first.evaluate("e => getComputedStyle(e).color")
    assert color.startswith("rgba(0, 0, 0") or color == "rgb(0, 0, 0)", color
    page.screenshot(path=str(artifacts / f"checklist-print-{scheme}.png"), full_page=True)
    page.pdf(path=str(artifacts / f"checklist-print-{scheme}-a4.pdf"), format="A4")
    assert errors == []
    context.close()


@pytest.mark.browser
def test_market_update_page_shows_stale_notice_and_traces_sentences(browser, site_url, artifacts,
                                                                   built_site, store, raw_dir):
    from generator.topics.market_update.data import data_freshness

    context, page, errors = _open(browser, site_url + "market-update/")
    if data_freshness(store, built_site.build_date)["freshness"]["stale"]:  # the snapshot: yes
        notice = page.locator(".admonition.warning").first
        assert notice.is_visible() and "Stale data" in notice.inner_text()
    else:
        assert "Stale data" not in page.locator("article").inner_text()
    sentences = page.locator(".primer-sentence")
    assert 3 <= sentences.count() <= MAX_SENTENCES
    for i in range(sentences.count()):
        keys = sentences.nth(i).get_attribute("data-facts").split()
        assert keys and all("." in k for k in keys)
    assert page.locator(".footnote li").count() == sentences.count()
    last = long_day(last_close_day(raw_dir))  # 21 August 2026 in the snapshot
    assert page.locator("h1").inner_text().startswith(f"Market update: {last}")
    page.screenshot(path=str(artifacts / "market-update-1280-light.png"), full_page=True)
    assert errors == []
    context.close()


def test_low_priced_members_by_hand(facts, store):
    """Members under $5 on the last day, counted straight from the stored tables: closes on the
    last row, less the members whose single-stock flags reach that day."""
    tables = store.root / "tables"
    closes = pd.read_parquet(tables / "members_close.parquet")
    flags = pd.read_csv(tables / "members_exclusions.csv", parse_dates=["first_date", "last_date"])
    last_day = closes.index[-1]
    flagged = set(flags.loc[(flags["first_date"] <= last_day) & (flags["last_date"] >= last_day),
                            "ticker"])
    last = closes.iloc[-1].drop(labels=sorted(flagged & set(closes.columns))).dropna()
    low = facts["low_priced"]
    assert low["as_of"] == last_day.date()
    assert low["members"] == len(last)
    assert low["count"] == int((last < 5.0).sum()) > 0
    assert low["share"].value == pytest.approx(int(low["count"]) / len(last))
    assert 0 < low["weight"] < low["share"]  # low-priced members are small ones


def test_every_kind_of_buyer_has_its_section(built_site):
    html = (built_site.site_dir / "checklist" / "index.html").read_text(encoding="utf-8")
    for section in ("if-you-buy-single-small-cap-stocks", "if-you-buy-a-fund"):
        assert f'id="{section}"' in html
    for item in ("stock-profits", "stock-debt", "stock-dilution", "stock-liquidity",
                 "stock-owners", "fund-tracking", "fund-trading", "fund-size", "fund-wrapper",
                 "fund-active"):
        assert f'data-item="{item}"' in html
    assert html.count("Check it yourself:") >= 8
