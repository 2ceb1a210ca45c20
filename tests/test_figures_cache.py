"""The figure cache (generator/figures/cache.py) and the charts' data tables
(generator/figures/data_table.py)."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pandas as pd
import pytest

from generator.catalog import get
from generator.figures import build_figures, build_one
from generator.figures import cache as figure_cache
from generator.figures.cache import FigureCache, RecordingStore, input_checksums
from generator.figures.data_table import MAX_ROWS, cell, data_table, header
from generator.figures.spec import Drawn, FigureSpec
from generator.figures.theme import new_figure
from generator.store import Store, load_values
from generator.units import Level

# ---- data tables ------------------------------------------------------------------------------


def test_data_table_keeps_first_value_and_year_ends_of_a_long_daily_series() -> None:
    days = pd.bdate_range("2019-03-01", "2021-06-30", name="date")
    data = pd.DataFrame({"russell_2000_usd": range(len(days))}, index=days, dtype=float)
    table = data_table(data)
    assert table.columns == ("Date", "Russell 2000 (USD)")
    dates = [row[0] for row in table.rows]
    # first day, then the last business day of 2019 and 2020, then the latest day
    assert dates == ["2019-03-01", "2019-12-31", "2020-12-31", "2021-06-30"]
    last = len(days) - 1
    assert table.rows[-1][1] == f"${last:,}"  # a _usd column is dollars
    assert "4 of" in table.note and "CSV" in table.note


def test_data_table_shows_short_tables_whole_and_thins_long_categorical_ones() -> None:
    short = pd.DataFrame({"sp_500_pct": [1.5, -2.25]}, index=pd.Index([2001, 2002], name="year"))
    table = data_table(short)
    assert table.columns == ("Year", "S&P 500 (%)")
    assert table.rows == (("2001", "1.50%"), ("2002", "−2.25%"))  # a _pct column: percent
    assert table.note == ""
    long = pd.DataFrame({"value": range(100)}, dtype=float)
    thinned = data_table(long)
    assert len(thinned.rows) <= MAX_ROWS and thinned.rows[-1] == ("99.00",)
    assert thinned.columns == ("Value",)  # an unnamed range index is not shown


def test_data_table_shows_fractions_as_the_chart_does() -> None:
    data = pd.DataFrame({"russell_2000": [0.116, -0.00001], "russell_2000_sp_500_beta": [1.2, 0.9]},
                        index=pd.Index([2024, 2025], name="year"))
    fig = new_figure(y_format="+.0%", x_is_date=False)
    assert data_table(data, fig).rows == (("2024", "11.6%", "1.20"), ("2025", "0.0%", "0.90"))
    assert data_table(data).rows[0][1] == "0.12"  # no percent axis: a plain number


def test_data_table_index_years_and_named_units() -> None:
    """The index is shown in its unit too, a year column has no thousands separator, and a
    figure may name a column's unit (dollars, points) where the name cannot tell it."""
    data = pd.DataFrame({"worst_year": [2008, 2008], "final_value": [88099.2, 88604.0],
                         "lead": [0.032, -0.022]},
                        index=pd.Index([0.0, 0.05], name="small_cap_share"))
    fig = new_figure(y_format=".2%", x_is_date=False)
    table = data_table(data, fig, {"final_value": "dollars", "lead": "gap:short"})
    assert table.rows == (("0.0%", "2008", "$88,099", "+3.2 pp"),
                          ("5.0%", "2008", "$88,604", "−2.2 pp"))
    assert data_table(data, fig).rows[0][2] == "88,099"  # unnamed: a plain number

def test_cells_and_headers() -> None:
    assert cell(12345.678) == "12,346" and cell(-0.51234) == "−0.512" and cell(2.5) == "2.50"
    assert cell(float("nan")) == "—" and cell(pd.Timestamp("2020-03-16")) == "2020-03-16"
    assert header("^RUT") == "Russell 2000" and header("iwm_total_return_usd") == \
        "IWM total return (USD)"


# ---- the cache --------------------------------------------------------------------------------


@pytest.fixture()
def own_store(store: Store, tmp_path: Path) -> Store:
    """A writable copy of the session's store."""
    return Store(Path(shutil.copytree(store.root, tmp_path / "store")))


