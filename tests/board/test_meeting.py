"""A whole meeting through the services: agenda, kallelse, attendance, jäv, a vote,
minutes, justering with real PAdES signatures in order, extracts in the cases, and the
notice with its dates."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from diarium.board import deadlines, justering, sending
from diarium.board.attendance import participants
from diarium.board.models import (
    AttendanceStatus,
    CaseDecision,
    ItemKind,
    MeetingStatus,
    Notice,
    PublishedMeeting,
)
from diarium.board.services import agenda, conduct, minutes, notices
from diarium.core import actors
from diarium.registry.models import CaseStatus
from tests.board.world import make_world

pytestmark = pytest.mark.django_db
MEETING_DAY = dt.date(2026, 11, 17)


def _held_meeting(world):
    case1, p1 = world.ready_case("Detaljplan för Norr")
    case2, p2 = world.ready_case("Budget 2027")
    meeting = agenda.create_meeting(world.secretary, world.body, MEETING_DAY,
                                    dt.time(13, 0), "Sessionssalen")
    opening = agenda.add_fixed_item(world.secretary, meeting, ItemKind.OPENING)
    first = agenda.add_case_item(world.secretary, meeting, p1)
    second = agenda.add_case_item(world.secretary, meeting, p2)
    agenda.move(world.secretary, second, -1)
    notices.send_notice(world.secretary, meeting)
    for key in ("chair", "m1"):
        conduct.record_attendance(world.secretary, meeting, world.member(key),
                                  AttendanceStatus.PRESENT)
    conduct.record_attendance(world.secretary, meeting, world.member("vice"),
                              AttendanceStatus.ABSENT)
    conduct.record_attendance(world.secretary, meeting, world.member("sub"),
                              AttendanceStatus.SERVING, serving_for=world.member("vice"))
    conduct.choose_adjusters(world.secretary, meeting, [world.member("m1")])
    return meeting, opening, first, second, (case1, case2)


def test_a_whole_meeting(settings, signing):
    world = make_world()
    signing(world, "chair", "m1")
    meeting, opening, first, second, cases = _held_meeting(world)
    assert [i.pk for i in meeting.items.order_by("position")] == [opening.pk, second.pk,
                                                                  first.pk]
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.NOTIFIED and meeting.notice_document
    # No outgoing mail server is set up: nobody is taken for reached (test_sending.py).
    lines = sending.status(meeting.notice_document, sending.notice_recipients(meeting))
    assert [(line.name, line.state) for line in lines] == [
        (name, "not_sent") for name in ("Anna Ordförande", "Bo Vice", "Cecilia Ledamot",
                                        "David Ersättare")]
    assert PublishedMeeting.objects.get(meeting_id=meeting.pk).items.count() == 3

    conduct.decide_item(world.secretary, opening, "Sammanträdet öppnas.")
    conduct.declare_conflict(world.secretary, second, world.member("m1"))
    with pytest.raises(ValidationError, match="deltar inte"):
        conduct.record_vote(world.secretary, second, {world.member("m1"): "for"}, "Bifall")
    conduct.decide_item(world.secretary, second, "Budgeten fastställs.")
    conduct.record_vote(world.secretary, first, {world.member("chair"): "for",
                                                 world.member("sub"): "against",
                                                 world.member("m1"): "for"},
                        "Bifall 2–1")
    conduct.add_remark(world.secretary, first, world.member("sub"), "reservation")
    conduct.decide_item(world.secretary, first, "Planen antas.")
    assert [i.paragraph for i in meeting.items.order_by("position")] == [1, 2, 3]

    minutes.produce_minutes(world.secretary, meeting)
    assert [m.pk for m in justering.signers(meeting)] == [world.member("chair").pk,
                                                          world.member("m1").pk]
    with pytest.raises(PermissionDenied, match="Anna"):
        justering.sign(world.member("m1").user, meeting)  # the chair signs first
    justering.sign(world.member("chair").user, meeting)
    justering.sign(world.member("m1").user, meeting)

    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.JUSTERAD
    today = meeting.justered_on
    notice = Notice.objects.get(source_id=meeting.pk)
    assert notice.posted_on == today
    assert notice.appeal_last_day == deadlines.appeal_last_day(today)
    for case in cases:
        decision = CaseDecision.objects.get(case=case)
        assert decision.extract.case_id == case.pk
        assert decision.final_after == notice.appeal_last_day
    # The daily job's principal closes the cases once the appeal period is over.
    registrar = actors.BOARD
    assert minutes.settle_decisions(registrar, notice.appeal_last_day) == []
    closed = minutes.settle_decisions(registrar, notice.appeal_last_day
                                      + dt.timedelta(days=1))
    assert {c.pk for c in closed} == {c.pk for c in cases}
    assert all(c.status == CaseStatus.CLOSED for c in closed)


def test_a_member_with_jav_is_recorded_as_not_participating():
    world = make_world()
    _meeting, _opening, first, second, _cases = _held_meeting(world)
    conduct.declare_conflict(world.secretary, second, world.member("m1"))
    assert world.member("m1").pk not in {m.pk for m in participants(second)}
    assert world.member("m1").pk in {m.pk for m in participants(first)}
    with pytest.raises(ValidationError):
        conduct.add_remark(world.secretary, second, world.member("m1"), "reservation")


def test_an_item_justerad_immediately_gets_its_extract_and_notice_at_once(signing):
    world = make_world()
    signing(world, "chair", "m1")
    meeting, opening, first, second, cases = _held_meeting(world)
    conduct.decide_item(world.secretary, opening, "Öppnat.")
    decided = conduct.decide_item(world.secretary, second, "Budgeten fastställs.",
                                  immediate=True)
    decision = minutes.justera_immediately(world.secretary, decided)
    assert decision.case_id == cases[1].pk and decision.extract.case_id == cases[1].pk
    notice = Notice.objects.get(source_id=second.pk)
    assert notice.justered_on == notice.posted_on
    with pytest.raises(ValidationError):
        minutes.justera_immediately(world.secretary, decided)
    # The rest of the minutes are justerade later; the item's extract is not made twice.
    conduct.decide_item(world.secretary, first, "Planen antas.")
    minutes.produce_minutes(world.secretary, meeting)
    justering.sign(world.member("chair").user, meeting)
    justering.sign(world.member("m1").user, meeting)
    assert CaseDecision.objects.filter(case=cases[1]).count() == 1
    assert CaseDecision.objects.filter(case=cases[0]).count() == 1
