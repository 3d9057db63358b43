"""Every read of the board process.

Staff reads go through the visibility policy (core/visibility.py) for the cases and
documents they show. Members (politicians) see only the meetings of the bodies they sit
in, and in them only what the policy lets a reader see plus the items' documents sent to
them. The public side reads only the public tables (Notice, PublishedMeeting)."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

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
    NoticeKind,
    Proposal,
    ProposalStatus,
    PublishedMeeting,
)
from diarium.board.services._common import OFFICER_ROLES, SECRETARY_ROLES
from diarium.organisation.models import Authority, User
from diarium.organisation.selectors import access_for, staff_of

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


def delegation_authorities(user) -> QuerySet[Authority]:
    """The authorities whose delegated decisions the user sees and registers: officers,
    registrars, secretaries and administrators of the authority."""
    return Authority.objects.filter(pk__in=access_for(user).authorities_with(OFFICER_ROLES)
                                    ).order_by("code")


def delegation_deciders(authority) -> QuerySet[User]:
    """Who may be named as a delegated decision's maker: the authority's staff and the
    persons the scheme in force names as delegates or substitutes (whether they held the
    delegation is the rule's check, board/delegation_rules.py)."""
    from diarium.board.delegation_rules import scheme_in_force

    scheme = scheme_in_force(authority.pk, timezone.localdate())
    names = set()
    for matter in scheme.matters.all() if scheme else []:
        if matter.delegate_kind == "person":
            names.add(matter.delegate.strip())
        names |= {n.strip() for n in matter.substitutes.replace(";", ",").split(",")
                  if n.strip()}
    staff = staff_of([authority.pk]).values("pk")
    return User.objects.filter(Q(pk__in=staff) | Q(username__in=names), is_active=True
                               ).order_by("first_name", "last_name", "username")


@dataclass
class DelegatedCriteria:
    """The filters of the delegated decisions page (and its CSV export)."""

    matter: str = ""  # a matter number or its beginning ("3." for chapter 3)
    case: str = ""  # a diary number or its beginning
    delegate: str = ""  # the decision maker's username or name, any part
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    reported: str = ""  # "yes" reported to the board, "waiting" not yet, "no" not reported
    posted: str = ""  # "yes" / "no": posted on the notice board


def delegated_decisions(authority_id, criteria: DelegatedCriteria
                        ) -> QuerySet[DelegatedDecision]:
    posted = Notice.objects.filter(kind=NoticeKind.DELEGATION, source_id=OuterRef("pk"))
    qs = DelegatedDecision.objects.filter(case__authority_id=authority_id).annotate(
        posted=Exists(posted)).select_related(
        "case", "matter__scheme", "decided_by", "reported_in__meeting__body")
    if criteria.matter.strip():
        qs = qs.filter(matter__number__startswith=criteria.matter.strip())
    if criteria.case.strip():
        qs = qs.filter(case__diary_number__startswith=" ".join(
            criteria.case.split()).upper())
    if criteria.delegate.strip():
        text = criteria.delegate.strip()
        qs = qs.filter(Q(decided_by__username__icontains=text)
                       | Q(decided_by__first_name__icontains=text)
                       | Q(decided_by__last_name__icontains=text))
    if criteria.date_from:
        qs = qs.filter(decided_on__gte=criteria.date_from)
    if criteria.date_to:
        qs = qs.filter(decided_on__lte=criteria.date_to)
    if criteria.reported == "yes":
        qs = qs.filter(reported_in__isnull=False)
    elif criteria.reported == "waiting":
        qs = qs.filter(matter__must_report=True, reported_in__isnull=True)
    elif criteria.reported == "no":
        qs = qs.filter(matter__must_report=False)
    if criteria.posted in ("yes", "no"):
        qs = qs.filter(posted=criteria.posted == "yes")
    return qs.order_by("-decided_on", "-registered_at")


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


def link_meetings(member: Membership, today: dt.date) -> QuerySet[Meeting]:
    """What a member's personal link opens: the upcoming meetings of their body that have
    a kallelse, soonest first."""
    return Meeting.objects.filter(body_id=member.body_id, date__gte=today).exclude(
        status=MeetingStatus.PLANNED).select_related("body").order_by("date", "time")


def agenda_for_member(meeting: Meeting) -> list[AgendaItem]:
    """The items with the documents sent to the members (a left-out one is not): a
    member of the deciding body receives its secret documents for the decision, marked
    with their provision (board/views/member.py)."""
    items = list(meeting.items.order_by("position").select_related("proposal__case"))
    for item in items:
        item.sent = [a for a in item.documents.select_related("document")
                     if not a.left_out_reason]
    return items


def link_note_of(member: Membership, item: AgendaItem) -> str:
    note = MemberNote.objects.filter(item=item, member=member).first()
    return note.text if note else ""


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
