"""Zensical, Material for MkDocs' announced successor, reads our mkdocs.yml and renders the very
docs folder the generator writes: every page and every chart placeholder is there.

The engine only renders (the generator writes plain Markdown and assets), so switching engines
must not lose a page or a chart. Zensical requires its docs and site folders inside the project
folder, so the test lays out a small project: the generated docs, the theme overrides and
mkdocs.yml with the docs folder renamed.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from generator.settings import Settings
from tests.conftest import ROOT

ZENSICAL = Path(sys.executable).with_name("zensical")
CHART = re.compile(r'<div class="primer-chart" data-figure="([^"]+)"')


def _pages(site: Path) -> set[str]:
    return {p.relative_to(site).as_posix() for p in site.rglob("index.html")}


def _charts(page: Path) -> list[str]:
    return CHART.findall(page.read_text(encoding="utf-8"))


def test_mkdocs_yml_has_no_tag_zensical_cannot_read() -> None:
    lines = (ROOT / "mkdocs.yml").read_text(encoding="utf-8").splitlines()
    text = "\n".join(line.split("#", 1)[0] for line in lines)  # comments may name tags
    tags = set(re.findall(r"(?<![\w'\"])!(\w+)", text))
    assert tags <= {"ENV"}, f"YAML tags Zensical may not construct: {sorted(tags - {'ENV'})}"


@pytest.fixture(scope="module")
def zensical_site(built_site: Settings, tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not ZENSICAL.is_file():
        pytest.fail(f"zensical not installed beside {sys.executable} (dev extras)")
    project = tmp_path_factory.mktemp("zensical")
    shutil.copytree(built_site.docs_dir, project / "docs")
    shutil.copytree(ROOT / "overrides", project / "overrides")
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    config, renamed = re.subn(r"(?m)^docs_dir: .*$", "docs_dir: docs", config)
    assert renamed == 1
    (project / "mkdocs.yml").write_text(config, encoding="utf-8")
    done = subprocess.run([str(ZENSICAL), "build", "--config-file", "mkdocs.yml"],
                          cwd=project, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr + done.stdout
    return project / "site"


def test_zensical_renders_every_page_and_chart(built_site: Settings, zensical_site: Path) -> None:
    mkdocs_pages = _pages(built_site.site_dir)
    assert len(mkdocs_pages) > 50  # the primer's pages plus the market-update archive
    missing = mkdocs_pages - _pages(zensical_site)
    assert not missing, f"pages Zensical did not render: {sorted(missing)[:10]}"
    charts = 0
    for page in sorted(mkdocs_pages):
        expected = _charts(built_site.site_dir / page)
        assert _charts(zensical_site / page) == expected, page
        charts += len(expected)
    manifest = (built_site.site_dir / "figures.json").read_text(encoding="utf-8")
    assert charts == manifest.count('"id":'), "every figure is placed on a page"
    history = (zensical_site / "history" / "index.html").read_text(encoding="utf-8")
    assert "r2k-drawdown" in history and "<abbr" in history
