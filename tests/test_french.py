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
    DATASETS_BY_ID,
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


def raw_lines(snapshot_excerpt, name: str) -> list[str]:
    return (snapshot_excerpt / "french" / f"{name}.csv").read_text().splitlines()


def raw_text(snapshot_excerpt, name: str) -> str:
    return (snapshot_excerpt / "french" / f"{name}.csv").read_bytes().decode("latin-1")


# --- Parser: known values straight from the raw files ------------------------------------------

def test_snapshot_parses_with_known_values_and_missing_markers(snapshot_excerpt):
    size = read_snapshot(snapshot_excerpt, SIZE)
    vw = size.sections["vw"]  # the committed excerpt: each section's 2023 and 2024 rows
    assert vw.index[0] == pd.Timestamp("2023-01-31") and vw.index[-1] == pd.Timestamp("2024-12-31")
    assert len(vw) == 24
    # First and last lines of the value-weight section, as printed (percent).
    assert vw.at[pd.Timestamp("2023-01-31"), "Hi 10"] == 6.07
    assert vw.at[pd.Timestamp("2023-01-31"), "Lo 10"] == 11.46
    assert vw.at[pd.Timestamp("2024-12-31"), "Lo 10"] == -3.22
    assert vw["<= 0"].isna().all()  # -99.99 throughout: missing, not a -99.99 % return
    assert size.sections["size"].at[pd.Timestamp("2024-12-31"), "Hi 10"] == 244794.31
    assert size.sections["vw_annual"].loc[2023, "Lo 10"] == 5.17
    factors = read_snapshot(snapshot_excerpt, FACTORS)
    assert factors.sections["monthly"].loc["2023-01-31"].tolist() == [6.64, 5.01, -4.0, 0.35]
    bm = read_snapshot(snapshot_excerpt, SIZE_BM)
    assert bm.sections["beme"].at[pd.Timestamp("2023-01-31"), "SMALL LoBM"] == 0.0909
    assert bm.sections["op"].index[0] == pd.Timestamp("2023-01-31")
    assert bm.monthly().shape == (24, 200)


def test_live_zip_and_snapshot_read_the_same(snapshot_excerpt):
    """The zip (description lines, first title, CRLF, member NAME.CSV) reads like the copy."""
    for dataset in DATASETS:
        data = french_zip(snapshot_excerpt, dataset.name)
        text = read_zip(data, dataset, dataset.url)
        assert "\r\n" in text and text.startswith("This file was created")
        live = parse_french_text(text, dataset, dataset.url)
        copy = read_snapshot(snapshot_excerpt, dataset)
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
    (lambda t: t.replace("202302,  -99.99,", "202302,  -99.99,  1.00,", 1), "has 20 values"),
    (lambda t: t.replace("202302,", "2023-02,", 1), "not YYYYMM|outside any section"),
    (lambda t: t.replace("   -3.01,", "    n/a,", 1), "'n/a' is not a number"),
    (lambda t: t + "\nSome new table\n", "unexpected text after the last section"),
])
def test_changed_layout_is_refused_naming_the_file(snapshot_excerpt, change, message):
    text = change(raw_text(snapshot_excerpt, SIZE.name))
    with pytest.raises(DataError, match=message) as caught:
        parse_french_text(text, SIZE, "Portfolios_Formed_on_ME.csv")
    assert "Portfolios_Formed_on_ME" in str(caught.value)


@pytest.mark.parametrize("old, new, rule", [
    ("202302,  -99.99,   -3.01,", "202302,  -99.99,  -99.99,", "missing value"),  # key column
    ("202302,  -99.99,   -3.01,", "202302,  -99.99,  -103.01,", "implausible value"),
    ("202303,  -99.99,   -7.05,", "202303,  -99.99,    1.78,", "sections disagree"),
])
def test_validation_rules(snapshot_excerpt, old, new, rule):
    text = raw_text(snapshot_excerpt, SIZE.name)
    assert old in text
    file = parse_french_text(text.replace(old, new, 1), SIZE, "x.csv")
    with pytest.raises(ValidationError, match=rule):
        validate_french(file, "x.csv", today=TODAY)


