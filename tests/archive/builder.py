"""Builds small E-ARK SIP packages for tests: a valid one, which tests then break on purpose."""

from __future__ import annotations

import hashlib
import tarfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import quoteattr

SIP_PROFILE = "https://earksip.dilcis.eu/profile/E-ARK-SIP.xml"


@dataclass
class Entry:
    href: str
    content: bytes
    mimetype: str = "text/plain"
    size: str | None = None  # override the SIZE attribute
    checksum: str | None = None  # override the CHECKSUM attribute
    write: bool = True  # False: referenced in the METS but not written


@dataclass
class PackageSpec:
    name: str = "sip-test"
    documentation: list[Entry] = field(default_factory=lambda: [
        Entry("documentation/readme.txt", b"Leveransen innehaller ett testarende.\n")])
    data: list[Entry] = field(default_factory=lambda: [
        Entry("representations/rep1/data/beslut.txt", b"Beslut i arende KS 2024/17.\n")])
    doctype: str = ""  # inserted before the root element
    extra_files: dict[str, bytes] = field(default_factory=dict)


def _file(entry: Entry, number: int) -> str:
    size = entry.size if entry.size is not None else str(len(entry.content))
    checksum = entry.checksum or hashlib.sha256(entry.content).hexdigest()
    return (f'<file ID="file-{number}" MIMETYPE="{entry.mimetype}" SIZE="{size}" '
            f'CREATED="2024-05-01T10:00:00" CHECKSUM="{checksum}" CHECKSUMTYPE="SHA-256">'
            f'<FLocat LOCTYPE="URL" xlink:type="simple" xlink:href={quoteattr(entry.href)}/>'
            "</file>")


def mets_xml(spec: PackageSpec) -> bytes:
    docs = "".join(_file(e, i) for i, e in enumerate(spec.documentation))
    data = "".join(_file(e, 1000 + i) for i, e in enumerate(spec.data))
    return f"""<?xml version="1.0" encoding="UTF-8"?>
{spec.doctype}<mets xmlns="http://www.loc.gov/METS/" xmlns:xlink="http://www.w3.org/1999/xlink"
  xmlns:csip="https://DILCIS.eu/XML/METS/CSIPExtensionMETS"
  xmlns:sip="https://DILCIS.eu/XML/METS/SIPExtensionMETS"
  OBJID="{spec.name}" LABEL="Testleverans" TYPE="Mixed" csip:CONTENTINFORMATIONTYPE="MIXED"
  PROFILE="{SIP_PROFILE}">
  <metsHdr CREATEDATE="2024-05-01T10:00:00" LASTMODDATE="2024-05-01T10:00:00"
    RECORDSTATUS="NEW" csip:OAISPACKAGETYPE="SIP">
    <agent ROLE="CREATOR" TYPE="OTHER" OTHERTYPE="SOFTWARE"><name>Diarium</name>
      <note csip:NOTETYPE="SOFTWARE VERSION">0.1.0</note></agent>
    <agent ROLE="CREATOR" TYPE="ORGANIZATION"><name>Exempelstads kommun</name>
      <note csip:NOTETYPE="IDENTIFICATIONCODE">212000-0000</note></agent>
  </metsHdr>
  <fileSec ID="filesec">
    <fileGrp ID="grp-doc" USE="Documentation">{docs}</fileGrp>
    <fileGrp ID="grp-rep1" USE="Representations/rep1" csip:CONTENTINFORMATIONTYPE="MIXED">{data}
    </fileGrp>
  </fileSec>
  <structMap ID="structmap" TYPE="PHYSICAL" LABEL="CSIP">
    <div ID="div-root" LABEL="{spec.name}">
      <div ID="div-metadata" LABEL="Metadata"/>
      <div ID="div-doc" LABEL="Documentation"><fptr FILEID="grp-doc"/></div>
      <div ID="div-rep" LABEL="Representations"><fptr FILEID="grp-rep1"/></div>
    </div>
  </structMap>
</mets>
""".encode()


def build(root: Path, spec: PackageSpec | None = None) -> Path:
    """Write the package folder `root/<name>` and return it."""
    spec = spec or PackageSpec()
    package = root / spec.name
    (package / "metadata").mkdir(parents=True, exist_ok=True)
    for entry in [*spec.documentation, *spec.data]:
        target = package / entry.href
        if target.resolve().is_relative_to(package.resolve()):
            target.parent.mkdir(parents=True, exist_ok=True)
            if entry.write:
                target.write_bytes(entry.content)
    for name, content in spec.extra_files.items():
        (package / name).parent.mkdir(parents=True, exist_ok=True)
        (package / name).write_bytes(content)
    (package / "METS.xml").write_bytes(mets_xml(spec))
    return package


def zip_folder(folder: Path, target: Path, extra: dict[str, bytes] | None = None) -> Path:
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(folder.rglob("*")):
            archive.write(path, f"{folder.name}/{path.relative_to(folder).as_posix()}")
        for name, content in (extra or {}).items():
            archive.writestr(name, content)
    return target


def tar_folder(folder: Path, target: Path, mode: str = "w:gz") -> Path:
    with tarfile.open(target, mode) as archive:
        archive.add(folder, arcname=folder.name)
    return target
