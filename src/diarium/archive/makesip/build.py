"""make-sip: a folder of files plus a metadata file → an E-ARK SIP with a CITS ERMS
description (one record per file).

    path = make_sip(Path("export/"), Path("metadata.csv"), Path("out/"), as_zip=True)

Everything is checked first (metadata, source folder, the ERMS document against its schema
and Schematron rules); any problem raises MetadataError listing them, and nothing is
written. See docs/make-sip.md.

It streams: the metadata is read one row at a time, each row checked and turned into its ERMS
record at once (records are checked and serialised in batches into a temporary file,
records.RecordWriter); the files are then copied in one pass that hashes them and writes
their METS and PREMIS entries in batches (sip.SipWriter). What is kept per file is its path,
its declared media type and what the scan of the source folder found (a few hundred bytes),
never a tree of all files."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import BinaryIO

from django.utils.translation import gettext as _

from diarium.archive.erms.schema import ERMS_VERSION, ERMS_XSD
from diarium.archive.sip import Agent, PackageInfo, SipWriter
from diarium.archive.sip.model import timestamp
from diarium.archive.sip.paths import name_warning

from .fields import PackageMeta, file_meta, package_meta
from .reading import Issue, MetadataError, open_metadata
from .records import RecordWriter, erms_tree
from .scan import Scanned, SourceFiles, scan

__all__ = ["Plan", "check", "erms_tree", "make_sip"]


def _info(package: PackageMeta) -> PackageInfo:
    return PackageInfo(
        objid=package.id, label=package.title,
        archivist=Agent(package.archive_creator, package.archive_creator_id),
        submitter=Agent(package.submitting_organisation, package.submitting_organisation_id),
        content_category=package.content_category,
        contact_person=package.contact_person, submission_agreement=package.submission_agreement,
        reference_code=package.reference_code, producer_system=package.producer_system)


def _readme(package: PackageMeta, count: int) -> bytes:
    period = (f"{package.start_date or '…'} – {package.end_date or '…'}"
              if package.start_date or package.end_date else "")
    return (f"{package.title}\n\nArkivbildare: {package.archive_creator}\n"
            f"Levererande organisation: {package.submitting_organisation}\n"
            f"Ursprungssystem: {package.producer_system}\n"
            + (f"Period: {period}\n" if period else "")
            + f"{count} filer i representations/rep1/data/, beskrivna i "
            "metadata/descriptive/erms.xml (CITS ERMS 2.1.2, en record per fil).\n").encode()


@dataclass
class Plan:
    """What the checks found, ready to be written: the files in metadata order as (path,
    declared media type), what the scan found of each, the ERMS document (checked, in a
    temporary file) and the warnings."""

    package: PackageMeta
    files: list[tuple[str, str]]
    found: dict[str, Scanned]
    erms: BinaryIO
    warnings: list[Issue] = field(default_factory=list)

    def close(self) -> None:
        self.erms.close()


def check(source: Path, metadata: Path) -> Plan:
    """Everything make_sip checks before it writes; MetadataError lists every problem: those
    of the metadata when there are any, else those of the source folder."""
    source = Path(source)
    if not source.is_dir():
        raise MetadataError([Issue(None, None, _("The source %(s)s is not a folder.")
                                   % {"s": source})])
    erms = tempfile.TemporaryFile()  # noqa: SIM115 (closed by Plan.close or below)
    try:
        with open_metadata(Path(metadata)) as meta:
            package, issues = package_meta(meta)
            found, folder_issues = scan(source)
            plan = Plan(package, [], found, erms)
            records = RecordWriter(package, erms)
            _read_rows(meta.rows, plan, records, issues, folder_issues)
            issues += meta.issues
        if not issues and not folder_issues:
            records.finish()
            issues += records.issues
        if issues or folder_issues:
            raise MetadataError(issues or folder_issues)
        erms.seek(0)
        return plan
    except BaseException:
        erms.close()
        raise


def _read_rows(rows, plan: Plan, records: RecordWriter, issues: list[Issue],
               folder_issues: list[Issue]) -> None:
    """Check each file row (problems in `issues`), match it with the scan (problems in
    `folder_issues`) and, while there is no problem at all, turn it into its ERMS record."""
    seen: dict[str, int] = {}  # case-folded path -> row
    unmatched = set(plan.found)
    count = 0
    for row, values in rows:
        count += 1
        meta = file_meta(row, values, plan.package, issues)
        if meta is None:
            continue
        key = meta.path.casefold()
        if key in seen:
            issues.append(Issue(meta.row, "path", _("The path is also given on row %(r)s.")
                                % {"r": seen[key]}))
        else:
            seen[key] = meta.row
        if meta.path in plan.found:
            unmatched.discard(meta.path)
        else:
            folder_issues.append(Issue(meta.row, "path", _(
                "%(p)s is not a file in the source folder.") % {"p": meta.path}))
        if (warning := name_warning(meta.path)) is not None:
            plan.warnings.append(Issue(meta.row, "path", warning))
        if not issues and not folder_issues:
            records.add(meta)
            plan.files.append((meta.path, meta.mimetype))
    if not count:
        issues.append(Issue(None, None, _("The metadata lists no files.")))
    for path in sorted(unmatched):
        folder_issues.append(Issue(None, "path", _(
            "%(p)s is in the source folder but not in the metadata.") % {"p": path}))


def make_sip(source: Path, metadata: Path, out_dir: Path, *, as_zip: bool = False,
             replace: bool = False, warn: Callable[[Issue], None] | None = None) -> Path:
    """The package's path. `warn` is called with each warning (a file name with invisible
    characters that can disguise it) before anything is written."""
    source, out_dir = Path(source), Path(out_dir)
    plan = check(source, Path(metadata))
    try:
        for warning in plan.warnings:
            if warn is not None:
                warn(warning)
        package = plan.package
        target = out_dir / (f"{package.id}.zip" if as_zip else package.id)
        if (target.exists() or target.is_symlink()) and not replace:
            raise FileExistsError(_("%(p)s exists (use --replace to write it again).")
                                  % {"p": target})
        with SipWriter(out_dir, _info(package), as_zip=as_zip, replace=replace) as sip, \
                SourceFiles(source) as files:
            sip.add_descriptive("erms.xml", plan.erms, other_mdtype="ERMS",
                                version=ERMS_VERSION)
            for path, mimetype in plan.files:
                stream, modified = files.open(plan.found.pop(path))
                with stream:
                    sip.add_data(path, stream, mimetype=mimetype or None,
                                 original_name=path.rsplit("/", 1)[-1],
                                 created=timestamp(datetime.fromtimestamp(modified, UTC)))
            sip.add_documentation("README.txt", _readme(package, len(plan.files)))
            sip.add_schema("ERMS.xsd", ERMS_XSD)
            return sip.finish()
    finally:
        plan.close()
