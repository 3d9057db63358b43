"""The AIP's metadata/preservation/premis.xml (PREMIS 3.0), written as a stream so that a
package of a million files never builds a million-element tree: one intellectual entity
(the AIP), one file object per file with its SHA-256, size and PRONOM format, the ingest's
events (validation, fixity check, ingestion) and the agents behind them. Later events
(copies, fixity audits, repairs) are kept in the database, because the stored AIP is never
rewritten."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from diarium.archive.validation.schema import premis_schema
from diarium.archive.validation.xmlsafe import safe_parser

from .inventory import Entry, PlannedEvent, software_version
from .mets import InvalidMetadata

PREMIS = "http://www.loc.gov/premis/v3"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
NSMAP = {"premis": PREMIS, "xsi": XSI}
EVENT_TYPES = "http://id.loc.gov/vocabulary/preservation/eventType"
VALIDATE_MAX_BYTES = 64 << 20  # larger files are checked by the tests, not at every ingest


def _p(name: str) -> str:
    return f"{{{PREMIS}}}{name}"


@dataclass(frozen=True)
class Agent:
    identifier: str
    name: str
    kind: str  # software | person | organization
    role: str  # the linkingAgentRole in events


def _top(name: str, attributes: dict | None = None) -> etree._Element:
    return etree.Element(_p(name), attributes or {}, nsmap=NSMAP)


def _identifier(parent: etree._Element, prefix: str, kind: str, value: str) -> None:
    holder = etree.SubElement(parent, _p(f"{prefix}Identifier"))
    etree.SubElement(holder, _p(f"{prefix}IdentifierType")).text = kind
    etree.SubElement(holder, _p(f"{prefix}IdentifierValue")).text = value


def _entity(aip_id: str, objid: str) -> etree._Element:
    obj = _top("object", {f"{{{XSI}}}type": "premis:intellectualEntity"})
    _identifier(obj, "object", "UUID", aip_id)
    if objid:
        _identifier(obj, "object", "producer package id", objid)
    return obj


def _file(entry: Entry, submission_prefix: str) -> etree._Element:
    obj = _top("object", {f"{{{XSI}}}type": "premis:file"})
    _identifier(obj, "object", "local", entry.path)
    chars = etree.SubElement(obj, _p("objectCharacteristics"))
    etree.SubElement(chars, _p("compositionLevel")).text = "0"
    fixity = etree.SubElement(chars, _p("fixity"))
    etree.SubElement(fixity, _p("messageDigestAlgorithm")).text = "SHA-256"
    etree.SubElement(fixity, _p("messageDigest")).text = entry.sha256
    etree.SubElement(fixity, _p("messageDigestOriginator")).text = "Diarium"
    etree.SubElement(chars, _p("size")).text = str(entry.size)
    fmt = etree.SubElement(chars, _p("format"))
    designation = etree.SubElement(fmt, _p("formatDesignation"))
    etree.SubElement(designation, _p("formatName")).text = (
        entry.format_name or entry.mime or "unknown")
    if entry.format_version:
        etree.SubElement(designation, _p("formatVersion")).text = entry.format_version
    if entry.puid:
        registry = etree.SubElement(fmt, _p("formatRegistry"))
        etree.SubElement(registry, _p("formatRegistryName")).text = "PRONOM"
        etree.SubElement(registry, _p("formatRegistryKey")).text = entry.puid
        etree.SubElement(registry, _p("formatRegistryRole")).text = "identification"
    if entry.path.startswith(submission_prefix):
        etree.SubElement(obj, _p("originalName")).text = entry.path[len(submission_prefix):]
    return obj


def _event(event: PlannedEvent, aip_id: str, agents: list[Agent]) -> etree._Element:
    element = _top("event")
    _identifier(element, "event", "UUID", str(event.id))
    etree.SubElement(element, _p("eventType"), {
        "authority": "eventType", "authorityURI": EVENT_TYPES}).text = event.event_type
    etree.SubElement(element, _p("eventDateTime")).text = event.at.astimezone(
        dt.UTC).isoformat(timespec="seconds")
    info = etree.SubElement(element, _p("eventDetailInformation"))
    etree.SubElement(info, _p("eventDetail")).text = event.detail
    outcome = etree.SubElement(element, _p("eventOutcomeInformation"))
    etree.SubElement(outcome, _p("eventOutcome")).text = event.outcome
    for agent in agents:
        link = etree.SubElement(element, _p("linkingAgentIdentifier"))
        etree.SubElement(link, _p("linkingAgentIdentifierType")).text = "local"
        etree.SubElement(link, _p("linkingAgentIdentifierValue")).text = agent.identifier
        etree.SubElement(link, _p("linkingAgentRole")).text = agent.role
    link = etree.SubElement(element, _p("linkingObjectIdentifier"))
    etree.SubElement(link, _p("linkingObjectIdentifierType")).text = "UUID"
    etree.SubElement(link, _p("linkingObjectIdentifierValue")).text = aip_id
    return element


def _agent(agent: Agent) -> etree._Element:
    element = _top("agent")
    _identifier(element, "agent", "local", agent.identifier)
    etree.SubElement(element, _p("agentName")).text = agent.name
    etree.SubElement(element, _p("agentType")).text = agent.kind
    if agent.kind == "software":
        etree.SubElement(element, _p("agentVersion")).text = software_version()
    return element


def write_premis(target: Path, *, aip_id: str, objid: str, entries: Iterable[Entry],
                 events: list[PlannedEvent], agents: list[Agent],
                 submission_prefix: str) -> None:
    """Stream the PREMIS document to `target` (a new file)."""
    with etree.xmlfile(str(target), encoding="UTF-8") as xf:
        xf.write_declaration()
        with xf.element(_p("premis"), {"version": "3.0"}, nsmap=NSMAP):
            xf.write(_entity(aip_id, objid))
            for entry in entries:
                xf.write(_file(entry, submission_prefix))
            for event in events:
                xf.write(_event(event, aip_id, agents))
            for agent in agents:
                xf.write(_agent(agent))


def check_premis(path: Path) -> None:
    """Validate a PREMIS file Diarium wrote against the PREMIS 3.0 schema."""
    if path.stat().st_size > VALIDATE_MAX_BYTES:
        return
    tree = etree.parse(str(path), safe_parser())
    schema = premis_schema(PREMIS)
    if schema is None or not schema.validate(tree):
        error = schema.error_log.last_error if schema is not None else "no schema"
        raise InvalidMetadata(f"AIP PREMIS: {error}")
