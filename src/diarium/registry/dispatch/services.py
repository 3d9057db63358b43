"""Dispatching (expediera) a final document: by e-mail (a job sends it, sending.py) or by
post (marked sent by a person, with the pages to print from letters.py), and a retry of
the e-mail recipients that failed.

Rules kept here:
- Only a registered (final) document that is not incoming is dispatched, by someone who
  may add to its case and read its content; the exact version and, for e-mail, the PDF/A
  content sent are recorded.
- Recipients and lists are all checked before anything is written: one bad address
  refuses the whole dispatch with its name, and nothing is stored.
- A recipient is recorded as sent only when the server accepted the message (or, by post,
  when a person marked it posted). The first such moment is the dispatch date.
Every dispatch, outcome and retry writes an audit event in the case's chain."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from diarium.audit import services as audit
from diarium.core import actors
from diarium.core.actors import Actor, user_of
from diarium.core.jobs import services as jobs
from diarium.core.jobs.models import Job
from diarium.core.transactions import atomic_with_retry
from diarium.documents.models import Rendition, RenditionState
from diarium.documents.signature_models import RequestStatus, SignatureRequest
from diarium.registry.dispatch import letters, recipients
from diarium.registry.dispatch.models import (
    Dispatch,
    DispatchChannel,
    DispatchRecipient,
    DispatchSettings,
    DistributionList,
    RecipientState,
)
from diarium.registry.models import Direction, Document, DocumentFile, DocumentStatus
from diarium.registry.services._common import _chain, _require_open, require_may_add
from diarium.registry.visibility import policy_for

SEND = "registry.dispatch"
MAX_RECIPIENTS = 500


@dataclass
class DispatchRequest:
    """What to send to whom: recipients one by one and distribution lists (their current
    versions), an optional subject (default: diarienummer and description)."""

    recipients: list[recipients.RecipientInput] = field(default_factory=list)
    lists: list[DistributionList] = field(default_factory=list)
    subject: str = ""


def file_to_send(doc: Document) -> DocumentFile | None:
    """The file a dispatch sends: the final version's, else the document's first file."""
    files = doc.files.select_related("version")
    if doc.final_version_id:
        return files.filter(version_id=doc.final_version_id).first()
    return files.order_by("added_at").first()


def content_to_send(doc: Document, file: DocumentFile) -> str:
    """The SHA-256 of what an e-mail dispatch attaches: the signed PDF once the document's
    signing is complete (that is the digital original), else the file's PDF/A rendition
    ("" when it is not made yet)."""
    signed = (SignatureRequest.objects.filter(document=doc.pk, status=RequestStatus.COMPLETED)
              .order_by("-completed_at").values_list("current_id", flat=True).first())
    return signed or pdfa_of(file)


def pdfa_of(file: DocumentFile) -> str:
    """The SHA-256 of the file's checked PDF/A rendition, or "" when there is none yet."""
    found = Rendition.objects.filter(source=file.content_id, state=RenditionState.OK).first()
    return found.content if found else ""


def _require_dispatchable(actor: Actor, doc: Document) -> DocumentFile:
    require_may_add(actor, doc.case)
    if not policy_for(actor).document(doc).content:
        raise PermissionDenied(_("Only the case's access group may dispatch this document."))
    _require_open(doc.case)
    if doc.status != DocumentStatus.REGISTERED:
        raise ValidationError({"document": _("Only a final, registered document is dispatched.")})
    if doc.direction == Direction.INCOMING:
        raise ValidationError({"document": _("An incoming document is not dispatched.")})
    file = file_to_send(doc)
    if file is None:
        raise ValidationError({"document": _("The document has no file to send.")})
    return file


def _subject(request: DispatchRequest, doc: Document) -> str:
    if recipients.has_control(request.subject):
        raise ValidationError({"subject": _("The subject may not hold line breaks.")})
    subject = " ".join(request.subject.split()) or letters.default_subject(doc)
    if len(subject) > 500:
        raise ValidationError({"subject": _("The subject is too long.")})
    return subject


