"""The board's daily work, run by the `board-daily` schedule (board/tasks.py):

1. Justering alerts: every meeting whose minutes are not justerade gets one e-mail to its
   authority's secretaries from day 10 after the meeting ("warning") and one more after
   the 14-day deadline ("overdue"); the meeting remembers the last alert sent.
2. Take-down: every notice whose three weeks are over is recorded as taken down (the
   time, an audit event). What the notice board shows follows from the dates alone
   (board/selectors.py), so a notice comes down on time even when no worker ran; the
   record says when the system saw it go.
3. Settling: the decisions whose appeal period is over close their cases
   (board/services/minutes.settle_decisions).

Each step is safe to run again: alerts and take-downs are recorded once, settled
decisions are marked."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.core.mail import send_mail
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from diarium.board import deadlines
from diarium.board.models import Meeting, MeetingStatus, Notice
from diarium.board.services._common import SECRETARY_ROLES, record
from diarium.board.services.minutes import settle_decisions
from diarium.core import actors
from diarium.core.actors import Actor
from diarium.core.transactions import atomic_with_retry
from diarium.organisation.models import User

ALERT_ORDER = {"": 0, "warning": 1, "overdue": 2}


@dataclass
class DailyResult:
    alerts: list[str] = field(default_factory=list)
    taken_down: list[str] = field(default_factory=list)
    closed: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {"alerts": self.alerts, "taken_down": self.taken_down, "closed": self.closed}


def run_daily(actor: Actor, today: dt.date) -> DailyResult:
    actors.check(actor)
    result = DailyResult()
    for meeting in Meeting.objects.filter(
            status__in=[MeetingStatus.HELD, MeetingStatus.JUSTERING],
            justered_on__isnull=True).select_related("body__authority"):
        stage = _stage(meeting.date, today)
        if ALERT_ORDER[stage] > ALERT_ORDER.get(meeting.justering_alert, 0):
            sent = _send_justering_alert(actor, meeting, stage)
            result.alerts.append(f"{meeting.pk}:{stage}:{sent}")
    for notice in Notice.objects.filter(taken_down_on__lte=today, taken_down_at__isnull=True):
        if _record_take_down(actor, notice):
            result.taken_down.append(str(notice.pk))
    result.closed = [case.diary_number for case in settle_decisions(actor, today)]
    return result


def _stage(meeting_date: dt.date, today: dt.date) -> str:
    if today > deadlines.justering_deadline(meeting_date):
        return "overdue"
    if today >= deadlines.justering_warning_from(meeting_date):
        return "warning"
    return ""


def _secretaries_of(authority_id) -> list[User]:
    return list(User.objects.filter(is_active=True, roles__authority_id=authority_id,
                                    roles__role__in=list(SECRETARY_ROLES))
                .exclude(email="").distinct().order_by("username"))


@atomic_with_retry
def _send_justering_alert(actor: Actor, meeting: Meeting, stage: str) -> int:
    """One alert per stage: the meeting row is locked and re-read, so two workers never
    send the same alert twice. Returns the number of addressees."""
    meeting = Meeting.objects.select_for_update().select_related("body__authority").get(
        pk=meeting.pk)
    if ALERT_ORDER[stage] <= ALERT_ORDER.get(meeting.justering_alert, 0) or (
            meeting.justered_on is not None):
        return 0
    deadline = deadlines.justering_deadline(meeting.date)
    if stage == "overdue":
        subject = _("Justering overdue: %(meeting)s") % {"meeting": meeting}
        text = _("The minutes of %(meeting)s were to be justerade by %(deadline)s and are "
                 "not.")
    else:
        subject = _("Justering due soon: %(meeting)s") % {"meeting": meeting}
        text = _("The minutes of %(meeting)s are to be justerade by %(deadline)s.")
    body = text % {"meeting": meeting, "deadline": deadline.isoformat()}
    addressees = [u.email for u in _secretaries_of(meeting.body.authority_id)]
    meeting.justering_alert = stage
    meeting.save(update_fields=["justering_alert"])
    record(actor, "board.justering_alert", meeting, meeting.body.authority_id,
           after={"stage": stage, "deadline": deadline, "to": len(addressees)})
    if addressees:
        send_mail(subject, body, None, addressees, fail_silently=True)
    return len(addressees)


@atomic_with_retry
def _record_take_down(actor: Actor, notice: Notice) -> bool:
    updated = Notice.objects.filter(Q(pk=notice.pk) & Q(taken_down_at__isnull=True)).update(
        taken_down_at=timezone.now())
    if updated:
        from diarium.audit import services as audit

        audit.record(actor=actor, action="board.notice_taken_down", obj=notice,
                     after={"kind": notice.kind, "body": notice.body_name,
                            "posted_on": notice.posted_on,
                            "taken_down_on": notice.taken_down_on})
    return bool(updated)
