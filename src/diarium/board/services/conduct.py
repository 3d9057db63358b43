"""The meeting itself: attendance, the chair and the justerare, jäv, votes, remarks and
the decision per item with its paragraph number (§).

Rule kept: § numbers are given in agenda order, continuous per body and calendar year and
never reused: one counter row per body and year, locked until the decision's transaction
commits (as the diary number's counter is)."""

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from diarium.board.attendance import participants, voting_members
from diarium.board.models import (
    AgendaItem,
    Attendance,
    AttendanceStatus,
    Conflict,
    Meeting,
    MeetingStatus,
    MemberRole,
    Membership,
    ParagraphCounter,
    Remark,
    RemarkKind,
    VoteCast,
    VoteChoice,
)
from diarium.board.services._common import (
    locked_item,
    locked_meeting,
    record,
    require_secretary,
    require_state,
)
from diarium.core.actors import Actor
from diarium.core.transactions import atomic_with_retry

# While the meeting runs: after the notice, until the minutes go out for justering.
RUNNING = (MeetingStatus.PLANNED, MeetingStatus.NOTIFIED, MeetingStatus.HELD)


def _member_of(meeting: Meeting, member: Membership) -> None:
    if member.body_id != meeting.body_id or not member.serves_on(meeting.date):
        raise ValidationError({"member": _("%(name)s does not sit in %(body)s on the "
                                           "meeting's date.")
                               % {"name": member.name, "body": meeting.body.name}})


@atomic_with_retry
def record_attendance(actor: Actor, meeting: Meeting, member: Membership, status: str,
                      serving_for: Membership | None = None) -> Attendance:
    require_secretary(actor, meeting.body.authority_id)
    meeting = locked_meeting(meeting)
    require_state(meeting, *RUNNING)
    _member_of(meeting, member)
    if status not in AttendanceStatus.values:
        raise ValidationError({"status": _("Unknown attendance.")})
    if status == AttendanceStatus.SERVING:
        if member.role != MemberRole.SUBSTITUTE or serving_for is None:
            raise ValidationError({"serving_for": _("A serving substitute serves for a "
                                                    "member: name the member.")})
        _member_of(meeting, serving_for)
        if serving_for.role != MemberRole.MEMBER:
            raise ValidationError({"serving_for": _("A substitute serves for a member.")})
        if meeting.attendance.filter(serving_for=serving_for).exclude(member=member).exists():
            raise ValidationError({"serving_for": _("Another substitute already serves "
                                                    "for that member.")})
    else:
        serving_for = None
    row, _created = Attendance.objects.update_or_create(
        meeting=meeting, member=member,
        defaults={"status": status, "serving_for": serving_for})
    record(actor, "board.attendance", meeting, meeting.body.authority_id,
           after={"member": member.pk, "status": status,
                  "serving_for": serving_for.pk if serving_for else None})
    return row

@atomic_with_retry
def choose_adjusters(actor: Actor, meeting: Meeting, adjusters: list[Membership]) -> None:
    require_secretary(actor, meeting.body.authority_id)
    meeting = locked_meeting(meeting)
    require_state(meeting, *RUNNING)
    if not adjusters:
        raise ValidationError({"adjusters": _("Choose at least one justerare.")})
    present = {m.pk for m in voting_members(meeting)}
    for member in adjusters:
        _member_of(meeting, member)
        if member.pk not in present:
            raise ValidationError({"adjusters": _("A justerare attends the meeting.")})
    meeting.adjusters.set(adjusters)
    record(actor, "board.adjusters_chosen", meeting, meeting.body.authority_id,
           after={"adjusters": [m.pk for m in adjusters]})


def _editable_item(item: AgendaItem) -> AgendaItem:
    item = locked_item(item)
    require_state(item.meeting, *RUNNING)
    if item.paragraph is not None:
        raise ValidationError({"item": _("The item is decided (§ %(n)s): it cannot change.")
                               % {"n": item.paragraph}})
    return item


@atomic_with_retry
def declare_conflict(actor: Actor, item: AgendaItem, member: Membership) -> Conflict:
    """Jäv: the member leaves the item; they neither take part nor vote in it."""
    require_secretary(actor, item.meeting.body.authority_id)
    item = _editable_item(item)
    _member_of(item.meeting, member)
    VoteCast.objects.filter(item=item, member=member).delete()
    conflict, _created = Conflict.objects.get_or_create(item=item, member=member)
    record(actor, "board.conflict_declared", item, item.meeting.body.authority_id,
           after={"member": member.pk})
    return conflict

