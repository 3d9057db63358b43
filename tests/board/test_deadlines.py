"""Law as code: the board's deadlines, with hypothesis over dates."""

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from diarium.board import deadlines
from diarium.core.calendar import is_working_day

dates = st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2099, 12, 1))


def test_justering_within_14_days_with_a_warning_from_day_10():
    meeting = dt.date(2026, 11, 17)  # a Tuesday
    assert deadlines.justering_deadline(meeting) == dt.date(2026, 12, 1)
    assert deadlines.justering_warning_from(meeting) == dt.date(2026, 11, 27)


def test_appeal_runs_three_weeks_from_posting_across_the_year_end():
    period = deadlines.notice_period(dt.date(2026, 12, 10))
    # 10 Dec + 3 weeks = 31 Dec (nyårsafton) → the next working day, Monday 4 Jan
    assert period.appeal_last_day == dt.date(2027, 1, 4)
    assert period.taken_down == dt.date(2027, 1, 5)


def test_appeal_across_daylight_saving_and_month_end():
    # posted Thursday 12 March 2026; DST starts 29 March; 3 weeks later is Thursday 2 April
    assert deadlines.appeal_last_day(dt.date(2026, 3, 12)) == dt.date(2026, 4, 2)
    # posted 15 October; DST ends 25 October; Thursday 5 November
    assert deadlines.appeal_last_day(dt.date(2026, 10, 15)) == dt.date(2026, 11, 5)


def test_posting_is_refused_after_the_second_day():
    justered = dt.date(2026, 12, 1)
    deadlines.check_posting_date(justered, dt.date(2026, 12, 3))
    with pytest.raises(ValueError, match="must be posted by 2026-12-03"):
        deadlines.check_posting_date(justered, dt.date(2026, 12, 4))
    with pytest.raises(ValueError, match="before"):
        deadlines.check_posting_date(justered, dt.date(2026, 11, 30))


@given(dates)
def test_appeal_last_day_is_three_weeks_or_the_next_working_day(posted):
    last = deadlines.appeal_last_day(posted)
    three_weeks = posted + dt.timedelta(days=21)
    assert is_working_day(last) and last >= three_weeks
    assert all(not is_working_day(three_weeks + dt.timedelta(days=n))
               for n in range((last - three_weeks).days))


@given(dates)
def test_the_notice_is_up_through_the_last_day_to_appeal(posted):
    period = deadlines.notice_period(posted)
    assert period.posted < period.appeal_last_day < period.taken_down
    assert (period.taken_down - period.appeal_last_day).days == 1


@given(dates, st.integers(min_value=0, max_value=10))
def test_posting_within_the_limit_is_accepted_and_after_it_refused(justered, delay):
    posted = justered + dt.timedelta(days=delay)
    if posted <= deadlines.latest_posting(justered):
        deadlines.check_posting_date(justered, posted)
    else:
        with pytest.raises(ValueError):
            deadlines.check_posting_date(justered, posted)
