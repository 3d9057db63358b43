"""The package METS.xml and the representation METS.xml of an E-ARK SIP 2.1 (CSIP 2.1,
FGS Paketstruktur 2.0).

A representation may hold 100,000 files, so its METS is written in parts: the document
around its file group (`representation_mets_parts`, with the file elements left out) and the
file elements themselves, serialised in batches as they are added (`FileBatch`). The package
METS lists only the representation METS documents and stays small."""

from __future__ import annotations

from dataclasses import dataclass

from lxml import etree

from .fragments import PLACEHOLDER, attribute, split_at_placeholder
from .model import FileEntry, PackageInfo, timestamp

METS = "http://www.loc.gov/METS/"
XLINK = "http://www.w3.org/1999/xlink"
CSIP = "https://DILCIS.eu/XML/METS/CSIPExtensionMETS"
SIP = "https://DILCIS.eu/XML/METS/SIPExtensionMETS"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
NSMAP = {None: METS, "xlink": XLINK, "csip": CSIP, "sip": SIP, "xsi": XSI}
SCHEMA_LOCATIONS = {
    METS: "mets.xsd", XLINK: "xlink.xsd", CSIP: "DILCISExtensionMETS.xsd",
    SIP: "DILCISExtensionSIPMETS.xsd",
}


@dataclass(frozen=True)
class MetadataRef:
    """A metadata file referenced from dmdSec (kind "dmd") or amdSec/digiprovMD."""

    ident: str
    kind: str  # "dmd" or "digiprov"
    entry: FileEntry
    mdtype: str  # METS MDTYPE, e.g. PREMIS or OTHER
    other_mdtype: str = ""
    version: str = ""


def _m(tag: str) -> str:
    return f"{{{METS}}}{tag}"


def _sub(parent: etree._Element, tag: str, text: str | None = None, **attrs) -> etree._Element:
    element = etree.SubElement(parent, _m(tag), {k: v for k, v in attrs.items() if v})
    if text is not None:
        element.text = text
    return element


def _root(info: PackageInfo, objid: str, label: str, folder_prefix: str) -> etree._Element:
    locations = " ".join(f"{ns} {folder_prefix}schemas/{name}"
                         for ns, name in SCHEMA_LOCATIONS.items())
    root = etree.Element(_m("mets"), nsmap=NSMAP)
    root.set("OBJID", objid)
    root.set("LABEL", label)
    root.set("TYPE", info.content_category)
    root.set(f"{{{CSIP}}}CONTENTINFORMATIONTYPE", info.content_information_type)
    root.set("PROFILE", info.profile)
    root.set(f"{{{XSI}}}schemaLocation", locations)
    return root


def _header(parent: etree._Element, info: PackageInfo, full: bool) -> None:
    created = timestamp(info.created)
    header = _sub(parent, "metsHdr", CREATEDATE=created, LASTMODDATE=created,
                  RECORDSTATUS=info.record_status)
    header.set(f"{{{CSIP}}}OAISPACKAGETYPE", info.package_type)
    software = _sub(header, "agent", ROLE="CREATOR", TYPE="OTHER", OTHERTYPE="SOFTWARE")
    _sub(software, "name", info.software_name)
    _sub(software, "note", info.software_version).set(f"{{{CSIP}}}NOTETYPE", "SOFTWARE VERSION")
    if not full:
        return
    _agent(header, "ARCHIVIST", "ORGANIZATION", info.archivist.name,
           info.archivist.identification)
    _agent(header, "CREATOR", "ORGANIZATION", info.submitter.name,
           info.submitter.identification)
    if info.contact_person:
        _agent(header, "CREATOR", "INDIVIDUAL", info.contact_person, "")
    if info.preservation is not None:
        _agent(header, "PRESERVATION", "ORGANIZATION", info.preservation.name,
               info.preservation.identification)
    if info.producer_system:
        producer = _sub(header, "agent", ROLE="OTHER", OTHERROLE="PRODUCER", TYPE="OTHER",
                        OTHERTYPE="SOFTWARE")
        _sub(producer, "name", info.producer_system)
    if info.submission_agreement:
        _sub(header, "altRecordID", info.submission_agreement, TYPE="SUBMISSIONAGREEMENT")
    if info.reference_code:
        _sub(header, "altRecordID", info.reference_code, TYPE="REFERENCECODE")


