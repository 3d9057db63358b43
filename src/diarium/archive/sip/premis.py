"""metadata/preservation/premis.xml (PREMIS 3.0): one object per content and descriptive
file with its fixity, size and PRONOM format, the events of making the package and the
agents that took part.

Written in parts like the representation METS (sip/mets.py): the document around the content
files' objects (`premis_parts`) and those objects in batches (`ObjectBatch`)."""

from __future__ import annotations

from lxml import etree

from .fragments import PLACEHOLDER, split_at_placeholder, text
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


class ObjectBatch:
    """PREMIS objects formatted as text (sip/fragments.py)."""

    separator = b"\n  "  # between two batches: a new line at the objects' level

    def __init__(self, size: int = 500) -> None:
        self.size = size
        self._parts: list[str] = []

    def add(self, entry: FileEntry) -> bool:
        """Add the entry's object; True when the batch is full (take it with `take`)."""
        self._parts.append(object_fragment(entry))
        return len(self._parts) >= self.size

    def take(self) -> bytes:
        data = "\n  ".join(self._parts).encode()
        self._parts = []
        return data


def object_fragment(entry: FileEntry) -> str:
    """The PREMIS object `_object` builds, as text at the root's child level."""
    fmt = entry.format
    version = (f"\n          <formatVersion>{text(fmt.version)}</formatVersion>"
               if fmt.version else "")
    registry = ("\n        <formatRegistry>\n          <formatRegistryName>PRONOM"
                "</formatRegistryName>\n          <formatRegistryKey>"
                f"{text(fmt.puid)}</formatRegistryKey>\n        </formatRegistry>"
                if fmt.puid else "")
    original = (f"\n    <originalName>{text(entry.original_name)}</originalName>"
                if entry.original_name else "")
    return (
        '<object xsi:type="file">\n    <objectIdentifier>\n'
        "      <objectIdentifierType>local</objectIdentifierType>\n"
        f"      <objectIdentifierValue>{text(entry.path)}</objectIdentifierValue>\n"
        "    </objectIdentifier>\n    <objectCharacteristics>\n"
        "      <compositionLevel>0</compositionLevel>\n      <fixity>\n"
        "        <messageDigestAlgorithm>SHA-256</messageDigestAlgorithm>\n"
        f"        <messageDigest>{text(entry.sha256)}</messageDigest>\n      </fixity>\n"
        f"      <size>{entry.size}</size>\n      <format>\n        <formatDesignation>\n"
        f"          <formatName>{text(fmt.name or entry.mimetype)}</formatName>{version}\n"
        f"        </formatDesignation>{registry}\n      </format>\n"
        f"    </objectCharacteristics>{original}\n  </object>")


def premis_parts(info: PackageInfo, first: list[FileEntry]) -> tuple[bytes, bytes]:
    """The document before and after the content objects; `first`: the objects that come
    before them (the descriptive metadata files)."""
    root = etree.Element(_p("premis"), nsmap={None: PREMIS, "xsi": XSI})
    root.set("version", "3.0")
    for entry in first:
        _object(root, entry)
    root.append(etree.Comment(PLACEHOLDER))
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
    return split_at_placeholder(
        etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True))


def premis_xml(info: PackageInfo, entries: list[FileEntry]) -> bytes:
    """The whole document at once (for a few files; the writer streams)."""
    head, tail = premis_parts(info, [])
    batch = ObjectBatch(size=len(entries) + 1)
    for entry in entries:
        batch.add(entry)
    return head + batch.take() + tail
