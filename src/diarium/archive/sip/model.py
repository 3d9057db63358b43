"""What a SIP says about itself (the METS header) and about each file in it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib import metadata

from diarium.archive.validation.formats import Format

SIP_PROFILE = "https://earksip.dilcis.eu/profile/E-ARK-SIP.xml"
DIP_PROFILE = "https://earkdip.dilcis.eu/profile/E-ARK-DIP.xml"
ERMS_CONTENT_TYPE = "citserms_v2_1"
REPRESENTATION = "rep1"


def software_version() -> str:
    try:
        return metadata.version("diarium")
    except metadata.PackageNotFoundError:
        return "0.1.0"


def timestamp(moment: datetime | None = None) -> str:
    """xs:dateTime in UTC, to the second."""
    moment = moment or datetime.now(UTC)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


@dataclass(frozen=True)
class Agent:
    """An organisation or person in the METS header. identification: an organisation
    number or other code (written as a note typed IDENTIFICATIONCODE)."""

    name: str
    identification: str = ""


@dataclass
class PackageInfo:
    objid: str
    label: str
    archivist: Agent  # the archival creator (arkivbildare)
    submitter: Agent  # the submitting organisation (levererande organisation)
    content_category: str = "Mixed"
    content_information_type: str = ERMS_CONTENT_TYPE
    record_status: str = "NEW"
    contact_person: str = ""
    preservation: Agent | None = None
    submission_agreement: str = ""
    reference_code: str = ""
    producer_system: str = ""  # the system the records come from, when not Diarium itself
    software_name: str = "Diarium"
    # The same writer makes dissemination packages: package_type "DIP", profile DIP_PROFILE.
    package_type: str = "SIP"
    profile: str = SIP_PROFILE
    premis_events: tuple[tuple[str, str], ...] = ()  # (type, detail) after the writer's own
    software_version: str = field(default_factory=software_version)
    created: datetime = field(default_factory=lambda: datetime.now(UTC))


@dataclass(frozen=True)
class FileEntry:
    """A file written into the package, with what its METS and PREMIS entries need."""

    path: str  # relative to the package root
    size: int
    sha256: str
    mimetype: str
    format: Format
    created: str  # xs:dateTime
    original_name: str = ""
    ident: str = ""  # the METS file/@ID

    def href_from(self, folder: str) -> str:
        """The path as seen from a METS document in `folder` ("" for the package root)."""
        prefix = f"{folder}/" if folder else ""
        return self.path[len(prefix):] if prefix and self.path.startswith(prefix) else self.path
