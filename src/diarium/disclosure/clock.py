"""The request clock: when an answer is due and whether a request is late.

JO's practice is that a request is answered the same day, a few days at most when a
secrecy review or volume demands it. An authority sets a target in working days (0: the
same working day). A request received on a working day with target 0 is due by the end
of that Stockholm day; one received on a Saturday, a Sunday, a public holiday or an eve
the law treats as one (core/calendar.py) counts from the next working day. The due
instant is midnight Stockholm time after the due day, so the mark turns red at the same
wall-clock moment whatever daylight saving does."""

import datetime as dt

from diarium.core.calendar import STOCKHOLM, extend_to_working_day, is_working_day, stockholm_date


def due_date(received_at: dt.datetime, target_working_days: int = 0) -> dt.date:
    """The Stockholm date by whose end the request should be answered."""
    day = extend_to_working_day(stockholm_date(received_at))
    left = target_working_days
    while left > 0:
        day += dt.timedelta(days=1)
        left -= is_working_day(day)
    return day


def due_at(received_at: dt.datetime, target_working_days: int = 0) -> dt.datetime:
    """The instant after which the request is late (aware, UTC)."""
    after = due_date(received_at, target_working_days) + dt.timedelta(days=1)
    return dt.datetime.combine(after, dt.time(0), tzinfo=STOCKHOLM).astimezone(dt.UTC)


def age_hours(received_at: dt.datetime, now: dt.datetime) -> float:
    """Hours since the request came in (to the answer, once answered)."""
    return max(0.0, (now - received_at).total_seconds() / 3600)


def is_late(due: dt.datetime, now: dt.datetime, answered_at: dt.datetime | None) -> bool:
    """Late: not answered by the due instant (an answer after it stays late)."""
    return (answered_at or now) >= due


def same_day(received_at: dt.datetime, answered_at: dt.datetime) -> bool:
    """Answered on the Stockholm day it came in."""
    return stockholm_date(received_at) == stockholm_date(answered_at)
