"""What the nightly publishes is safe: a failed night is told to readers in a few plain words
(no library or network text on any page), and outside text never becomes live markup — checked
on whole sites built from altered copies of the session's store."""

from __future__ import annotations

import dataclasses
import hashlib
import json
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from generator.catalog import SERIES, get
from generator.settings import Settings
from tests.snapshot_raw import last_close_day, long_day

LIBRARY_TEXT = ("curl:", "NameResolutionError", "HTTPSConnection", "Traceback",
                "possibly delisted", "Max retries exceeded")
NOTICE_PAGES = ("index.html", "market-update/index.html", "checklist/index.html")


def store_copy(store_dir: Path, target: Path) -> Path:
    """A copy of a store whose files link to the original (altered files are written anew)."""
    for source in store_dir.rglob("*"):
        dest = target / source.relative_to(store_dir)
        if source.is_dir():
            dest.mkdir(parents=True, exist_ok=True)
        elif not source.name.startswith("."):
            dest.parent.mkdir(parents=True, exist_ok=True)
            dest.symlink_to(source)
    return target


def build_variant(built_site: Settings, base: Path, store_dir: Path,
                  images: bool = True) -> Settings:
    """The whole site built from `store_dir` into `base` (warm caches: pages and mkdocs);
    without `images`, charts not in the image cache get none (no browser is started)."""
    from generator.build import build_site

    settings = dataclasses.replace(built_site, store_dir=store_dir, docs_dir=base / "docs",
                                   site_dir=base / "site", cache_dir=built_site.cache_dir)
    if not images:  # a browser path that does not exist: the build renders no image
        settings = dataclasses.replace(settings, chrome_path=str(base / "no-browser"))
    build_site(settings, log=lambda _: None)
    return settings


def article_text(site: Path, page: str) -> str:
    soup = BeautifulSoup((site / page).read_text(encoding="utf-8"), "lxml")
    return " ".join(soup.find("article").get_text(" ").split())


def failed_night_report() -> dict[str, object]:
    """What a night without network writes: every series and table unreachable, each reason a
    long library message."""
    reason = ("curl: (6) Could not resolve host: query2.finance.yahoo.com; "
              "NameResolutionError(\"HTTPSConnection(host='fred.stlouisfed.org', port=443): "
              "Max retries exceeded with url: /graph/fredgraph.csv (Caused by "
              "NameResolutionError: Failed to resolve 'fred.stlouisfed.org')\"); possibly "
              "delisted; no timezone found. Traceback (most recent call last): ... ") * 4
    entries: list[dict[str, object]] = [
        {"series": s.id, "status": "unreachable", "reason": reason, "source": s.source,
         "last_date": "2026-08-21", "checked_at": "2026-12-02T03:10:00Z", "rows_added": 0}
        for s in SERIES]
    entries += [{"series": "IWM holdings", "status": "unreachable", "reason": reason,
                 "source": "ishares", "last_date": "2026-05-05",
                 "checked_at": "2026-12-02T03:11:00Z"},
                {"series": "members' closes", "status": "unreachable", "reason": reason,
                 "source": "yahoo", "last_date": "2026-08-03",
                 "checked_at": "2026-12-02T03:12:00Z"}]
    return {"checked_at": "2026-12-02T03:12:00Z", "exit_code": 1, "series": entries}


