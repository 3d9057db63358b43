"""Finding 6: the container is told by its own structure. Every container kind, with a last
member of every kind: a TAR ending in a DOCX is a TAR, not that DOCX."""

from __future__ import annotations

import hashlib

import pytest

from diarium.archive.validation import validate_package
from diarium.archive.validation.containers import container_of

from .builder import Entry, PackageSpec, build, zip_folder
from .producers import office_file, tar_in_order

KINDS = {"docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
         "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
         "odt": "application/vnd.oasis.opendocument.text", "zip": "application/zip",
         "plain": "text/plain"}
CONTAINERS = {"folder": None, "zip": None, "tar": "w", "tar.gz": "w:gz", "tar.bz2": "w:bz2",
              "tar.xz": "w:xz"}


def package_ending_in(tmp_path, kind: str):
    last = f"representations/rep1/data/zz-sista.{kind if kind != 'plain' else 'txt'}"
    spec = PackageSpec(data=[
        Entry("representations/rep1/data/beslut.txt", b"Beslut.\n"),
        Entry(last, office_file(kind), mimetype=KINDS[kind])])
    return build(tmp_path / "src", spec), last


@pytest.mark.parametrize("kind", sorted(KINDS))
@pytest.mark.parametrize("container", sorted(CONTAINERS))
def test_every_container_with_every_last_member(tmp_path, container, kind):
    package, last = package_ending_in(tmp_path, kind)
    if container == "folder":
        target = package
    elif container == "zip":
        target = zip_folder(package, tmp_path / "sip-test.zip")
    else:
        target = tar_in_order(package, tmp_path / f"sip-test.{container}",
                              CONTAINERS[container], last)
        assert container_of(target) == "tar"
    report = validate_package(target)
    assert not report.unreadable, report.findings
    assert report.valid, report.errors
    checked = {r.path: r for r in report.files}
    assert checked[last].sha256 == hashlib.sha256(office_file(kind)).hexdigest()


def test_a_tar_ending_in_a_docx_is_read_as_a_tar_even_named_zip(tmp_path):
    package, last = package_ending_in(tmp_path, "docx")
    target = tar_in_order(package, tmp_path / "leverans.zip", "w", last)
    assert container_of(target) == "tar"
    assert validate_package(target).valid


def test_a_zip_is_told_by_its_end_whatever_its_name(tmp_path):
    package, _last = package_ending_in(tmp_path, "odt")
    target = zip_folder(package, tmp_path / "leverans.bin")
    assert container_of(target) == "zip"
    assert validate_package(target).valid


def test_a_gzip_that_holds_no_tar_is_not_a_package(tmp_path):
    import gzip

    target = tmp_path / "leverans.gz"
    target.write_bytes(gzip.compress(b"inte en tar"))
    report = validate_package(target)
    assert report.unreadable and report.findings[0].requirement == "PACKAGE"
