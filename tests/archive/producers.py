"""Test packages in the style of the producer tools municipalities deliver with, made by the
tests themselves (no producer's output is copied):

- commons-ip 2.x: the SIP 2.2 profile URL; a package fileGrp USE='Representations/<name>'
  listing the representation's METS.xml (no CONTENTINFORMATIONTYPE), referred to only by the
  division's mptr/@xlink:title; a representation METS whose metsHdr has no agent (or is
  empty) and whose structMap has no Metadata division;
- office documents and archives for containers: minimal DOCX, XLSX, ODT and ZIP files, and a
  TAR whose members come in a chosen order (so that the last one is, say, a DOCX)."""

from __future__ import annotations

import hashlib
import io
import tarfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import quoteattr

SIP_22 = "https://earksip.dilcis.eu/profile/E-ARK-SIP-v2-2-0.xml"
NS = ('xmlns="http://www.loc.gov/METS/" xmlns:xlink="http://www.w3.org/1999/xlink" '
      'xmlns:csip="https://DILCIS.eu/XML/METS/CSIPExtensionMETS" '
      'xmlns:sip="https://DILCIS.eu/XML/METS/SIPExtensionMETS"')
CREATED = "2025-03-01T10:00:00"


def _file(ident: str, href: str, content: bytes, mimetype: str) -> str:
    return (f'<file ID="{ident}" MIMETYPE="{mimetype}" SIZE="{len(content)}" CREATED="{CREATED}" '
            f'CHECKSUM="{hashlib.sha256(content).hexdigest()}" CHECKSUMTYPE="SHA-256">'
            f'<FLocat LOCTYPE="URL" xlink:type="simple" xlink:href={quoteattr(href)}/></file>')


@dataclass
class CommonsIp:
    """A package as commons-ip 2.x writes one (see the module docstring)."""

    name: str = "uuid-commons-ip"
    profile: str = SIP_22
    data: dict[str, bytes] = field(default_factory=lambda: {
        "beslut.txt": b"Beslut i arende KS 2025/3.\n"})
    representation_header: str = "agentless"  # or "empty", or "full"
    title: str | None = "grp-rep1"  # mptr/@xlink:title; None: none written
    metadata: dict[str, tuple[str, bytes]] = field(default_factory=dict)  # name: (type, data)
    submitter_name: str = "Exempelstads kommun"

    def representation_mets(self) -> bytes:
        files = "".join(_file(f"f-{i}", f"data/{name}", content, "text/plain")
                        for i, (name, content) in enumerate(sorted(self.data.items())))
        header = {
            "agentless": f'<metsHdr CREATEDATE="{CREATED}" LASTMODDATE="{CREATED}" '
                         'RECORDSTATUS="NEW" csip:OAISPACKAGETYPE="SIP"/>',
            "empty": "<metsHdr/>",
            "full": f'<metsHdr CREATEDATE="{CREATED}" csip:OAISPACKAGETYPE="SIP">'
                    '<agent ROLE="CREATOR" TYPE="OTHER" OTHERTYPE="SOFTWARE"><name>commons-ip'
                    '</name><note csip:NOTETYPE="SOFTWARE VERSION">2.8.0</note></agent>'
                    "</metsHdr>",
        }[self.representation_header]
        return f"""<?xml version="1.0" encoding="UTF-8"?>
<mets {NS} OBJID="rep1" TYPE="Mixed" csip:CONTENTINFORMATIONTYPE="MIXED" PROFILE="{self.profile}">
  {header}
  <fileSec ID="rep-filesec"><fileGrp ID="rep-data" USE="Data">{files}</fileGrp></fileSec>
  <structMap ID="rep-structmap" TYPE="PHYSICAL" LABEL="CSIP">
    <div ID="rep-div" LABEL="rep1"><div ID="rep-div-data" LABEL="Data">
      <fptr FILEID="rep-data"/></div></div>
  </structMap>
</mets>
""".encode()

    def package_mets(self, representation: bytes) -> bytes:
        dmd = "".join(
            f'<dmdSec ID="dmd-{i}" CREATED="{CREATED}" STATUS="CURRENT"><mdRef LOCTYPE="URL" '
            f'MDTYPE="OTHER" OTHERMDTYPE="{kind}" xlink:type="simple" '
            f'xlink:href="metadata/descriptive/{name}" MIMETYPE="text/xml" SIZE="{len(data)}" '
            f'CREATED="{CREATED}" CHECKSUM="{hashlib.sha256(data).hexdigest()}" '
            'CHECKSUMTYPE="SHA-256"/></dmdSec>'
            for i, (name, (kind, data)) in enumerate(sorted(self.metadata.items())))
        dmdid = " ".join(f"dmd-{i}" for i in range(len(self.metadata)))
        title = f' xlink:title="{self.title}"' if self.title is not None else ""
        mets_file = _file("f-rep1-mets", "representations/rep1/METS.xml", representation,
                          "text/xml")
        return f"""<?xml version="1.0" encoding="UTF-8"?>
<mets {NS} OBJID="{self.name}" LABEL="Leverans" TYPE="Mixed"
  csip:CONTENTINFORMATIONTYPE="MIXED" PROFILE="{self.profile}">
  <metsHdr CREATEDATE="{CREATED}" LASTMODDATE="{CREATED}" RECORDSTATUS="NEW"
    csip:OAISPACKAGETYPE="SIP">
    <agent ROLE="CREATOR" TYPE="OTHER" OTHERTYPE="SOFTWARE"><name>commons-ip</name>
      <note csip:NOTETYPE="SOFTWARE VERSION">2.8.0</note></agent>
    <agent ROLE="CREATOR" TYPE="ORGANIZATION"><name>{self.submitter_name}</name>
      <note csip:NOTETYPE="IDENTIFICATIONCODE">212000-0000</note></agent>
  </metsHdr>
  {dmd}
  <fileSec ID="filesec">
    <fileGrp ID="grp-rep1" USE="Representations/rep1">{mets_file}</fileGrp>
  </fileSec>
  <structMap ID="structmap" TYPE="PHYSICAL" LABEL="CSIP">
    <div ID="div-root" LABEL="{self.name}">
      <div ID="div-metadata" LABEL="Metadata"{f' DMDID="{dmdid}"' if dmdid else ""}/>
      <div ID="div-rep1" LABEL="Representations/rep1">
        <mptr LOCTYPE="URL" xlink:type="simple" xlink:href="representations/rep1/METS.xml"{title}/>
      </div>
    </div>
  </structMap>
</mets>
""".encode()

    def build(self, root: Path) -> Path:
        package = root / self.name
        data = package / "representations" / "rep1" / "data"
        data.mkdir(parents=True)
        for name, content in self.data.items():
            (data / name).write_bytes(content)
        for name, (_kind, content) in self.metadata.items():
            target = package / "metadata" / "descriptive" / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(content)
        representation = self.representation_mets()
        (package / "representations" / "rep1" / "METS.xml").write_bytes(representation)
        (package / "METS.xml").write_bytes(self.package_mets(representation))
        return package


