"""Hostile packages are rejected with a clear finding, never crash the validator and never
make it read or write outside the package."""

from __future__ import annotations

import hashlib
import io
import os
import tarfile
import zipfile
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from diarium.archive.validation import Severity, validate_package

from .builder import Entry, PackageSpec, build, tar_folder, zip_folder


def errors(report, requirement: str) -> list:
    return [f for f in report.findings
            if f.requirement == requirement and f.severity is Severity.ERROR]


def cli_exit_code(path: Path) -> int:
    try:
        call_command("archive", "validate", str(path), "--json", stdout=io.StringIO())
    except CommandError as exc:
        return exc.returncode
    return 0


def test_zip_slip_members_are_rejected_and_nothing_is_written(tmp_path):
    package = build(tmp_path / "src")
    absolute = tmp_path / "absolute-evil.txt"
    archive = zip_folder(package, tmp_path / "sip.zip", extra={
        "../evil.txt": b"escaped", str(absolute): b"escaped",
        "sip-test/..\\..\\win-evil.txt": b"escaped"})
    before = set(tmp_path.parent.iterdir())
    report = validate_package(archive)
    unsafe = errors(report, "SAFE-PATH")
    assert {f.location for f in unsafe} >= {"../evil.txt", str(absolute)}
    assert any("win-evil" in f.location for f in unsafe)
    assert "utanför" in unsafe[0].message or "absolut" in unsafe[0].message
    assert report.exit_code == 1
    assert set(tmp_path.parent.iterdir()) == before
    assert not absolute.exists()
    assert cli_exit_code(archive) == 1


def test_tar_path_traversal_is_rejected(tmp_path):
    package = build(tmp_path / "src")
    archive = tar_folder(package, tmp_path / "sip.tar", mode="w")
    with tarfile.open(archive, "a") as tar:
        info = tarfile.TarInfo("sip-test/../../evil.txt")
        info.size = 7
        tar.addfile(info, io.BytesIO(b"escaped"))
    report = validate_package(archive)
    assert errors(report, "SAFE-PATH")
    assert report.exit_code == 1


def test_symlinks_and_hardlinks_in_tar_are_not_followed(tmp_path):
    spec = PackageSpec(data=[Entry("representations/rep1/data/passwd.txt", b"x", write=False)])
    package = build(tmp_path / "src", spec)
    archive = tar_folder(package, tmp_path / "sip.tar.gz")
    with tarfile.open(archive, "r:gz") as source:
        members = [(m, source.extractfile(m).read() if m.isfile() else None)
                   for m in source.getmembers()]
    with tarfile.open(archive, "w:gz") as tar:
        for member, data in members:
            tar.addfile(member, io.BytesIO(data) if data is not None else None)
        link = tarfile.TarInfo("sip-test/representations/rep1/data/passwd.txt")
        link.type, link.linkname = tarfile.SYMTYPE, "/etc/passwd"
        tar.addfile(link)
        hard = tarfile.TarInfo("sip-test/documentation/shadow.txt")
        hard.type, hard.linkname = tarfile.LNKTYPE, "/etc/shadow"
        tar.addfile(hard)
    report = validate_package(archive)
    links = errors(report, "SAFE-LINK")
    assert len(links) == 2
    assert any("passwd.txt" in f.location for f in links)
    assert any("shadow.txt" in f.location for f in links)
    assert errors(report, "CSIP79")  # the METS points at the link: no such file is read
    assert report.exit_code == 1


