"""The request clock over working days, weekends and Swedish public holidays."""

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from diarium.core.calendar import STOCKHOLM, is_working_day, stockholm_date
from diarium.disclosure import clock

INSTANTS = st.datetimes(min_value=dt.datetime(2024, 1, 1), max_value=dt.datetime(2030, 12, 31),
                        timezones=st.just(dt.UTC))
TARGETS = st.integers(min_value=0, max_value=5)


def at(y, m, d, h=10, minute=0):
    return dt.datetime(y, m, d, h, minute, tzinfo=STOCKHOLM)


@given(INSTANTS, TARGETS)
def test_the_due_day_is_a_working_day_on_or_after_the_day_received(received, target):
    due = clock.due_date(received, target)
    assert is_working_day(due)
    assert due >= stockholm_date(received)


@given(INSTANTS, TARGETS)
def test_the_target_counts_exactly_that_many_working_days(received, target):
    start = clock.due_date(received, 0)
    due = clock.due_date(received, target)
    days = [start + dt.timedelta(days=n) for n in range(1, (due - start).days + 1)]
    assert sum(map(is_working_day, days)) == target


@given(INSTANTS)
def test_same_day_target_on_a_working_day_is_that_day(received):
    day = stockholm_date(received)
    if is_working_day(day):
        assert clock.due_date(received) == day


@given(INSTANTS, TARGETS)
def test_due_instant_is_stockholm_midnight_after_the_due_day(received, target):
    due = clock.due_at(received, target).astimezone(STOCKHOLM)
    assert (due.hour, due.minute) == (0, 0)
    assert due.date() == clock.due_date(received, target) + dt.timedelta(days=1)
    assert clock.is_late(clock.due_at(received, target), due, None)
    assert not clock.is_late(clock.due_at(received, target), received, None)


@given(INSTANTS, INSTANTS)
def test_age_is_never_negative_and_grows(a, b):
    first, second = sorted([a, b])
    assert clock.age_hours(first, second) >= 0
    assert clock.age_hours(first, second) == (second - first).total_seconds() / 3600


def test_known_days():
    # Friday afternoon: due by the end of Friday.
    assert clock.due_date(at(2026, 3, 13, 16)) == dt.date(2026, 3, 13)
    # Saturday: due Monday.
    assert clock.due_date(at(2026, 3, 14)) == dt.date(2026, 3, 16)
    # Långfredag (3 April 2026) to annandag påsk (6 April): due Tuesday 7 April.
    assert clock.due_date(at(2026, 4, 3)) == dt.date(2026, 4, 7)
    # Midsommarafton (19 June 2026) counts as a holiday: due Monday 22 June.
    assert clock.due_date(at(2026, 6, 19)) == dt.date(2026, 6, 22)
    # Julafton and nyårsafton: 24 December 2026 (Thursday) -> Monday 28 December.
    assert clock.due_date(at(2026, 12, 24)) == dt.date(2026, 12, 28)
    # Two working days from Thursday 30 April 2026, over 1 May (a Friday): Tuesday 5 May.
    assert clock.due_date(at(2026, 4, 30), 2) == dt.date(2026, 5, 5)
    # Late at 23:30 Stockholm? Not yet; at midnight, yes (across the DST change, too).
    due = clock.due_at(at(2026, 3, 27, 9))  # Friday before the clocks go forward
    assert not clock.is_late(due, at(2026, 3, 27, 23, 30), None)
    assert clock.is_late(due, at(2026, 3, 28, 0, 0), None)
    # An answer after the due instant stays late; one before it is not.
    assert clock.is_late(due, at(2026, 4, 10), at(2026, 3, 30))
    assert not clock.is_late(due, at(2026, 4, 10), at(2026, 3, 27, 15))
