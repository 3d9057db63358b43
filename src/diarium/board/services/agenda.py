"""Readiness of cases, meetings and their agenda (föredragningslista)."""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from diarium.board import planning
from diarium.board.models import (
    AgendaDocument,
    AgendaItem,
    Body,
    ItemKind,
    Meeting,
    MeetingStatus,
    Proposal,
    ProposalStatus,
)
from diarium.board.services._common import (
    locked_meeting,
    record,
    require_officer,
    require_secretary,
    require_state,
)
from diarium.core import visibility
from diarium.core.actors import Actor
from diarium.core.transactions import atomic_with_retry
from diarium.registry import services as registry
from diarium.registry.models import Case, CaseStatus, DiarySeries, Document, DocumentStatus

# The fixed items' default titles (their decision text is proposed too).
FIXED_TITLES = {
    ItemKind.OPENING: gettext_noop("Opening of the meeting"),
    ItemKind.ADJUSTERS: gettext_noop("Choice of justerare"),
    ItemKind.INFORMATION: gettext_noop("Information"),
    ItemKind.DELEGATION: gettext_noop("Report of delegated decisions"),
    ItemKind.REPORTS: gettext_noop("Reports (anmälningar)"),
}
PLANNING = (MeetingStatus.PLANNED, MeetingStatus.NOTIFIED)


@atomic_with_retry
def mark_ready(actor: Actor, case: Case, body: Body, report: Document,
               proposed_decision: str, *, closes_case: bool = True) -> Proposal:
    """Mark a case "klar för beslut" to a body, with its TJUT and proposed decision."""
    require_officer(actor, case.authority_id)
    if not visibility.policy_for(actor).may_add_to(case):
        raise PermissionDenied(_("Only the case's access group may change a secret case."))
    errors = {}
    if body.authority_id != case.authority_id:
        errors["body"] = _("The body belongs to another authority.")
    if report.case_id != case.pk or report.status != DocumentStatus.REGISTERED:
        errors["report"] = _("The report must be a final (registered) document of the case.")
    if not proposed_decision.strip():
        errors["proposed_decision"] = _("Write the proposed decision.")
    if case.status != CaseStatus.OPEN:
        errors["case"] = _("Only an open case can be made ready for decision.")
    if Proposal.objects.filter(case=case, body=body, status__in=[
            ProposalStatus.READY, ProposalStatus.ON_AGENDA]).exists():
        errors["case"] = _("The case is already ready for decision in this body.")
    if errors:
        raise ValidationError(errors)
    proposal = Proposal.objects.create(
        case=case, body=body, report=report, proposed_decision=proposed_decision.strip(),
        closes_case=closes_case, marked_by=actor, marked_at=timezone.now())
    record(actor, "board.case_ready", proposal, case.authority_id, case_id=case.pk,
           after={"body": body.name, "report": report.pk})
    return proposal


def _series_of(body: Body) -> DiarySeries:
    series = DiarySeries.objects.filter(authority_id=body.authority_id, active=True).first()
    if series is None:
        raise ValidationError({"body": _("The authority has no active diary series.")})
    return series


@atomic_with_retry
def create_meeting(actor: Actor, body: Body, date: dt.date, time: dt.time,
                   place: str) -> Meeting:
    """A meeting, with a case of its own for its kallelse and minutes."""
    require_secretary(actor, body.authority_id)
    if not place.strip():
        raise ValidationError({"place": _("Give the place of the meeting.")})
    title = _("Meeting of %(body)s %(date)s") % {"body": body.name, "date": date.isoformat()}
    code = planning.meeting_process(body.authority_id, timezone.localdate())
    # The secretary is the case's responsible officer: its access group, who writes
    # the minutes as a draft and makes them final (board/services/minutes.py).
    case = registry.open_case(actor, _series_of(body), registry.CaseData(
        title=title, classification_code=code, responsible_officer=actor))
    meeting = Meeting.objects.create(body=body, date=date, time=time, place=place.strip(),
                                     case=case)
    record(actor, "board.meeting_created", meeting, body.authority_id,
           after={"body": body.name, "date": date, "time": time.isoformat(),
                  "place": meeting.place})
    return meeting


def _next_position(meeting: Meeting) -> int:
    return (meeting.items.aggregate(m=Max("position"))["m"] or 0) + 1


@atomic_with_retry
def add_fixed_item(actor: Actor, meeting: Meeting, kind: str, title: str = "") -> AgendaItem:
    require_secretary(actor, meeting.body.authority_id)
    meeting = locked_meeting(meeting)
    require_state(meeting, *PLANNING)
    if kind not in FIXED_TITLES:
        raise ValidationError({"kind": _("Unknown kind of item.")})
    text = title.strip() or _(FIXED_TITLES[kind])
    item = AgendaItem.objects.create(meeting=meeting, position=_next_position(meeting),
                                     kind=kind, title=text, public_title=text)
    record(actor, "board.item_added", item, meeting.body.authority_id,
           after={"meeting": meeting.pk, "kind": kind, "title": text})
    return item


