"""The deadlines of the board process, as the law counts them (Kommunallagen 2017:725).

- Minutes are justerade at the latest 14 days after the meeting (KL 5 kap. 69 §); the
  secretary is warned from day 10.
- Justering is announced on the notice board at the latest the second day after it
  (KL 8 kap. 12 §).
- An appeal (laglighetsprövning) is lodged within three weeks from the day the notice was
  posted (KL 13 kap. 5 §), and the notice stays up until that time has run out.

Every period counts Stockholm calendar dates and, under lagen (1930:173) om beräkning av
lagstadgad tid, a last day on a weekend, a public holiday, midsommarafton, julafton or
nyårsafton runs to the next working day (core/calendar.py)."""

import datetime as dt
from dataclasses import dataclass

from diarium.core.calendar import add_weeks, extend_to_working_day

JUSTERING_DAYS = 14
JUSTERING_WARNING_DAY = 10
NOTICE_DAYS = 2
APPEAL_WEEKS = 3


def justering_deadline(meeting: dt.date) -> dt.date:
    return extend_to_working_day(meeting + dt.timedelta(days=JUSTERING_DAYS))


def justering_warning_from(meeting: dt.date) -> dt.date:
    return meeting + dt.timedelta(days=JUSTERING_WARNING_DAY)


def latest_posting(justered: dt.date) -> dt.date:
    return extend_to_working_day(justered + dt.timedelta(days=NOTICE_DAYS))


def check_posting_date(justered: dt.date, posted: dt.date) -> None:
    """A notice is posted on the day of justering or within the legal limit after it."""
    if posted < justered:
        raise ValueError("a notice cannot be posted before the minutes are justerade")
    if posted > latest_posting(justered):
        raise ValueError(f"the notice must be posted by {latest_posting(justered).isoformat()}")


def appeal_last_day(posted: dt.date) -> dt.date:
    return extend_to_working_day(add_weeks(posted, APPEAL_WEEKS))


@dataclass(frozen=True)
class NoticePeriod:
    posted: dt.date
    appeal_last_day: dt.date
    taken_down: dt.date  # the first day the notice is no longer up


def notice_period(posted: dt.date) -> NoticePeriod:
    last = appeal_last_day(posted)
    return NoticePeriod(posted, last, last + dt.timedelta(days=1))
