"""One closed case as a CITS ERMS 2.1.2 document: one aggregation of type caseFile with a
record per registered document. The mapping is documented in docs/erms-export.md."""

from __future__ import annotations

from dataclasses import replace

from lxml import etree

from diarium.audit.models import AuditEvent
from diarium.organisation.models import User
from diarium.registry.models import CaseStatus, Direction, Document, DocumentStatus, PartyKind

from . import xml
from .source import STATUS_ACTIONS, CaseSnapshot, DocumentItem, record_type_name
from .xml import AgentData, sub

DATA_PREFIX = "representations/rep1/data/"
_DIRECTIONS = {Direction.INCOMING: ("incoming", ""), Direction.OUTGOING: ("outgoing", ""),
               Direction.INTERNAL: ("other", "internal")}
_ACTIONS = {  # audit action -> (actionType, text when no note was given)
    "case.closed": ("avslutat", "Ärendet avslutades."),
    "case.reopened": ("återöppnat", "Ärendet återöppnades."),
    "case.dormant": ("vilande", "Ärendet sattes som vilande."),
    "case.voided": ("makulerat", "Ärendet makulerades."),
}
_WITHHELD = ("titel", "parter", "filer")
_UNITS = {"years": "år", "months": "månader", "days": "dagar"}


def _person(user: User | None, kind: str) -> AgentData | None:
    if user is None:
        return None
    unit = getattr(getattr(user, "unit", None), "name", "")
    return AgentData(kind, user.get_full_name() or user.get_username(), unit=unit,
                     id_number=user.get_username(), id_type="username")


def _explanation(obj) -> str:
    withheld = [label for label, on in zip(_WITHHELD, (obj.withhold_title,
                obj.withhold_parties, obj.withhold_files), strict=True) if on]
    text = f"Sekretessmarkering (OSL 5 kap. 5 §) enligt {obj.secrecy_provision}."
    if withheld:
        text += " Undantaget från allmänheten: " + ", ".join(withheld) + "."
    return text


def _restriction(parent: etree._Element, obj) -> None:
    if obj.secrecy_provision:
        xml.restriction(parent, obj.secrecy_provision, _explanation(obj), obj.secrecy_marked_on)


def _party_agent(party, kind: str, role: str, protected: bool) -> AgentData:
    """A party: organisations with their organisation number, people never with their
    personnummer. protected: the party is withheld under a secrecy marking."""
    number = ""
    if party.kind == PartyKind.ORGANISATION and party.identity_number:
        number = party.identity_number.replace("-", "")
    return AgentData(kind, party.name, id_number=number,
                     id_type="organisationsnummer" if number else "", role=role,
                     protected=protected or bool(getattr(party, "protected_identity", False)))


def _actor(event: AuditEvent) -> AgentData:
    user = event.actor
    name = (user.get_full_name() or user.get_username()) if user else (event.actor_name or
                                                                      "Diarium")
    return AgentData("user", name, id_number=event.actor_name, id_type="username"
                     if event.actor_name else "")


def _actions(parent: etree._Element, snap: CaseSnapshot) -> None:
    for event in snap.case_events:
        if event.action not in STATUS_ACTIONS:
            continue
        kind, default = _ACTIONS[event.action]
        after = event.after or {}
        note = after.get("closing_note") if event.action == "case.closed" else (
            after.get("void_reason") if event.action == "case.voided" else "")
        action = sub(parent, "action")
        sub(action, "actionText", note or default)
        sub(action, "actionType", kind)
        xml.dates(action, [("decision_date", event.occurred_at)], item="actionDate")
        xml.agent(sub(action, "agents"), _actor(event))


def _aggregation_agents(snap: CaseSnapshot) -> list[AgentData]:
    case = snap.case
    items = [_person(case.created_by, "creator"), _person(case.responsible_officer,
                                                          "responsible_person")]
    if case.responsible_officer is not None and case.responsible_unit is not None:
        items[1] = replace(items[1], unit=case.responsible_unit.name)
    for link in snap.parties:
        items.append(_party_agent(link.party, "counterpart", link.role,
                                  case.is_secret and case.withhold_parties))
    closed = snap.last_event("case.closed")
    if closed is not None and case.status == CaseStatus.CLOSED:
        items.append(replace(_actor(closed), kind="other:closer"))
    return [i for i in items if i is not None]


