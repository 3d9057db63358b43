"""What must not be archived: a copy that cannot be written, a hostile package, formats the
agreement does not allow. A retry after a failure completes the package."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from diarium.archive import services
from diarium.archive.ingest import ingest_package
from diarium.archive.models import CopyState, Package, PackageState, StorageCopy
from diarium.archive.storage import AipStore
from diarium.core.actors import INGEST, OPERATOR
from tests import factories as f

from .builder import zip_folder
from .conftest import aip_folders, sip, stored_tree

pytestmark = pytest.mark.django_db


def fail_on(monkeypatch, method: str, location: str, times: int = 1) -> None:
    original = getattr(AipStore, method)
    left = {"n": times}

    def failing(self, *args, **kwargs):
        if self.name == location and left["n"] > 0:
            left["n"] -= 1
            raise OSError(28, "No space left on device (simulated)")
        return original(self, *args, **kwargs)

    monkeypatch.setattr(AipStore, method, failing)


def assert_complete(package, locations) -> None:
    assert package.state == PackageState.ARCHIVED, package.error
    assert StorageCopy.objects.filter(package=package, state=CopyState.VERIFIED).count() == 2
    for location in locations:
        assert len(aip_folders(location, package)) == 1
        assert not list((location / ".staging").iterdir())


def test_a_copy_that_cannot_be_written_fails_the_package_and_a_retry_completes_it(
        tmp_path, locations, agreement, monkeypatch):
    source = sip(tmp_path / "in")
    fail_on(monkeypatch, "stage", "copy-2")
    package = ingest_package(INGEST, source, agreement)
    assert package.state == PackageState.FAILED and "simulated" in package.error
    for location in locations:
        assert stored_tree(location) == []
    again = ingest_package(INGEST, source, agreement)
    assert again.pk == package.pk
    assert_complete(again, locations)


def test_a_failure_after_one_copy_is_in_place_resumes_from_it(tmp_path, locations, agreement,
                                                              monkeypatch):
    source = sip(tmp_path / "in")
    fail_on(monkeypatch, "commit", "copy-2")
    package = ingest_package(INGEST, source, agreement)
    assert package.state == PackageState.FAILED
    assert aip_folders(locations[0], package) and not aip_folders(locations[1], package)
    assert StorageCopy.objects.get(package=package, location__name="copy-1").state == \
        CopyState.VERIFIED
    # The retry does not need the source any more: the good copy is the source.
    for path in sorted(source.rglob("*"), reverse=True):
        path.unlink() if path.is_file() else path.rmdir()
    source.rmdir()
    fresh = sip(tmp_path / "in2")  # same producer package id, read only for its OBJID
    again = ingest_package(INGEST, fresh, agreement)
    assert again.pk == package.pk
    assert_complete(again, locations)
    assert Package.objects.count() == 1


def test_a_hostile_package_leaves_nothing_stored(tmp_path, locations, agreement):
    folder = sip(tmp_path / "in")
    archive = zip_folder(folder, tmp_path / "sip-test.zip",
                         extra={"../evil.txt": b"escaped", "sip-test/../../x.txt": b"x"})
    package = ingest_package(INGEST, archive, agreement)
    assert package.state == PackageState.REJECTED
    assert {"SAFE-PATH"} <= {f["requirement"] for f in package.report["findings"]
                             if f["severity"] == "ERROR"}
    for location in locations:
        assert stored_tree(location) == []
    assert not (tmp_path / "evil.txt").exists()


def test_an_unreadable_file_is_rejected_with_a_receipt(tmp_path, locations, agreement):
    junk = tmp_path / "junk.zip"
    junk.write_bytes(b"PK\x03\x04 not really a zip")
    package = ingest_package(INGEST, junk, agreement)
    assert package.state == PackageState.REJECTED and package.report["exit_code"] == 2
    for location in locations:
        assert stored_tree(location) == []


def test_formats_the_agreement_does_not_allow_are_rejected(tmp_path, locations, creator):
    strict = services.create_agreement(OPERATOR, creator, reference="LÖ-PDF", name="Endast PDF/A",
                                       producer="Diarium", allowed_formats=["fmt/95", "fmt/354"])
    package = ingest_package(INGEST, sip(tmp_path / "in"), strict)
    assert package.state == PackageState.REJECTED
    [finding] = [f for f in package.report["findings"] if f["requirement"] == "AGREEMENT"]
    assert "beslut.txt" in finding["message_en"]


def test_the_agreement_comes_from_the_package_or_must_be_named(tmp_path, locations, agreement):
    with pytest.raises(ValidationError):
        ingest_package(INGEST, sip(tmp_path / "in"))
    with pytest.raises(ValidationError):
        ingest_package(INGEST, sip(tmp_path / "in2"), "LÖ-unknown")
    package = ingest_package(INGEST, sip(tmp_path / "in3"), "LÖ-2024-1")
    assert package.state == PackageState.ARCHIVED


def test_only_the_creators_archivist_may_ingest(tmp_path, locations, agreement, authority):
    registrator = f.user(roles={authority: "registrar"})
    other = f.user(roles={f.authority("BUN"): "archivist"})
    for user in (registrator, other):
        with pytest.raises(PermissionDenied):
            ingest_package(user, sip(tmp_path / user.username), agreement)
    assert not Package.objects.exists()
