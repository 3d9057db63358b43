"""The METS is read incrementally (validation/mets_reader.py): file elements are checked as
they are read and dropped. The report must be what reading the whole tree gave: the same
findings in the same groups, schema errors (duplicate IDs too, which libxml2's streaming
validation misses), nothing from a document that turns out not to be well-formed."""

from __future__ import annotations

import pytest

from diarium.archive.validation import Severity, mets_reader, validate_package
from diarium.archive.validation.report import EXAMPLES

from .builder import Entry, PackageSpec, build, mets_xml


def spec_with(count: int, missing_every: int = 0) -> PackageSpec:
    data = [Entry(f"representations/rep1/data/{n // 100:02d}/f{n:05d}.txt", b"%d\n" % n,
                  write=not (missing_every and n % missing_every == 0))
            for n in range(count)]
    return PackageSpec(data=data)


def test_a_large_file_section_gives_the_same_report_and_drops_its_elements(tmp_path):
    package = build(tmp_path, spec_with(1500, missing_every=3))
    report = validate_package(package)
    (group,) = [g for g in report.groups() if g["requirement"] == "CSIP79"]
    assert group["count"] == 500 and group["shown"] == EXAMPLES
    assert [f.location.split(" ", 1)[1] for f in report.findings
            if f.requirement == "CSIP79"][:2] == ["file[@ID='file-1000']",
                                                  "file[@ID='file-1003']"]
    assert len([r for r in report.files if "/data/" in r.path]) == 1000
    assert all(r.checksum_ok for r in report.files if "/data/" in r.path)


def test_file_elements_are_not_kept_in_the_tree(tmp_path):
    from diarium.archive.validation.context import Context
    from diarium.archive.validation.package import open_package

    package = build(tmp_path, spec_with(300))
    with open_package(package) as opened:
        ctx = Context(opened)
        document = mets_reader.read_mets(ctx, "METS.xml", "")
    assert document is not None
    assert document.root.findall(".//{http://www.loc.gov/METS/}file") == []
    assert sorted(info.files for info in document.groups.values()) == [1, 300]
    assert len(ctx.expected) == 301


@pytest.mark.parametrize("small", [True, False])
def test_a_duplicate_id_is_a_schema_error_also_in_a_large_document(tmp_path, monkeypatch,
                                                                   small):
    if not small:
        monkeypatch.setattr(mets_reader, "SMALL_BYTES", 0)  # as if the METS were huge
    spec = spec_with(50)
    package = build(tmp_path, spec)
    mets = package / "METS.xml"
    mets.write_bytes(mets.read_bytes().replace(b'ID="file-1040"', b'ID="file-1041"'))
    report = validate_package(package)
    schema = [f for f in report.findings if f.requirement == "METS-XSD"]
    assert schema and all(f.severity is Severity.ERROR for f in schema)
    assert "file-1041" in schema[0].message_en and "xs:ID" in schema[0].message_en
    if small:  # re-read whole: libxml2's own message, with its line
        assert schema[0].location.startswith("METS.xml:")
    else:
        assert "used twice" in schema[0].message_en


def test_other_schema_errors_keep_their_lines_in_a_small_document(tmp_path, monkeypatch):
    package = build(tmp_path, spec_with(20))
    mets = package / "METS.xml"
    mets.write_bytes(mets.read_bytes().replace(b'SIZE="3"', b'SIZE="three"', 1))
    findings = [f for f in validate_package(package).findings if f.requirement == "METS-XSD"]
    assert findings[0].location.startswith("METS.xml:") and "three" in findings[0].message_en
    monkeypatch.setattr(mets_reader, "SMALL_BYTES", 0)
    findings = [f for f in validate_package(package).findings if f.requirement == "METS-XSD"]
    assert findings[0].location == "METS.xml" and "three" in findings[0].message_en


def test_a_truncated_mets_gives_its_one_finding_and_nothing_from_its_files(tmp_path):
    package = build(tmp_path, spec_with(200, missing_every=2))
    mets = package / "METS.xml"
    data = mets.read_bytes()
    mets.write_bytes(data[: data.index(b"</fileSec>")])
    report = validate_package(package)
    assert report.exit_code == 1
    assert {f.requirement for f in report.errors} == {"METS-XML"}
    assert report.files == []


def test_the_profile_chooses_the_rules_before_the_first_file_is_checked(tmp_path):
    """A MIMETYPE outside the IANA list is an error under 2.1 and a warning under 2.2: the
    rule set must be known when the file elements are checked, while the METS is read."""
    spec = spec_with(3)
    spec.data[0].mimetype = "text/x-not-registered"
    package = build(tmp_path, spec)

    def severities(report) -> set:
        return {f.severity for f in report.findings if "x-not-registered" in f.message_en}

    report = validate_package(package)
    assert report.version == "2.1" and severities(report) == {Severity.ERROR}
    mets = package / "METS.xml"
    mets.write_bytes(mets.read_bytes().replace(
        b"https://earksip.dilcis.eu/profile/E-ARK-SIP.xml",
        b"https://earksip.dilcis.eu/profile/E-ARK-SIP-v2-2-0.xml"))
    report = validate_package(package)
    assert report.version == "2.2" and severities(report) == {Severity.WARN}


def test_the_builder_and_the_reader_agree_on_a_valid_package(tmp_path):
    package = build(tmp_path, spec_with(10))
    assert validate_package(package).valid
    assert mets_xml(spec_with(10)).count(b"<file ") == 11
