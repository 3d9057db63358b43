"""Disposal dates: pure functions, tested with examples and properties."""

import calendar
import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from diarium.plan import vocabulary as words
from diarium.plan.retention import (
    Disposition,
    Outcome,
    PeriodUnit,
    Retention,
    Trigger,
    TriggerDates,
    add_months,
    add_years,
    disposal_date,
    is_due,
)

dates = st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2400, 12, 31))
units = st.sampled_from(list(PeriodUnit.values))
amounts = st.integers(min_value=1, max_value=150)
triggers = st.sampled_from(list(Trigger.values))
leap_days = st.integers(min_value=1900, max_value=2400).filter(calendar.isleap).map(
    lambda year: dt.date(year, 2, 29)
)


def dispose(amount, unit=PeriodUnit.YEARS, trigger=Trigger.CASE_CLOSED, year_end=False):
    return Retention(Disposition.DISPOSE, amount, unit, trigger, year_end)


def all_dates(day: dt.date) -> TriggerDates:
    return TriggerDates(case_closed=day, document_date=day, review_date=day)


def test_examples():
    closed = TriggerDates(case_closed=dt.date(2024, 5, 10))
    assert disposal_date(dispose(2), closed) == dt.date(2026, 5, 10)
    assert disposal_date(dispose(2, year_end=True), closed) == dt.date(2026, 12, 31)
    assert disposal_date(dispose(6, PeriodUnit.MONTHS), closed) == dt.date(2024, 11, 10)
    assert disposal_date(dispose(30, PeriodUnit.DAYS), closed) == dt.date(2024, 6, 9)
    assert disposal_date(dispose(1), TriggerDates(case_closed=dt.date(2024, 2, 29))) \
        == dt.date(2025, 2, 28)
    assert disposal_date(dispose(4), TriggerDates(case_closed=dt.date(2024, 2, 29))) \
        == dt.date(2028, 2, 29)
    assert add_months(dt.date(2025, 1, 31), 1) == dt.date(2025, 2, 28)
    assert add_months(dt.date(2024, 1, 31), 1) == dt.date(2024, 2, 29)
    assert add_months(dt.date(2025, 3, 31), -1) == dt.date(2025, 2, 28)


def test_keep_open_case_and_obsolete():
    keep = Retention(Disposition.KEEP)
    assert disposal_date(keep, all_dates(dt.date(2020, 1, 1))) is Outcome.KEEP
    assert disposal_date(keep, TriggerDates()) is Outcome.KEEP
    assert disposal_date(dispose(2), TriggerDates(document_date=dt.date(2020, 1, 1))) \
        is Outcome.UNDETERMINED  # the case is still open
    obsolete = Retention(Disposition.DISPOSE, None, "", Trigger.OBSOLETE)
    assert disposal_date(obsolete, TriggerDates()) is Outcome.UNDETERMINED
    assert disposal_date(obsolete, TriggerDates(review_date=dt.date(2025, 3, 3))) \
        == dt.date(2025, 3, 3)
    by_document = dispose(1, trigger=Trigger.DOCUMENT_DATE)
    assert disposal_date(by_document, TriggerDates(document_date=dt.date(2025, 3, 3))) \
        == dt.date(2026, 3, 3)


def test_is_due():
    rule = dispose(2)
    closed = TriggerDates(case_closed=dt.date(2024, 5, 10))
    assert not is_due(rule, closed, dt.date(2026, 5, 9))
    assert is_due(rule, closed, dt.date(2026, 5, 10))
    assert not is_due(Retention(Disposition.KEEP), closed, dt.date(2999, 1, 1))
    assert not is_due(rule, TriggerDates(), dt.date(2999, 1, 1))


@given(dates, amounts, units, triggers, st.booleans())
def test_result_is_never_before_the_trigger(day, amount, unit, trigger, year_end):
    result = disposal_date(dispose(amount, unit, trigger, year_end), all_dates(day))
    assert isinstance(result, dt.date)
    assert result > day


@given(dates, amounts, amounts, units, st.booleans())
def test_monotonic_in_the_period(day, a, b, unit, year_end):
    shorter, longer = sorted((a, b))
    first = disposal_date(dispose(shorter, unit, year_end=year_end), all_dates(day))
    second = disposal_date(dispose(longer, unit, year_end=year_end), all_dates(day))
    assert first <= second


@given(dates, dates, amounts, units)
def test_monotonic_in_the_trigger(a, b, amount, unit):
    early, late = sorted((a, b))
    rule = dispose(amount, unit)
    assert disposal_date(rule, all_dates(early)) <= disposal_date(rule, all_dates(late))


@given(dates, st.integers(min_value=-1200, max_value=1200))
def test_month_end_clamping(day, months):
    result = add_months(day, months)
    last = calendar.monthrange(result.year, result.month)[1]
    assert result.day == min(day.day, last)
    assert (result.year * 12 + result.month) - (day.year * 12 + day.month) == months


@given(dates, st.integers(min_value=1, max_value=150))
def test_twelve_months_are_a_year(day, years):
    assert add_months(day, 12 * years) == add_years(day, years)


@given(leap_days, st.integers(min_value=1, max_value=150))
def test_leap_day_lands_on_feb_28_in_common_years(day, years):
    result = add_years(day, years)
    expected = 29 if calendar.isleap(day.year + years) else 28
    assert result == dt.date(day.year + years, 2, expected)


@given(dates, amounts)
def test_year_end_option_lands_on_dec_31_plus_years(day, amount):
    result = disposal_date(dispose(amount, year_end=True), all_dates(day))
    assert result == dt.date(day.year + amount, 12, 31)


@given(dates, st.integers(min_value=1, max_value=1800))
def test_year_end_option_with_months_lands_on_a_month_end(day, amount):
    result = disposal_date(dispose(amount, PeriodUnit.MONTHS, year_end=True), all_dates(day))
    assert result.day == calendar.monthrange(result.year, result.month)[1]
    assert result == add_months(dt.date(day.year, 12, 31), amount)


@given(amounts, units)
def test_period_words_round_trip(amount, unit):
    limit = {PeriodUnit.YEARS: 1, PeriodUnit.MONTHS: 12, PeriodUnit.DAYS: 366}[unit]
    amount = min(amount * limit, 150 * limit)
    assert words.parse_period(words.format_period(amount, unit)) == (amount, unit)


@pytest.mark.parametrize("text", ["-2 år", "0 år", "två år", "2", "år", "2 veckor", "",
                                  "151 år", "2 år 3 månader"])
def test_impossible_periods(text):
    with pytest.raises(words.VocabularyError):
        words.parse_period(text)


@pytest.mark.parametrize("text,expected", [
    ("2 år", (2, "years")), ("10 ÅR", (10, "years")), ("6 månader", (6, "months")),
    ("1 månad", (1, "months")), ("30 dagar", (30, "days")), ("vid inaktualitet", None),
    ("Vid  inaktualitet", None), ("3 years", (3, "years")),
])
def test_periods(text, expected):
    assert words.parse_period(text) == expected
