"""Validating one information package against E-ARK CSIP 2.1 and SIP 2.1."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from .check_files import check_file_section
from .check_header import check_header, check_root
from .check_metadata import check_metadata, check_metadata_folders
from .check_sip import check_file_formats, check_sip
from .check_structmap import check_structmap
from .check_structure import check_structure, find_root_mets
from .context import Context
from .fixity_check import verify_files
from .limits import LIMITS
from .mets import MetsDocument, csip
from .package import Package, PackageUnreadable, open_package
from .premis import check_premis
from .report import Report
from .schema import mets_schema, schema_findings
from .vocabularies import CSIP_PROFILE, SIP_PROFILE
from .xmlsafe import parse_untrusted

PROFILES = ("auto", "csip", "sip")
MAX_UNREFERENCED_LISTED = 10


def validate_package(path: str | Path, profile: str = "auto", now: datetime | None = None,
                     tolerate_line_endings: bool = False) -> Report:
    """Check the package at `path` (directory, ZIP or TAR). Never raises for a bad package:
    everything wrong with it is a finding in the report.

    profile: "csip", "sip" or "auto" (SIP rules when the package declares the SIP profile, or
    is an OAIS SIP that does not declare the plain CSIP profile).
    tolerate_line_endings: a file whose checksum only matches with CRLF line endings is a
    warning instead of an error (for copies known to be converted, like the test corpus)."""
    if profile not in PROFILES:
        raise ValueError(f"profile must be one of {PROFILES}")
    report = Report(package=str(path))
    try:
        with open_package(path) as package:
            return validate_open_package(package, profile, now, tolerate_line_endings)
    except PackageUnreadable as exc:
        report.findings.append(exc.finding)
        report.unreadable = True
    return report


def validate_open_package(package: Package, profile: str = "auto", now: datetime | None = None,
                          tolerate_line_endings: bool = False) -> Report:
    """validate_package for a package already opened with open_package (the ingest keeps
    it open to copy the files afterwards, so an archive is listed once)."""
    if profile not in PROFILES:
        raise ValueError(f"profile must be one of {PROFILES}")
    report = Report(package=str(package.source))
    try:
        _validate(package, report, profile, now, tolerate_line_endings)
    except PackageUnreadable as exc:
        report.findings.append(exc.finding)
        report.unreadable = True
    return report


def _load(ctx: Context, path: str, folder: str) -> MetsDocument | None:
    parsed = parse_untrusted(ctx.package.read_bytes(path, LIMITS.max_mets_bytes), path)
    ctx.findings.extend(parsed.findings)
    if parsed.tree is None:
        return None
    ctx.findings.extend(schema_findings(mets_schema(), parsed.tree, "METS-XSD", path))
    return MetsDocument(path, folder, parsed.tree)


def _is_sip(doc: MetsDocument, profile: str) -> bool:
    if profile != "auto":
        return profile == "sip"
    declared = doc.root.get("PROFILE")
    header = doc.first(doc.root, "metsHdr")
    package_type = header.get(csip("OAISPACKAGETYPE")) if header is not None else None
    return declared == SIP_PROFILE or (package_type == "SIP" and declared != CSIP_PROFILE)


def _validate(package: Package, report: Report, profile: str, now: datetime | None,
              tolerate_line_endings: bool) -> None:
    ctx = Context(package)
    ctx.findings.extend(package.findings)
    report.package = package.name
    try:
        if find_root_mets(ctx) is None:
            report.unreadable = True
            return
        root = _load(ctx, "METS.xml", "")
        if root is None:
            return
        ctx.documents.append(root)
        check_structure(ctx, root.root.get("OBJID"))
        folders, _ = package.children("representations")
        for name in sorted(folders):
            path = f"representations/{name}/METS.xml"
            if package.exists(path):
                document = _load(ctx, path, f"representations/{name}")
                if document is not None:
                    ctx.documents.append(document)
        sip = _is_sip(root, profile)
        report.profile = "SIP" if sip else "CSIP"
        for doc in ctx.documents:
            check_root(ctx, doc)
            check_header(ctx, doc, now)
            check_metadata(ctx, doc)
            check_file_section(ctx, doc)
            check_structmap(ctx, doc)
            if sip:
                check_file_formats(ctx, doc)
        if sip:
            check_sip(ctx, root)
        check_metadata_folders(ctx)
        check_premis(ctx)
        report.files = verify_files(ctx, tolerate_line_endings)
        _unreferenced(ctx)
    finally:
        report.findings.extend(ctx.findings)


def _unreferenced(ctx: Context) -> None:
    """CSIP58: every transferred file should be referenced from a METS document."""
    known = set(ctx.referenced) | {d.path for d in ctx.documents}
    missing = sorted(p for p in ctx.package.files if p not in known)
    if missing:
        shown = ", ".join(missing[:MAX_UNREFERENCED_LISTED])
        more = len(missing) - MAX_UNREFERENCED_LISTED
        tail_sv = f" och {more} till" if more > 0 else ""
        tail_en = f" and {more} more" if more > 0 else ""
        ctx.warn("CSIP58", f"{len(missing)} fil(er) i paketet refereras inte från någon "
                 f"METS.xml: {shown}{tail_sv}", f"{len(missing)} file(s) in the package are "
                 f"not referenced from any METS.xml: {shown}{tail_en}", ctx.package.name)
