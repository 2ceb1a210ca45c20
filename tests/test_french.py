"""The Kenneth R. French Data Library source: the sectioned-CSV parser (snapshot and live zip),
its validation, the store, and `make update`'s refresh with revisions, against recorded zips
rebuilt from the snapshot and faults injected into them."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import pandas as pd
import pytest
import responses

from generator.errors import DataError, ValidationError
from generator.load import import_french
from generator.sources.french import (
    DATASETS,
    FACTORS,
    SIZE,
    SIZE_BM,
    parse_french_text,
    read_snapshot,
    read_zip,
)
from generator.sources.replay import french_zip
from generator.sources.retry import RetryPolicy
from generator.store import Store
from generator.update_french import update_french
from generator.validate import validate_french

TODAY = dt.date(2026, 12, 2)


def raw_lines(snapshot_dir, name: str) -> list[str]:
    return (snapshot_dir / "french" / f"{name}.csv").read_text().splitlines()


def raw_text(snapshot_dir, name: str) -> str:
    return (snapshot_dir / "french" / f"{name}.csv").read_bytes().decode("latin-1")


# --- Parser: known values straight from the raw files ------------------------------------------

def test_snapshot_parses_with_known_values_and_missing_markers(snapshot_dir):
    size = read_snapshot(snapshot_dir, SIZE)
    vw = size.sections["vw"]
    assert vw.index[0] == pd.Timestamp("1926-07-31") and vw.index[-1] == pd.Timestamp("2024-12-31")
    assert len(vw) == 1182
    # First and last lines of the value-weight section, as printed (percent).
    assert vw.at[pd.Timestamp("1926-07-31"), "Hi 10"] == 3.71
    assert vw.at[pd.Timestamp("1926-07-31"), "Lo 10"] == -0.12
    assert vw.at[pd.Timestamp("2024-12-31"), "Lo 10"] == -3.22
    assert vw["<= 0"].isna().all()  # -99.99 throughout: missing, not a -99.99 % return
    assert size.sections["size"].at[pd.Timestamp("2024-12-31"), "Hi 10"] == 244794.31
    assert size.sections["vw_annual"].loc[1929, "Lo 10"] == -46.61
    factors = read_snapshot(snapshot_dir, FACTORS)
    assert factors.sections["monthly"].loc["1926-07-31"].tolist() == [2.96, -2.56, -2.43, 0.22]
    bm = read_snapshot(snapshot_dir, SIZE_BM)
    assert bm.sections["beme"].at[pd.Timestamp("1926-07-31"), "SMALL LoBM"] == 0.3024
    assert bm.sections["op"].index[0] == pd.Timestamp("1963-07-31")
    assert bm.monthly().shape == (1182, 200)


def test_live_zip_and_snapshot_read_the_same(snapshot_dir):
    """The zip (description lines, first title, CRLF, member NAME.CSV) reads like the copy."""
    for dataset in DATASETS:
        data = french_zip(snapshot_dir, dataset.name)
        text = read_zip(data, dataset, dataset.url)
        assert "\r\n" in text and text.startswith("This file was created")
        live = parse_french_text(text, dataset, dataset.url)
        copy = read_snapshot(snapshot_dir, dataset)
        pd.testing.assert_frame_equal(live.monthly(), copy.monthly())
        assert "CRSP" in live.description[0]


# --- A changed layout fails clearly, never mis-parses -----------------------------------------

def _without_section(text: str, title: str) -> str:
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if title in line)
    end = next(i for i in range(start + 2, len(lines)) if not lines[i].strip())
    return "\n".join(lines[:start] + lines[end:])


@pytest.mark.parametrize("change, message", [
    (lambda t: _without_section(t, "Number of Firms"), "6 sections expected|5 sections found"),
    (lambda t: t.replace("Average Firm Size", "Median Firm Size"), "expected 'Average Firm Size'"),
    (lambda t: t.replace(",Lo 10,Dec 2", ",Lo 10,Decile 2", 1), "columns changed"),
    (lambda t: t.replace("Equal Weight Returns -- Monthly", "Value Weight Returns -- Monthly"),
     "expected 'Equal Weight Returns -- Monthly'"),
    (lambda t: t.replace("192608,  -99.99,", "192608,  -99.99,  1.00,", 1), "has 20 values"),
    (lambda t: t.replace("192608,", "1926-08,", 1), "not YYYYMM|outside any section"),
    (lambda t: t.replace("    3.19,", "    n/a,", 1), "'n/a' is not a number"),
    (lambda t: t + "\nSome new table\n", "unexpected text after the last section"),
])
def test_changed_layout_is_refused_naming_the_file(snapshot_dir, change, message):
    text = change(raw_text(snapshot_dir, SIZE.name))
    with pytest.raises(DataError, match=message) as caught:
        parse_french_text(text, SIZE, "Portfolios_Formed_on_ME.csv")
    assert "Portfolios_Formed_on_ME" in str(caught.value)


@pytest.mark.parametrize("old, new, rule", [
    ("192608,  -99.99,    3.19,", "192608,  -99.99,  -99.99,", "missing value"),  # key column
    ("192608,  -99.99,    3.19,", "192608,  -99.99,  -103.19,", "implausible value"),
    ("195003,  -99.99,   -0.78,", "195003,  -99.99,    1.78,", "sections disagree"),
])
def test_validation_rules(snapshot_dir, old, new, rule):
    text = raw_text(snapshot_dir, SIZE.name)
    assert old in text
    file = parse_french_text(text.replace(old, new, 1), SIZE, "x.csv")
    with pytest.raises(ValidationError, match=rule):
        validate_french(file, "x.csv", today=TODAY)


def test_fractions_instead_of_percent_and_a_missing_month_are_refused(snapshot_dir):
    file = read_snapshot(snapshot_dir, FACTORS)
    scaled = dict(file.sections, monthly=file.sections["monthly"] / 100.0)
    with pytest.raises(ValidationError, match="unit change"):
        validate_french(type(file)(FACTORS, scaled, ()), today=TODAY)
    gap = dict(file.sections, monthly=file.sections["monthly"].drop(pd.Timestamp("1950-03-31")))
    with pytest.raises(ValidationError, match=r"gap.*1950-02"):
        validate_french(type(file)(FACTORS, gap, ()), today=TODAY)
    with pytest.raises(ValidationError, match="future date"):
        validate_french(file, today=dt.date(2024, 11, 30))


# --- Store ----------------------------------------------------------------------------------------

def test_import_stores_each_file_once_as_published(tmp_settings, snapshot_dir):
    store = Store(tmp_settings.store_dir)
    assert import_french(tmp_settings, store, log=lambda _: None) == [d.id for d in DATASETS]
    assert import_french(tmp_settings, store, log=lambda _: None) == []
    table = store.read_table("ff_me_deciles")
    assert table.at[pd.Timestamp("2024-12-31"), "vw:Lo 10"] == -3.22
    assert table.at[pd.Timestamp("1926-07-31"), "firms:Lo 10"] == float(
        raw_lines(snapshot_dir, SIZE.name)[2577].split(",")[10])
    meta = store.read_table_meta("ff_factors")
    assert (meta.first, meta.last, meta.rows) == ("1926-07-31", "2024-12-31", 1182)
    assert meta.origin == "snapshot:french/F-F_Research_Data_Factors.csv"


# --- make update: recorded live zips, revisions and faults ----------------------------------------

def _zip_with(snapshot_dir, name: str, edit=lambda t: t) -> bytes:
    return french_zip(snapshot_dir, name, edit(raw_text(snapshot_dir, name)))


def _appended_month(text: str) -> str:
    """The factors file with 2025-01 added to the monthly section (a later library release)."""
    return text.replace("202412,   -3.17,   -2.73,   -2.95,    0.37",
                        "202412,   -3.17,   -2.73,   -2.95,    0.37\r\n"
                        "202501,    2.80,   -0.20,    1.60,    0.37", 1)


@pytest.fixture()
def filled(tmp_settings):
    store = Store(tmp_settings.store_dir)
    import_french(tmp_settings, store, log=lambda _: None)
    return store


def _by_name(rows):
    return {str(r["series"]).removeprefix("French: "): r for r in rows}


def test_update_with_the_same_files_changes_nothing(filled, snapshot_dir):
    before = {d.id: filled.read_table_meta(d.id) for d in DATASETS}
    rows = update_french(filled, TODAY, fetch=lambda d: french_zip(snapshot_dir, d.name))
    assert {r["status"] for r in rows} == {"unchanged"}
    assert {d.id: filled.read_table_meta(d.id) for d in DATASETS} == before


def test_update_adds_months_and_reports_revisions(filled, snapshot_dir):
    assert "202412,   -3.17,   -2.73,   -2.95,    0.37" in raw_text(snapshot_dir, FACTORS.name)

    line = raw_lines(snapshot_dir, FACTORS.name)[767]
    assert line.startswith("199005,")
    cells = line.split(",")
    revised = ",".join([*cells[:2], "   -2.60", *cells[3:]])

    def edit(text: str) -> str:  # a new month, and the library revising 1990-05's SMB
        return _appended_month(text).replace(line, revised, 1)

    rows = _by_name(update_french(filled, TODAY, fetch=lambda d: _zip_with(
        snapshot_dir, d.name, edit if d is FACTORS else (lambda t: t))))
    row = rows[FACTORS.name]
    assert (row["status"], row["rows_added"], row["last_date"]) == ("updated", 1, "2025-01-31")
    assert "revised by the library: 1 months" in str(row["reason"])
    assert "monthly:SMB 1990-05" in str(row["reason"])
    stored = filled.read_table("ff_factors")
    assert stored.at[pd.Timestamp("2025-01-31"), "monthly:SMB"] == -0.20
    assert stored.at[pd.Timestamp("1990-05-31"), "monthly:SMB"] == -2.60
    assert filled.read_table_meta("ff_factors").origin.startswith("live:https://mba.tuck")


def test_update_faults_keep_the_stored_table(filled, snapshot_dir):
    url = "https://mba.tuck.dartmouth.edu/pages/faculty/ken.french/ftp/"
    before = filled.read_table_meta("ff_me_deciles")
    good = french_zip(snapshot_dir, SIZE.name)
    calls = {"n": 0}

    def flaky(request):
        calls["n"] += 1
        return (503, {}, b"busy") if calls["n"] == 1 else (200, {}, good)

    sleeps: list[float] = []
    policy = RetryPolicy(sleep=sleeps.append)
    cases = {
        "html": (200, {"Content-Type": "text/html"}, b"<!DOCTYPE html><title>Down</title>"),
        "truncated": (200, {}, good[: len(good) // 2]),
        "404": (404, {}, b"not found"),
    }
    for name, (status, headers, body) in cases.items():
        with responses.RequestsMock() as mock:
            mock.add(responses.GET, SIZE.url, status=status, headers=headers, body=body)
            for other in DATASETS:
                if other is not SIZE:
                    mock.add(responses.GET, other.url, body=french_zip(snapshot_dir, other.name))
            row = _by_name(update_french(filled, TODAY, policy=policy))[SIZE.name]
        expected = "unreachable" if name == "404" else "rejected"
        assert row["status"] == expected, (name, row)
        assert filled.read_table_meta("ff_me_deciles") == before
    with responses.RequestsMock() as mock:
        mock.add_callback(responses.GET, SIZE.url, callback=flaky)
        for other in DATASETS:
            if other is not SIZE:
                mock.add(responses.GET, other.url, body=french_zip(snapshot_dir, other.name))
        rows = _by_name(update_french(filled, TODAY, policy=policy))
    assert rows[SIZE.name]["status"] == "unchanged" and calls["n"] == 2 and len(sleeps) == 1
    assert url in SIZE.url


def test_update_refuses_a_shifted_file_and_a_shorter_history(filled, snapshot_dir):
    lines = raw_lines(snapshot_dir, FACTORS.name)

    def shorter(text: str) -> str:  # the monthly and annual sections both end a year early
        return "\n".join(line for line in lines if not line.startswith(("2024", "  2024")))

    row = _by_name(update_french(filled, TODAY, fetch=lambda d: _zip_with(
        snapshot_dir, d.name, shorter if d is FACTORS else (lambda t: t))))[FACTORS.name]
    assert row["status"] == "rejected" and "before the stored 2024-12" in str(row["reason"])

    def swapped(text: str) -> str:  # SMB and HML columns exchanged under the same header
        out = []
        for line in text.splitlines():
            cells = line.split(",")
            if len(cells) == 5 and cells[0].strip().isdigit():
                cells[2], cells[3] = cells[3], cells[2]
            out.append(",".join(cells))
        return "\n".join(out)

    row = _by_name(update_french(filled, TODAY, fetch=lambda d: _zip_with(
        snapshot_dir, d.name, swapped if d is FACTORS else (lambda t: t))))[FACTORS.name]
    assert row["status"] == "rejected" and "too large for a data revision" in str(row["reason"])
    assert filled.read_table("ff_factors").at[pd.Timestamp("1926-07-31"), "monthly:SMB"] == -2.56


def test_zip_without_a_csv_is_refused():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("readme.txt", "moved")
    with pytest.raises(DataError, match="expected one CSV"):
        read_zip(out.getvalue(), SIZE, SIZE.url)


def test_replayed_update_reads_the_recorded_zips(filled, tmp_settings, snapshot_dir):
    """`publish-dry-run` (update --replay): the tables come back unchanged from the
    snapshot's copies served as the library's zips."""
    from generator.update_tables import french_rows

    rows = french_rows(filled, TODAY, replay=snapshot_dir)
    assert [r["status"] for r in rows] == ["unchanged"] * len(DATASETS)
    assert [r["last_date"] for r in rows] == ["2024-12-31"] * len(DATASETS)