def test_fractions_instead_of_percent_and_a_missing_month_are_refused(snapshot_excerpt):
    file = read_snapshot(snapshot_excerpt, FACTORS)
    scaled = dict(file.sections, monthly=file.sections["monthly"] / 100.0)
    with pytest.raises(ValidationError, match="unit change"):
        validate_french(type(file)(FACTORS, scaled, ()), today=TODAY)
    gap = dict(file.sections, monthly=file.sections["monthly"].drop(pd.Timestamp("2023-03-31")))
    with pytest.raises(ValidationError, match=r"gap.*2023-02"):
        validate_french(type(file)(FACTORS, gap, ()), today=TODAY)
    with pytest.raises(ValidationError, match="future date"):
        validate_french(file, today=dt.date(2024, 11, 30))


# --- Store ----------------------------------------------------------------------------------------

def test_import_stores_each_file_once_as_published(tmp_settings, snapshot_excerpt):
    store = Store(tmp_settings.store_dir)
    assert import_french(tmp_settings, store, log=lambda _: None) == [d.id for d in DATASETS]
    assert import_french(tmp_settings, store, log=lambda _: None) == []
    table = store.read_table("ff_me_deciles")
    assert table.at[pd.Timestamp("2024-12-31"), "vw:Lo 10"] == -3.22
    firms = raw_lines(snapshot_excerpt, SIZE.name)[69]
    assert firms.startswith("202301,")  # the firm counts section's first row
    assert table.at[pd.Timestamp("2023-01-31"), "firms:Lo 10"] == float(firms.split(",")[10])
    meta = store.read_table_meta("ff_factors")
    assert (meta.first, meta.last, meta.rows) == ("2023-01-31", "2024-12-31", 24)
    assert meta.origin == "snapshot:french/F-F_Research_Data_Factors.csv"


# --- make update: recorded live zips, revisions and faults ----------------------------------------

def _zip_with(snapshot_excerpt, name: str, edit=lambda t: t) -> bytes:
    return french_zip(snapshot_excerpt, name, edit(raw_text(snapshot_excerpt, name)))


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


def test_update_with_the_same_files_changes_nothing(filled, snapshot_excerpt):
    before = {d.id: filled.read_table_meta(d.id) for d in DATASETS}
    rows = update_french(filled, TODAY, fetch=lambda d: french_zip(snapshot_excerpt, d.name))
    assert {r["status"] for r in rows} == {"unchanged"}
    assert {d.id: filled.read_table_meta(d.id) for d in DATASETS} == before


def test_update_adds_months_and_reports_revisions(filled, snapshot_excerpt):
    assert "202412,   -3.17,   -2.73,   -2.95,    0.37" in raw_text(snapshot_excerpt, FACTORS.name)

    line = next(x for x in raw_lines(snapshot_excerpt, FACTORS.name) if x.startswith("202405,"))
    cells = line.split(",")
    revised = ",".join([*cells[:2], "   -2.60", *cells[3:]])

    def edit(text: str) -> str:  # a new month, and the library revising 2024-05's SMB
        return _appended_month(text).replace(line, revised, 1)

    rows = _by_name(update_french(filled, TODAY, fetch=lambda d: _zip_with(
        snapshot_excerpt, d.name, edit if d is FACTORS else (lambda t: t))))
    row = rows[FACTORS.name]
    assert (row["status"], row["rows_added"], row["last_date"]) == ("updated", 1, "2025-01-31")
    assert "revised by the library: 1 months" in str(row["reason"])
    assert "monthly:SMB 2024-05" in str(row["reason"])
    stored = filled.read_table("ff_factors")
    assert stored.at[pd.Timestamp("2025-01-31"), "monthly:SMB"] == -0.20
    assert stored.at[pd.Timestamp("2024-05-31"), "monthly:SMB"] == -2.60
    assert filled.read_table_meta("ff_factors").origin.startswith("live:https://mba.tuck")


