"""The snapshot goes through the same validation as a live feed: bad input stops `make site`
with one clear line naming the file, the series and the date, and a non-zero exit. Damaged
copies of the committed excerpt (tests/fixtures/snapshot) stand in for a damaged snapshot; the
import stops before any page is built."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from generator.catalog import get
from generator.errors import ValidationError
from generator.validate import validate_series
from tests.conftest import EXCERPT_EQUITY_WEIGHTS_PCT, ROOT, snapshot_variant

RUT = "yahoo/^RUT.csv"


def run_site(tmp_path: Path, snapshot: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PRIMER_SNAPSHOT": str(snapshot), "PRIMER_STORE": str(tmp_path / "store"),
           "PRIMER_DOCS": str(tmp_path / "docs"), "PRIMER_SITE": str(tmp_path / "site"),
           "PRIMER_CACHE": str(tmp_path / "cache")}
    # `python -m generator site`, with the holdings excerpt accepted (conftest's tmp_settings).
    code = ("import runpy, generator.validate as v; "
            f"v.EQUITY_WEIGHTS_PCT = {EXCERPT_EQUITY_WEIGHTS_PCT!r}; "
            "runpy.run_module('generator', run_name='__main__', alter_sys=True)")
    return subprocess.run([sys.executable, "-c", code, "site"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=300)


def test_negative_close_fails_the_build_naming_file_series_and_date(tmp_path, snapshot_excerpt):
    text = (snapshot_excerpt / RUT).read_text()
    line = next(row for row in text.splitlines() if row.startswith("2026-07-31,"))
    cells = line.split(",")
    cells[4] = "-" + cells[4]
    damaged = text.replace(line, ",".join(cells))
    bad = snapshot_variant(snapshot_excerpt, tmp_path / "snap", {RUT: damaged})
    done = run_site(tmp_path, bad)
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert "^RUT" in lines[0] and "^RUT.csv" in lines[0]
    assert "non-positive price" in lines[0] and "2026-07-31" in lines[0]
    assert "Traceback" not in done.stderr


def test_duplicate_date_fails_the_build(tmp_path, snapshot_excerpt):
    text = (snapshot_excerpt / RUT).read_text()
    line = next(row for row in text.splitlines() if row.startswith("2026-07-31,"))
    bad = snapshot_variant(snapshot_excerpt, tmp_path / "snap",
                           {RUT: text.replace(line, f"{line}\n{line}")})
    done = run_site(tmp_path, bad)
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert "duplicate date" in lines[0] and "2026-07-31" in lines[0] and "^RUT.csv" in lines[0]


def test_missing_file_fails_the_build(tmp_path, snapshot_excerpt):
    bad = snapshot_variant(snapshot_excerpt, tmp_path / "snap", {"fred/DGS10.csv": None})
    done = run_site(tmp_path, bad)
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert "DGS10" in lines[0] and "snapshot file missing" in lines[0] and "DGS10.csv" in lines[0]
    assert not (tmp_path / "site" / "index.html").exists()


def test_unparseable_value_names_the_date(tmp_path, snapshot_excerpt):
    text = (snapshot_excerpt / "fred/DGS10.csv").read_text()
    assert "\n2026-07-02,4.49\n" in text  # the real value, as FRED printed it
    bad = snapshot_variant(snapshot_excerpt, tmp_path / "snap",
                           {"fred/DGS10.csv": text.replace("2026-07-02,4.49", "2026-07-02,4.4x9")})
    done = run_site(tmp_path, bad)
    assert done.returncode == 2
    assert "DGS10" in done.stderr and "2026-07-02" in done.stderr and "'4.4x9'" in done.stderr


def test_validation_rejects_an_implausible_jump_but_allows_1987_crash(store):
    spx = get("^GSPC")
    frame = store.read_series(spx)  # the whole history, as stored
    validate_series(spx, frame)  # 1987-10-19 (−20.5 %) is an allowed date
    jumped = frame.copy()
    jumped.loc["2019-12-31", "close"] *= 1.6
    with pytest.raises(ValidationError) as err:
        validate_series(spx, jumped)
    assert err.value.rule == "implausible move" and "2019-12-31" in err.value.dates


def test_validation_catches_a_unit_change_in_a_yield(store):
    dgs10 = get("DGS10")
    frame = store.read_series(dgs10)
    frame.loc["2026-01-02":, "value"] /= 100  # percent reported as a fraction
    with pytest.raises(ValidationError) as err:
        validate_series(dgs10, frame)
    assert err.value.rule in {"value out of range", "implausible move"}
