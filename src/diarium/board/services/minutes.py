"""Minutes (protokoll), justering, extracts (protokollsutdrag) and the decisions they
carry back into the cases, and the notice on the notice board.

Rules kept: the minutes go for justering only when every item is decided and every signer
can sign (board/justering.py); they are registered as a final document (its PDF/A checked
before the transaction opens) and the signature request is made in the same transaction,
so that either all of it is there or none. When the last signature is in place each § of
a case becomes an extract registered in its case and dispatched to its recipients
(board/sending.py), the case records the decision, and the notice is posted within two
days."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from diarium.board import deadlines, layouts, pdfs, planning, publication, sending
from diarium.board.attendance import undecided
from diarium.board.models import (
    AgendaItem,
    CaseDecision,
    Meeting,
    MeetingStatus,
    Notice,
    ProposalStatus,
)
from diarium.board.services._common import (
    checked_pdfa,
    locked_item,
    locked_meeting,
    meeting_secrecy,
    record,
    register_final_pdf,
    register_pdf,
    require_secretary,
    require_state,
)
from diarium.board.texts import extract_sections, minutes_title
from diarium.core import actors
from diarium.core.actors import Actor
from diarium.core.transactions import atomic_with_retry
from diarium.registry import services as registry
from diarium.registry.models import Case, Document


def _require_ready(meeting: Meeting) -> None:
    require_state(meeting, MeetingStatus.HELD)
    if undecided(meeting).exists():
        raise ValidationError({"items": _("Every item must be decided first.")})
    if not meeting.adjusters.exists():
        raise ValidationError({"adjusters": _("Choose the justerare first.")})


def produce_minutes(actor: Actor, meeting: Meeting) -> Document:
    """Generate the minutes as PDF/A, register them in the meeting's case as a final
    document and send them for justering (a signature request: the chair, then the
    justerare)."""
    from diarium.board import justering

    require_secretary(actor, meeting.body.authority_id)
    meeting = Meeting.objects.select_related("body__authority", "case").get(pk=meeting.pk)
    _require_ready(meeting)
    justering.require_signers(meeting)
    title = minutes_title(meeting)
    data = layouts.minutes_pdfa(meeting, title)  # the authority's template, if any
    checked_pdfa(data, registry.safe_file_name(f"{title}.pdf"))
    return _register_minutes(actor, meeting, title, data)


@atomic_with_retry
def _register_minutes(actor: Actor, meeting: Meeting, title: str, data: bytes) -> Document:
    from diarium.board import justering

    meeting = locked_meeting(meeting)
    _require_ready(meeting)
    document = register_final_pdf(actor, meeting.case, title, data,
                                  meeting_secrecy(meeting), planning.MINUTES)
    request = justering.request_signatures(actor, meeting, document)
    meeting.minutes_document, meeting.status = document, MeetingStatus.JUSTERING
    meeting.secretary = actor
    meeting.save(update_fields=["minutes_document", "status", "secretary"])
    record(actor, "board.minutes_produced", meeting, meeting.body.authority_id,
           after={"document": document.pk, "signature_request": request.pk,
                  "signers": [m.pk for m in justering.signers(meeting)]})
    return document


@atomic_with_retry
def choose_posting_date(actor: Actor, meeting: Meeting, posted_on: dt.date) -> None:
    """The day the notice goes up: refused beyond two days after justering."""
    require_secretary(actor, meeting.body.authority_id)
    meeting = locked_meeting(meeting)
    justered = meeting.justered_on
    if justered is not None:
        notice = Notice.objects.get(kind="minutes", source_id=meeting.pk)
        if notice.posted_on <= timezone.localdate():
            raise ValidationError({"posted_on": _("The notice is already up.")})
        publication.minutes_notice(meeting, justered, posted_on)
    elif posted_on < meeting.date:
        raise ValidationError({"posted_on": _("The notice cannot go up before the meeting.")})
    meeting.post_on = posted_on
    meeting.save(update_fields=["post_on"])
    record(actor, "board.posting_date", meeting, meeting.body.authority_id,
           after={"posted_on": posted_on})


def _posting_day(meeting: Meeting, justered_on: dt.date) -> dt.date:
    chosen = meeting.post_on
    if chosen is not None and chosen >= justered_on and chosen <= deadlines.latest_posting(
            justered_on):
        return chosen
    return justered_on


def complete_justering(actor: Actor, meeting: Meeting, justered_on: dt.date) -> Notice:
    """Called in the last signer's transaction: the minutes are justerade."""
    actors.check_present(actor)
    meeting.justered_on, meeting.status = justered_on, MeetingStatus.JUSTERAD
    meeting.save(update_fields=["justered_on", "status"])
    notice = publication.minutes_notice(meeting, justered_on,
                                        _posting_day(meeting, justered_on))
    for item in meeting.items.filter(immediate=False, proposal__isnull=False):
        _file_extract(meeting.secretary, item, notice)
    record(actor, "board.minutes_justerade", meeting, meeting.body.authority_id,
           after={"justered_on": justered_on, "notice": notice.pk,
                  "posted_on": notice.posted_on})
    return notice


