"""The board's periodic work runs from the system's job schedule: the default schedule
has the `board-daily` entry, a worker's tick starts it, and the job sends the justering
alerts (from day 10, and after the deadline), records the notices taken down after their
three weeks and closes the cases whose decision became final; run again, it does nothing
twice."""

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from diarium.board import justering
from diarium.board.models import AttendanceStatus, CaseDecision, Meeting, Notice
from diarium.board.services import agenda, conduct, minutes, notices
from diarium.core.jobs import schedule
from diarium.core.jobs.models import Job, JobState
from diarium.core.jobs.services import run_here
from diarium.registry.models import CaseStatus
from tests.board.world import make_world
from tests.workers import run_jobs

pytestmark = pytest.mark.django_db


def _meeting(world, day: dt.date, title: str) -> Meeting:
    _case, proposal = world.ready_case(title)
    meeting = agenda.create_meeting(world.secretary, world.body, day, dt.time(9), "Salen")
    agenda.add_case_item(world.secretary, meeting, proposal)
    notices.send_notice(world.secretary, meeting)
    for key in ("chair", "m1"):
        conduct.record_attendance(world.secretary, meeting, world.member(key),
                                  AttendanceStatus.PRESENT)
    conduct.choose_adjusters(world.secretary, meeting, [world.member("m1")])
    for item in meeting.items.order_by("position"):
        conduct.decide_item(world.secretary, item, item.decision_text)
    return meeting


def test_the_board_daily_job_is_scheduled(settings):
    entry = settings.JOB_SCHEDULE["board-daily"]
    settings.JOB_SCHEDULE = {"board-daily": entry}
    [found] = schedule.entries()
    assert (found.kind, found.at, found.every, found.principal) == (
        "board.daily", dt.time(0, 30), 86400, "system:board")
    today = timezone.localdate()
    at = timezone.make_aware(dt.datetime.combine(today, dt.time(0, 31)))
    [job] = schedule.tick(at)
    assert job.kind == "board.daily" and job.principal == "system:board"
    assert schedule.tick(at + dt.timedelta(minutes=5)) == []  # one slot, one job
    run_jobs()
    job.refresh_from_db()
    assert job.state == JobState.SUCCEEDED, job.error


def test_the_daily_job_alerts_takes_notices_down_and_settles(settings, signing):
    settings.JOB_SCHEDULE = {}
    world = make_world()
    signing(world, "chair", "m1")  # the minutes are justerade with PAdES signatures
    world.secretary.email = "sekreterare@example.se"
    world.secretary.save(update_fields=["email"])
    today = timezone.localdate()
    due_soon = _meeting(world, today - dt.timedelta(days=11), "Ärende A")
    overdue = _meeting(world, today - dt.timedelta(days=20), "Ärende B")
    done = _meeting(world, today - dt.timedelta(days=2), "Ärende C")
    minutes.produce_minutes(world.secretary, done)
    justering.sign(world.member("chair").user, done)
    justering.sign(world.member("m1").user, done)
    # Three weeks and a day later (the dates the notice and the decision carry).
    notice = Notice.objects.get(source_id=done.pk)
    Notice.objects.filter(pk=notice.pk).update(taken_down_on=today)
    CaseDecision.objects.filter(item__meeting=done).update(
        final_after=today - dt.timedelta(days=1))

    job = run_here("board.daily", principal="system:board")
    assert job.state == JobState.SUCCEEDED, job.error
    due_soon.refresh_from_db()
    overdue.refresh_from_db()
    assert (due_soon.justering_alert, overdue.justering_alert) == ("warning", "overdue")
    subjects = sorted(m.subject for m in mail.outbox)
    assert len(subjects) == 2 and all(m.to == ["sekreterare@example.se"]
                                      for m in mail.outbox)
    notice.refresh_from_db()
    assert notice.taken_down_at is not None
    assert job.result["taken_down"] == [str(notice.pk)]
    decision = CaseDecision.objects.get(item__meeting=done)
    assert decision.case.status == CaseStatus.CLOSED
    assert job.result["closed"] == [decision.case.diary_number]

    again = run_here("board.daily", principal="system:board")
    assert again.result == {"alerts": [], "taken_down": [], "closed": []}
    assert len(mail.outbox) == 2
    assert Job.objects.filter(kind="board.daily").count() == 2