def test_a_failed_night_shows_one_short_plain_notice(built_site: Settings,
                                                     tmp_path: Path) -> None:
    store_dir = store_copy(built_site.store_dir, tmp_path / "store")
    report = failed_night_report()
    (store_dir / "_update_report.json").write_text(json.dumps(report))
    failed = build_variant(built_site, tmp_path, store_dir).site_dir
    # The store's last close: 21 August 2026 in the snapshot, later on the nightly's store.
    as_of = long_day(last_close_day(store_dir))
    before = built_site.site_dir
    # Every catalog series by its publisher, plus the members' closes (Yahoo Finance).
    yahoo = sum(s.source == "yahoo" for s in SERIES) + 1
    fred = sum(s.source == "fred" for s in SERIES)
    extra = 0
    for page in NOTICE_PAGES:
        text = article_text(failed, page)
        assert (f"could not refresh data from Yahoo Finance ({yahoo} series), FRED ({fred} "
                "series) and iShares (1 series)") in text, page
        assert f"Figures on this page are as of {as_of}" in text, page
        extra += len(text) - len(article_text(before, page))
    assert 0 < extra <= 1500
    # No page, nor the search index, carries any of the reasons' text.
    for path in failed.rglob("*"):
        if path.suffix in (".html", ".json", ".xml", ".txt"):
            body = path.read_text(encoding="utf-8", errors="replace")
            for needle in LIBRARY_TEXT:
                assert needle not in body, f"{needle!r} in {path.relative_to(failed)}"



# --- the build re-checks the store it publishes --------------------------------------------------

def rewrite(path: Path, data: bytes) -> None:
    """Replace a linked file of a store copy with new bytes (never write through the link)."""
    path.unlink()
    path.write_bytes(data)


def tampered_build(built_site: Settings, tmp_path: Path, change) -> tuple[str, Path]:
    """Build from a store copy altered by `change(store_dir)`; return the error and site dir."""
    from generator.errors import DataError

    store_dir = store_copy(built_site.store_dir, tmp_path / "store")
    change(store_dir)
    site = tmp_path / "site"
    with pytest.raises(DataError) as failure:
        build_variant(built_site, tmp_path, store_dir)
    return str(failure.value), site


def test_a_jump_with_a_recomputed_checksum_fails_the_build(built_site: Settings,
                                                           tmp_path: Path) -> None:
    def jump(store_dir: Path) -> None:
        csv, meta = store_dir / "yahoo" / "^RUT.csv", store_dir / "yahoo" / "^RUT.meta.json"
        lines = csv.read_text().split("\n")
        cells = lines[-2].split(",")  # the last day (2026-08-21 in the snapshot)
        last_day.append(cells[0])
        cells[1:5] = [repr(float(c) * 1.6) for c in cells[1:5]]  # open, high, low, close +60 %
        lines[-2] = ",".join(cells)
        data = "\n".join(lines).encode()
        record = json.loads(meta.read_text())
        record["sha256"] = hashlib.sha256(data).hexdigest()
        rewrite(csv, data)
        rewrite(meta, json.dumps(record).encode())

    last_day: list[str] = []
    message, site = tampered_build(built_site, tmp_path, jump)
    assert message.startswith("^RUT in ")
    assert f"on {last_day[0]}" in message
    assert not site.exists()  # nothing rendered


def test_a_truncated_csv_fails_the_build_with_warm_caches(built_site: Settings,
                                                          tmp_path: Path) -> None:
    def truncate(store_dir: Path) -> None:
        csv = store_dir / "fred" / "DGS10.csv"
        rewrite(csv, csv.read_bytes()[:-5000])

    message, site = tampered_build(built_site, tmp_path, truncate)
    assert "DGS10" in message and "does not match its checksum" in message
    assert not site.exists()


def test_garbage_table_metadata_is_an_error_not_a_reimport(built_site: Settings,
                                                           tmp_path: Path) -> None:
    def garbage(store_dir: Path) -> None:
        rewrite(store_dir / "tables" / "iwm_holdings.meta.json", b"\x00garbage{")

    message, site = tampered_build(built_site, tmp_path, garbage)
    assert "iwm_holdings" in message and "unreadable metadata" in message
    # The stored table is still the one that was there (a link), nothing re-imported over it.
    assert (tmp_path / "store" / "tables" / "iwm_holdings.csv").is_symlink()
    assert not site.exists()