def _rows(actor: Actor, doc: Document, request: DispatchRequest) -> list[dict]:
    """Every recipient's row values: the lists' members as their versions hold them, then
    those given one by one; the same address is sent to once."""
    rows: list[dict] = []
    for dlist in request.lists:
        if dlist.authority_id != doc.case.authority_id or not dlist.active or not dlist.current:
            raise ValidationError({"lists": _("There is no such list.")})
        for member in dlist.current.members.all():
            rows.append({"kind": member.kind, "party": member.party, "unit": member.unit,
                         "user": member.user, "name": member.name, "email": member.email,
                         "postal_address": member.postal_address,
                         "list_version": dlist.current})
    for row in recipients.clean_all(request.recipients):
        if row["party"] is not None and not policy_for(actor).party_visible(row["party"]):
            raise ValidationError({"recipients": _("There is no such party.")})
        rows.append(row | {"list_version": None})
    if not rows:
        raise ValidationError({"recipients": _("Choose at least one recipient or list.")})
    if len(rows) > MAX_RECIPIENTS:
        raise ValidationError({"recipients": _("At most %(n)s recipients at a time.") % {
            "n": MAX_RECIPIENTS}})
    return rows


def _unique(rows: list[dict], key: str) -> list[dict]:
    seen, kept = set(), []
    for row in rows:
        mark = (row[key].lower() if key == "email" else row[key]) or id(row)
        if mark not in seen:
            seen.add(mark)
            kept.append(row)
    return kept


def _require_addresses(rows: list[dict], channel: str) -> None:
    key = "email" if channel == DispatchChannel.EMAIL else "postal_address"
    missing = [r["name"] for r in rows if not r[key]]
    if missing:
        message = (_("No e-mail address for: %(names)s.") if key == "email"
                   else _("No postal address for: %(names)s."))
        raise ValidationError({"recipients": message % {"names": ", ".join(missing[:10])}})


def _settings(doc: Document) -> DispatchSettings:
    found = DispatchSettings.objects.filter(authority_id=doc.case.authority_id).first()
    return found or DispatchSettings(authority=doc.case.authority)


def _create(actor: Actor, doc: Document, file: DocumentFile, request: DispatchRequest,
            channel: str, content: str) -> Dispatch:
    rows = _rows(actor, doc, request)
    _require_addresses(rows, channel)
    rows = _unique(rows, "email" if channel == DispatchChannel.EMAIL else "postal_address")
    dispatch = Dispatch.objects.create(
        document=doc, version=file.version, sent_content=content, channel=channel,
        subject=_subject(request, doc), cover_letter=_settings(doc).cover_letter,
        created_by=user_of(actor))
    dispatch.lists.set({r["list_version"] for r in rows if r["list_version"]})
    DispatchRecipient.objects.bulk_create(
        DispatchRecipient(dispatch=dispatch, position=n, **row) for n, row in enumerate(rows, 1))
    return dispatch


def _facts(dispatch: Dispatch) -> dict:
    return {"dispatch": str(dispatch.pk), "channel": dispatch.channel,
            "version": dispatch.version.number if dispatch.version else None,
            "content": dispatch.sent_content, "subject": dispatch.subject,
            "lists": sorted(str(v) for v in dispatch.lists.all()),
            "recipients": [[r.name, r.email or r.postal_address, r.state]
                           for r in dispatch.recipients.all()]}


@atomic_with_retry
def dispatch_by_email(actor: Actor, doc: Document, request: DispatchRequest) -> Dispatch:
    """Record an e-mail dispatch and queue its sending (a job): answered at once."""
    doc = Document.objects.select_related("case", "case__authority").get(pk=doc.pk)
    file = _require_dispatchable(actor, doc)
    settings = _settings(doc)
    if not settings.host or not settings.from_address:
        raise ValidationError({"channel": _(
            "No outgoing mail server is set up for the authority.")})
    content = content_to_send(doc, file)
    if not content:
        raise ValidationError({"document": _(
            "The PDF/A rendition of the document is not ready yet; try again shortly.")})
    dispatch = _create(actor, doc, file, request, DispatchChannel.EMAIL, content)
    audit.record(actor=actor, action="dispatch.created", obj=dispatch, chain=_chain(doc.case),
                 case_id=doc.case_id, after=_facts(dispatch))
    start_sending(actor, dispatch)
    return dispatch