def _agent(header: etree._Element, role: str, kind: str, name: str, code: str) -> None:
    agent = _sub(header, "agent", ROLE=role, TYPE=kind)
    _sub(agent, "name", name)
    if code:
        _sub(agent, "note", code).set(f"{{{CSIP}}}NOTETYPE", "IDENTIFICATIONCODE")


def _checksummed(element: etree._Element, entry: FileEntry) -> None:
    element.set("MIMETYPE", entry.mimetype)
    element.set("SIZE", str(entry.size))
    element.set("CREATED", entry.created)
    element.set("CHECKSUM", entry.sha256)
    element.set("CHECKSUMTYPE", "SHA-256")


def _mdref(parent: etree._Element, ref: MetadataRef, created: str) -> None:
    tag = "dmdSec" if ref.kind == "dmd" else "digiprovMD"
    section = _sub(parent, tag, ID=ref.ident, CREATED=created, STATUS="CURRENT")
    mdref = _sub(section, "mdRef", LOCTYPE="URL", MDTYPE=ref.mdtype,
                 OTHERMDTYPE=ref.other_mdtype if ref.mdtype == "OTHER" else "",
                 MDTYPEVERSION=ref.version)
    mdref.set(f"{{{XLINK}}}type", "simple")
    mdref.set(f"{{{XLINK}}}href", ref.entry.path)
    _checksummed(mdref, ref.entry)


def _file(group: etree._Element, entry: FileEntry, folder: str) -> None:
    element = _sub(group, "file", ID=entry.ident)
    _checksummed(element, entry)
    fmt = entry.format
    if fmt.name:
        element.set(f"{{{SIP}}}FILEFORMATNAME", fmt.name)
    if fmt.version:
        element.set(f"{{{SIP}}}FILEFORMATVERSION", fmt.version)
    if fmt.puid:
        element.set(f"{{{SIP}}}FORMATREGISTRY", "PRONOM")
        element.set(f"{{{SIP}}}FORMATREGISTRYKEY", fmt.puid)
    locator = _sub(element, "FLocat", LOCTYPE="URL")
    locator.set(f"{{{XLINK}}}type", "simple")
    locator.set(f"{{{XLINK}}}href", entry.href_from(folder))


def _serialise(root: etree._Element) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def package_mets(info: PackageInfo, metadata: list[MetadataRef], documentation: list[FileEntry],
                 schemas: list[FileEntry],
                 representations: list[tuple[str, FileEntry]]) -> bytes:
    """representations: (name, its METS.xml entry) for each representation with files."""
    root = _root(info, info.objid, info.label, "")
    created = timestamp(info.created)
    _header(root, info, full=True)
    for ref in (r for r in metadata if r.kind == "dmd"):
        _mdref(root, ref, created)
    provenance = [r for r in metadata if r.kind == "digiprov"]
    if provenance:
        amd = _sub(root, "amdSec", ID="amdsec")
        for ref in provenance:
            _mdref(amd, ref, created)
    file_section = _sub(root, "fileSec", ID="filesec")
    groups: list[tuple[str, str]] = []  # (structMap label, fileGrp ID)
    for use, ident, entries in (("Documentation", "grp-documentation", documentation),
                                ("Schemas", "grp-schemas", schemas)):
        if entries:
            group = _sub(file_section, "fileGrp", ID=ident, USE=use)
            for entry in entries:
                _file(group, entry, "")
            groups.append((use, ident))
    for name, entry in representations:
        group = _sub(file_section, "fileGrp", ID=f"grp-{name}", USE=f"Representations/{name}")
        group.set(f"{{{CSIP}}}CONTENTINFORMATIONTYPE", info.content_information_type)
        _file(group, entry, "")
    smap = _sub(root, "structMap", ID="structmap", TYPE="PHYSICAL", LABEL="CSIP")
    main = _sub(smap, "div", ID="div-package", LABEL=info.objid)
    _sub(main, "div", ID="div-metadata", LABEL="Metadata",
         ADMID=" ".join(r.ident for r in provenance),
         DMDID=" ".join(r.ident for r in metadata if r.kind == "dmd"))
    for use, ident in groups:
        _sub(_sub(main, "div", ID=f"div-{use.lower()}", LABEL=use), "fptr", FILEID=ident)
    for name, entry in representations:
        division = _sub(main, "div", ID=f"div-{name}", LABEL=f"Representations/{name}")
        pointer = _sub(division, "mptr", LOCTYPE="URL")  # METS: mptr before fptr
        pointer.set(f"{{{XLINK}}}type", "simple")
        pointer.set(f"{{{XLINK}}}href", entry.path)
        pointer.set(f"{{{XLINK}}}title", f"grp-{name}")
        _sub(division, "fptr", FILEID=f"grp-{name}")
    return _serialise(root)


