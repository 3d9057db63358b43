"""Archive locations in S3-compatible object storage (a moto server in its own process):
a local disk and a bucket, or two buckets. Ingest stores and verifies the copy in the
bucket, the fixity audit reads it back from the server, a damaged or missing object is
repaired from the other copy (the damaged generation set aside), large files go up in
parts, search reads text from the bucket, and disposal empties it."""

from __future__ import annotations

import hashlib
import uuid

import pytest

from diarium.archive import finding
from diarium.archive.fixity import audit
from diarium.archive.ingest import ingest_package
from diarium.archive.models import (
    CopyState,
    EventType,
    Outcome,
    PackageState,
    PreservationEvent,
    StorageCopy,
    StorageLocation,
)
from diarium.archive.storage import store_for
from diarium.core.actors import FIXITY, INGEST
from tests import factories as f
from tests.s3server import CREDENTIALS, client

from .archived import archive_closed, building_case, diarium_agreement
from .conftest import aip_folders, s3_location, sip

pytestmark = pytest.mark.django_db
DATA = "submission/representations/rep1/data/beslut.txt"


@pytest.fixture
def disk_and_bucket(settings, tmp_path, s3_endpoint, bucket):
    settings.ARCHIVE_LOCATIONS = [
        {"name": "copy-1", "path": str(tmp_path / "copy-1")},
        s3_location("copy-2", s3_endpoint, bucket, prefix="arkiv", part_size=5 << 20)]
    return tmp_path / "copy-1", bucket


@pytest.fixture
def archived(tmp_path, disk_and_bucket, agreement):
    package = ingest_package(INGEST, sip(tmp_path / "in"), agreement)
    assert package.state == PackageState.ARCHIVED, package.error
    return package


def object_key(package, relative: str) -> str:
    """The S3 key of a file of the package's published copy in copy-2."""
    group = store_for(StorageLocation.objects.get(name="copy-2")).copy(package.id)
    return group.folder + relative


def keys(endpoint: str, bucket: str) -> list[str]:
    pages = client(endpoint).get_paginator("list_objects_v2").paginate(Bucket=bucket)
    return [item["Key"] for page in pages for item in page.get("Contents", [])]


def test_ingest_stores_and_verifies_a_copy_on_disk_and_one_in_a_bucket(
        archived, disk_and_bucket, s3_endpoint):
    folder, bucket = disk_and_bucket
    assert StorageCopy.objects.filter(package=archived, state=CopyState.VERIFIED).count() == 2
    [local] = aip_folders(folder, archived)
    data = (local / DATA).read_bytes()
    stored = client(s3_endpoint).get_object(Bucket=bucket, Key=object_key(archived, DATA))
    assert stored["Body"].read() == data
    found = keys(s3_endpoint, bucket)
    assert all(k.startswith(f"arkiv/aip/{str(archived.id)[:2]}/{archived.id}/") for k in found)
    assert f"arkiv/aip/{str(archived.id)[:2]}/{archived.id}/published" in found
    row = StorageLocation.objects.get(name="copy-2")
    assert (row.kind, row.path) == ("s3", f"s3://{bucket}/arkiv/")
    assert CREDENTIALS["secret_access_key"] not in str(row.options)
    assert "secret_access_key" not in row.options and row.options["endpoint_url"]


def test_the_fixity_audit_reads_the_bucket_copy_back(archived):
    result = audit(FIXITY, location="copy-2")
    assert result.ok and result.copies == 1 and result.good == 1
    assert result.bytes_read == archived.size
    assert PreservationEvent.objects.filter(
        package=archived, event_type=EventType.FIXITY_CHECK, outcome=Outcome.SUCCESS,
        location__name="copy-2").exists()