@atomic_with_retry
def dispatch_by_post(actor: Actor, doc: Document, request: DispatchRequest,
                     posted_on: dt.date | None = None) -> Dispatch:
    """Record that the document was sent by post to the recipients (a person prints the
    address pages and cover letters, letters.post_pdf, and posts them)."""
    doc = Document.objects.select_related("case", "case__authority").get(pk=doc.pk)
    file = _require_dispatchable(actor, doc)
    today = timezone.localdate()
    posted_on = posted_on or today
    if posted_on > today:
        raise ValidationError({"posted_on": _("A letter cannot be posted in the future.")})
    dispatch = _create(actor, doc, file, request, DispatchChannel.POST, file.content_id)
    moment = timezone.now() if posted_on == today else timezone.make_aware(
        dt.datetime.combine(posted_on, dt.time(12)))
    dispatch.recipients.update(state=RecipientState.SENT, sent_at=moment, attempts=1)
    dispatch.dispatched_at = moment
    dispatch.save(update_fields=["dispatched_at"])
    audit.record(actor=actor, action="dispatch.posted", obj=dispatch, chain=_chain(doc.case),
                 case_id=doc.case_id, after=_facts(dispatch) | {"posted_on": posted_on})
    return dispatch


def start_sending(actor: Actor, dispatch: Dispatch) -> Job:
    return jobs.start(SEND, actor=actor, subject=dispatch, exclusive=True,
                      params={"document": str(dispatch.document_id)})


@atomic_with_retry
def retry(actor: Actor, dispatch: Dispatch) -> Job:
    """Send again to the recipients whose sending failed (those accepted are not sent to
    twice)."""
    actors.check(actor)
    dispatch = Dispatch.objects.select_for_update().select_related(
        "document", "document__case").get(pk=dispatch.pk)
    _require_dispatchable(actor, dispatch.document)
    if dispatch.channel != DispatchChannel.EMAIL:
        raise ValidationError({"dispatch": _("Only e-mail is sent again.")})
    failed = dispatch.recipients.filter(state=RecipientState.FAILED)
    names = list(failed.values_list("name", flat=True))
    if not names:
        raise ValidationError({"dispatch": _("No recipient has failed.")})
    failed.update(state=RecipientState.PENDING)
    audit.record(actor=actor, action="dispatch.retried", obj=dispatch,
                 chain=_chain(dispatch.document.case), case_id=dispatch.document.case_id,
                 after={"dispatch": str(dispatch.pk), "recipients": names})
    return start_sending(actor, dispatch)


# -- what the sending job records -------------------------------------------------------

def pending(dispatch: Dispatch) -> list[DispatchRecipient]:
    return list(dispatch.recipients.filter(state=RecipientState.PENDING))


def note_attempt(waiting: list[DispatchRecipient]) -> None:
    DispatchRecipient.objects.filter(pk__in=[r.pk for r in waiting]).update(
        attempts=F("attempts") + 1)


def note_sent(recipient: DispatchRecipient, message_id: str, reply: str,
              first: bool = True) -> None:
    """The server accepted the message: record it at once (its own transaction), so that
    a crash later in the run never sends it twice on a retry. The first accepted message
    of a run dates the dispatch when nothing did before."""
    now = timezone.now()
    DispatchRecipient.objects.filter(pk=recipient.pk).update(
        state=RecipientState.SENT, sent_at=now, message_id=message_id, server_reply=reply[:2000])
    if first:
        Dispatch.objects.filter(pk=recipient.dispatch_id, dispatched_at__isnull=True).update(
            dispatched_at=now)


def note_failed(recipient: DispatchRecipient, reply: str) -> None:
    DispatchRecipient.objects.filter(pk=recipient.pk).update(
        state=RecipientState.FAILED, server_reply=reply[:2000])


@atomic_with_retry
def record_run(actor: Actor, dispatch: Dispatch, sent: list[str], failed: list[str]) -> None:
    """The audit event of one sending run: who got it, who did not."""
    doc = dispatch.document
    audit.record(actor=actor, action="dispatch.sent" if not failed else "dispatch.failed",
                 obj=dispatch, chain=_chain(doc.case), case_id=doc.case_id,
                 after={"dispatch": str(dispatch.pk), "sent": sent, "failed": failed})
