"""make-sip: a folder of files plus a metadata file → an E-ARK SIP with a CITS ERMS
description (one record per file).

    path = make_sip(Path("export/"), Path("metadata.csv"), Path("out/"), as_zip=True)

Everything is checked first (metadata, source folder, the ERMS document against its schema
and Schematron rules); any problem raises MetadataError (or ErmsInvalid) listing them, and
nothing is written. See docs/make-sip.md."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from django.utils.translation import gettext as _
from lxml import etree

from diarium.archive.erms import xml
from diarium.archive.erms.schema import ERMS_VERSION, ERMS_XSD, check_erms
from diarium.archive.erms.xml import AgentData, sub
from diarium.archive.sip import Agent, PackageInfo, SipWriter
from diarium.archive.sip.model import timestamp

from .fields import FileMeta, PackageMeta, parse
from .reading import Issue, MetadataError, read_metadata
from .scan import Scanned, match, open_scanned, scan

DATA_PREFIX = "representations/rep1/data/"


def _records(package: PackageMeta, files: list[FileMeta]) -> etree._ElementTree:
    root = xml.new_document()
    xml.control(root, [("arkivbildare", package.archive_creator),
                       ("organisationsnummer", package.archive_creator_id.replace("-", "")),
                       ("leverans", package.title)],
                agency=package.submitting_organisation,
                organisation=package.submitting_organisation,
                producer_system=package.producer_system)
    records = sub(root, "records")
    for number, meta in enumerate(files, start=1):
        record = sub(records, "record", systemIdentifier=f"file-{number}",
                     recordType=meta.record_type, recordPhysicalOrDigital="digitial")
        sub(record, "objectId", meta.path)
        sub(record, "title", meta.title)
        if meta.secrecy:
            xml.restriction(record, meta.secrecy, f"Sekretess enligt {meta.secrecy}.", None)
        if meta.person_name:
            xml.agents(record, [AgentData(
                "other:data_subject", meta.person_name, id_number=meta.person_id,
                id_type="personnummer" if meta.person_id else "",
                protected=meta.protected_identity)])
        if meta.description:
            sub(record, "description", meta.description)
        xml.dates(record, [("originated", meta.date)])
        xml.appendix(sub(record, "additionalInformation"), meta.path.rsplit("/", 1)[-1],
                     DATA_PREFIX + meta.path, meta.mimetype)
    return etree.ElementTree(root)


def _info(package: PackageMeta) -> PackageInfo:
    return PackageInfo(
        objid=package.id, label=package.title,
        archivist=Agent(package.archive_creator, package.archive_creator_id),
        submitter=Agent(package.submitting_organisation, package.submitting_organisation_id),
        content_category=package.content_category,
        contact_person=package.contact_person, submission_agreement=package.submission_agreement,
        reference_code=package.reference_code, producer_system=package.producer_system)


def _readme(package: PackageMeta, files: list[FileMeta]) -> bytes:
    period = (f"{package.start_date or '…'} – {package.end_date or '…'}"
              if package.start_date or package.end_date else "")
    return (f"{package.title}\n\nArkivbildare: {package.archive_creator}\n"
            f"Levererande organisation: {package.submitting_organisation}\n"
            f"Ursprungssystem: {package.producer_system}\n"
            + (f"Period: {period}\n" if period else "")
            + f"{len(files)} filer i representations/rep1/data/, beskrivna i "
            "metadata/descriptive/erms.xml (CITS ERMS 2.1.2, en record per fil).\n").encode()


def check(source: Path, metadata: Path) -> tuple[PackageMeta, list[FileMeta],
                                                   dict[str, Scanned], etree._ElementTree]:
    """Everything make_sip checks before it writes; raises MetadataError or ErmsInvalid."""
    if not source.is_dir():
        raise MetadataError([Issue(None, None, _("The source %(s)s is not a folder.")
                                   % {"s": source})])
    data = metadata.read_bytes()
    package, files = parse(read_metadata(data, metadata.name), data)
    found, issues = scan(source)
    issues += match(files, found)
    if issues:
        raise MetadataError(issues)
    tree = _records(package, files)
    check_erms(tree, subject=metadata.name)
    return package, files, found, tree


def make_sip(source: Path, metadata: Path, out_dir: Path, *, as_zip: bool = False,
             replace: bool = False) -> Path:
    source, out_dir = Path(source), Path(out_dir)
    package, files, found, tree = check(source, Path(metadata))
    target = out_dir / (f"{package.id}.zip" if as_zip else package.id)
    if (target.exists() or target.is_symlink()) and not replace:
        raise FileExistsError(f"{target} exists (use --replace to write it again)")
    with SipWriter(out_dir, _info(package), as_zip=as_zip, replace=replace) as sip:
        for meta in files:
            item = found[meta.path]
            created = timestamp(datetime.fromtimestamp(item.mtime, UTC))
            with open_scanned(source, item) as stream:
                sip.add_data(meta.path, stream, mimetype=meta.mimetype or None,
                             original_name=meta.path.rsplit("/", 1)[-1], created=created)
        sip.add_descriptive("erms.xml", xml.serialise(tree.getroot()), other_mdtype="ERMS",
                            version=ERMS_VERSION)
        sip.add_documentation("README.txt", _readme(package, files))
        sip.add_schema("ERMS.xsd", ERMS_XSD)
        return sip.finish()