@pytest.mark.parametrize("harm", ["changed", "missing"])
def test_a_damaged_or_missing_object_in_the_bucket_is_repaired_from_the_disk(
        archived, disk_and_bucket, s3_endpoint, harm):
    folder, bucket = disk_and_bucket
    s3 = client(s3_endpoint)
    damaged_key = object_key(archived, DATA)
    if harm == "changed":
        s3.put_object(Bucket=bucket, Key=damaged_key, Body=b"Beslut i arende KS 2024/18.\n")
    else:
        s3.delete_object(Bucket=bucket, Key=damaged_key)
    result = audit(FIXITY)
    assert len(result.damaged) == 1 and "copy-2" in result.damaged[0]
    assert f"1 {harm}: {DATA}" in result.damaged[0]
    assert result.repaired and result.ok
    assert StorageCopy.objects.get(package=archived, location__name="copy-2").state == \
        CopyState.REPAIRED
    assert PreservationEvent.objects.filter(package=archived, event_type=EventType.REPAIR,
                                            outcome=Outcome.SUCCESS).count() == 1
    [local] = aip_folders(folder, archived)
    repaired = s3.get_object(Bucket=bucket, Key=object_key(archived, DATA))["Body"].read()
    assert repaired == (local / DATA).read_bytes()
    assert object_key(archived, DATA) != damaged_key  # a new generation was published
    # The damaged generation is kept, set aside, as evidence.
    assert any("/set-aside-" in k for k in keys(s3_endpoint, bucket))
    if harm == "changed":
        assert damaged_key in keys(s3_endpoint, bucket)
    again = audit(FIXITY)
    assert again.ok and again.good == 2 and not again.damaged


def test_large_files_go_to_the_bucket_in_parts(tmp_path, disk_and_bucket, agreement,
                                               s3_endpoint):
    _folder, bucket = disk_and_bucket
    big = hashlib.sha256(b"seed").digest() * ((12 << 20) // 32)  # 12 MiB
    package = ingest_package(INGEST, sip(tmp_path / "in", data={"stor.bin": big}), agreement)
    assert package.state == PackageState.ARCHIVED, package.error
    head = client(s3_endpoint).head_object(
        Bucket=bucket, Key=object_key(package, "submission/representations/rep1/data/stor.bin"))
    assert head["ContentLength"] == len(big) and head["ETag"].strip('"').endswith("-3")


def test_two_buckets_and_an_s3_file_store(settings, tmp_path, s3_endpoint):
    """Everything in object storage: document files, both archive copies. Closed cases
    are archived, their text is found (read from a bucket, PDFs included) and a disposal
    empties both buckets."""
    s3 = client(s3_endpoint)
    buckets = [f"test-{uuid.uuid4().hex[:20]}" for _ in range(3)]
    for name in buckets:
        s3.create_bucket(Bucket=name, CreateBucketConfiguration={
            "LocationConstraint": CREDENTIALS["region"]})
    settings.FILE_STORE = s3_location("files", s3_endpoint, buckets[0])
    settings.ARCHIVE_LOCATIONS = [s3_location(f"copy-{n}", s3_endpoint, buckets[n])
                                  for n in (1, 2)]
    ks = f.series(f.authority("KS", name="Kommunstyrelsen"), "KS")
    diarium_agreement(ks.authority)
    building_case(f.user("reg", roles={ks.authority: "registrar"}), ks)
    assert any(k.startswith("sha256/") for k in keys(s3_endpoint, buckets[0]))
    [link] = archive_closed(tmp_path / "export")
    package = link.package
    assert package.state == PackageState.ARCHIVED
    assert StorageCopy.objects.filter(package=package, state=CopyState.VERIFIED).count() == 2
    archivist = f.user("ark", roles={ks.authority: "archivist"})
    for words in ("carporten", "kontrollansvarig Persson", "entresolplan"):
        hits = finding.search_packages(archivist, finding.ArchiveQuery(text=words))
        assert [p.pk for p in hits] == [package.pk], words
    for row in StorageLocation.objects.filter(name__in=["copy-1", "copy-2"]):
        assert store_for(row).dispose(package.id, reason="disposal list test")
    assert keys(s3_endpoint, buckets[1]) == keys(s3_endpoint, buckets[2]) == []
