"""The README's recipe, "Add a page in four steps", followed literally with a trial page in a
copy of the project: data, figures, prose, navigation — nothing else edited, nothing listed."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd

from generator.settings import Settings
from tests.conftest import ROOT

TOPIC_INIT = '"""Topic: a trial page that follows the README\'s recipe."""\n'
DATA = '''"""The trial page's facts."""

from typing import Any

from generator.store import Store, load_values
from generator.topics import provides
from generator.units import Level


@provides
def trial_facts(store: Store) -> dict[str, Any]:
    closes = load_values(store, "^RUT")
    return {"trial": {"last_close": Level(closes.iloc[-1]), "last_date": closes.index[-1]}}
'''
FIGURES = '''"""The trial page's one chart."""

from generator.figures.spec import Drawn, figure
from generator.figures.theme import dates, new_figure
from generator.store import Store, load_values
from generator.units import Count, Day, Fraction

SESSIONS = 21


@figure("trial-last-month", sources=("^RUT",))
def last_month(store: Store) -> Drawn:
    closes = load_values(store, "^RUT").iloc[-SESSIONS:]
    fig = new_figure(y_title="Index level", y_format=",.0f")
    fig.add_scatter(x=dates(closes.index), y=closes.round(2).to_numpy(), name="Russell 2000")
    change = Fraction(closes.iloc[-1] / closes.iloc[0] - 1, signed=True)
    return Drawn(fig, closes.to_frame("close"), closes.index[-1].date(),
                 {"sessions": Count(SESSIONS), "change": change, "day": Day.of(closes.index[-1])})
'''
WORDS = '''trial-last-month:
  title: "The Russell 2000's last 21 closes"
  method: >-
    Daily closes (price return),
    the last {SESSIONS} sessions.
  takeaway: >-
    Over its last {{ sessions }} sessions, to {{ day }}, the Russell 2000
    {% if change > 0 %}rose{% else %}moved{% endif %} {{ change }}.
'''
PAGE = '''# Trial page

The Russell 2000 closed at {{ trial.last_close }} on {{ trial.last_date | date }}.

{{ figure("trial-last-month") }}
'''


def test_a_trial_page_in_four_steps(filled_store: Settings, tmp_path: Path) -> None:
    """Needs the filled store only, not the built site: it runs while another worker builds."""
    project = tmp_path / "project"
    for name in ("generator", "content", "overrides", "data/reference"):
        shutil.copytree(ROOT / name, project / name,
                        ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "mkdocs.yml", project / "mkdocs.yml")

    topic = project / "generator" / "topics" / "trial"
    topic.mkdir()
    (topic / "__init__.py").write_text(TOPIC_INIT)
    (topic / "data.py").write_text(DATA)  # step 1
    (topic / "figures.py").write_text(FIGURES)  # step 2
    (topic / "figures.yml").write_text(WORDS)
    (project / "content" / "trial.md").write_text(PAGE)  # step 3
    config = project / "mkdocs.yml"  # step 4
    text = config.read_text()
    assert "\nnav:\n" in text
    config.write_text(text.replace("\nnav:\n", "\nnav:\n  - Trial: trial.md\n", 1))

    # No chart images (a browser that does not exist): they are not what the recipe is about,
    # and the pages and charts are built as without a browser (README "Which browser").
    env = {**os.environ, "PRIMER_STORE": str(filled_store.store_dir),
           "PRIMER_CACHE": str(tmp_path / "cache"), "PRIMER_SNAPSHOT": str(tmp_path / "none"),
           "CHROME_PATH": str(tmp_path / "no-browser")}
    for name in ("PRIMER_ROOT", "PRIMER_DOCS", "PRIMER_SITE", "PRIMER_CONTENT"):
        env.pop(name, None)
    done = subprocess.run([sys.executable, "-m", "generator", "site"], cwd=project, env=env,
                          capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stderr[-2000:]

    closes = pd.read_csv(filled_store.store_dir / "yahoo" / "^RUT.csv", index_col=0)["close"]
    html = (project / "site" / "trial" / "index.html").read_text(encoding="utf-8")
    assert f"closed at {closes.iloc[-1]:,.2f}" in html
    assert 'data-figure="trial-last-month"' in html
    manifest = {f["id"]: f for f in json.loads((project / "site" / "figures.json").read_text())}
    assert manifest["trial-last-month"]["page"] == "trial/"
    assert manifest["trial-last-month"]["title"] == "The Russell 2000's last 21 closes"
    assert manifest["trial-last-month"]["method"] == "Daily closes (price return), the last 21 " \
        "sessions."
    change = closes.iloc[-1] / closes.iloc[-21] - 1
    moved = "rose" if change > 0 else "moved"
    sign = "+" if round(change * 100, 1) > 0 else ""
    last = pd.Timestamp(closes.index[-1])
    assert manifest["trial-last-month"]["takeaway"] == (
        f"Over its last 21 sessions, to {last.day} {last:%B %Y}, the Russell 2000 {moved} "
        f"{sign}{change:.1%}.".replace("-", "−"))
    csv = pd.read_csv(project / "site" / manifest["trial-last-month"]["csv"], index_col=0)
    assert len(csv) == 21 and csv["close"].iloc[-1] == closes.iloc[-1]
    assert 'href="trial/"' in (project / "site" / "index.html").read_text(encoding="utf-8")