def test_update_faults_keep_the_stored_table(filled, snapshot_excerpt):
    url = "https://mba.tuck.dartmouth.edu/pages/faculty/ken.french/ftp/"
    before = filled.read_table_meta("ff_me_deciles")
    good = french_zip(snapshot_excerpt, SIZE.name)
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
                    mock.add(responses.GET, other.url,
                             body=french_zip(snapshot_excerpt, other.name))
            row = _by_name(update_french(filled, TODAY, policy=policy))[SIZE.name]
        expected = "unreachable" if name == "404" else "rejected"
        assert row["status"] == expected, (name, row)
        assert filled.read_table_meta("ff_me_deciles") == before
    with responses.RequestsMock() as mock:
        mock.add_callback(responses.GET, SIZE.url, callback=flaky)
        for other in DATASETS:
            if other is not SIZE:
                mock.add(responses.GET, other.url, body=french_zip(snapshot_excerpt, other.name))
        rows = _by_name(update_french(filled, TODAY, policy=policy))
    assert rows[SIZE.name]["status"] == "unchanged" and calls["n"] == 2 and len(sleeps) == 1
    assert url in SIZE.url


def test_update_refuses_a_shifted_file_and_a_shorter_history(filled, snapshot_excerpt):
    lines = raw_lines(snapshot_excerpt, FACTORS.name)

    def shorter(text: str) -> str:  # the monthly and annual sections both end a year early
        return "\n".join(line for line in lines if not line.startswith(("2024", "  2024")))

    row = _by_name(update_french(filled, TODAY, fetch=lambda d: _zip_with(
        snapshot_excerpt, d.name, shorter if d is FACTORS else (lambda t: t))))[FACTORS.name]
    assert row["status"] == "rejected" and "before the stored 2024-12" in str(row["reason"])

    # Mkt-RF and HML exchanged under the same header. (In the excerpt's two years, SMB and HML
    # never differ by more than the 10-point revision limit: swapping those would pass.)
    def swapped(text: str) -> str:
        out = []
        for line in text.splitlines():
            cells = line.split(",")
            if len(cells) == 5 and cells[0].strip().isdigit():
                cells[1], cells[3] = cells[3], cells[1]
            out.append(",".join(cells))
        return "\n".join(out)

    row = _by_name(update_french(filled, TODAY, fetch=lambda d: _zip_with(
        snapshot_excerpt, d.name, swapped if d is FACTORS else (lambda t: t))))[FACTORS.name]
    assert row["status"] == "rejected" and "too large for a data revision" in str(row["reason"])
    assert filled.read_table("ff_factors").at[pd.Timestamp("2023-01-31"), "monthly:SMB"] == 5.01


def test_zip_without_a_csv_is_refused():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("readme.txt", "moved")
    with pytest.raises(DataError, match="expected one CSV"):
        read_zip(out.getvalue(), SIZE, SIZE.url)


def test_replayed_update_reads_the_recorded_zips(filled, tmp_settings, snapshot_excerpt):
    """`publish-dry-run` (update --replay): the tables come back unchanged from the
    snapshot's copies served as the library's zips."""
    from generator.update_tables import french_rows

    rows = french_rows(filled, TODAY, replay=snapshot_excerpt)
    assert [r["status"] for r in rows] == ["unchanged"] * len(DATASETS)
    assert [r["last_date"] for r in rows] == ["2024-12-31"] * len(DATASETS)


def test_the_build_re_checks_stored_tables_with_the_library_rules(filled):
    """verify_store re-validates each stored library table: a stored return written as a
    fraction (a unit change) stops the build, naming the table's section."""
    from generator.catalog import TABLES_BY_ID
    from generator.errors import DataError as Error
    from generator.verify import verify_store

    assert set(DATASETS_BY_ID) <= set(verify_store(filled, TODAY).tables)
    table = filled.read_table("ff_factors")
    table["monthly:SMB"] = table["monthly:SMB"] / 100.0
    table["monthly:Mkt-RF"] = table["monthly:Mkt-RF"] / 100.0
    table["monthly:HML"] = table["monthly:HML"] / 100.0
    table["monthly:RF"] = table["monthly:RF"] / 100.0
    meta = TABLES_BY_ID["ff_factors"]
    filled.write_table("ff_factors", table, title=meta.title, publisher=meta.publisher,
                       origin="test", as_of=TODAY, fmt=meta.format)
    with pytest.raises(Error, match="unit change"):
        verify_store(filled, TODAY)
