"""The update rules of `validate.plan_update` on tiny hand-built frames: what is appended, what is
a re-adjustment, what is a revision, and the business-day arithmetic of staleness."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from generator.catalog import get
from generator.errors import ValidationError
from generator.validate import overlap_days, plan_update, stale_warning

TODAY = dt.date(2026, 8, 24)


def bars(values: dict[str, float], column: str = "close") -> pd.DataFrame:
    index = pd.DatetimeIndex(pd.to_datetime(list(values)), name="date")
    return pd.DataFrame({column: list(values.values())}, index=index, dtype="float64")


STORED = bars({"2026-08-10": 100.0, "2026-08-11": 101.0, "2026-08-12": 102.0})


def test_agreeing_overlap_appends_exactly_the_new_rows():
    fetched = bars({"2026-08-11": 101.0, "2026-08-12": 102.0, "2026-08-13": 103.0,
                    "2026-08-14": 99.0})
    plan = plan_update(get("^RUT"), STORED, fetched, today=TODAY)
    assert list(plan.added.strftime("%Y-%m-%d")) == ["2026-08-13", "2026-08-14"]
    assert plan.merged["close"].tolist() == [100.0, 101.0, 102.0, 103.0, 99.0]
    assert plan.changed and plan.rescale == 1.0 and len(plan.revised) == 0


def test_nothing_new_is_no_change():
    plan = plan_update(get("^RUT"), STORED, STORED.iloc[1:], today=TODAY)
    assert not plan.changed
    pd.testing.assert_frame_equal(plan.merged, STORED)


def test_float_noise_between_downloads_is_not_a_revision():
    fetched = bars({"2026-08-12": 102.0 * (1 + 1e-7), "2026-08-13": 103.0})
    assert plan_update(get("^RUT"), STORED, fetched, today=TODAY).revised.empty


def test_an_etf_readjusted_for_a_dividend_is_rescaled_to_the_stored_basis():
    """IWM's auto-adjusted history moved ×0.99; the new row is scaled by 1/0.99 so the return
    from the last stored close to the new close is the feed's own return."""
    fetched = bars({"2026-08-11": 101.0 * 0.99, "2026-08-12": 102.0 * 0.99,
                    "2026-08-13": 104.0 * 0.99})
    plan = plan_update(get("IWM"), STORED, fetched, today=TODAY)
    assert plan.rescale == pytest.approx(1 / 0.99)
    assert plan.merged["close"].iloc[-1] == pytest.approx(104.0)
    assert "re-adjusted (dividend)" in plan.notes[0]


def test_a_constant_factor_on_an_index_is_a_revision_not_a_readjustment():
    fetched = bars({"2026-08-11": 101.0 * 0.99, "2026-08-12": 102.0 * 0.99,
                    "2026-08-13": 104.0})
    with pytest.raises(ValidationError) as err:
        plan_update(get("^RUT"), STORED, fetched, today=TODAY)
    assert err.value.rule == "revision in overlap"
    assert err.value.dates == ["2026-08-11", "2026-08-12"]


def test_an_etf_factor_beyond_a_dividend_is_rejected():
    fetched = bars({"2026-08-11": 101.0 * 0.5, "2026-08-12": 102.0 * 0.5, "2026-08-13": 52.0})
    with pytest.raises(ValidationError) as err:
        plan_update(get("IWM"), STORED, fetched, today=TODAY)
    assert err.value.rule == "revision in overlap"  # a 2:1 split needs a person


def test_a_vanished_stored_date_is_a_revision():
    fetched = bars({"2026-08-10": 100.0, "2026-08-12": 102.0, "2026-08-13": 103.0})
    with pytest.raises(ValidationError) as err:
        plan_update(get("^RUT"), STORED, fetched, today=TODAY)
    assert err.value.dates == ["2026-08-11"] and "feed has no value" in str(err.value)


def test_a_publisher_revision_is_applied_and_reported_for_revisable_series():
    stored = bars({"2026-05-01": 103.1, "2026-06-01": 103.4}, "value")
    fetched = bars({"2026-06-01": 103.9, "2026-07-01": 104.2}, "value")
    plan = plan_update(get("INDPRO"), stored, fetched, today=TODAY)
    assert plan.merged["value"].tolist() == [103.1, 103.9, 104.2]
    assert list(plan.revised.strftime("%Y-%m-%d")) == ["2026-06-01"]
    assert "2026-06-01 stored 103.4, feed 103.9" in plan.notes[0]
    # The same change to a series its publisher does not revise is refused.
    with pytest.raises(ValidationError, match="revision in overlap on 2026-06-01"):
        plan_update(get("FEDFUNDS"), stored / 20, fetched / 20, today=TODAY)


def test_a_jump_at_the_seam_is_caught_on_the_merged_whole():
    fetched = bars({"2026-08-13": 163.2, "2026-08-14": 164.0})  # no overlap, +60 % vs 102
    with pytest.raises(ValidationError) as err:
        plan_update(get("^RUT"), STORED, fetched, today=TODAY)
    assert err.value.rule == "implausible move" and err.value.dates == ["2026-08-13"]


def test_a_flag_at_zero_has_no_scale_to_compare():
    stored = bars({"2026-05-01": 0.0, "2026-06-01": 0.0}, "value")
    fetched = bars({"2026-06-01": 0.0, "2026-07-01": 0.0}, "value")
    plan = plan_update(get("USREC"), stored, fetched, today=TODAY)
    assert len(plan.added) == 1


def test_a_dropped_column_is_a_column_change():
    stored = STORED.assign(volume=1.0)
    with pytest.raises(ValidationError, match=r"columns changed: the feed no longer has"):
        plan_update(get("^RUT"), stored, STORED, today=TODAY)


def test_overlap_window_by_frequency_and_override():
    assert overlap_days(get("^RUT")) == 10
    assert overlap_days(get("UNRATE")) == 95
    assert overlap_days(get("USREC")) == 730  # NBER dates turning points months later


@pytest.mark.parametrize(("last", "warned"), [
    ("2026-08-21", None),  # Friday before a Monday: 1 business day
    ("2026-08-17", None),  # 5 business days: the allowance
    ("2026-08-14", "6 business days old (allowed 5)"),
])
def test_stale_warning_counts_business_days(last, warned):
    warning = stale_warning(get("^RUT"), dt.date.fromisoformat(last), TODAY)
    assert warning == (None if warned is None else
                       f"^RUT: stale feed: last observation {last} is {warned}")