def _zip(members: list[tuple[str, bytes]], stored_first: bool = False) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for index, (name, content) in enumerate(members):
            member = zipfile.ZipInfo(name, date_time=(2025, 3, 1, 10, 0, 0))  # same bytes
            member.compress_type = (zipfile.ZIP_STORED if stored_first and index == 0
                                    else zipfile.ZIP_DEFLATED)
            archive.writestr(member, content)
    return buffer.getvalue()


def office_file(kind: str) -> bytes:
    """A small file of `kind`: docx, xlsx, odt, zip or plain."""
    if kind == "docx":
        return _zip([("[Content_Types].xml", b"<Types/>"),
                     ("word/document.xml", b"<w:document xmlns:w='urn:w'/>")])
    if kind == "xlsx":
        return _zip([("[Content_Types].xml", b"<Types/>"), ("xl/workbook.xml", b"<workbook/>")])
    if kind == "odt":
        return _zip([("mimetype", b"application/vnd.oasis.opendocument.text"),
                     ("content.xml", b"<office:document-content xmlns:office='urn:o'/>")],
                    stored_first=True)
    if kind == "zip":
        return _zip([("bilaga.txt", b"Bilaga.\n")])
    return b"Vanlig text.\n"


def tar_in_order(folder: Path, target: Path, mode: str, last: str) -> Path:
    """Archive `folder` with the member `last` (relative to it) written last."""
    paths = sorted(p for p in folder.rglob("*"))
    final = folder / last
    with tarfile.open(target, mode) as archive:
        archive.add(folder, arcname=folder.name, recursive=False)
        for path in [p for p in paths if p != final] + [final]:
            archive.add(path, arcname=f"{folder.name}/{path.relative_to(folder).as_posix()}",
                        recursive=False)
    return target