class FileBatch:
    """METS file elements of one representation, formatted as text (sip/fragments.py)."""

    separator = b"\n      "  # between two batches: a new line at the file elements' level

    def __init__(self, info: PackageInfo, folder: str, size: int = 500) -> None:
        self.folder = folder
        self.size = size
        self._parts: list[str] = []

    def add(self, entry: FileEntry) -> bool:
        """Add the entry; True when the batch is full (take it with `take`)."""
        self._parts.append(file_fragment(entry, self.folder))
        return len(self._parts) >= self.size

    def take(self) -> bytes:
        data = "\n      ".join(self._parts).encode()
        self._parts = []
        return data


def file_fragment(entry: FileEntry, folder: str) -> str:
    """The METS file element `_file` builds, as text at the file group's child level."""
    fmt = entry.format
    ident = f' ID="{attribute(entry.ident)}"' if entry.ident else ""
    formats = ""
    if fmt.name:
        formats += f' sip:FILEFORMATNAME="{attribute(fmt.name)}"'
    if fmt.version:
        formats += f' sip:FILEFORMATVERSION="{attribute(fmt.version)}"'
    if fmt.puid:
        formats += f' sip:FORMATREGISTRY="PRONOM" sip:FORMATREGISTRYKEY="{attribute(fmt.puid)}"'
    return (f'<file{ident} MIMETYPE="{attribute(entry.mimetype)}" SIZE="{entry.size}" '
            f'CREATED="{attribute(entry.created)}" CHECKSUM="{attribute(entry.sha256)}" '
            f'CHECKSUMTYPE="SHA-256"{formats}>\n        <FLocat LOCTYPE="URL" '
            f'xlink:type="simple" xlink:href="{attribute(entry.href_from(folder))}"/>\n'
            "      </file>")


def representation_mets_parts(info: PackageInfo, name: str) -> tuple[bytes, bytes]:
    """The representation METS before and after its data file elements."""
    root = _root(info, name, f"{info.label} ({name})", "../../")
    _header(root, info, full=False)
    file_section = _sub(root, "fileSec", ID=f"filesec-{name}")
    group = _sub(file_section, "fileGrp", ID=f"grp-{name}-data", USE="Data")
    group.set(f"{{{CSIP}}}CONTENTINFORMATIONTYPE", info.content_information_type)
    group.append(etree.Comment(PLACEHOLDER))
    smap = _sub(root, "structMap", ID=f"structmap-{name}", TYPE="PHYSICAL", LABEL="CSIP")
    main = _sub(smap, "div", ID=f"div-{name}", LABEL=name)
    _sub(main, "div", ID=f"div-{name}-metadata", LABEL="Metadata")
    _sub(_sub(main, "div", ID=f"div-{name}-data", LABEL="Data"), "fptr",
         FILEID=f"grp-{name}-data")
    return split_at_placeholder(_serialise(root))


def representation_mets(info: PackageInfo, name: str, data: list[FileEntry]) -> bytes:
    """The whole representation METS at once (for a few files; the writer streams)."""
    head, tail = representation_mets_parts(info, name)
    batch = FileBatch(info, f"representations/{name}", size=len(data) + 1)
    for entry in data:
        batch.add(entry)
    return head + batch.take() + tail