def _file_extract(actor: Actor, item: AgendaItem, notice: Notice) -> CaseDecision:
    """The § as an extract in its case, the decision recorded, the extract dispatched."""
    meeting, proposal = item.meeting, item.proposal
    case = proposal.case
    title = _("Extract of minutes %(body)s %(date)s § %(n)s") % {
        "body": meeting.body.name, "date": meeting.date.isoformat(), "n": item.paragraph}
    secrecy = registry.Secrecy(
        provision=case.secrecy_provision, withhold_title=case.withhold_title,
        withhold_parties=case.withhold_parties, withhold_files=case.withhold_files)
    data = pdfs.simple_pdfa(title, meeting.body.authority.name,
                            extract_sections(item, notice))
    extract = register_pdf(actor, case, title, data, secrecy, planning.EXTRACT)
    item.extract = extract
    item.save(update_fields=["extract"])
    proposal.status = ProposalStatus.DECIDED
    proposal.save(update_fields=["status"])
    decision = CaseDecision.objects.create(
        case=case, item=item, body_name=meeting.body.name, decided_on=meeting.date,
        paragraph=f"§ {item.paragraph}/{item.paragraph_year}", text=item.decision_text,
        extract=extract, final_after=notice.appeal_last_day)
    sending.send(actor, extract, sending.extract_recipients(item),
                 [item.recipient_list] if item.recipient_list_id else [])
    record(actor, "board.decision_filed", decision, case.authority_id, case_id=case.pk,
           after={"paragraph": decision.paragraph, "extract": extract.pk,
                  "final_after": decision.final_after})
    return decision


@atomic_with_retry
def justera_immediately(actor: Actor, item: AgendaItem) -> CaseDecision:
    """Omedelbar justering: the § decided as justerad at once, its extract produced and
    its notice posted the same day."""
    require_secretary(actor, item.meeting.body.authority_id)
    item = locked_item(item)
    require_state(item.meeting, MeetingStatus.HELD)
    if item.paragraph is None or not item.immediate or item.proposal_id is None:
        raise ValidationError({"item": _("Only a decided case item marked for immediate "
                                         "justering can be justerad at once.")})
    if item.extract_id is not None:
        raise ValidationError({"item": _("The item is already justerad.")})
    today = timezone.localdate()
    notice = publication.minutes_notice(item.meeting, today, today, source_id=item.pk)
    return _file_extract(actor, item, notice)


def settle_decisions(actor: Actor, today: dt.date) -> list[Case]:
    """Close the cases whose board decision has become final (the appeal period is
    over), where the proposal said so and nothing else remains (no other proposal)."""
    actors.check_present(actor)
    closed = []
    due = CaseDecision.objects.filter(final_after__lt=today, settled_at__isnull=True
                                      ).select_related("case", "item__proposal")
    for decision in due:
        with_transaction = _settle_one(actor, decision)
        if with_transaction is not None:
            closed.append(with_transaction)
    return closed


@atomic_with_retry
def _settle_one(actor: Actor, decision: CaseDecision) -> Case | None:
    case = decision.case
    pending = case.board_proposals.filter(status__in=[ProposalStatus.READY,
                                                      ProposalStatus.ON_AGENDA]).exists()
    result = None
    if decision.item.proposal.closes_case and not pending and case.status == "open":
        result = registry.close_case(actor, case, _("Decision final: %(p)s %(body)s")
                                     % {"p": decision.paragraph, "body": decision.body_name})
    decision.settled_at = timezone.now()
    decision.save(update_fields=["settled_at"])
    return result