def _disposal(record: etree._Element, doc: Document, snap: CaseSnapshot) -> None:
    """Keep or dispose, from the plan rule the document was registered under (read with
    getattr: the fields came with the plan's enforcement in the registry)."""
    outcome = getattr(doc, "disposal_outcome", "")
    rule = getattr(doc, "rule", None)
    when = getattr(doc, "disposal_date", None) if outcome == "date" else (
        snap.case.closed_at if outcome == "keep" else None)
    if when is None:
        return
    disposal = sub(record, "disposal", disposable="true" if outcome == "date" else "false")
    sub(disposal, "disposalAction", "gallras" if outcome == "date" else "bevaras")
    amount = getattr(rule, "period_amount", None)
    if outcome == "date" and amount:
        unit = getattr(rule, "period_unit", "")
        sub(disposal, "disposalPeriod", f"{amount} {_UNITS.get(unit, unit)}")
    mandate = getattr(rule, "legal_basis", "") or getattr(
        getattr(rule, "version", None), "decision_reference", "")
    if mandate:
        sub(disposal, "disposalMandate", mandate)
    kind = "disposal_date" if outcome == "date" else "retention_period_start"
    xml.dates(disposal, [(kind, when)], item="disposalDate")


def _record(parent: etree._Element, item: DocumentItem, snap: CaseSnapshot) -> None:
    doc: Document = item.document
    voided = doc.status == DocumentStatus.VOID
    record = sub(parent, "record", systemIdentifier=str(doc.pk),
                 recordType=record_type_name(doc),
                 recordPhysicalOrDigital="digitial" if item.files else "")
    sub(record, "objectId", f"{snap.case.diary_number}:{doc.number}")
    sub(record, "title", doc.title)
    if doc.public_title:
        sub(record, "otherTitle", doc.public_title, titleType="publicTitle")
    sub(record, "status", value="obliterated" if voided else "closed")
    sub(record, "runningNumber", str(doc.number))
    _restriction(record, doc)
    _disposal(record, doc, snap)
    definition, other = _DIRECTIONS.get(doc.direction, ("other", doc.direction))
    sub(record, "direction", directionDefinition=definition, otherDirectionDefinition=other)
    protected = (doc.is_secret and doc.withhold_parties) or (
        snap.case.is_secret and snap.case.withhold_parties)
    counterpart_kind = {"incoming": "sender", "outgoing": "receiver"}.get(definition,
                                                                           "counterpart")
    items = [_person(doc.created_by, "creator")]
    if doc.party is not None:
        items.append(_party_agent(doc.party, counterpart_kind, "", protected))
    elif doc.sender_recipient:
        items.append(AgentData(counterpart_kind, doc.sender_recipient, protected=protected))
    xml.agents(record, [i for i in items if i is not None])
    xml.dates(record, [("created", doc.registered_at), ("originated", doc.document_date),
                       ("other:voided", doc.voided_at)])
    if voided and doc.void_reason:
        sub(sub(record, "notes"), "note", doc.void_reason, noteType="void_reason")
    if item.files:
        extra = sub(record, "additionalInformation")
        for file in item.files:
            xml.appendix(extra, file.file.original_name, DATA_PREFIX + file.path,
                         file.file.mime_type)


def case_erms(snap: CaseSnapshot) -> etree._ElementTree:
    case = snap.case
    authority = case.authority
    root = xml.new_document()
    municipality = authority.municipality.name
    xml.control(root, [("arkivbildare", authority.name), ("kommun", municipality),
                       ("ärendenummer", case.diary_number)],
                agency=authority.name, organisation=municipality,
                classification_schema=snap.plan_description)
    aggregation = sub(sub(root, "aggregations"), "aggregation", systemIdentifier=str(case.pk),
                      aggregationType="caseFile")
    sub(aggregation, "objectId", case.diary_number)
    if case.classification_code:
        sub(aggregation, "classification", snap.process_name or case.classification_code,
            classificationCode=case.classification_code)
    sub(aggregation, "title", case.title)
    if case.public_title:
        sub(aggregation, "otherTitle", case.public_title, titleType="publicTitle")
    sub(aggregation, "status",
        value="obliterated" if case.status == CaseStatus.VOID else "closed")
    for number in snap.related:
        sub(aggregation, "relation", number, relationType="reference")
    _restriction(aggregation, case)
    xml.agents(aggregation, _aggregation_agents(snap))
    xml.dates(aggregation, [("created", case.opened_at), ("opened", case.opened_at),
                            ("closed", case.closed_at), ("other:voided", case.voided_at)])
    _actions(aggregation, snap)
    if case.status == CaseStatus.VOID and case.void_reason:
        sub(sub(aggregation, "notes"), "note", case.void_reason, noteType="void_reason")
    for item in snap.documents:
        _record(aggregation, item, snap)
    return etree.ElementTree(root)