@atomic_with_retry
def add_case_item(actor: Actor, meeting: Meeting, proposal: Proposal,
                  closed: bool = False) -> AgendaItem:
    """Pull a ready case onto the agenda with its report as the item's document. A case
    with secrecy makes the item closed (myndighetsutövning, secret matters)."""
    require_secretary(actor, meeting.body.authority_id)
    meeting = locked_meeting(meeting)
    require_state(meeting, *PLANNING)
    proposal = Proposal.objects.select_for_update().select_related("case").get(pk=proposal.pk)
    if proposal.body_id != meeting.body_id or proposal.status != ProposalStatus.READY:
        raise ValidationError({"proposal": _("The case is not ready for decision in this body.")})
    case = proposal.case
    secret = case.is_secret or proposal.report.is_secret
    item = AgendaItem.objects.create(
        meeting=meeting, position=_next_position(meeting), kind=ItemKind.CASE,
        title=case.title, public_title=case.public_title or case.title,
        proposal=proposal, closed=closed or secret,
        decision_text=proposal.proposed_decision)
    AgendaDocument.objects.create(item=item, document=proposal.report)
    proposal.status = ProposalStatus.ON_AGENDA
    proposal.save(update_fields=["status"])
    record(actor, "board.item_added", item, meeting.body.authority_id, case_id=case.pk,
           after={"meeting": meeting.pk, "kind": item.kind, "closed": item.closed})
    return item


@atomic_with_retry
def attach_document(actor: Actor, item: AgendaItem, document: Document,
                    left_out_reason: str = "") -> AgendaDocument:
    """Send another document of the item's case with it, or name it as left out with
    the chair's reason."""
    meeting = item.meeting
    require_secretary(actor, meeting.body.authority_id)
    require_state(locked_meeting(meeting), *PLANNING)
    if item.case is None or document.case_id != item.case.pk or (
            document.status != DocumentStatus.REGISTERED):
        raise ValidationError({"document": _("Only registered documents of the item's case "
                                             "can be sent with it.")})
    attached, _created = AgendaDocument.objects.update_or_create(
        item=item, document=document, defaults={"left_out_reason": left_out_reason.strip()})
    record(actor, "board.document_attached", item, meeting.body.authority_id,
           case_id=document.case_id,
           after={"document": document.pk, "left_out_reason": attached.left_out_reason})
    return attached


@atomic_with_retry
def set_item_closed(actor: Actor, item: AgendaItem, closed: bool) -> AgendaItem:
    """Mark an item as held behind closed doors. An item about a secret case stays closed."""
    require_secretary(actor, item.meeting.body.authority_id)
    require_state(locked_meeting(item.meeting), *PLANNING)
    case = item.case
    if not closed and case is not None and (case.is_secret or item.proposal.report.is_secret):
        raise ValidationError({"closed": _("An item about a secret case stays closed.")})
    item.closed = closed
    item.save(update_fields=["closed"])
    record(actor, "board.item_closed" if closed else "board.item_opened", item,
           item.meeting.body.authority_id)
    return item


@atomic_with_retry
def reorder(actor: Actor, meeting: Meeting, item_ids: list) -> None:
    """Put the agenda in the given order (every item named once)."""
    require_secretary(actor, meeting.body.authority_id)
    meeting = locked_meeting(meeting)
    require_state(meeting, *PLANNING)
    items = {str(i.pk): i for i in meeting.items.all()}
    wanted = [str(i) for i in item_ids]
    if sorted(wanted) != sorted(items):
        raise ValidationError({"order": _("Name every item of the agenda once.")})
    if not items:
        return
    # Two passes keep the unique (meeting, position) pairs free while they move.
    offset = len(wanted) + max(i.position for i in items.values())
    for position, key in enumerate(wanted, start=1):
        items[key].position = position + offset
    AgendaItem.objects.bulk_update(items.values(), ["position"])
    for item in items.values():
        item.position -= offset
    AgendaItem.objects.bulk_update(items.values(), ["position"])
    record(actor, "board.agenda_reordered", meeting, meeting.body.authority_id,
           after={"order": wanted})


def move(actor: Actor, item: AgendaItem, step: int) -> None:
    """Move an item one place up (-1) or down (+1): the keyboard's way of reordering."""
    ids = list(item.meeting.items.order_by("position").values_list("pk", flat=True))
    at = ids.index(item.pk)
    to = max(0, min(len(ids) - 1, at + step))
    ids.insert(to, ids.pop(at))
    reorder(actor, item.meeting, ids)
