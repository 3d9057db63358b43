"""The kallelse: one action makes the notice of meeting with the agenda and each item's
documents as one PDF/A, registers it, sends it to members and substitutes and publishes
the public kallelse and agenda (closed items withheld, public titles only). The kallelse
is laid out from the authority's Word template of the kind "Kallelse" when it has one
(board/layouts.py)."""

import io

from django.utils import timezone

from diarium.board import attachments, layouts, pdfs, planning, publication, sending
from diarium.board.delegation_rules import collect_reported
from diarium.board.models import ItemKind, Meeting, MeetingStatus
from diarium.board.services._common import (
    locked_meeting,
    meeting_secrecy,
    record,
    register_pdf,
    require_secretary,
    require_state,
)
from diarium.board.texts import agenda_sections, agenda_title, notice_title
from diarium.core.actors import Actor
from diarium.core.transactions import atomic_with_retry
from diarium.documents.services import open_content, store_content
from diarium.registry.models import Document


def _collect(meeting: Meeting) -> tuple[list, dict]:
    """The PDF/A parts to append, in agenda order, and per item what was left out."""
    parts, left_out = [], {}
    for item in meeting.items.order_by("position"):
        for attached in item.documents.select_related("document").order_by("pk"):
            doc = attached.document
            if attached.left_out_reason:
                left_out.setdefault(item.pk, []).append(
                    f"{doc.document_number}: {attached.left_out_reason}")
                continue
            found, why = attachments.pdfa_parts(doc)
            if why:
                left_out.setdefault(item.pk, []).append(f"{doc.document_number}: {why}")
            parts.extend(found)
    return parts, left_out


def _stored(data: bytes) -> str:
    return store_content(io.BytesIO(data), mime_type="application/pdf").sha256


@atomic_with_retry
def send_notice(actor: Actor, meeting: Meeting) -> Document:
    require_secretary(actor, meeting.body.authority_id)
    meeting = locked_meeting(meeting)
    require_state(meeting, MeetingStatus.PLANNED, MeetingStatus.NOTIFIED)
    for item in meeting.items.filter(kind=ItemKind.DELEGATION):
        collect_reported(item)
    title = notice_title(meeting)
    parts, left_out = _collect(meeting)
    # The authority's Word template of the kind "Kallelse" when it has one (board/layouts.py).
    template = layouts.template_for(meeting, planning.NOTICE)
    first = layouts.notice_pages(meeting, title, left_out, public=False, template=template)
    streams = [open_content(p) for p in parts]
    try:
        data = pdfs.make_pdfa(first, streams, title=title)
    finally:
        for stream in streams:
            stream.close()
    document = register_pdf(actor, meeting.case, title, data,
                            meeting_secrecy(meeting), planning.NOTICE)
    public = pdfs.make_pdfa(layouts.notice_pages(meeting, title, {}, public=True,
                                                 template=template), title=title)
    agenda = pdfs.simple_pdfa(agenda_title(meeting), meeting.body.authority.name,
                              agenda_sections(meeting, public=True))
    publication.publish_meeting(meeting, _stored(public), _stored(agenda))
    sending.send(actor, document, sending.notice_recipients(meeting))
    meeting.notice_document, meeting.status = document, MeetingStatus.NOTIFIED
    meeting.save(update_fields=["notice_document", "status"])
    record(actor, "board.notice_sent", meeting, meeting.body.authority_id,
           after={"document": document.pk, "left_out": {str(k): v for k, v in
                                                         left_out.items()},
                  "published_at": timezone.now()})
    return document