@atomic_with_retry
def record_vote(actor: Actor, item: AgendaItem, choices: dict, outcome: str) -> None:
    """A vote (votering): each participant's choice (for, against, abstain) and the
    outcome as the chair declared it."""
    require_secretary(actor, item.meeting.body.authority_id)
    item = _editable_item(item)
    allowed = {m.pk: m for m in participants(item)}
    errors = {}
    for member, choice in choices.items():
        if member.pk not in allowed:
            errors["votes"] = _("%(name)s does not take part in this item (absent or jäv).") % {
                "name": member.name}
        if choice not in VoteChoice.values:
            errors["votes"] = _("Unknown vote.")
    if not outcome.strip():
        errors["outcome"] = _("Write the outcome of the vote.")
    if not choices:
        errors["votes"] = _("A vote needs votes.")
    if errors:
        raise ValidationError(errors)
    VoteCast.objects.filter(item=item).delete()
    VoteCast.objects.bulk_create([VoteCast(item=item, member=m, choice=c)
                                  for m, c in choices.items()])
    item.vote_outcome = outcome.strip()
    item.save(update_fields=["vote_outcome"])
    record(actor, "board.vote", item, item.meeting.body.authority_id,
           after={"votes": {str(m.pk): c for m, c in choices.items()},
                  "outcome": item.vote_outcome})


@atomic_with_retry
def add_remark(actor: Actor, item: AgendaItem, member: Membership, kind: str,
               text: str = "") -> Remark:
    require_secretary(actor, item.meeting.body.authority_id)
    item = _editable_item(item)
    if kind not in RemarkKind.values:
        raise ValidationError({"kind": _("Unknown kind of remark.")})
    if member.pk not in {m.pk for m in participants(item)}:
        raise ValidationError({"member": _("Only a member taking part in the item may "
                                           "reserve or note.")})
    if kind == RemarkKind.NOTE and not text.strip():
        raise ValidationError({"text": _("A protocol note needs its text.")})
    remark = Remark.objects.create(item=item, member=member, kind=kind, text=text.strip())
    record(actor, "board.remark", item, item.meeting.body.authority_id,
           after={"member": member.pk, "kind": kind})
    return remark


def _allocate_paragraph(item: AgendaItem) -> int:
    body, year = item.meeting.body, item.meeting.date.year
    ParagraphCounter.objects.bulk_create(
        [ParagraphCounter(body=body, year=year, last_number=0)], ignore_conflicts=True)
    counter = ParagraphCounter.objects.select_for_update().get(body=body, year=year)
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    return counter.last_number


@atomic_with_retry
def decide_item(actor: Actor, item: AgendaItem, decision_text: str, *,
                immediate: bool = False) -> AgendaItem:
    """Record the item's decision and give it the next § of the body and year. Items are
    decided in agenda order, so the §§ follow the agenda."""
    require_secretary(actor, item.meeting.body.authority_id)
    meeting = locked_meeting(item.meeting)
    item = _editable_item(item)
    if not decision_text.strip():
        raise ValidationError({"decision_text": _("Write the decision.")})
    if not voting_members(meeting):
        raise ValidationError({"attendance": _("Record the attendance first.")})
    if meeting.items.filter(position__lt=item.position, paragraph__isnull=True).exists():
        raise ValidationError({"item": _("Decide the items in the order of the agenda.")})
    item.decision_text = decision_text.strip()
    item.immediate = immediate
    item.paragraph = _allocate_paragraph(item)
    item.paragraph_year = meeting.date.year
    item.save(update_fields=["decision_text", "immediate", "paragraph", "paragraph_year"])
    if meeting.status != MeetingStatus.HELD:
        meeting.status = MeetingStatus.HELD
        meeting.save(update_fields=["status"])
    record(actor, "board.item_decided", item, meeting.body.authority_id,
           case_id=item.proposal.case_id if item.proposal_id else None,
           after={"paragraph": item.paragraph, "year": item.paragraph_year,
                  "decision": item.decision_text, "immediate": immediate})
    return item


@atomic_with_retry
def set_extract_recipients(actor: Actor, item: AgendaItem, recipient_list, text: str
                           ) -> AgendaItem:
    """Who the item's extract goes to besides the case's parties: a distribution list of
    the authority and/or recipients one per line ("Name <e-mail>" or "Name <postal
    address>"). Kept until the extract is made."""
    from diarium.board.sending import parse_lines

    require_secretary(actor, item.meeting.body.authority_id)
    item = locked_item(item)
    if item.proposal_id is None:
        raise ValidationError({"item": _("Only a case item has an extract.")})
    if item.extract_id is not None:
        raise ValidationError({"item": _("The extract is already made and sent.")})
    authority_id = item.meeting.body.authority_id
    if recipient_list is not None and (recipient_list.authority_id != authority_id
                                       or not recipient_list.active):
        raise ValidationError({"recipient_list": _("There is no such list.")})
    text = text.strip()
    if len(text) > 5000:
        raise ValidationError({"recipients": _("At most %(n)d characters.") % {"n": 5000}})
    for line in parse_lines(text):
        if line.email:
            try:
                validate_email(line.email)
            except ValidationError as exc:
                raise ValidationError({"recipients": _("Not an e-mail address: %(a)s")
                                       % {"a": line.email}}) from exc
        elif not line.postal_address:
            raise ValidationError({"recipients": _(
                "%(name)s: give an e-mail or postal address within <>.")
                % {"name": line.name}})
    item.recipient_list, item.recipients = recipient_list, text
    item.save(update_fields=["recipient_list", "recipients"])
    record(actor, "board.extract_recipients", item, authority_id,
           after={"list": str(recipient_list.pk) if recipient_list else None,
                  "recipients": text})
    return item