def test_verify_store_reads_every_series_and_table(store) -> None:
    import datetime as dt

    from generator.verify import verify_store

    last = store.read_meta(get("^RUT")).last_date  # 2026-08-21 in the snapshot
    check = verify_store(store, dt.datetime.now(dt.UTC).date())
    assert {"^RUT", "^GSPC", "DGS10", "USREC"} <= set(check.series)
    assert {"iwm_holdings", "members_close", "members_exclusions"} <= set(check.tables)
    # Data in the future of the build date is refused.
    from generator.errors import ValidationError

    with pytest.raises(ValidationError, match=r"\^RUT.*future date"):
        verify_store(store, last - dt.timedelta(days=1))


# --- a site built from a hostile store: no injected markup is live on any page --------------------

PAYLOADS = (
    '<img src=x onerror="alert(1)" data-pwned>',
    '"><svg onload=alert(2) data-pwned>',
    "<script data-pwned>alert(3)</script>",
    "[click me](javascript:alert(4))",
    "x{: onclick=alert(5) data-pwned }",
    "A | B <b data-pwned>bold</b>",
    "<a href='javascript:alert(6)' data-pwned>link</a>",
)


def hostile_holdings(store_dir: Path) -> None:
    """Sectors, names and a ticker of the stored IWM holdings replaced by markup, the table's
    checksum recomputed (what whoever can push the data branch could do)."""
    import pandas as pd

    from generator.store import Store

    store = Store(store_dir)
    table = store.read_table("iwm_holdings")
    meta = store.read_table_meta("iwm_holdings")
    sectors = table.loc[table["asset_class"] == "Equity", "sector"].value_counts().index
    mapping = {sector: PAYLOADS[i % len(PAYLOADS)] + f" {i}" for i, sector in enumerate(sectors)}
    table["sector"] = table["sector"].map(lambda s: mapping.get(s, s))
    top = table[table["asset_class"] == "Equity"].nlargest(len(PAYLOADS), "weight_pct").index
    for n, row in enumerate(top):
        table.loc[row, "name"] = PAYLOADS[n] + f" Corp {n}"
    table.loc[top[0], "ticker"] = '=cmd|"/C calc"!A0<i data-pwned>'
    for name in ("iwm_holdings.csv", "iwm_holdings.meta.json"):
        (store_dir / "tables" / name).unlink()
    store.write_table("iwm_holdings", table.astype({c: "str" for c in table.columns
                                                    if meta.dtypes.get(c) == "str"}),
                      title=meta.title, publisher=meta.publisher, origin=meta.origin,
                      as_of=meta.as_of_date, fmt="csv", notes=meta.notes)
    assert pd.api.types.is_float_dtype(store.read_table("iwm_holdings")["weight_pct"])


def hostile_report() -> dict[str, object]:
    entries = [{"series": payload, "status": "rejected", "reason": payload * 3,
                "source": payload, "last_date": payload, "checked_at": "2026-12-02T03:00:00Z"}
               for payload in PAYLOADS]
    entries.append({"series": "DGS10", "status": "rejected", "source": "fred",
                    "reason": "implausible value <svg onload=alert(7) data-pwned> on 2026-08-21",
                    "last_date": "2026-08-20", "checked_at": "2026-12-02T03:00:00Z"})
    return {"checked_at": "2026-12-02T03:00:00Z", "exit_code": 1, "series": entries}


