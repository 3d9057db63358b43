"""Retention: when a record may be disposed of. Pure functions, no database.

Convention (see docs/plan.md):
- The retention period is counted from the trigger date: the case's closing date, the
  document's date, or the date the record was found no longer current (inaktualitet).
- The result is the first day on which the record may be disposed of: trigger + period.
- Months and years are calendar months and years. When the day does not exist in the target
  month the last day of that month is used: 31 January + 1 month is 28 (29) February, and
  29 February + N years is 28 February unless the target year is a leap year.
- With `count_from_year_end` the period is counted from 31 December of the trigger's year
  ("2 år efter utgången av det år då ärendet avslutades"): trigger 2024-05-10, 2 years ->
  2026-12-31.

The disposal report over millions of documents calls `disposal_date` once per document,
so it does no I/O and allocates little: build a `Retention` once per rule and reuse it."""

import calendar
import datetime as dt
import enum
from dataclasses import dataclass
from typing import Protocol

from django.db import models
from django.utils.translation import gettext_lazy as _


class Disposition(models.TextChoices):
    KEEP = "keep", _("Keep (bevaras)")
    DISPOSE = "dispose", _("Dispose of (gallras)")


class PeriodUnit(models.TextChoices):
    YEARS = "years", _("years")
    MONTHS = "months", _("months")
    DAYS = "days", _("days")


class Trigger(models.TextChoices):
    CASE_CLOSED = "case_closed", _("after the case is closed")
    DOCUMENT_DATE = "document_date", _("after the document's date")
    OBSOLETE = "obsolete", _("when no longer current (vid inaktualitet)")


class Outcome(enum.Enum):
    """The answers of `disposal_date` that are not a date."""

    KEEP = "keep"  # kept permanently: never disposed of
    UNDETERMINED = "undetermined"  # the trigger has not happened yet (e.g. the case is open)


class RetentionRule(Protocol):
    """What `disposal_date` reads from a rule: a RecordTypeRule or a `Retention`."""

    disposition: str
    period_amount: int | None
    period_unit: str
    trigger: str
    count_from_year_end: bool


@dataclass(frozen=True, slots=True)
class Retention:
    disposition: str
    period_amount: int | None = None
    period_unit: str = ""
    trigger: str = ""
    count_from_year_end: bool = False


@dataclass(frozen=True, slots=True)
class TriggerDates:
    """The dates a rule may count from; None where the event has not happened."""

    case_closed: dt.date | None = None
    document_date: dt.date | None = None
    review_date: dt.date | None = None  # when the record was found no longer current


def add_months(day: dt.date, months: int) -> dt.date:
    """Calendar months, clamped to the target month's last day."""
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    last = calendar.monthrange(year, month)[1]
    return dt.date(year, month, min(day.day, last))


def add_years(day: dt.date, years: int) -> dt.date:
    """Calendar years; 29 February lands on 28 February in a common year."""
    return add_months(day, 12 * years)


def add_period(day: dt.date, amount: int, unit: str) -> dt.date:
    if unit == PeriodUnit.YEARS:
        return add_years(day, amount)
    if unit == PeriodUnit.MONTHS:
        return add_months(day, amount)
    if unit == PeriodUnit.DAYS:
        return day + dt.timedelta(days=amount)
    raise ValueError(f"unknown period unit: {unit!r}")


def trigger_date(rule: RetentionRule, dates: TriggerDates) -> dt.date | None:
    if rule.trigger == Trigger.CASE_CLOSED:
        return dates.case_closed
    if rule.trigger == Trigger.DOCUMENT_DATE:
        return dates.document_date
    if rule.trigger == Trigger.OBSOLETE:
        return dates.review_date
    raise ValueError(f"unknown trigger: {rule.trigger!r}")


def disposal_date(rule: RetentionRule, dates: TriggerDates) -> dt.date | Outcome:
    """Outcome.KEEP, the first day the record may be disposed of, or Outcome.UNDETERMINED
    while the trigger has not happened."""
    if rule.disposition == Disposition.KEEP:
        return Outcome.KEEP
    start = trigger_date(rule, dates)
    if start is None:
        return Outcome.UNDETERMINED
    if rule.count_from_year_end:
        start = dt.date(start.year, 12, 31)
    if not rule.period_amount:
        return start  # "vid inaktualitet": at once when found no longer current
    return add_period(start, rule.period_amount, rule.period_unit)


def is_due(rule: RetentionRule, dates: TriggerDates, on: dt.date) -> bool:
    """True when the record may be disposed of on the given day."""
    result = disposal_date(rule, dates)
    return isinstance(result, dt.date) and result <= on
