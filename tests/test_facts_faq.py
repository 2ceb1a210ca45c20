"""FAQ facts: the 2021 high and the rates "then and now", against the raw snapshot."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from generator.topics.faq.data import faq_facts, high_of_year, level_then_and_now
from tests.snapshot_raw import raw_close, raw_fred


def test_high_of_year_by_hand():
    prices = pd.Series([10.0, 12.0, 11.0, 12.0, 12.5, 9.0],
                       index=pd.to_datetime(["2021-01-04", "2021-06-01", "2021-12-31",
                                             "2022-03-01", "2022-04-01", "2022-05-02"]))
    high = high_of_year(prices, 2021)
    # Equal to the old high (12.0 on 2022-03-01) is not a new high; 12.5 is.
    assert high == {"level": 12.0, "date": dt.date(2021, 6, 1), "regained": dt.date(2022, 4, 1),
                    "from_high": pytest.approx(9.0 / 12.0 - 1)}
    assert high_of_year(prices.iloc[:3], 2021)["regained"] is None


def test_level_then_and_now_takes_the_last_value_on_or_before():
    values = pd.Series([1.0, None, 2.0, 3.0],
                       index=pd.to_datetime(["2020-12-30", "2020-12-31", "2021-01-04",
                                             "2021-02-01"]))
    out = level_then_and_now(values, pd.Timestamp("2020-12-31"))
    assert out["then"] == 1.0 and out["then_date"] == dt.date(2020, 12, 30)
    assert out["now"] == 3.0 and out["now_date"] == dt.date(2021, 2, 1)


def test_real_facts_match_the_snapshot(store, raw_dir):
    facts = faq_facts(store)["faq"]
    rut = raw_close(raw_dir, "^RUT")
    in_2021 = rut.loc["2021"]
    assert facts["high_2021"]["level"].value == pytest.approx(in_2021.max())
    assert facts["high_2021"]["date"] == in_2021.idxmax().date()
    assert facts["lag_r2k"].value == pytest.approx(rut.iloc[-1] / rut.loc["2020-12-31"] - 1)
    dgs10 = raw_fred(raw_dir, "DGS10")
    assert facts["dgs10"]["then"] == dgs10.loc[:"2020-12-31"].iloc[-1]
    assert facts["dgs10"]["now"] == dgs10.iloc[-1]
