"""Exporting closed cases as E-ARK SIPs with a CITS ERMS description (FGS Ärendehantering
2.0 inside FGS Paketstruktur 2.0).

    path = export_case_sip(case, out_dir)            # one case
    for case in closed_cases_to_export(out_dir, authority="KS"):
        export_case_sip(case, out_dir)

The ERMS document is checked against ERMS.xsd and the Schematron rules before anything is
written; a failure raises ErmsInvalid and leaves no package. A case already exported in
its current version is not written again (the same path is returned)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

from django.db.models import Q
from django.utils import timezone

from diarium.documents.services import open_content
from diarium.registry.models import Case, CaseStatus

from ..sip import Agent, PackageInfo, SipWriter
from ..sip.model import timestamp
from .case import case_erms
from .creator import organisation_number
from .history import audit_history_json
from .schema import ERMS_VERSION, ERMS_XSD, check_erms
from .source import CaseSnapshot, export_version, is_exportable, snapshot
from .state import ExportRecord, package_id, read_record, write_record
from .xml import serialise


class NotExportable(ValueError):
    """Only closed cases (and voided ones, when asked for) are delivered to the archive."""


class ContentMismatch(RuntimeError):
    """A stored file's content no longer matches its SHA-256: storage is damaged."""


def _info(snap: CaseSnapshot, objid: str, submission_agreement: str) -> PackageInfo:
    case = snap.case
    authority = case.authority
    municipality = authority.municipality
    shown = case.public_title if (case.withhold_title and case.public_title) else (
        "" if case.withhold_title else case.title)
    return PackageInfo(
        objid=objid,
        label=f"Ärende {case.diary_number}" + (f": {shown}" if shown else ""),
        archivist=Agent(authority.name, organisation_number(authority, case.diary_number)),
        submitter=Agent(municipality.name,
                        organisation_number(municipality, case.diary_number)),
        record_status="NEW" if snap.version == 1 else "REPLACEMENT",
        submission_agreement=submission_agreement,
        reference_code=case.classification_code,
    )


def _readme(snap: CaseSnapshot, objid: str) -> bytes:
    case = snap.case
    files = sum(len(d.files) for d in snap.documents)
    return (
        f"Leveranspaket {objid}\n\n"
        f"Ärende {case.diary_number} från {case.authority.name}, exporterat ur Diarium "
        f"(version {snap.version} av ärendets arkivpaket).\n"
        f"{len(snap.documents)} handlingar, {files} filer.\n\n"
        "metadata/descriptive/erms.xml     ärendet och handlingarna enligt CITS ERMS 2.1.2\n"
        "                                  (FGS Ärendehantering 2.0); appendix/@path anger\n"
        "                                  filens sökväg från paketets rot\n"
        "metadata/other/audit-history.json ärendets händelselogg med kontrollsummor\n"
        "metadata/preservation/premis.xml  PREMIS 3.0: filernas kontrollsummor och format\n"
        "representations/rep1/data/N/      filerna till handling nummer N\n"
        "representations/rep2/data/N/      deras PDF/A-versioner, där planen anger PDF/A\n"
        "schemas/                          XML-scheman som paketet använder\n"
    ).encode()


def export_case_sip(case: Case, out_dir: Path, *, as_zip: bool = False,
                    include_voided: bool = False, submission_agreement: str = "",
                    force: bool = False) -> Path:
    """Write the case's SIP into out_dir and return its path (a folder, or a .zip)."""
    out_dir = Path(out_dir)
    if not is_exportable(case, include_voided):
        raise NotExportable(f"{case.diary_number}: only closed cases are exported "
                            f"(status {case.status})")
    snap = snapshot(case)
    objid = package_id(case.pk, snap.version)
    previous = read_record(out_dir, case.pk)
    if (previous is not None and previous.objid == objid and previous.path(out_dir).exists()
            and not force):
        return previous.path(out_dir)
    tree = case_erms(snap)
    check_erms(tree, subject=case.diary_number)  # before anything is written
    info = _info(snap, objid, submission_agreement)
    total = 0
    with SipWriter(out_dir, info, as_zip=as_zip, replace=True) as sip:
        for item in snap.documents:
            for file in item.files:
                with open_content(file.content) as stream:
                    entry = sip.add_data(file.path, stream, mimetype=file.mime_type,
                                         original_name=file.name,
                                         created=timestamp(file.file.added_at),
                                         representation=file.representation)
                if entry.sha256 != file.content.sha256:
                    raise ContentMismatch(f"{case.diary_number}:{item.document.number} "
                                          f"{file.name}: stored content changed")
                total += entry.size
        sip.add_descriptive("erms.xml", serialise(tree.getroot()), other_mdtype="ERMS",
                            version=ERMS_VERSION)
        sip.add_provenance("audit-history.json", audit_history_json(snap),
                           other_mdtype="DIARIUM-AUDIT-HISTORY")
        sip.add_documentation("README.txt", _readme(snap, objid))
        sip.add_schema("ERMS.xsd", ERMS_XSD)
        path = sip.finish()
    write_record(out_dir, ExportRecord(
        case_id=str(case.pk), diary_number=case.diary_number, version=snap.version,
        objid=objid, package=path.name, format="zip" if as_zip else "folder",
        exported_at=timestamp(timezone.now()), files=sip.data_count, bytes=total))
    return path


def closed_cases_to_export(out_dir: Path, *, authority: str | None = None,
                           since: dt.date | None = None,
                           include_voided: bool = False) -> Iterator[Case]:
    """Closed (and, when asked, voided) cases whose current version has no package in
    out_dir yet, oldest first. since: closed (or voided) on or after this date."""
    statuses = [CaseStatus.CLOSED] + ([CaseStatus.VOID] if include_voided else [])
    cases = Case.objects.filter(status__in=statuses).select_related("authority")
    if authority:
        cases = cases.filter(authority__code=authority)
    if since:
        cases = cases.filter(Q(closed_at__date__gte=since) | Q(voided_at__date__gte=since))
    for case in cases.order_by("closed_at", "diary_number").iterator(chunk_size=500):
        record = read_record(out_dir, case.pk)
        if (record is not None and record.version >= export_version(case)
                and record.path(out_dir).exists()):
            continue
        yield case
