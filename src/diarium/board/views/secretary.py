"""The board secretary's pages: meetings, the agenda, the meeting itself, minutes."""

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_time
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from diarium.board import justering, selectors, sending
from diarium.board.attendance import participants
from diarium.board.models import (
    AttendanceStatus,
    ItemKind,
    Membership,
    Proposal,
    RemarkKind,
    VoteChoice,
)
from diarium.board.services import agenda, conduct, minutes, notices
from diarium.board.views.common import one_or_404, run, secretary_item, secretary_meeting
from diarium.core import visibility
from diarium.registry.dispatch.selectors import usable_lists


@login_required
def meeting_list(request: HttpRequest) -> HttpResponse:
    bodies = selectors.secretary_bodies(request.user)
    if not bodies.exists():
        raise PermissionDenied
    today = timezone.localdate()
    return render(request, "board/meetings.html", {
        "meetings": selectors.meetings_for_secretary(request.user)[:100],
        "bodies": bodies, "overdue": selectors.justering_overdue(request.user, today),
        "warnings": selectors.justering_warnings(request.user, today)})


@login_required
@require_POST
def meeting_new(request: HttpRequest) -> HttpResponse:
    body = one_or_404(selectors.secretary_bodies(request.user), request.POST.get("body"))
    date, time = _parsed(parse_date, request.POST.get("date")), _parsed(
        parse_time, request.POST.get("time"))
    back = reverse("board:meetings")
    if date is None or time is None:
        return run(request, back, lambda: _bad(_("Give the date and time of the meeting.")))
    created = {}

    def create():
        created["m"] = agenda.create_meeting(request.user, body, date, time,
                                             request.POST.get("place", ""))
    response = run(request, back, create)
    if "m" in created:
        response["Location"] = reverse("board:meeting", args=[created["m"].pk])
    return response


def _parsed(parse, text: str | None):
    """A date or time from a form, None when malformed or impossible (25:99)."""
    try:
        return parse(text or "")
    except ValueError:
        return None


def _bad(message: str):
    raise ValidationError(message)


@login_required
def meeting_detail(request: HttpRequest, meeting_id) -> HttpResponse:
    meeting = secretary_meeting(request, meeting_id)
    items = list(meeting.items.order_by("position").select_related("proposal__case"))
    members = [m for m in meeting.body.memberships.all() if m.serves_on(meeting.date)]
    attendance = {a.member_id: a for a in meeting.attendance.all()}
    for member in members:
        member.attendance = attendance.get(member.pk)
    # Case titles through the visibility policy's page: a secret case's title only to
    # who may read it (the public title otherwise); the page audits what it shows.
    match = request.resolver_match
    with visibility.policy_for(request.user).page(match.view_name) as shown:
        readable = shown.readable_cases([i.case for i in items if i.case is not None])
    for item in items:
        item.readable = item.case is None or item.case.pk in readable
        item.participants = participants(item) if attendance else []
        item.conflict_ids = set(item.conflicts.values_list("member_id", flat=True))
    return render(request, "board/meeting.html", {
        "meeting": meeting, "items": items, "members": members,
        "ready": selectors.ready_proposals(meeting.body),
        "fixed_kinds": [(k, label) for k, label in ItemKind.choices if k != ItemKind.CASE],
        "statuses": AttendanceStatus.choices, "choices": VoteChoice.choices,
        "remark_kinds": RemarkKind.choices,
        "adjuster_ids": set(meeting.adjusters.values_list("pk", flat=True)),
        "steps": justering.steps(meeting),
        "signature_request": justering.current_request(meeting),
        "notice_sending": sending.status(meeting.notice_document,
                                         sending.notice_recipients(meeting)),
        "extract_sending": [(item, sending.status(item.extract, sending.extract_recipients(
            item))) for item in items if item.extract_id],
        "lists": usable_lists(request.user, meeting.body.authority_id),
        "justering_status": selectors.justering_status(meeting, timezone.localdate()),
        "published": selectors.published(meeting)})


def _back(meeting) -> str:
    return reverse("board:meeting", args=[meeting.pk])


@login_required
@require_POST
def add_item(request: HttpRequest, meeting_id) -> HttpResponse:
    meeting = secretary_meeting(request, meeting_id)
    if request.POST.get("proposal"):
        proposal = one_or_404(Proposal.objects.filter(body=meeting.body),
                              request.POST["proposal"])
        return run(request, _back(meeting),
                   lambda: agenda.add_case_item(request.user, meeting, proposal))
    return run(request, _back(meeting), lambda: agenda.add_fixed_item(
        request.user, meeting, request.POST.get("kind", ""), request.POST.get("title", "")))


@login_required
@require_POST
def move_item(request: HttpRequest, item_id) -> HttpResponse:
    item = secretary_item(request, item_id)
    step = -1 if request.POST.get("direction") == "up" else 1
    return run(request, _back(item.meeting), lambda: agenda.move(request.user, item, step))


@login_required
@require_POST
def reorder(request: HttpRequest, meeting_id) -> HttpResponse:
    meeting = secretary_meeting(request, meeting_id)
    order = [i for i in request.POST.get("order", "").split(",") if i]
    return run(request, _back(meeting), lambda: agenda.reorder(request.user, meeting, order))


