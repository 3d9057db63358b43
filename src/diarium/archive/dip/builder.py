"""Writing the DIP: an E-ARK DIP (CSIP with OAISPACKAGETYPE DIP) made with the SIP writer,
as a ZIP under <data dir>/archive/dip/, written under a temporary name and renamed into
place when complete. Every file read from the AIP is hashed while it is written and must
match the inventory, or nothing is delivered."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from diarium.archive.catalogue.describe import erms_path
from diarium.archive.catalogue.erms_reading import SUBMISSION
from diarium.archive.catalogue.reading import good_copies
from diarium.archive.conf import archive_root
from diarium.archive.erms.schema import ERMS_VERSION, ERMS_XSD
from diarium.archive.models import DipOrder, PackageDescription
from diarium.archive.sip import Agent, PackageInfo, SipWriter
from diarium.archive.sip.model import DIP_PROFILE, ERMS_CONTENT_TYPE, timestamp
from diarium.archive.sip.paths import portable_name
from diarium.documents.services import open_content

from .documentation import delivery_json, readme
from .excerpt import excerpt
from .plan import DipPlan
from .selection import split

CHUNK = 1024 * 1024


class DamagedCopy(RuntimeError):
    """A file read from the AIP does not match its inventory (run a fixity audit)."""


@dataclass
class BuiltDip:
    path: Path
    size: int
    sha256: str
    files: list[dict]  # {path, size, sha256, source}


def dip_dir() -> Path:
    return archive_root() / "dip"


def _info(order: DipOrder, with_erms: bool) -> PackageInfo:
    package = order.package
    creator = package.creator
    description = PackageDescription.objects.filter(package=package).select_related(
        "series").first()
    series = description.series if description and description.series_id else None
    return PackageInfo(
        objid=f"dip-{order.pk}", label=f"Utlämnande ur {package.label or package.objid}",
        archivist=Agent(creator.name, creator.identifier),
        submitter=Agent(creator.authority.municipality.name),
        content_information_type=ERMS_CONTENT_TYPE if with_erms else "MIXED",
        reference_code=series.code if series else "", package_type="DIP", profile=DIP_PROFILE,
        premis_events=(("dissemination", f"Delivered to {order.recipient} from AIP "
                                         f"{package.aip_id}"),))


def _masked_path(record, name: str, taken: set[str], originals: list[str]) -> tuple[str, str]:
    """(representation, relative path) for a masked copy: beside the record's first file."""
    representation, relative = split(originals[0]) if originals else ("rep1", "")
    folder = relative.rsplit("/", 1)[0] if "/" in relative else "maskerade"
    base = f"maskerad-{portable_name(name)}"
    candidate, n = f"{folder}/{base}", 1
    while candidate.casefold() in taken:
        n += 1
        candidate = f"{folder}/{n}-{base}"
    taken.add(candidate.casefold())
    return representation, candidate


def _erms_bytes(order: DipOrder, plan: DipPlan, delivered: dict[str, str],
                masked: dict[str, list[tuple[str, str, str]]]) -> bytes | None:
    if not plan.with_metadata:
        return None
    copy = good_copies(order.package)[0]
    source = erms_path(order.package, copy)
    if source is None:
        return None
    with copy.open(source) as stream:
        data = stream.read()
    return excerpt(data, keep={r.identifier for r in plan.records},
                   masked={r.identifier for r in plan.masked}, delivered=delivered,
                   masked_files=masked)


def write_dip(order: DipOrder, plan: DipPlan) -> BuiltDip:
    package = order.package
    copy = good_copies(package)[0]
    manifest: list[dict] = []
    delivered: dict[str, str] = {}
    masked: dict[str, list[tuple[str, str, str]]] = {}
    taken: set[str] = set()
    with SipWriter(dip_dir(), _info(order, plan.with_metadata), as_zip=True,
                   replace=True) as dip:
        for item in plan.files:
            representation, relative = split(item.path)
            taken.add(relative.casefold())
            with copy.open(item.path) as stream:
                entry = dip.add_data(relative, stream, mimetype=item.mime or None,
                                     original_name=relative.rsplit("/", 1)[-1],
                                     representation=representation)
            if entry.sha256 != item.sha256 or entry.size != item.size:
                raise DamagedCopy(f"{item.path} in {copy.name} does not match the inventory")
            delivered[item.path] = entry.path
            manifest.append({"path": entry.path, "size": entry.size, "sha256": entry.sha256,
                             "source": item.path[len(SUBMISSION):]})
        for record, masked_copy in plan.masked_files:
            representation, relative = _masked_path(record, masked_copy.name, taken,
                                                    record.paths)
            with open_content(masked_copy.content) as stream:
                entry = dip.add_data(relative, stream, mimetype=masked_copy.mime_type,
                                     original_name=masked_copy.name,
                                     representation=representation)
            masked.setdefault(record.identifier, []).append(
                (masked_copy.name, entry.path, entry.mimetype))
            manifest.append({"path": entry.path, "size": entry.size, "sha256": entry.sha256,
                             "source": f"masked copy of {record.identifier}"})
        erms = _erms_bytes(order, plan, delivered, masked)
        if erms is not None:
            dip.add_descriptive("erms.xml", erms, other_mdtype="ERMS", version=ERMS_VERSION)
            dip.add_schema("ERMS.xsd", ERMS_XSD)
        dip.add_provenance("delivery.json", delivery_json(order, plan, manifest, timestamp()),
                           other_mdtype="DIARIUM-DELIVERY")
        dip.add_documentation("README.txt", readme(order, plan, manifest))
        path = dip.finish()
    size, digest = _hash(path)
    return BuiltDip(path, size, digest, manifest)


def _hash(path: Path) -> tuple[int, str]:
    digest, size = hashlib.sha256(), 0
    with path.open("rb") as stream:
        while chunk := stream.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return size, digest.hexdigest()
