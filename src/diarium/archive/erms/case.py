"""One closed case as a CITS ERMS 2.1.2 document: one aggregation of type caseFile with a
record per registered document, following the Swedish profile's element lists where they
fit a municipality (SvKGS Ärendehandlingar). The mapping is documented, field by field, in
docs/erms-export.md.

The document depends on the case's state only, never on the time of export: the
maintenance event carries the moment the case was closed (or voided), so exporting the
same version of a case again gives the same bytes."""

from __future__ import annotations

from dataclasses import replace

from lxml import etree

from diarium.registry.models import CaseStatus

from . import xml
from .actions import actions
from .agents import actor, organisation, party, person
from .creator import digits, organisation_number
from .disposal import case_disposal, record_disposal, write
from .document_record import add_record
from .secrecy import restriction
from .source import CaseSnapshot
from .xml import AgentData, Maintenance, sub


def _agents(snap: CaseSnapshot) -> list[AgentData]:
    case = snap.case
    unit = case.responsible_unit.name if case.responsible_unit is not None else ""
    items = [person(case.created_by, "creator"),
             person(case.responsible_officer, "responsible_person", unit)]
    for link in snap.parties:
        items.append(party(link.party, "counterpart", link.role,
                           case.is_secret and case.withhold_parties))
    ending = snap.last_event("case.voided" if case.status == CaseStatus.VOID
                             else "case.closed")
    if ending is not None:  # who closed or voided it (ERMS-SVK:71)
        items.append(person(ending.actor, "other:closing_person") or replace(
            actor(ending), kind="other:closing_person"))
    if case.municipality is not None:  # a joint board's case: the municipality it concerns
        items.append(organisation(case.municipality, "other:municipality", case.diary_number))
    return [i for i in items if i is not None]


def _control(root: etree._Element, snap: CaseSnapshot, number: str) -> None:
    case, authority = snap.case, snap.case.authority
    municipality = authority.municipality.name
    xml.control(root, [("arkivbildare", authority.name), ("organisationsnummer", number),
                       ("kommun", municipality), ("diarium", case.series.name),
                       ("ärendenummer", case.diary_number)],
                agency=authority.name, organisation=municipality,
                classification_schema=snap.plan_description,
                maintenance=Maintenance(agency_code=number, created=snap.ended_at,
                                        software_kind="deliverer"))


def _head(aggregation: etree._Element, snap: CaseSnapshot, number: str) -> None:
    """objectId to relation, in the schema's order."""
    case = snap.case
    sub(aggregation, "objectId", case.diary_number)
    if number:
        sub(aggregation, "extraId", number, extraIdType="organisationsnummer")
    if case.classification_code:
        sub(aggregation, "classification", snap.process_name or case.classification_code,
            classificationCode=case.classification_code)
    if snap.keywords:
        keywords = sub(aggregation, "keywords")
        for keyword in snap.keywords:
            sub(keywords, "keyword", keyword)
    sub(aggregation, "title", case.title)
    if case.public_title:
        sub(aggregation, "otherTitle", case.public_title, titleType="public")
    sub(aggregation, "status",
        value="obliterated" if case.status == CaseStatus.VOID else "closed")
    for related in snap.related:
        sub(aggregation, "relation", related, relationType="reference")


def case_erms(snap: CaseSnapshot) -> etree._ElementTree:
    """Raises ErmsInvalid when the archive creator's organisation number is not valid."""
    case = snap.case
    number = digits(organisation_number(case.authority, case.diary_number))
    root = xml.new_document()
    _control(root, snap, number)
    aggregation = sub(sub(root, "aggregations"), "aggregation", systemIdentifier=str(case.pk),
                      aggregationType="caseFile")
    _head(aggregation, snap, number)
    restriction(aggregation, case)
    records = [record_disposal(item, snap) for item in snap.documents]
    write(aggregation, case_disposal(records, snap))
    xml.agents(aggregation, _agents(snap))
    xml.dates(aggregation, [("created", case.opened_at), ("opened", case.opened_at),
                            ("closed", snap.ended_at), ("other:voided", case.voided_at),
                            ("other:follow_up", case.follow_up_date)])
    actions(aggregation, snap)
    voided = case.status == CaseStatus.VOID
    xml.notes(aggregation, [("void_reason", case.void_reason if voided else "",
                             case.voided_at)])
    for item, disposal in zip(snap.documents, records, strict=True):
        add_record(aggregation, item, snap, disposal)
    return etree.ElementTree(root)
