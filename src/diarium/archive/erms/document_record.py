"""One registered document (handling) as an ERMS record, following the Swedish profile's
element list for documents (SvKGS Ärendehandlingar, ERMS-SVK:85-114).

Dates keep the profile's meaning: `created` and `originated` are the moment of
registration (ERMS-SVK:111-112); the document's own date is always written as
`other`/`document_date`, and also as `received` for an incoming document (the moment the
mail reached the inbox when it came that way) and `expedited` for an outgoing one (an
outgoing document is drawn up when it is dispatched, TF 2 kap. 10 §; the registry records
no separate dispatch). The mapping table is in docs/erms-export.md."""

from __future__ import annotations

import datetime as dt

from lxml import etree

from diarium.registry.models import Direction, Document, DocumentStatus

from . import xml
from .agents import party, person
from .disposal import Disposal, write
from .secrecy import restriction
from .source import CaseSnapshot, DocumentItem, record_type_name
from .xml import AgentData, sub

_DIRECTIONS = {Direction.INCOMING: ("incoming", ""), Direction.OUTGOING: ("outgoing", ""),
               Direction.INTERNAL: ("other", "internal")}
_COUNTERPART = {"incoming": "sender", "outgoing": "receiver"}


def _dates(item: DocumentItem) -> list[tuple[str, dt.datetime | dt.date | None]]:
    doc = item.document
    received = item.inbox.received_at if item.inbox is not None else doc.document_date
    return [("created", doc.registered_at), ("originated", doc.registered_at),
            ("received", received if doc.direction == Direction.INCOMING else None),
            ("expedited", doc.document_date if doc.direction == Direction.OUTGOING else None),
            ("other:document_date", doc.document_date), ("other:voided", doc.voided_at)]


def _agents(item: DocumentItem, snap: CaseSnapshot, definition: str) -> list[AgentData]:
    doc, case = item.document, snap.case
    protected = (doc.is_secret and doc.withhold_parties) or (
        case.is_secret and case.withhold_parties)
    unit = case.responsible_unit.name if case.responsible_unit is not None else ""
    items = [person(doc.created_by, "creator"),
             person(case.responsible_officer, "responsible_person", unit)]
    kind = _COUNTERPART.get(definition, "counterpart")
    if doc.party is not None:
        items.append(party(doc.party, kind, "", protected))
    elif doc.sender_recipient:
        items.append(AgentData(kind, doc.sender_recipient, protected=protected))
    return [i for i in items if i is not None]


def _reclassifications(item: DocumentItem, snap: CaseSnapshot
                       ) -> list[tuple[str, str, dt.datetime | None]]:
    """Each later change of the document's record type, from the audit log."""
    found = []
    for event in snap.document_events(item.document, "document.record_type_changed"):
        before = (event.before or {}).get("record_type") or "ingen"
        after = (event.after or {}).get("record_type") or "ingen"
        if before != after:
            found.append(("reclassification", f"Handlingstypen ändrades från ”{before}” "
                          f"till ”{after}”.", event.occurred_at))
    return found


def _notes(item: DocumentItem, snap: CaseSnapshot
           ) -> list[tuple[str, str, dt.datetime | None]]:
    doc, mail = item.document, item.inbox
    found = []
    if mail is not None:
        text = f"Inkom till myndighetens inkorg från {mail.sender or 'okänd avsändare'}"
        found.append(("inbox", text + (f" med ämnet ”{mail.subject}”." if mail.subject
                                       else "."), mail.received_at))
    found += _reclassifications(item, snap)
    found += [("signature", _signature_note(r), r.made_at) for r in item.signatures]
    if doc.status == DocumentStatus.VOID and doc.void_reason:
        found.append(("void_reason", doc.void_reason, doc.voided_at))
    return found


def _signature_note(report) -> str:
    """"Elektroniskt undertecknad av …" with each signer, role and time, and the outcome
    of the validation whose report goes in the package beside the signed file."""
    parts = []
    for signature in report.report.get("signatures", []):
        who = signature.get("signer_name") or signature.get("field", "")
        role = f" ({signature['role']})" if signature.get("role") else ""
        when = signature.get("timestamp") or signature.get("signed_at") or ""
        parts.append(f"{who}{role} {when[:16].replace('T', ' ')} UTC".strip())
    outcome = "giltiga" if report.valid else "INTE giltiga"
    return (f"Elektroniskt undertecknad (PAdES) av {'; '.join(parts) or 'okänd'}. "
            f"Signaturerna validerades {report.made_at:%Y-%m-%d} och var {outcome}; "
            "valideringsrapporten (JSON och PDF) följer med handlingen.")


def _files(record: etree._Element, item: DocumentItem) -> None:
    if item.files:
        extra = sub(record, "additionalInformation")
        for file in item.files:
            xml.appendix(extra, file.name, file.package_path, file.mime_type)


def add_record(parent: etree._Element, item: DocumentItem, snap: CaseSnapshot,
               disposal: Disposal) -> None:
    doc: Document = item.document
    record = sub(parent, "record", systemIdentifier=str(doc.pk),
                 recordType=record_type_name(doc),
                 recordPhysicalOrDigital="digitial" if item.files else "")
    sub(record, "objectId", f"{snap.case.diary_number}:{doc.number}")
    classification = snap.classification_of(doc)
    if classification is not None:
        sub(record, "classification", classification.name,
            classificationCode=classification.code)
    sub(record, "title", doc.title)
    if doc.public_title:
        sub(record, "otherTitle", doc.public_title, titleType="public")
    sub(record, "status", value="obliterated" if doc.status == DocumentStatus.VOID
        else "closed")
    sub(record, "runningNumber", str(doc.number))
    sub(record, "relation", snap.case.diary_number, relationType="part_of")
    restriction(record, doc)
    write(record, disposal)
    definition, other = _DIRECTIONS.get(doc.direction, ("other", doc.direction))
    sub(record, "direction", directionDefinition=definition, otherDirectionDefinition=other)
    xml.agents(record, _agents(item, snap, definition))
    xml.dates(record, _dates(item))
    xml.notes(record, _notes(item, snap))
    _files(record, item)
