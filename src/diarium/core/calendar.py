"""The Swedish calendar that the law counts in.

Dates that the law counts (14 days to justera minutes, 2 days to post the notice, three
weeks to appeal, a request answered the same working day) are Stockholm calendar dates:
an instant is turned into a date in Europe/Stockholm before anything is counted, so a
deadline never moves by a day around midnight UTC or a daylight-saving change.

Under lagen (1930:173) om beräkning av lagstadgad tid, a period whose last day falls on a
Saturday, a Sunday, another public holiday, midsommarafton, julafton or nyårsafton runs to
the next working day (`extend_to_working_day`). Public holidays come from the `holidays`
package's Swedish calendar."""

import datetime as dt
from functools import cache
from zoneinfo import ZoneInfo

STOCKHOLM = ZoneInfo("Europe/Stockholm")


def stockholm_date(instant: dt.datetime) -> dt.date:
    """The Stockholm calendar date of an aware instant."""
    if instant.tzinfo is None:
        raise ValueError("a naive datetime has no place in the calendar")
    return instant.astimezone(STOCKHOLM).date()


@cache
def _public_holidays(year: int) -> frozenset[dt.date]:
    # Imported here, not with the module: `holidays` loads every country's calendars
    # (0.09 s), and every command's start-up imports this module (board, registry).
    import holidays

    days = set(holidays.country_holidays("SE", years=year))
    # Eves that the law treats as holidays (1930:173, 2 §), and midsommarafton, which is the
    # Friday before Midsummer Day.
    days |= {dt.date(year, 12, 24), dt.date(year, 12, 31)}
    days |= {d - dt.timedelta(days=1) for d in holidays.country_holidays("SE", years=year)
             if d.month == 6 and d.weekday() == 5 and 20 <= d.day <= 26}
    return frozenset(days)


def is_working_day(day: dt.date) -> bool:
    return day.weekday() < 5 and day not in _public_holidays(day.year)


def extend_to_working_day(day: dt.date) -> dt.date:
    """The day itself if it is a working day, else the next working day (1930:173)."""
    while not is_working_day(day):
        day += dt.timedelta(days=1)
    return day


def add_weeks(day: dt.date, weeks: int) -> dt.date:
    """The same weekday `weeks` weeks later: 'three weeks from the posting day'."""
    return day + dt.timedelta(weeks=weeks)


def working_days_between(start: dt.date, end: dt.date) -> int:
    """Working days after `start` up to and including `end` (0 when end <= start)."""
    count, day = 0, start
    while day < end:
        day += dt.timedelta(days=1)
        count += is_working_day(day)
    return count