@pytest.mark.browser
def test_no_injected_markup_is_live_on_any_page_of_a_hostile_site(
        built_site: Settings, browser, tmp_path: Path) -> None:
    from urllib.parse import urlsplit

    from conftest import serve
    from site_pages import site_pages

    from tests.site_visits import representatives

    store_dir = store_copy(built_site.store_dir, tmp_path / "store")
    hostile_holdings(store_dir)
    (store_dir / "_update_report.json").write_text(json.dumps(hostile_report()))
    # Images are not what is checked here (their SVG comes from plotly, not the page).
    site = build_variant(built_site, tmp_path, store_dir, images=False).site_dir
    # The hostile text did reach the pages (as text): the test is not vacuous.
    composition = (site / "composition" / "index.html").read_text()
    assert "onerror" in composition and "data-pwned" in composition
    # CSV downloads: the hostile ticker is text to a spreadsheet, not a formula.
    csvs = "".join(p.read_text() for p in (site / "figures").glob("*.csv"))
    assert "=cmd|" in csvs and not any(
        cell.startswith("=cmd") for line in csvs.splitlines() for cell in line.split(","))

    # Every page as shipped: no live markup in its HTML.
    pages = [*site_pages(site), "404.html"]
    assert len(pages) > 50
    live: dict[str, list[str]] = {}
    for path in pages:
        found = [str(e)[:120] for e in _page_soup(site, path).select(LIVE)]
        if found:
            live[path] = found
    assert live == {}
    # In the browser, with charts drawn: every page whose HTML or chart data carries outside
    # text, or differs at all from the session's site built from the untouched store (a page
    # the same as that one holds nothing hostile to run), the 404 and a missing page.
    # Of a family of pages made from one template (the archive's days), the first and the
    # last stand for the rest, as in tests/site_visits.py (the HTML check above read them all).
    shown = representatives(pages)
    carriers = [p for p in pages if p in shown
                and _carries_outside_text(site, p, built_site.site_dir)]
    assert "composition/" in carriers and "" in carriers  # holdings names, the report
    # Charts are drawn where their data differ, or the page around them holds outside text
    # (charts.js reads the page too); elsewhere they are the session site's, drawn as tested.
    chart_carriers = [p for p in carriers
                      if _carries_outside_text(site, p, built_site.site_dir, charts_only=True)
                      or _holds_outside_text(_page_file(site, p).read_text(encoding="utf-8"))]
    assert "composition/" in chart_carriers  # the sectors' names in its charts' data

    dialogs: list[str] = []
    foreign: list[str] = []
    # The whole search index too: it carries the pages' outside text.
    with serve(site, search=True) as base:
        context = browser.new_context()
        page = context.new_page()
        page.on("dialog", lambda d: (dialogs.append(f"{page.url}: {d.message}"), d.dismiss()))
        page.on("request", lambda r: None if urlsplit(r.url).netloc in (urlsplit(base).netloc,
                                                                         "")
                or r.url.startswith("data:") else foreign.append(f"{page.url} -> {r.url}"))
        try:
            for path in dict.fromkeys([*carriers, "404.html", "does-not-exist/"]):
                page.goto(base + path, wait_until="load")
                if path in chart_carriers:
                    page.evaluate("window.primerCharts.drawAll()")
                    page.wait_for_function(
                        "document.documentElement.dataset.chartsReady === 'true'",
                        timeout=90_000)
                found = page.evaluate(f"""() => [...document.querySelectorAll({json.dumps(LIVE)})]
                                          .map(e => e.outerHTML.slice(0, 120))""")
                if found:
                    live[path] = found
        finally:
            context.close()
    assert dialogs == []
    assert live == {}
    assert foreign == []


LIVE = '[data-pwned], [onerror], [onload], [onclick], a[href^="javascript" i]'
OUTSIDE = ("pwned", "alert(", "javascript:", "=cmd", "onclick", "onload", "onerror")


def _page_file(site: Path, path: str) -> Path:
    return site / path if path.endswith(".html") else site / path / "index.html"


def _page_soup(site: Path, path: str) -> BeautifulSoup:
    return BeautifulSoup(_page_file(site, path).read_text(encoding="utf-8"), "lxml")


def _holds_outside_text(text: str) -> bool:
    return any(marker in text for marker in OUTSIDE)


def _carries_outside_text(site: Path, path: str, untouched: Path,
                          charts_only: bool = False) -> bool:
    """Whether the page, or a chart's data it fetches, holds text of the payloads or differs
    from the same file of the site built from the untouched store (`charts_only`: the charts'
    data alone)."""
    file = _page_file(site, path)
    files = [] if charts_only else [file]
    files += [file.parent / chart["data-src"]
              for chart in _page_soup(site, path).select("[data-src]")]
    for each in files:
        text = each.read_text(encoding="utf-8")
        twin = untouched / each.relative_to(site)
        if _holds_outside_text(text) or not twin.is_file() \
                or twin.read_text(encoding="utf-8") != text:
            return True
    return False
