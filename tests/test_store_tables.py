"""Stored tables: round trips, checksums, no-op writes, and the import from the snapshot."""

from __future__ import annotations

import dataclasses
import datetime as dt

import numpy as np
import pandas as pd
import pytest

from generator.errors import DataError
from generator.load import import_tables, screen_stored_members
from generator.store import Store
from generator.validate import MemberRules


def test_csv_table_round_trip_keeps_text_like_na(tmp_path):
    store = Store(tmp_path)
    frame = pd.DataFrame({"ticker": ["NA", "-", "BE"], "weight": [0.5, np.nan, 1.93],
                          "count": [1, 2, 3]})
    meta = store.write_table("t", frame, title="T", publisher="P", origin="test",
                             as_of=dt.date(2026, 5, 5), fmt="csv")
    back = store.read_table("t")
    pd.testing.assert_frame_equal(back, frame)
    assert meta.as_of_date == dt.date(2026, 5, 5)
    assert meta.rows == 3


def test_parquet_table_round_trip_and_no_op_write(tmp_path):
    store = Store(tmp_path)
    index = pd.bdate_range("2024-01-01", periods=5, name="date")
    frame = pd.DataFrame({"A": [1.0, 2.0, np.nan, 4.0, 5.0], "B": 1.5}, index=index)
    store.write_table("m", frame, title="M", publisher="P", origin="test",
                      as_of=dt.date(2024, 1, 5), fmt="parquet")
    path = tmp_path / "tables" / "m.parquet"
    stamp = (path.stat().st_mtime_ns, (tmp_path / "tables" / "m.meta.json").read_bytes())
    pd.testing.assert_frame_equal(store.read_table("m"), frame, check_freq=False)
    store.write_table("m", frame.copy(), title="M", publisher="P", origin="later",
                      as_of=dt.date(2024, 1, 5), fmt="parquet")
    assert (path.stat().st_mtime_ns, (tmp_path / "tables" / "m.meta.json").read_bytes()) == stamp


def test_tampered_table_fails_its_checksum(tmp_path):
    store = Store(tmp_path)
    store.write_table("t", pd.DataFrame({"x": [1.0]}), title="T", publisher="P", origin="test",
                      as_of=dt.date(2024, 1, 1), fmt="csv")
    (tmp_path / "tables" / "t.csv").write_text("x\n2.0\n")
    with pytest.raises(DataError, match="does not match its checksum"):
        store.read_table("t")
    with pytest.raises(DataError, match="table nope: not in the store"):
        store.read_table("nope")


def test_import_from_snapshot_then_rules_change_rescreens(tmp_settings):
    imported = import_tables(tmp_settings, Store(tmp_settings.store_dir), log=lambda _: None)
    assert imported == ["iwm_holdings", "members_close"]
    store = Store(tmp_settings.store_dir)
    first = store.read_table_meta("members_exclusions")
    assert import_tables(tmp_settings, store, log=lambda _: None) == []
    assert store.read_table_meta("members_exclusions") == first
    stricter = dataclasses.replace(MemberRules(), stale_days=2)  # a close repeated once
    screened = screen_stored_members(store, stricter)
    assert screened.sha256 != first.sha256
    assert screened.rows > first.rows


def test_missing_snapshot_holdings_names_the_file(tmp_settings, tmp_path):
    settings = dataclasses.replace(tmp_settings, snapshot_dir=tmp_path / "empty")
    (tmp_path / "empty").mkdir()
    with pytest.raises(DataError, match=r"file not found: .*IWM_holdings\.csv"):
        import_tables(settings, Store(settings.store_dir), log=lambda _: None)
