"""The index-level figure and the recession table, against the raw snapshot."""

from __future__ import annotations

import pandas as pd
import pytest

from generator.store import load_values
from generator.topics.what_it_is.data import recessions_in_index_history
from tests.snapshot_raw import figure_csv, raw_close, raw_fred


def test_index_level_csv_has_known_closes(built_site, raw_dir):
    data = figure_csv(built_site, "r2k-index-level", index_col="date",
                      parse_dates=True)["russell_2000_close"]
    assert data.loc["2008-12-31"] == pytest.approx(499.45, abs=1e-4)
    assert data.loc["2019-12-31"] == pytest.approx(1668.47, abs=1e-4)
    raw = raw_close(raw_dir, "^RUT")
    assert data.index[0] == raw.index[0] == pd.Timestamp("1987-09-10")
    assert len(data) == len(raw)


def test_recession_table_by_hand(store, raw_dir):
    table = recessions_in_index_history(load_values(store, "^RUT"), load_values(store, "USREC"))
    rut = raw_close(raw_dir, "^RUT")
    usrec = raw_fred(raw_dir, "USREC")
    assert usrec.loc["2008-12-01"] == 1 and usrec.loc["2020-04-01"] == 1
    great = table[table["start"] == pd.Timestamp("2008-01-01")].iloc[0]
    assert great["end"] == pd.Timestamp("2009-06-01")
    base = rut.loc[:"2007-12-31"].iloc[-1]
    assert great["change"] == pytest.approx(rut.loc[:"2009-06-30"].iloc[-1] / base - 1)
    assert great["worst"] == pytest.approx(rut.loc["2008-01-01":"2009-06-30"].min() / base - 1)
    covid = table[table["start"] == pd.Timestamp("2020-03-01")].iloc[0]
    assert covid["end"] == pd.Timestamp("2020-04-01")
    # The 1980s recessions end before the data starts; the 1990 one is the first.
    assert table["start"].iloc[0] == pd.Timestamp("1990-08-01")
