"""Validating one information package against E-ARK CSIP/SIP 2.1 or 2.2, the rule set
chosen from the profile the package declares (rules.choose)."""

from __future__ import annotations

import heapq
from collections.abc import Iterator
from dataclasses import dataclass
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
from .metadata_xml import check_metadata_xml
from .mets import MetsDocument
from .mets_reader import read_mets
from .package import Package, PackageUnreadable, open_package
from .premis import check_premis
from .report import Findings, Report
from .rules import choose

PROFILES = ("auto", "csip", "sip")
MAX_UNREFERENCED_LISTED = 10


@dataclass(frozen=True)
class Options:
    """How to validate. profile: "auto" (the rules the package declares: SIP rules for an
    E-ARK SIP profile, CSIP rules otherwise), "csip" or "sip" (forced; the version still
    follows the declared profile). strict: package-level rules are errors in representation
    METS too. keep_all: every finding in the report, not ten per requirement.
    tolerate_line_endings: a file whose checksum only matches with converted line endings
    is a warning instead of an error (for copies known to be converted, like the corpus)."""

    profile: str = "auto"
    strict: bool = False
    keep_all: bool = False
    tolerate_line_endings: bool = False
    now: datetime | None = None

    def __post_init__(self) -> None:
        if self.profile not in PROFILES:
            raise ValueError(f"profile must be one of {PROFILES}")


def validate_package(path: str | Path, profile: str = "auto", now: datetime | None = None,
                     tolerate_line_endings: bool = False, *, strict: bool = False,
                     keep_all: bool = False) -> Report:
    """Check the package at `path` (directory, ZIP or TAR). Never raises for a bad package:
    everything wrong with it is a finding in the report. The arguments: see Options."""
    options = Options(profile, strict, keep_all, tolerate_line_endings, now)
    report = Report(package=str(path))
    try:
        with open_package(path) as package:
            return validate_open_package(package, options=options)
    except PackageUnreadable as exc:
        report.findings.append(exc.finding)
        report.unreadable = True
    return report


def validate_open_package(package: Package, profile: str = "auto", *, strict: bool = False,
                          options: Options | None = None) -> Report:
    """validate_package for a package already opened with open_package (the ingest keeps
    it open to copy the files afterwards, so an archive is listed once)."""
    options = options or Options(profile, strict)
    report = Report(package=str(package.source))
    try:
        _validate(package, report, options)
    except PackageUnreadable as exc:
        report.findings.append(exc.finding)
        report.unreadable = True
    return report


def _load(ctx: Context, path: str, folder: str, on_root=None) -> MetsDocument | None:
    """The METS document at `path`, read incrementally (mets_reader: its file elements are
    checked as they are read and not kept)."""
    return read_mets(ctx, path, folder, on_root)


def _validate(package: Package, report: Report, options: Options) -> None:
    ctx = Context(package, Findings(options.keep_all))
    ctx.findings.extend(package.findings)
    report.package = package.name
    try:
        if find_root_mets(ctx) is None:
            report.unreadable = True
            return

        def choose_rules(element) -> None:
            ctx.rules = choose(element.get("PROFILE"), options.profile, options.strict)

        root = _load(ctx, "METS.xml", "", choose_rules)
        if root is None:
            return
        report.profile, report.version = ctx.rules.kind, ctx.rules.version
        report.strict = options.strict
        ctx.documents.append(root)
        check_structure(ctx, root.root.get("OBJID"))
        folders, _ = package.children("representations")
        for name in sorted(folders):
            path = f"representations/{name}/METS.xml"
            if package.exists(path):
                document = _load(ctx, path, f"representations/{name}")
                if document is not None:
                    ctx.documents.append(document)
        _check_documents(ctx, options)
        ctx.document = None
        check_metadata_folders(ctx)
        check_premis(ctx)
        check_metadata_xml(ctx)
        report.files = verify_files(ctx, options.tolerate_line_endings)
        _unreferenced(ctx)
    finally:
        report.findings.extend(ctx.findings.kept)
        report.omitted.update(ctx.findings.omitted)
        report.erms = [e for e in ctx.erms.values() if e is not None]


def _check_documents(ctx: Context, options: Options) -> None:
    for doc in ctx.documents:
        ctx.document = doc
        check_root(ctx, doc)
        check_header(ctx, doc, options.now)
        check_metadata(ctx, doc)
        check_file_section(ctx, doc)
        check_structmap(ctx, doc)
        if ctx.rules.sip:
            check_file_formats(ctx, doc)
    ctx.document = ctx.documents[0]
    if ctx.rules.sip:
        check_sip(ctx, ctx.documents[0])


def _unreferenced(ctx: Context) -> None:
    """CSIP58: every transferred file should be referenced from a METS document. Counted
    over the package's files, with the first few (by name) shown: no list of them all."""
    documents = {d.path for d in ctx.documents}
    missing_count = 0

    def unknown() -> Iterator[str]:
        nonlocal missing_count
        for path in ctx.package.files:
            if path not in ctx.referenced and path not in documents:
                missing_count += 1
                yield path

    first = heapq.nsmallest(MAX_UNREFERENCED_LISTED, unknown())
    if missing_count:
        shown = ", ".join(first)
        more = missing_count - MAX_UNREFERENCED_LISTED
        tail_sv = f" och {more} till" if more > 0 else ""
        tail_en = f" and {more} more" if more > 0 else ""
        ctx.warn("CSIP58", f"{missing_count} fil(er) i paketet refereras inte från någon "
                 f"METS.xml: {shown}{tail_sv}", f"{missing_count} file(s) in the package are "
                 f"not referenced from any METS.xml: {shown}{tail_en}", ctx.package.name)
