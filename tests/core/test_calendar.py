"""The Swedish legal calendar: Stockholm dates, holidays and eves, 1930:173 extension."""

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from diarium.core import calendar

UTC = dt.UTC


@pytest.mark.parametrize(("day", "working"), [
    (dt.date(2026, 12, 23), True),
    (dt.date(2026, 12, 24), False),   # julafton
    (dt.date(2026, 12, 31), False),   # nyårsafton
    (dt.date(2026, 6, 19), False),    # midsommarafton (Friday)
    (dt.date(2026, 6, 18), True),
    (dt.date(2026, 1, 6), False),     # trettondedag jul
    (dt.date(2026, 4, 3), False),     # långfredagen
    (dt.date(2026, 5, 14), False),    # Kristi himmelsfärd
    (dt.date(2026, 12, 5), False),    # Saturday
    (dt.date(2026, 12, 7), True),
])
def test_working_days(day, working):
    assert calendar.is_working_day(day) is working


def test_a_period_ending_at_christmas_runs_to_the_next_working_day():
    assert calendar.extend_to_working_day(dt.date(2026, 12, 24)) == dt.date(2026, 12, 28)
    assert calendar.extend_to_working_day(dt.date(2026, 12, 31)) == dt.date(2027, 1, 4)


@pytest.mark.parametrize(("instant", "date"), [
    (dt.datetime(2026, 3, 29, 0, 30, tzinfo=UTC), dt.date(2026, 3, 29)),
    (dt.datetime(2026, 3, 28, 23, 30, tzinfo=UTC), dt.date(2026, 3, 29)),  # 00:30 CET
    (dt.datetime(2026, 10, 24, 22, 30, tzinfo=UTC), dt.date(2026, 10, 25)),  # 00:30 CEST
    (dt.datetime(2026, 10, 25, 22, 59, tzinfo=UTC), dt.date(2026, 10, 25)),  # 23:59 CET
])
def test_instants_become_stockholm_dates(instant, date):
    assert calendar.stockholm_date(instant) == date


def test_a_naive_datetime_is_refused():
    with pytest.raises(ValueError, match="naive"):
        calendar.stockholm_date(dt.datetime(2026, 1, 1, 12))


@given(st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2100, 12, 31)))
def test_extension_lands_on_the_first_working_day(day):
    extended = calendar.extend_to_working_day(day)
    assert extended >= day and calendar.is_working_day(extended)
    assert (extended - day).days <= 5
    between = [day + dt.timedelta(days=n) for n in range((extended - day).days)]
    assert not any(calendar.is_working_day(d) for d in between)


@given(st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2100, 1, 1)),
       st.integers(min_value=0, max_value=40))
def test_working_days_between_counts_each_working_day_once(start, span):
    end = start + dt.timedelta(days=span)
    expected = sum(calendar.is_working_day(start + dt.timedelta(days=n))
                   for n in range(1, span + 1))
    assert calendar.working_days_between(start, end) == expected
