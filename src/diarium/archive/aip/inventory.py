"""What the AIP is made of: its files, and what the SIP's root METS says about itself."""

from __future__ import annotations

import datetime as dt
import importlib.metadata
import uuid
from dataclasses import dataclass, field

from diarium.archive.validation.limits import LIMITS
from diarium.archive.validation.mets import csip, m, text_of
from diarium.archive.validation.package import Package, PackageUnreadable
from diarium.archive.validation.xmlsafe import parse_untrusted

SUBMISSION = "submission"  # the SIP as delivered lives in this folder of the AIP
PREMIS_PATH = "metadata/preservation/premis.xml"
METS_PATH = "METS.xml"
OBJID_MAX = 255


def software_version() -> str:
    try:
        return importlib.metadata.version("diarium")
    except importlib.metadata.PackageNotFoundError:  # pragma: no cover - not installed
        return "0"


@dataclass
class Entry:
    path: str  # relative to the AIP root
    size: int
    sha256: str
    puid: str = ""
    mime: str = ""
    format_name: str = ""
    format_version: str = ""
    role: str = "submission"


@dataclass
class SipHead:
    """The root METS attributes the AIP repeats, read before validation (cheaply)."""

    objid: str = ""
    label: str = ""
    type: str = "Mixed"
    other_type: str = ""
    content_type: str = "MIXED"
    other_content_type: str = ""
    agreement: str = ""

    @classmethod
    def read(cls, package: Package | None) -> SipHead:
        head = cls()
        if package is None or not package.exists("METS.xml"):
            return head
        try:
            parsed = parse_untrusted(package.read_bytes("METS.xml", LIMITS.max_mets_bytes), "")
        except PackageUnreadable:
            return head
        if parsed.tree is None:
            return head
        root = parsed.tree.getroot()
        if root.tag != m("mets"):
            return head
        head.objid = (root.get("OBJID") or "").strip()[:OBJID_MAX]
        head.label = (root.get("LABEL") or "").strip()[:500]
        head.type = (root.get("TYPE") or "").strip() or "Mixed"
        head.other_type = (root.get(csip("OTHERTYPE")) or "").strip()
        head.content_type = (root.get(csip("CONTENTINFORMATIONTYPE")) or "").strip() or "MIXED"
        head.other_content_type = (root.get(csip("OTHERCONTENTINFORMATIONTYPE")) or "").strip()
        header = root.find(m("metsHdr"))
        for alt in header.findall(m("altRecordID")) if header is not None else []:
            if alt.get("TYPE") == "SUBMISSIONAGREEMENT":
                head.agreement = text_of(alt)
        return head


@dataclass
class PlannedEvent:
    """A preservation event written into the AIP's PREMIS and, with the same id and time,
    recorded in the database."""

    event_type: str
    outcome: str
    detail: str
    id: uuid.UUID = field(default_factory=uuid.uuid4)
    at: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.UTC))
    # The detail as a code and figures, put in the reader's words (archive/event_text.py).
    summary: dict = field(default_factory=dict)
