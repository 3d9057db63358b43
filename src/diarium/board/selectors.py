"""Every read of the board process.

Staff reads go through the visibility policy (core/visibility.py) for the cases and
documents they show. Members (politicians) see only the meetings of the bodies they sit
in, and in them only what the policy lets a reader see plus the items' documents sent to
them. The public side reads only the public tables (Notice, PublishedMeeting)."""

import datetime as dt

from django.db.models import QuerySet

from diarium.board import deadlines
from diarium.board.models import (
    AgendaItem,
    Body,
    DelegatedDecision,
    Meeting,
    MeetingStatus,
    MemberNote,
    Membership,
    Notice,
    Proposal,
    ProposalStatus,
    PublishedMeeting,
)
from diarium.board.services._common import SECRETARY_ROLES
from diarium.organisation.selectors import access_for

# --- staff -----------------------------------------------------------------------------

def secretary_bodies(user) -> QuerySet[Body]:
    ids = access_for(user).authorities_with(SECRETARY_ROLES)
    return Body.objects.filter(authority_id__in=ids).select_related("authority")


def meetings_for_secretary(user) -> QuerySet[Meeting]:
    return Meeting.objects.filter(body__in=secretary_bodies(user)).select_related("body")


def ready_proposals(body: Body) -> QuerySet[Proposal]:
    return Proposal.objects.filter(body=body, status=ProposalStatus.READY).select_related(
        "case", "report")


def justering_overdue(user, today: dt.date) -> list[Meeting]:
    """Meetings whose minutes are not justerade and are past the 14 days."""
    return [m for m in _unjustered(user) if today > deadlines.justering_deadline(m.date)]


def justering_warnings(user, today: dt.date) -> list[Meeting]:
    """Meetings from day 10 after the meeting and not yet overdue."""
    return [m for m in _unjustered(user)
            if deadlines.justering_warning_from(m.date) <= today
            <= deadlines.justering_deadline(m.date)]


def _unjustered(user) -> QuerySet[Meeting]:
    return meetings_for_secretary(user).filter(
        status__in=[MeetingStatus.HELD, MeetingStatus.JUSTERING], justered_on__isnull=True)


def delegated_to_report(authority_id) -> QuerySet[DelegatedDecision]:
    return DelegatedDecision.objects.filter(
        case__authority_id=authority_id, matter__must_report=True,
        reported_in__isnull=True).select_related("matter", "case")


# --- members ---------------------------------------------------------------------------

def memberships_of(user, day: dt.date) -> QuerySet[Membership]:
    if not getattr(user, "is_authenticated", False):
        return Membership.objects.none()
    return Membership.objects.filter(user=user, term_start__lte=day, term_end__gte=day)


def member_meetings(user, today: dt.date) -> QuerySet[Meeting]:
    """The member's meetings with a kallelse: upcoming first."""
    bodies = Membership.objects.filter(user=user).values("body")
    return Meeting.objects.filter(body__in=bodies).exclude(
        status=MeetingStatus.PLANNED).select_related("body").order_by("date")


def member_meeting(user, meeting_id) -> Meeting:
    """A meeting the member's body holds (Meeting.DoesNotExist otherwise)."""
    return member_meetings(user, dt.date.today()).get(pk=meeting_id)


def note_of(user, item: AgendaItem) -> str:
    note = MemberNote.objects.filter(item=item, user=user).first()
    return note.text if note else ""


# --- public ----------------------------------------------------------------------------

def current_notices(today: dt.date) -> QuerySet[Notice]:
    """The notices up today: posted and not yet taken down."""
    return Notice.objects.filter(posted_on__lte=today, taken_down_on__gt=today)


def archived_notices(today: dt.date) -> QuerySet[Notice]:
    """Every notice that has been taken down, with its up and down dates."""
    return Notice.objects.filter(taken_down_on__lte=today)


def published_meetings() -> QuerySet[PublishedMeeting]:
    return PublishedMeeting.objects.all()


def justering_status(meeting: Meeting, today: dt.date) -> str:
    """"ok", "warning" (from day 10) or "overdue" (after the 14-day deadline)."""
    if meeting.justered_on is not None:
        return "done"
    if today > deadlines.justering_deadline(meeting.date):
        return "overdue"
    if today >= deadlines.justering_warning_from(meeting.date):
        return "warning"
    return "ok"


def members_to_notify(meeting: Meeting) -> list[Membership]:
    return [m for m in meeting.body.memberships.order_by("role", "name")
            if m.serves_on(meeting.date)]


def published(meeting: Meeting) -> PublishedMeeting | None:
    return PublishedMeeting.objects.filter(meeting_id=meeting.pk).first()