def test_symlink_in_a_directory_package_is_not_followed(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_bytes(b"do not read me")
    spec = PackageSpec(data=[Entry("representations/rep1/data/link.txt", b"do not read me",
                                   write=False)])
    package = build(tmp_path / "src", spec)
    (package / "representations/rep1/data/link.txt").symlink_to(secret)
    report = validate_package(package)
    assert errors(report, "SAFE-LINK")
    assert errors(report, "CSIP79")
    assert all(r.path != "representations/rep1/data/link.txt" for r in report.files)


def test_hardlink_in_a_directory_package_is_rejected(tmp_path):
    outside = tmp_path / "outside.txt"
    outside.write_bytes(b"outside")
    spec = PackageSpec(data=[Entry("representations/rep1/data/hard.txt", b"outside",
                                   write=False)])
    package = build(tmp_path / "src", spec)
    os.link(outside, package / "representations/rep1/data/hard.txt")
    report = validate_package(package)
    assert errors(report, "SAFE-LINK")


def test_xml_external_entity_is_rejected(tmp_path):
    spec = PackageSpec(doctype='<!DOCTYPE mets [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n')
    package = build(tmp_path, spec)
    report = validate_package(package)
    found = errors(report, "SAFE-XML")
    assert found and "XXE" in found[0].message_en
    assert report.exit_code == 1
    assert cli_exit_code(package) == 1


def test_billion_laughs_is_rejected(tmp_path):
    entities = '<!ENTITY lol "lol">' + "".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'
        for i in range(1, 10))
    spec = PackageSpec(doctype=f"<!DOCTYPE mets [{entities}]>\n")
    package = build(tmp_path, spec)
    report = validate_package(package)
    assert errors(report, "SAFE-XML")
    assert report.exit_code == 1


@pytest.mark.parametrize("href", [
    "../outside.txt", "/etc/passwd", "file:///etc/passwd", "http://example.org/data.txt",
    "representations/rep1/../../../outside.txt",
])
def test_mets_href_outside_the_package_is_rejected(tmp_path, href):
    (tmp_path / "outside.txt").write_bytes(b"outside")
    spec = PackageSpec(data=[Entry(href, b"outside", write=False)])
    package = build(tmp_path, spec)
    report = validate_package(package)
    found = errors(report, "CSIP79")
    assert found, report.findings
    assert any(word in found[0].message_en for word in ("outside", "absolute"))
    assert all("outside" not in r.path for r in report.files)


def test_wrong_checksum_is_an_error(tmp_path):
    spec = PackageSpec(data=[Entry("representations/rep1/data/a.txt", b"original",
                                   checksum=hashlib.sha256(b"tampered").hexdigest())])
    report = validate_package(build(tmp_path, spec))
    assert "wrong checksum" in errors(report, "CSIP71")[0].message_en
    assert report.files[-1].checksum_ok is False
    assert report.exit_code == 1


def test_huge_declared_size_is_rejected(tmp_path):
    spec = PackageSpec(data=[Entry("representations/rep1/data/a.txt", b"small",
                                   size=str(10**17))])
    report = validate_package(build(tmp_path, spec))
    assert errors(report, "SAFE-SIZE")
    assert errors(report, "CSIP69")


def test_zip_bomb_member_is_not_read(tmp_path):
    archive = zip_folder(build(tmp_path / "src"), tmp_path / "sip.zip")
    with zipfile.ZipFile(archive, "a", zipfile.ZIP_DEFLATED) as target, \
            target.open("sip-test/representations/rep1/data/zeros.bin", "w",
                        force_zip64=True) as member:
        block = bytes(1 << 20)
        for _ in range(200):
            member.write(block)
    report = validate_package(archive)
    bombs = errors(report, "SAFE-SIZE")
    assert bombs and "decompression bomb" in bombs[0].message_en
    assert all("zeros.bin" not in r.path for r in report.files)


