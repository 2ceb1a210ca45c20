"""What the nightly publishes is safe: a failed night is told to readers in a few plain words
(no library or network text on any page), and outside text never becomes live markup — checked
on whole sites built from altered copies of the session's store."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

from bs4 import BeautifulSoup

from generator.catalog import SERIES
from generator.settings import Settings

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


def build_variant(built_site: Settings, base: Path, store_dir: Path) -> Settings:
    """The whole site built from `store_dir` into `base` (warm caches: pages and mkdocs)."""
    from generator.build import build_site

    settings = dataclasses.replace(built_site, store_dir=store_dir, docs_dir=base / "docs",
                                   site_dir=base / "site", cache_dir=built_site.cache_dir)
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
    before = built_site.site_dir
    extra = 0
    for page in NOTICE_PAGES:
        text = article_text(failed, page)
        assert "could not refresh data from Yahoo Finance (16 series), FRED (15 series) and " \
               "iShares (1 series)" in text, page
        assert "Figures on this page are as of 21 August 2026" in text, page
        extra += len(text) - len(article_text(before, page))
    assert 0 < extra <= 1500
    # No page, nor the search index, carries any of the reasons' text.
    for path in failed.rglob("*"):
        if path.suffix in (".html", ".json", ".xml", ".txt"):
            body = path.read_text(encoding="utf-8", errors="replace")
            for needle in LIBRARY_TEXT:
                assert needle not in body, f"{needle!r} in {path.relative_to(failed)}"