def _vix_spec(declared: tuple[str, ...]) -> FigureSpec:
    def build(store: Store) -> Drawn:
        vix = load_values(store, "^VIX")
        fig = new_figure()
        fig.add_scatter(x=[str(d.date()) for d in vix.index[-5:]], y=vix.iloc[-5:].to_numpy())
        return Drawn(fig, vix.to_frame(), vix.index[-1].date(), {"last": Level(vix.iloc[-1])},
                     notes=f"{len(vix)} closes")

    return FigureSpec(id="test-vix", title="VIX", page="history.md", sources=declared,
                      method="Closes.", build=build, takeaway="VIX last {{ last }}")


def test_cache_hit_restores_result_and_files(own_store: Store, tmp_path: Path) -> None:
    spec = _vix_spec(("^VIX",))
    cache = FigureCache(tmp_path / "cache")
    out = tmp_path / "docs"
    recording = RecordingStore(own_store)
    built = build_one(spec, recording, out)
    assert recording.read == {"^VIX"}
    cache.save(built, input_checksums(own_store, {"^VIX"}), out)
    shutil.rmtree(out)
    hit = cache.lookup(spec, own_store, out)
    assert hit is not None
    assert (hit.takeaway, hit.as_of, hit.notes, hit.table) == \
        (built.takeaway, built.as_of, built.notes, built.table)
    assert (out / "figures" / "test-vix.csv").is_file()
    assert (out / "figures" / "test-vix.json").is_file()
    closes = load_values(own_store, "^VIX")
    assert hit.takeaway == f"VIX last {closes.iloc[-1]:.2f}"


def test_changed_data_or_code_invalidates(own_store: Store, tmp_path: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    # Declares nothing but reads ^VIX: the recorded read still guards the entry.
    spec = _vix_spec(())
    cache = FigureCache(tmp_path / "cache")
    out = tmp_path / "docs"
    recording = RecordingStore(own_store)
    built = build_one(spec, recording, out)
    cache.save(built, input_checksums(own_store, recording.read), out)
    assert cache.lookup(spec, own_store, out) is not None
    entry = json.loads((tmp_path / "cache" / "test-vix.meta.json").read_text())
    assert set(entry["inputs"]) == {"^VIX"}

    # New code (any shared module or the figure's own) -> miss.
    monkeypatch.setattr(figure_cache, "code_digest", lambda: "changed")
    assert cache.lookup(spec, own_store, out) is None
    monkeypatch.undo()
    assert cache.lookup(spec, own_store, out) is not None

    # The series gains a day -> its stored checksum changes -> miss.
    vix = get("^VIX")
    frame = own_store.read_series(vix)
    last = frame.index[-1]
    extra = frame.iloc[[-1]].copy()
    extra.index = pd.DatetimeIndex([last + pd.offsets.BDay(1)], name=frame.index.name)
    own_store.write_series(vix, pd.concat([frame, extra]), origin="test",
                           fetched_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC))
    assert cache.lookup(spec, own_store, out) is None


def test_second_build_of_every_figure_comes_from_the_cache(built_site, tmp_path: Path) -> None:
    """The session's build filled its cache: a build from a copy of it computes nothing and
    writes the same bytes (the first build is the session's own, not a second one here)."""
    store = Store(built_site.store_dir)
    cache = Path(shutil.copytree(built_site.cache_dir, tmp_path / "cache"))
    first = json.loads((built_site.docs_dir / "figures.json").read_text())
    logs: list[str] = []
    second = build_figures(store, tmp_path / "b", log=logs.append, cache_dir=cache)
    assert logs and all(line.endswith("(cached)") for line in logs)
    assert sorted(second) == sorted(entry["id"] for entry in first)
    for result in second.values():
        for rel in (result.json_path, result.csv_path, *result.extra_csv_paths):
            assert (built_site.docs_dir / rel).read_bytes() == (tmp_path / "b" / rel).read_bytes()
    assert (built_site.docs_dir / "figures.json").read_bytes() == \
        (tmp_path / "b" / "figures.json").read_bytes()
