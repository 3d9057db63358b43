"""Ingest: a valid SIP becomes an AIP with two verified copies; an invalid one is rejected
with its report as a receipt and nothing stored; a retry never duplicates."""

from __future__ import annotations

import hashlib

import pytest
from lxml import etree

from diarium.archive.aip.premis import PREMIS
from diarium.archive.ingest import ingest_package
from diarium.archive.models import (
    AIPFile,
    CopyState,
    EventType,
    Package,
    PackageState,
    PreservationEvent,
    StorageCopy,
)
from diarium.archive.validation.schema import mets_schema, premis_schema
from diarium.audit.models import AuditEvent
from diarium.core.actors import INGEST

from .conftest import aip_folders, sip, stored_tree

pytestmark = pytest.mark.django_db


def test_valid_package_is_archived_with_two_verified_copies(tmp_path, locations, agreement,
                                                            archivist):
    source = sip(tmp_path / "in", data={"beslut.txt": b"Beslut.\n", "bilaga.txt": b"Bilaga\n"})
    package = ingest_package(archivist, source, agreement)
    assert package.state == PackageState.ARCHIVED, package.error
    assert package.archived_at and package.objid == "sip-test"
    copies = StorageCopy.objects.filter(package=package)
    assert {c.state for c in copies} == {CopyState.VERIFIED} and copies.count() == 2
    inventory = {f.path: f for f in AIPFile.objects.filter(package=package)}
    assert "submission/representations/rep1/data/beslut.txt" in inventory
    assert {"METS.xml", "metadata/preservation/premis.xml", "submission/METS.xml"} <= set(
        inventory)
    assert package.file_count == len(inventory)
    for location in locations:
        [folder] = aip_folders(location, package)
        on_disk = sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())
        assert on_disk == sorted(inventory)
        for path, row in inventory.items():
            assert hashlib.sha256((folder / path).read_bytes()).hexdigest() == row.sha256
        assert not list((location / ".staging").iterdir())
    types = set(PreservationEvent.objects.filter(package=package).values_list(
        "event_type", flat=True))
    assert {EventType.VALIDATION, EventType.FIXITY_CHECK, EventType.INGESTION,
            EventType.REPLICATION} <= types
    assert AuditEvent.objects.filter(action="archive.package_archived",
                                     object_id=str(package.pk)).exists()


def test_aip_mets_and_premis_are_schema_valid(tmp_path, locations, agreement):
    package = ingest_package(INGEST, sip(tmp_path / "in"), agreement)
    [folder] = aip_folders(locations[0], package)
    mets = etree.parse(str(folder / "METS.xml"))
    assert mets_schema().validate(mets), mets_schema().error_log
    root = mets.getroot()
    assert root.get("OBJID") == f"urn:uuid:{package.id}"
    assert root.get("PROFILE") == "https://earkdip.dilcis.eu/profile/E-ARK-AIP-v2-2-0.xml"
    premis = etree.parse(str(folder / "metadata/preservation/premis.xml"))
    assert premis_schema(PREMIS).validate(premis), premis_schema(PREMIS).error_log
    ns = {"p": PREMIS}
    events = premis.findall(".//p:event", ns)
    kinds = {e.findtext("p:eventType", namespaces=ns) for e in events}
    assert kinds == {"validation", "fixity check", "ingestion"}
    ids = {e.findtext("p:eventIdentifier/p:eventIdentifierValue", namespaces=ns)
           for e in events}
    stored = {str(i) for i in PreservationEvent.objects.filter(package=package)
              .values_list("id", flat=True)}
    assert ids <= stored
    digests = {o.findtext("p:objectIdentifier/p:objectIdentifierValue", namespaces=ns):
               o.findtext(".//p:messageDigest", namespaces=ns)
               for o in premis.findall("p:object", ns)}
    row = AIPFile.objects.get(package=package,
                              path="submission/representations/rep1/data/beslut.txt")
    assert digests[row.path] == row.sha256


def test_invalid_package_is_rejected_with_receipt_and_nothing_stored(tmp_path, locations,
                                                                     agreement):
    source = sip(tmp_path / "in")
    (source / "representations/rep1/data/beslut.txt").write_bytes(b"tampered\n")
    package = ingest_package(INGEST, source, agreement)
    assert package.state == PackageState.REJECTED
    assert package.report["valid"] is False
    assert any(f["requirement"] == "CSIP71" and f["severity"] == "ERROR"
               for f in package.report["findings"])
    assert not AIPFile.objects.filter(package=package).exists()
    for location in locations:
        assert stored_tree(location) == []


def test_retry_of_an_archived_package_neither_duplicates_nor_rereads(tmp_path, locations,
                                                                      agreement):
    source = sip(tmp_path / "in")
    first = ingest_package(INGEST, source, agreement)
    before = {loc: stored_tree(loc) for loc in locations}
    again = ingest_package(INGEST, source, agreement)
    assert again.pk == first.pk and again.state == PackageState.ARCHIVED
    assert Package.objects.count() == 1
    assert {loc: stored_tree(loc) for loc in locations} == before


def test_zip_and_tar_packages_are_ingested(tmp_path, locations, agreement):
    from .builder import tar_folder, zip_folder

    zipped = zip_folder(sip(tmp_path / "z", name="sip-zip"), tmp_path / "sip-zip.zip")
    tarred = tar_folder(sip(tmp_path / "t", name="sip-tar"), tmp_path / "sip-tar.tar.gz")
    for source in (zipped, tarred):
        package = ingest_package(INGEST, source, agreement)
        assert package.state == PackageState.ARCHIVED, package.error
        assert AIPFile.objects.filter(
            package=package, path="submission/representations/rep1/data/beslut.txt").exists()



def test_a_corpus_package_is_archived_once_its_line_endings_are_restored(tmp_path, locations,
                                                                        agreement):
    """The E-ARK corpus copy has text files whose line endings were converted after their
    checksums were taken: ingest rejects that (CSIP71); restored, the package is archived."""
    import shutil

    from diarium.archive.conf import eark_data_dir
    from diarium.archive.validation import validate_package
    from tests.conftest import require

    data = eark_data_dir()
    corpus = data / "ip-test-corpus" / "corpus" if data else None
    original = corpus / "CSIP/CSIP1/valid/minimal_IP_with_1_representation" if corpus else None
    require(original is not None and original.is_dir(), "E-ARK corpus not found")
    source = tmp_path / "corpus" / original.name
    shutil.copytree(original, source)
    rejected = ingest_package(INGEST, source, agreement)
    assert rejected.state == PackageState.REJECTED
    assert any("line endings" in f["message_en"] for f in rejected.report["findings"])
    for finding in validate_package(source, tolerate_line_endings=True).findings:
        if "converted line endings" in finding.message_en:
            path = source / finding.message_en.split(":", 1)[0]
            content = path.read_bytes()
            path.write_bytes(content.replace(b"\r\n", b"\n") if b"\r" in content
                             else content.replace(b"\n", b"\r\n"))
    archived = ingest_package(INGEST, source, agreement)
    assert archived.state == PackageState.ARCHIVED, archived.report
    assert archived.pk != rejected.pk and archived.profile == "CSIP"
    assert StorageCopy.objects.filter(package=archived, state=CopyState.VERIFIED).count() == 2