def test_truncated_zip_cannot_be_read(tmp_path):
    archive = zip_folder(build(tmp_path / "src"), tmp_path / "sip.zip")
    data = archive.read_bytes()
    archive.write_bytes(data[: len(data) // 2])
    report = validate_package(archive)
    assert report.exit_code == 2
    assert report.findings[0].requirement in {"SAFE-ARCHIVE", "PACKAGE"}
    assert cli_exit_code(archive) == 2


def test_truncated_tar_gz_cannot_be_read(tmp_path):
    spec = PackageSpec(data=[Entry("representations/rep1/data/big.bin", os.urandom(200_000),
                                   mimetype="application/octet-stream")])
    archive = tar_folder(build(tmp_path / "src", spec), tmp_path / "sip.tar.gz")
    data = archive.read_bytes()
    archive.write_bytes(data[: len(data) - 5000])
    report = validate_package(archive)
    assert report.exit_code == 2
    assert errors(report, "SAFE-ARCHIVE")


def test_zip_member_with_bad_crc_is_reported(tmp_path):
    archive = zip_folder(build(tmp_path / "src"), tmp_path / "sip.zip")
    with zipfile.ZipFile(archive) as source:
        info = source.getinfo("sip-test/documentation/readme.txt")
    data = bytearray(archive.read_bytes())
    start = info.header_offset + 30 + len(info.filename.encode())
    data[start] ^= 0xFF
    archive.write_bytes(bytes(data))
    report = validate_package(archive)
    assert report.exit_code == 2
    assert errors(report, "SAFE-ARCHIVE")


@pytest.mark.parametrize("make", ["random", "missing", "no_mets", "empty_zip"])
def test_what_is_not_a_package_exits_2(tmp_path, make):
    target = tmp_path / "thing"
    if make == "random":
        target.write_bytes(os.urandom(1000))
    elif make == "no_mets":
        target.mkdir()
        (target / "readme.txt").write_text("no METS here")
    elif make == "empty_zip":
        target = tmp_path / "empty.zip"
        zipfile.ZipFile(target, "w").close()
    report = validate_package(target)
    assert report.exit_code == 2
    assert report.findings
    assert cli_exit_code(target) == 2


def test_malformed_mets_is_invalid_not_unreadable(tmp_path):
    package = build(tmp_path)
    (package / "METS.xml").write_bytes(b"<mets><unclosed></mets>")
    report = validate_package(package)
    assert errors(report, "METS-XML")
    assert report.exit_code == 1


ERMS_HEAD = b'<erms xmlns="https://DILCIS.eu/XML/ERMS">'
HOSTILE_METADATA = {
    "xxe": b'<!DOCTYPE erms [<!ENTITY x SYSTEM "file:///etc/passwd">]>' + ERMS_HEAD
           + b"&x;</erms>",
    "external-dtd": b'<!DOCTYPE erms SYSTEM "http://example.org/erms.dtd">' + ERMS_HEAD
                    + b"</erms>",
    "entity-bomb": b"<!DOCTYPE erms [" + b"".join(
        b'<!ENTITY e%d "%s">' % (i, (b"&e%d;" % (i - 1)) * 10 if i else b"ha")
        for i in range(8)) + b"]>" + ERMS_HEAD + b"&e7;</erms>",
}


@pytest.mark.parametrize("kind", sorted(HOSTILE_METADATA))
@pytest.mark.parametrize("folder", ["metadata/descriptive", "representations/rep1/metadata"])
def test_every_metadata_xml_gets_the_safety_check(tmp_path, kind, folder):
    """Not only METS and PREMIS: an ERMS (or any) XML file in a metadata folder with XXE, an
    external DTD or an entity bomb is a SAFE-XML error."""
    path = f"{folder}/arende-{kind}.xml"
    package = build(tmp_path, PackageSpec(extra_files={path: HOSTILE_METADATA[kind]}))
    report = validate_package(package)
    assert [f for f in errors(report, "SAFE-XML") if f.location == path]
    assert cli_exit_code(package) == 1


def test_broken_metadata_xml_is_reported(tmp_path):
    path = "metadata/descriptive/ead.xml"
    package = build(tmp_path, PackageSpec(extra_files={path: b"<ead><unclosed></ead>"}))
    assert [f for f in errors(validate_package(package), "METADATA-XML") if f.location == path]
