"""metadata/preservation/premis.xml (PREMIS 3.0): one object per content and descriptive
file with its fixity, size and PRONOM format, the events of making the package and the
agents that took part."""

from __future__ import annotations

from lxml import etree

from .model import FileEntry, PackageInfo, timestamp

PREMIS = "http://www.loc.gov/premis/v3"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
_EVENTS = (  # (type, detail)
    ("information package creation", "E-ARK SIP 2.1 (FGS Paketstruktur 2.0) written"),
    ("message digest calculation", "SHA-256 of every file, computed while it was written"),
    ("format identification", "PRONOM format identified from the file's signature"),
)


def _p(tag: str) -> str:
    return f"{{{PREMIS}}}{tag}"


def _sub(parent: etree._Element, tag: str, text: str | None = None) -> etree._Element:
    element = etree.SubElement(parent, _p(tag))
    if text is not None:
        element.text = text
    return element


def _identifier(parent: etree._Element, tag: str, kind: str, value: str) -> None:
    identifier = _sub(parent, tag)
    _sub(identifier, f"{tag}Type", kind)
    _sub(identifier, f"{tag}Value", value)


def _object(root: etree._Element, entry: FileEntry) -> None:
    obj = _sub(root, "object")
    obj.set(f"{{{XSI}}}type", "file")
    _identifier(obj, "objectIdentifier", "local", entry.path)
    characteristics = _sub(obj, "objectCharacteristics")
    _sub(characteristics, "compositionLevel", "0")
    fixity = _sub(characteristics, "fixity")
    _sub(fixity, "messageDigestAlgorithm", "SHA-256")
    _sub(fixity, "messageDigest", entry.sha256)
    _sub(characteristics, "size", str(entry.size))
    fmt = _sub(characteristics, "format")
    designation = _sub(fmt, "formatDesignation")
    _sub(designation, "formatName", entry.format.name or entry.mimetype)
    if entry.format.version:
        _sub(designation, "formatVersion", entry.format.version)
    if entry.format.puid:
        registry = _sub(fmt, "formatRegistry")
        _sub(registry, "formatRegistryName", "PRONOM")
        _sub(registry, "formatRegistryKey", entry.format.puid)
    if entry.original_name:
        _sub(obj, "originalName", entry.original_name)


def premis_xml(info: PackageInfo, entries: list[FileEntry]) -> bytes:
    root = etree.Element(_p("premis"), nsmap={None: PREMIS, "xsi": XSI})
    root.set("version", "3.0")
    for entry in entries:
        _object(root, entry)
    software = f"{info.software_name} {info.software_version}"
    when = timestamp(info.created)
    for number, (kind, detail) in enumerate((*_EVENTS, *info.premis_events), start=1):
        event = _sub(root, "event")
        _identifier(event, "eventIdentifier", "local", f"{info.objid}-event-{number}")
        _sub(event, "eventType", kind)
        _sub(event, "eventDateTime", when)
        _sub(_sub(event, "eventDetailInformation"), "eventDetail", detail)
        _sub(_sub(event, "eventOutcomeInformation"), "eventOutcome", "success")
        linking = _sub(event, "linkingAgentIdentifier")
        _sub(linking, "linkingAgentIdentifierType", "local")
        _sub(linking, "linkingAgentIdentifierValue", software)
    agent = _sub(root, "agent")
    _identifier(agent, "agentIdentifier", "local", software)
    _sub(agent, "agentName", info.software_name)
    _sub(agent, "agentType", "software")
    _sub(agent, "agentVersion", info.software_version)
    organisation = _sub(root, "agent")
    _identifier(organisation, "agentIdentifier", "local",
                info.submitter.identification or info.submitter.name)
    _sub(organisation, "agentName", info.submitter.name)
    _sub(organisation, "agentType", "organization")
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
