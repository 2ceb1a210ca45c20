"""The store after importing the real snapshot: known closes and published figures."""

from __future__ import annotations

import errno
import hashlib
import json
import os

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.analytics.returns import calendar_year_returns
from generator.catalog import get
from generator.errors import DataError
from generator.store import Store, atomic_write_files, load_values, series_csv_bytes

# FTSE Russell's published calendar-year price returns of the Russell 2000, in percent.
PUBLISHED_R2K_RETURNS = {
    1995: 26.21, 1996: 14.76, 1997: 20.52, 1998: -3.45, 1999: 19.62, 2000: -4.20, 2001: 1.03,
    2002: -21.58, 2003: 45.37, 2004: 17.00, 2005: 3.32, 2006: 17.00, 2007: -2.75, 2008: -34.80,
    2009: 25.22, 2010: 25.31, 2011: -5.45, 2012: 14.63, 2013: 37.00, 2014: 3.53,
}


@pytest.mark.parametrize(("series_id", "day", "value"), [
    ("^RUT", "2008-12-31", 499.45),
    ("^RUT", "2019-12-31", 1668.47),
    ("^RUT", "2020-03-18", 991.16),
    ("^GSPC", "2019-12-31", 3230.78),
    ("^VIX", "2020-03-16", 82.69),
    ("DGS10", "2020-03-09", 0.54),
    ("UNRATE", "2020-04-01", 14.8),
    ("USREC", "2008-12-01", 1.0),
    ("USREC", "2020-04-01", 1.0),
])
def test_known_values_survive_import(store, series_id, day, value):
    assert load_values(store, series_id).loc[day] == pytest.approx(value, abs=0.005)


def test_calendar_year_returns_match_ftse_russell_published(store):
    returns = calendar_year_returns(load_values(store, "^RUT")) * 100
    for year, published in PUBLISHED_R2K_RETURNS.items():
        assert returns.loc[year] == pytest.approx(published, abs=0.005), year


def test_metadata_records_provenance_and_checksum(store):
    series = get("^RUT")
    meta = store.read_meta(series)
    assert meta.origin == "snapshot:yahoo/^RUT.csv"
    assert (meta.first, meta.rows) == ("1987-09-10", 9811)
    assert meta.last >= "2026-08-21"
    assert hashlib.sha256(store.csv_path(series).read_bytes()).hexdigest() == meta.sha256


def test_a_tampered_file_is_refused(tmp_path, store):
    series = get("DGS2")
    copy = Store(tmp_path)
    copy.write_series(series, store.read_series(series), origin="test")
    path = copy.csv_path(series)
    path.write_text(path.read_text().replace("\n2020-03-09,", "\n2020-03-09,9", 1))
    with pytest.raises(DataError, match="checksum"):
        copy.read_series(series)


def test_write_then_read_round_trips_exactly(tmp_path, store):
    series = get("^GSPC")
    frame = store.read_series(series)
    copy = Store(tmp_path)
    meta = copy.write_series(series, frame, origin="test")
    assert meta.rows == len(frame)
    pd.testing.assert_frame_equal(copy.read_series(series), frame)
    assert json.loads(copy.meta_path(series).read_text())["sha256"] == meta.sha256


# --- Canonical CSV bytes and all-or-nothing writes (used by `make update`) -----------------------

_floats = st.one_of(st.floats(allow_nan=True, allow_infinity=False, width=64),
                    st.sampled_from([0.0, -0.0, 1e-5, 1e16, 1668.469970703125, 499.45]))


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(_floats, _floats), min_size=1, max_size=30),
       st.integers(min_value=-20000, max_value=30000))
def test_series_csv_bytes_is_exactly_what_pandas_writes(rows, first_day):
    index = pd.DatetimeIndex(pd.Timestamp("1970-01-01") + pd.to_timedelta(
        range(first_day, first_day + len(rows)), unit="D"), name="date")
    frame = pd.DataFrame(rows, columns=["close", "volume"], index=index, dtype="float64")
    expected = frame.to_csv(index_label="date", date_format="%Y-%m-%d", lineterminator="\n")
    assert series_csv_bytes(frame) == expected.encode("utf-8")


def test_series_csv_bytes_matches_pandas_on_a_real_series(store):
    frame = store.read_series(get("^RUT"))
    expected = frame.to_csv(index_label="date", date_format="%Y-%m-%d", lineterminator="\n")
    assert series_csv_bytes(frame) == expected.encode("utf-8")
    assert series_csv_bytes(frame).startswith(b"date,open,high,low,close,volume\n1987-09-10,")


def test_atomic_write_files_replaces_none_when_one_write_fails(tmp_path, monkeypatch):
    first, second = tmp_path / "a.csv", tmp_path / "a.meta.json"
    first.write_bytes(b"old csv")
    second.write_bytes(b"old meta")
    real_fsync = os.fsync
    calls = []

    def fsync(fd):  # the second file's sync finds the disk full
        calls.append(fd)
        if len(calls) == 2:
            raise OSError(errno.ENOSPC, "No space left on device")
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", fsync)
    with pytest.raises(OSError, match="No space left"):
        atomic_write_files({first: b"new csv", second: b"new meta"})
    assert (first.read_bytes(), second.read_bytes()) == (b"old csv", b"old meta")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.csv", "a.meta.json"]


def test_docs_writes_skip_the_fsyncs_but_stay_whole(tmp_path, monkeypatch):
    def fsync(fd):
        raise AssertionError("fsync called")

    monkeypatch.setattr(os, "fsync", fsync)
    target = tmp_path / "docs" / "figures" / "f.json"
    atomic_write_files({target: b"{}"}, durable=False)  # the docs folder: no fsync
    assert target.read_bytes() == b"{}" and [p.name for p in target.parent.iterdir()] == ["f.json"]
    with pytest.raises(AssertionError, match="fsync called"):  # the store's default: synced
        atomic_write_files({tmp_path / "store.csv": b"x"})
    assert not (tmp_path / "store.csv").exists()