@login_required
@require_POST
def close_item(request: HttpRequest, item_id) -> HttpResponse:
    item = secretary_item(request, item_id)
    closed = request.POST.get("closed") == "1"
    return run(request, _back(item.meeting),
               lambda: agenda.set_item_closed(request.user, item, closed))


@login_required
@require_POST
def send_notice(request: HttpRequest, meeting_id) -> HttpResponse:
    meeting = secretary_meeting(request, meeting_id)
    return run(request, _back(meeting), lambda: notices.send_notice(request.user, meeting),
               _("The notice of meeting is registered, sent and published."))


def _member(meeting, key) -> Membership | None:
    if not key:
        return None
    return one_or_404(Membership.objects.filter(body=meeting.body), key)


@login_required
@require_POST
def attendance(request: HttpRequest, meeting_id) -> HttpResponse:
    meeting = secretary_meeting(request, meeting_id)

    def save():
        for member in meeting.body.memberships.all():
            status = request.POST.get(f"status-{member.pk}")
            if status:
                conduct.record_attendance(
                    request.user, meeting, member, status,
                    _member(meeting, request.POST.get(f"for-{member.pk}")))
    return run(request, _back(meeting), save, _("Attendance saved."))


@login_required
@require_POST
def adjusters(request: HttpRequest, meeting_id) -> HttpResponse:
    meeting = secretary_meeting(request, meeting_id)
    chosen = [_member(meeting, k) for k in request.POST.getlist("adjuster")]
    return run(request, _back(meeting),
               lambda: conduct.choose_adjusters(request.user, meeting, chosen))


@login_required
@require_POST
def conflict(request: HttpRequest, item_id) -> HttpResponse:
    item = secretary_item(request, item_id)
    member = _member(item.meeting, request.POST.get("member"))
    return run(request, _back(item.meeting),
               lambda: conduct.declare_conflict(request.user, item, member))


@login_required
@require_POST
def vote(request: HttpRequest, item_id) -> HttpResponse:
    item = secretary_item(request, item_id)
    choices = {}
    for member in item.meeting.body.memberships.all():
        choice = request.POST.get(f"vote-{member.pk}")
        if choice:
            choices[member] = choice
    return run(request, _back(item.meeting), lambda: conduct.record_vote(
        request.user, item, choices, request.POST.get("outcome", "")))


@login_required
@require_POST
def remark(request: HttpRequest, item_id) -> HttpResponse:
    item = secretary_item(request, item_id)
    member = _member(item.meeting, request.POST.get("member"))
    return run(request, _back(item.meeting), lambda: conduct.add_remark(
        request.user, item, member, request.POST.get("kind", ""),
        request.POST.get("text", "")))


@login_required
@require_POST
def decide(request: HttpRequest, item_id) -> HttpResponse:
    item = secretary_item(request, item_id)
    immediate = request.POST.get("immediate") == "1"

    def act():
        decided = conduct.decide_item(request.user, item, request.POST.get("decision", ""),
                                      immediate=immediate)
        if immediate and decided.proposal_id:
            minutes.justera_immediately(request.user, decided)
    return run(request, _back(item.meeting), act)


@login_required
@require_POST
def produce_minutes(request: HttpRequest, meeting_id) -> HttpResponse:
    meeting = secretary_meeting(request, meeting_id)
    return run(request, _back(meeting), lambda: minutes.produce_minutes(request.user, meeting),
               _("The minutes are registered and sent for justering."))


@login_required
@require_POST
def posting_date(request: HttpRequest, meeting_id) -> HttpResponse:
    meeting = secretary_meeting(request, meeting_id)
    day = _parsed(parse_date, request.POST.get("posted_on")) or dt.date.min
    return run(request, _back(meeting),
               lambda: minutes.choose_posting_date(request.user, meeting, day))


@login_required
@require_POST
def complete_justering(request: HttpRequest, meeting_id) -> HttpResponse:
    meeting = secretary_meeting(request, meeting_id)
    return run(request, _back(meeting), lambda: justering.complete_now(request.user, meeting),
               _("The minutes are justerade."))


@login_required
@require_POST
def send_again(request: HttpRequest, meeting_id) -> HttpResponse:
    meeting = secretary_meeting(request, meeting_id)
    return run(request, _back(meeting), lambda: sending.send_again(request.user, meeting),
               _("Sent to those not reached yet."))


@login_required
@require_POST
def extract_recipients(request: HttpRequest, item_id) -> HttpResponse:
    item = secretary_item(request, item_id)
    chosen = request.POST.get("recipient_list") or None
    dlist = one_or_404(usable_lists(request.user, item.meeting.body.authority_id),
                       chosen) if chosen else None
    return run(request, _back(item.meeting) + f"#item-{item.pk}",
               lambda: conduct.set_extract_recipients(
                   request.user, item, dlist, request.POST.get("recipients", "")),
               _("The extract's recipients are saved."))


@login_required
@require_POST
def request_again(request: HttpRequest, meeting_id) -> HttpResponse:
    meeting = secretary_meeting(request, meeting_id)
    return run(request, _back(meeting), lambda: justering.request_again(request.user, meeting),
               _("The minutes are sent for justering again."))
