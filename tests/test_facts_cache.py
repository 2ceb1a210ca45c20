"""The facts cache (generator/topics/facts_cache.py) and the engine's skip of an unchanged
render (generator/build.py::render_site)."""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

import pandas as pd

from generator.build import engine_input_digest
from generator.store import Store
from generator.topics.facts_cache import cached_facts, facts_key


def test_facts_come_from_the_cache_until_an_input_changes(store: Store, tmp_path: Path) -> None:
    own = Store(Path(shutil.copytree(store.root, tmp_path / "store")))
    reference = Path(shutil.copytree(Path(__file__).parent.parent / "data" / "reference",
                                     tmp_path / "reference"))
    facts, hit = cached_facts(own, tmp_path / "cache", reference)
    assert not hit
    again, hit = cached_facts(own, tmp_path / "cache", reference)
    assert hit and set(again) == set(facts)
    for key, value in facts.items():
        if isinstance(value, pd.DataFrame):
            pd.testing.assert_frame_equal(value, again[key])
    key = facts_key(own, reference)
    (own.root / "update-report.json").write_text("[]")  # any new store file counts
    assert facts_key(own, reference) != key
    (own.root / "update-report.json").unlink()
    assert facts_key(own, reference) == key
    first = sorted(reference.iterdir())[0]
    first.write_bytes(first.read_bytes() + b"\n")
    assert facts_key(own, reference) != key


def test_engine_digest_follows_docs_and_site_url(built_site, tmp_path: Path) -> None:
    docs = Path(shutil.copytree(built_site.docs_dir, tmp_path / "docs"))
    settings = dataclasses.replace(built_site, docs_dir=docs)
    digest = engine_input_digest(settings)
    assert engine_input_digest(settings) == digest
    (docs / "index.md").write_text((docs / "index.md").read_text() + "\nmore\n")
    assert engine_input_digest(settings) != digest
    changed = dataclasses.replace(settings, site_url="https://example.org/")
    assert engine_input_digest(changed) != engine_input_digest(settings)
