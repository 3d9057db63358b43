"""Small builders for CITS ERMS 2.1.2 elements shared by the case export and make-sip."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone
from lxml import etree

from diarium.archive.sip.model import software_version

from .schema import ERMS_NS

XSI = "http://www.w3.org/2001/XMLSchema-instance"


def e(tag: str) -> str:
    return f"{{{ERMS_NS}}}{tag}"


def sub(parent: etree._Element, tag: str, text: str | None = None, **attrs: str
        ) -> etree._Element:
    element = etree.SubElement(parent, e(tag), {k: v for k, v in attrs.items() if v})
    if text is not None:
        element.text = text
    return element


def xs_datetime(value: dt.datetime | dt.date) -> str:
    """xs:dateTime: moments in Stockholm time with their offset, calendar dates at 00:00."""
    if isinstance(value, dt.datetime):
        if timezone.is_naive(value):
            value = timezone.make_aware(value, dt.UTC)
        return timezone.localtime(value).isoformat(timespec="seconds")
    return f"{value.isoformat()}T00:00:00"


def dates(parent: etree._Element, values: list[tuple[str, dt.datetime | dt.date | None]],
          tag: str = "dates", item: str = "date") -> None:
    """<dates><date dateType=…>…</date>…</dates>; types ending in ':x' are written as
    dateType="other" otherDateType="x"."""
    present = [(kind, when) for kind, when in values if when is not None]
    if not present:
        return
    wrapper = sub(parent, tag)
    for kind, when in present:
        if kind.startswith("other:"):
            sub(wrapper, item, xs_datetime(when), dateType="other",
                otherDateType=kind.split(":", 1)[1])
        else:
            sub(wrapper, item, xs_datetime(when), dateType=kind)


@dataclass(frozen=True)
class AgentData:
    kind: str  # ERMS agentType, or "other:<otherAgentType>"
    name: str
    organisation: str = ""
    unit: str = ""
    id_number: str = ""
    id_type: str = ""
    role: str = ""
    protected: bool = False


def agent(parent: etree._Element, data: AgentData, tag: str = "agent") -> None:
    if data.kind.startswith("other:"):
        element = sub(parent, tag, agentType="other", otherAgentType=data.kind[6:])
    else:
        element = sub(parent, tag, agentType=data.kind)
    sub(element, "name", data.name)
    if data.organisation:
        sub(element, "organisation", data.organisation)
    if data.unit:
        sub(element, "unitName", data.unit)
    if data.id_number:
        sub(element, "idNumber", data.id_number, idNumberType=data.id_type)
    if data.role:
        sub(element, "role", data.role)
    if data.protected:
        sub(element, "protectedIdentity", "true")


def agents(parent: etree._Element, items: list[AgentData]) -> None:
    if items:
        wrapper = sub(parent, "agents")
        for item in items:
            agent(wrapper, item)


def restriction(parent: etree._Element, provision: str, explanation: str,
                marked_on: dt.date | None) -> None:
    """A secrecy marking (sekretessmarkering) with its legal provision (OSL)."""
    element = sub(parent, "restriction", restrictionType="confidential")
    sub(element, "explanatoryText", explanation)
    sub(element, "regulation", provision)
    dates(element, [("created", marked_on)])


def notes(parent: etree._Element, items: list[tuple[str, str, dt.datetime | dt.date | None]]
          ) -> None:
    """<notes><note noteType=… noteDate=…>text</note>…</notes> for (type, text, date)."""
    present = [(kind, text, when) for kind, text, when in items if text]
    if present:
        wrapper = sub(parent, "notes")
        for kind, text, when in present:
            sub(wrapper, "note", text, noteType=kind,
                noteDate=xs_datetime(when) if when is not None else "")


def appendix(parent: etree._Element, name: str, path: str, file_format: str,
             description: str = "") -> None:
    sub(parent, "appendix", name=name, path=path, fileFormat=file_format,
        description=description)


@dataclass(frozen=True)
class Maintenance:
    """More about who made the ERMS document and when. agency_code: the agency's
    organisationsnummer (ten digits); created: a fixed moment keeps the document the same in
    every export (None: now); software_kind: Diarium's agentType in the maintenance event."""

    agency_code: str = ""
    created: dt.datetime | None = None
    software_kind: str = "creator"


def control(root: etree._Element, identifications: list[tuple[str, str]], agency: str,
            organisation: str, classification_schema: str = "",
            producer_system: str = "", maintenance: Maintenance | None = None) -> None:
    made = maintenance or Maintenance()
    element = sub(root, "control")
    for kind, value in identifications:
        if value:
            sub(element, "identification", value, identificationType=kind)
    if classification_schema:
        description = sub(sub(element, "classificationSchema"),
                          "textualDescriptionOfClassificationSchema")
        sub(description, "p", classification_schema)
    information = sub(element, "maintenanceInformation")
    sub(information, "maintenanceStatus", value="new")
    agency_element = sub(information, "maintenanceAgency")
    if made.agency_code:
        sub(agency_element, "agencyCode", made.agency_code, type="organisationsnummer")
    sub(agency_element, "agencyName", agency)
    event = sub(sub(information, "maintenanceHistory"), "maintenanceEvent")
    sub(event, "eventType", value="created")
    sub(event, "eventDateTime", xs_datetime(made.created or timezone.now()))
    agent(event, AgentData(made.software_kind, "Diarium", organisation=organisation,
                           role=f"Diarium {software_version()}"))
    if producer_system:
        system = sub(sub(element, "systemInformation"), "agents")
        agent(system, AgentData("creator", producer_system, organisation=organisation,
                                role="producer system"))


def new_document() -> etree._Element:
    return etree.Element(e("erms"), nsmap={None: ERMS_NS, "xsi": XSI})


def serialise(root: etree._Element) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
