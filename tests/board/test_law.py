"""Law as code on meetings: the justering deadline lists, the notice's posting limit,
its appeal date and take-down, and closed items kept off the public side."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from diarium.board import deadlines, publication, selectors
from diarium.board.models import AttendanceStatus, ItemKind, MeetingStatus, Notice
from diarium.board.services import agenda, conduct, minutes
from tests.board.world import make_world

pytestmark = pytest.mark.django_db
MEETING_DAY = dt.date(2026, 11, 17)  # a Tuesday


def _meeting(world, day=MEETING_DAY, status=MeetingStatus.HELD):
    meeting = agenda.create_meeting(world.secretary, world.body, day, dt.time(9), "Salen")
    meeting.status = status
    meeting.save(update_fields=["status"])
    return meeting


def test_justering_within_14_days_warns_from_day_10_then_lists_as_overdue():
    world = make_world()
    meeting = _meeting(world)
    user = world.secretary
    assert selectors.justering_status(meeting, MEETING_DAY + dt.timedelta(days=9)) == "ok"
    assert selectors.justering_warnings(user, MEETING_DAY + dt.timedelta(days=9)) == []
    day10 = MEETING_DAY + dt.timedelta(days=10)
    assert selectors.justering_status(meeting, day10) == "warning"
    assert selectors.justering_warnings(user, day10) == [meeting]
    deadline = deadlines.justering_deadline(MEETING_DAY)
    assert deadline == dt.date(2026, 12, 1)
    assert selectors.justering_overdue(user, deadline) == []
    after = deadline + dt.timedelta(days=1)
    assert selectors.justering_status(meeting, after) == "overdue"
    assert selectors.justering_overdue(user, after) == [meeting]
    assert selectors.justering_warnings(user, after) == []


def test_notice_is_posted_no_later_than_two_days_after_justering():
    world = make_world()
    meeting = _meeting(world)
    justered = dt.date(2026, 11, 20)  # a Friday: two days later is Sunday -> Monday
    notice = publication.minutes_notice(meeting, justered, dt.date(2026, 11, 23))
    assert notice.posted_on == dt.date(2026, 11, 23)
    with pytest.raises(ValidationError, match="2026-11-23"):
        publication.minutes_notice(meeting, justered, dt.date(2026, 11, 24))
    with pytest.raises(ValidationError):
        publication.minutes_notice(meeting, justered, dt.date(2026, 11, 19))


def test_the_secretary_chooses_a_posting_date_within_the_limit(monkeypatch):
    world = make_world()
    meeting = _meeting(world, status=MeetingStatus.JUSTERAD)
    meeting.justered_on = dt.date(2030, 6, 3)  # a date ahead: the notice is not yet up
    meeting.save(update_fields=["justered_on"])
    publication.minutes_notice(meeting, meeting.justered_on, meeting.justered_on)
    minutes.choose_posting_date(world.secretary, meeting, dt.date(2030, 6, 5))
    assert Notice.objects.get(source_id=meeting.pk).posted_on == dt.date(2030, 6, 5)
    with pytest.raises(ValidationError):
        minutes.choose_posting_date(world.secretary, meeting, dt.date(2030, 6, 6))
    assert Notice.objects.get(source_id=meeting.pk).posted_on == dt.date(2030, 6, 5)


def test_appeal_ends_exactly_three_weeks_from_posting_by_the_stockholm_calendar():
    world = make_world()
    meeting = _meeting(world)
    notice = publication.minutes_notice(meeting, dt.date(2026, 12, 9), dt.date(2026, 12, 10))
    # 10 Dec + 3 weeks = Thursday 31 Dec, nyårsafton: the next working day, Monday 4 Jan.
    assert notice.appeal_last_day == dt.date(2027, 1, 4)
    notice = publication.minutes_notice(meeting, dt.date(2026, 3, 12), dt.date(2026, 3, 12))
    assert notice.appeal_last_day == dt.date(2026, 4, 2)  # across the change to summer time


def test_the_notice_comes_down_after_three_weeks_and_stays_in_the_archive():
    world = make_world()
    meeting = _meeting(world)
    notice = publication.minutes_notice(meeting, dt.date(2026, 11, 2), dt.date(2026, 11, 3))
    assert notice.appeal_last_day == dt.date(2026, 11, 24)
    assert list(selectors.current_notices(dt.date(2026, 11, 2))) == []
    assert list(selectors.current_notices(dt.date(2026, 11, 3))) == [notice]
    assert list(selectors.current_notices(dt.date(2026, 11, 24))) == [notice]
    assert list(selectors.archived_notices(dt.date(2026, 11, 24))) == []
    assert list(selectors.current_notices(dt.date(2026, 11, 25))) == []
    assert list(selectors.archived_notices(dt.date(2026, 11, 25))) == [notice]
    assert list(selectors.archived_notices(dt.date(2036, 1, 1))) == [notice]


def test_items_are_decided_in_agenda_order_with_continuous_paragraphs_over_meetings():
    world = make_world()
    numbers = []
    for day in (dt.date(2026, 2, 3), dt.date(2026, 3, 3)):
        meeting = _meeting(world, day=day, status=MeetingStatus.PLANNED)
        first = agenda.add_fixed_item(world.secretary, meeting, ItemKind.OPENING)
        second = agenda.add_fixed_item(world.secretary, meeting, ItemKind.INFORMATION)
        conduct.record_attendance(world.secretary, meeting, world.member("chair"),
                                  AttendanceStatus.PRESENT)
        with pytest.raises(ValidationError, match="ordning"):
            conduct.decide_item(world.secretary, second, "Informationen noteras.")
        numbers += [conduct.decide_item(world.secretary, item, "Beslut.").paragraph
                    for item in (first, second)]
    next_year = _meeting(world, day=dt.date(2027, 1, 12), status=MeetingStatus.PLANNED)
    item = agenda.add_fixed_item(world.secretary, next_year, ItemKind.OPENING)
    conduct.record_attendance(world.secretary, next_year, world.member("chair"),
                              AttendanceStatus.PRESENT)
    assert numbers == [1, 2, 3, 4]
    assert conduct.decide_item(world.secretary, item, "Beslut.").paragraph == 1
    with pytest.raises(ValidationError, match="beslutad"):
        conduct.decide_item(world.secretary, item, "Ett annat beslut.")
