"""The validator on well-formed packages: verdicts, the CLI, the report and the inventory."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile

import pytest
from django.core.management import CommandError, call_command

from diarium.archive.validation import Severity, validate_package
from diarium.archive.validation.fixity import converted_digest

from .builder import Entry, PackageSpec, build, tar_folder, zip_folder


@pytest.mark.parametrize("container", ["folder", "zip", "tar", "tar.gz"])
def test_a_valid_sip_is_valid_in_every_container(tmp_path, container):
    package = build(tmp_path / "src")
    target = {
        "folder": lambda: package,
        "zip": lambda: zip_folder(package, tmp_path / "sip-test.zip"),
        "tar": lambda: tar_folder(package, tmp_path / "sip-test.tar", mode="w"),
        "tar.gz": lambda: tar_folder(package, tmp_path / "sip-test.tar.gz"),
    }[container]()
    report = validate_package(target)
    assert report.valid, [f for f in report.findings if f.severity is Severity.ERROR]
    assert report.profile == "SIP"
    assert report.package == "sip-test"
    assert {r.path for r in report.files} == {"documentation/readme.txt",
                                             "representations/rep1/data/beslut.txt"}
    assert all(r.checksum_ok for r in report.files)
    assert all(r.puid == "x-fmt/111" for r in report.files)


def test_cli_prints_swedish_by_default_and_english_on_request(tmp_path):
    package = build(tmp_path)
    out = io.StringIO()
    call_command("archive", "validate", str(package), stdout=out)
    assert "GILTIGT" in out.getvalue()
    assert "Representationen rep1 saknar METS.xml" in out.getvalue()
    out = io.StringIO()
    call_command("archive", "validate", str(package), "--lang", "en", "--files", stdout=out)
    assert "VALID" in out.getvalue()
    assert "The representation rep1 has no METS.xml" in out.getvalue()
    assert "representations/rep1/data/beslut.txt" in out.getvalue()


def test_cli_json_report_and_exit_code_1(tmp_path):
    spec = PackageSpec(data=[Entry("representations/rep1/data/a.txt", b"x", checksum="00")])
    package = build(tmp_path, spec)
    out = io.StringIO()
    with pytest.raises(CommandError) as raised:
        call_command("archive", "validate", str(package), "--json", stdout=out)
    assert raised.value.returncode == 1
    report = json.loads(out.getvalue())
    assert report["valid"] is False
    assert report["package"] == "sip-test"
    checksum = next(f for f in report["findings"] if f["requirement"] == "CSIP71")
    assert checksum["severity"] == "ERROR"
    assert checksum["message"].startswith("representations/rep1/data/a.txt: fel kontrollsumma")
    assert "wrong checksum" in checksum["message_en"]
    assert checksum["location"].startswith("METS.xml:")
    assert {f["severity"] for f in report["findings"]} <= {"ERROR", "WARN", "INFO"}


def test_sip_rules_follow_the_declared_profile(tmp_path):
    package = build(tmp_path)
    mets = package / "METS.xml"
    mets.write_bytes(mets.read_bytes().replace(
        b"https://earksip.dilcis.eu/profile/E-ARK-SIP.xml",
        b"https://earkcsip.dilcis.eu/profile/E-ARK-CSIP.xml"))
    assert validate_package(package).profile == "CSIP"
    forced = validate_package(package, profile="sip")
    assert "SIP2" in forced.requirements(Severity.ERROR)


def test_missing_referenced_file_and_case_mismatch(tmp_path):
    spec = PackageSpec(data=[
        Entry("representations/rep1/data/missing.txt", b"x", write=False),
        Entry("representations/rep1/data/Case.txt", b"case"),
    ])
    package = build(tmp_path, spec)
    (package / "representations/rep1/data/Case.txt").rename(
        package / "representations/rep1/data/case.txt")
    report = validate_package(package)
    messages = [f.message_en for f in report.findings if f.requirement == "CSIP79"]
    assert any("not in the package" in m for m in messages)
    assert any("letter case" in m for m in messages)


def test_unreferenced_files_are_reported(tmp_path):
    package = build(tmp_path, PackageSpec(extra_files={"representations/rep1/data/extra.txt":
                                                       b"not in METS"}))
    report = validate_package(package)
    assert any(f.requirement == "CSIP58" and "extra.txt" in f.message_en
               for f in report.findings)


def test_line_ending_conversion_is_diagnosed(tmp_path):
    original = b"rad ett\r\nrad tva\r\n"
    spec = PackageSpec(data=[Entry("representations/rep1/data/a.txt", original.replace(
        b"\r\n", b"\n"), size=str(len(original)), checksum=hashlib.sha256(original).hexdigest())])
    package = build(tmp_path, spec)
    strict = validate_package(package)
    checksum = next(f for f in strict.errors if f.requirement == "CSIP71")
    assert "converted in transit" in checksum.message_en
    assert validate_package(package, tolerate_line_endings=True).valid


def test_converted_digest_handles_crlf_across_chunks():
    data = b"a" * (1 << 20) + b"\r\nb\r\n"
    size, digest = converted_digest(io.BytesIO(data), "SHA-256", to_crlf=False)
    expected = data.replace(b"\r\n", b"\n")
    assert (size, digest) == (len(expected), hashlib.sha256(expected).hexdigest())


def test_zip_without_single_root_folder_breaks_csipstr1(tmp_path):
    package = build(tmp_path / "src")
    target = tmp_path / "flat.zip"
    with zipfile.ZipFile(target, "w") as archive:
        for path in package.rglob("*"):
            if path.is_file():
                archive.write(path, path.relative_to(package).as_posix())
    report = validate_package(target)
    assert "CSIPSTR1" in report.requirements(Severity.ERROR)
