"""Packages as current producer tools write them, and the specification's own examples: what
the specification allows is accepted, with the rule set the package declares."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import CommandError, call_command
from lxml import etree

from diarium.archive.conf import eark_data_dir
from diarium.archive.sip import Agent, PackageInfo, SipWriter
from diarium.archive.validation import Severity, validate_package
from diarium.archive.validation.report import EXAMPLES
from tests.conftest import require

from .builder import Entry, PackageSpec, build
from .producers import CommonsIp


def at(report, severity: Severity) -> set[str]:
    return report.requirements(severity)


def test_a_commons_ip_package_is_valid_under_sip_2_2(tmp_path):
    report = validate_package(CommonsIp().build(tmp_path))
    assert report.valid, report.errors
    assert (report.profile, report.version, report.rules) == ("SIP", "2.2", "E-ARK SIP 2.2")
    assert report.to_dict()["rules"] == "E-ARK SIP 2.2"


def test_mptr_title_references_the_representation_file_group(tmp_path):
    """Finding 1: the fileGrp listing a representation METS is referenced by mptr/@xlink:title
    (CSIP108), not by fptr, and is no CSIP104/CSIP119 error."""
    report = validate_package(CommonsIp().build(tmp_path))
    assert not {"CSIP104", "CSIP119", "CSIP108"} & report.requirements()


@pytest.mark.parametrize("title", [None, "no-such-group"])
def test_csip108_is_checked(tmp_path, title):
    report = validate_package(CommonsIp(title=title).build(tmp_path))
    assert "CSIP108" in at(report, Severity.ERROR)


def test_the_specifications_structmap_example_with_representations(tmp_path):
    """Finding 1 against the CSIP 2.2 profile's own fileSecExample2 and structMapExample2."""
    data = eark_data_dir()
    profile = data / "specifications/CSIP/profile/E-ARK-CSIP-v2-2-0.xml" if data else None
    require(profile is not None and profile.is_file(), "CSIP 2.2 profile not found")
    tree = etree.parse(str(profile))
    examples = {e.get("ID"): next(c for c in e if isinstance(c.tag, str))
                for e in tree.iter("{http://www.loc.gov/METS_Profile/v2}Example")}
    file_sec = etree.tostring(examples["fileSecExample2"])
    struct_map = etree.tostring(examples["structMapExample2"])
    package = build(tmp_path)
    mets = (package / "METS.xml").read_bytes()
    start, end = mets.index(b"<fileSec"), mets.index(b"</structMap>") + len(b"</structMap>")
    (package / "METS.xml").write_bytes(mets[:start] + file_sec + struct_map + mets[end:])
    for name in ("preingest", "submission", "ingest"):
        (package / "representations" / name).mkdir(parents=True)
        (package / "representations" / name / "METS.xml").write_bytes(b"<mets/>")
    report = validate_package(package)
    # The example's files are not in this package (CSIP79 and others); its structMap is right.
    assert not {"CSIP101", "CSIP104", "CSIP108", "CSIP109", "CSIP119"} & report.requirements()


def test_our_own_export_raises_no_csip101(tmp_path):
    """Finding 8: CSIP101 applies only when there is no representation METS."""
    info = PackageInfo(objid="sip-eget", label="Export",
                       archivist=Agent("Kommunstyrelsen", "212000-9994"),
                       submitter=Agent("Exempelstads kommun", "212000-9994"))
    with SipWriter(tmp_path, info) as writer:
        writer.add_data("beslut.txt", io.BytesIO(b"Beslut.\n"))
        path = writer.finish()
    report = validate_package(path)
    assert report.valid, report.errors
    assert "CSIP101" not in report.requirements()


def test_the_sip_2_2_profile_url_is_accepted_and_2_1_still_is(tmp_path):
    """Finding 3: each SIP version's own URL, with its own rules (SIP18: MAY in 2.1, MUST in
    2.2)."""
    for version, url in (("2.1", "https://earksip.dilcis.eu/profile/E-ARK-SIP.xml"),
                         ("2.2", "https://earksip.dilcis.eu/profile/E-ARK-SIP-v2-2-0.xml")):
        package = CommonsIp(name=f"v{version}", profile=url, submitter_name="").build(tmp_path)
        report = validate_package(package)
        assert (report.profile, report.version) == ("SIP", version)
        assert "SIP2" not in report.requirements()
        expected = Severity.ERROR if version == "2.2" else Severity.INFO
        assert "SIP18" in at(report, expected)


def test_auto_decides_from_the_profile_not_from_the_package_type(tmp_path):
    """Finding 3: an OAIS SIP declaring the old generic CSIP URL gets the CSIP rules, and is
    told so."""
    package = build(tmp_path)
    mets = package / "METS.xml"
    mets.write_bytes(mets.read_bytes().replace(
        b"https://earksip.dilcis.eu/profile/E-ARK-SIP.xml",
        b"https://earkcsip.dilcis.eu/profile/CSIP.xml"))
    report = validate_package(package)
    assert (report.profile, report.version) == ("CSIP", "2.1")
    assert "SIP2" not in report.requirements()
    assert any(f.requirement == "RULES" and "E-ARK CSIP 2.1" in f.message_en
               for f in report.findings)


def test_representation_mets_rules_are_warnings_unless_strict(tmp_path):
    """Finding 4: package-level rules in a representation METS (empty metsHdr, no Metadata
    division) are warnings naming the requirement and 'representation METS'; strict makes
    them errors."""
    package = CommonsIp(representation_header="empty").build(tmp_path)
    lenient = validate_package(package)
    assert lenient.valid
    relaxed = [f for f in lenient.findings if "representation METS" in f.message_en]
    assert {f.requirement for f in relaxed} >= {"CSIP7", "CSIP9", "CSIP10", "CSIP88"}
    assert {f.severity for f in relaxed} == {Severity.WARN}
    strict = validate_package(package, strict=True)
    assert not strict.valid and strict.strict
    assert at(strict, Severity.ERROR) >= {"CSIP7", "CSIP9", "CSIP10", "CSIP88"}


def test_cli_strict_flag(tmp_path):
    package = CommonsIp().build(tmp_path)
    call_command("archive", "validate", str(package), stdout=io.StringIO())
    out = io.StringIO()
    with pytest.raises(CommandError) as raised:
        call_command("archive", "validate", str(package), "--strict", "--lang", "en",
                     stdout=out)
    assert raised.value.returncode == 1
    assert "E-ARK SIP 2.2, strict" in out.getvalue()
    assert "representation METS (strict)" in out.getvalue()


@pytest.mark.parametrize("value", ["NOT_DEFINED", "E-ARK-SIP.xml", "urn:x:profile"])
def test_csip6_wants_the_url_of_a_profile(tmp_path, value):
    """Finding 5."""
    package = build(tmp_path)
    mets = package / "METS.xml"
    mets.write_bytes(mets.read_bytes().replace(
        b"https://earksip.dilcis.eu/profile/E-ARK-SIP.xml", value.encode()))
    assert "CSIP6" in at(validate_package(package), Severity.ERROR)


def test_csip62_missing_is_a_warning(tmp_path):
    """Finding 2: CSIP62 is SHOULD (0..1) in CSIP 2.1 and 2.2."""
    report = validate_package(CommonsIp().build(tmp_path))
    assert "CSIP62" in at(report, Severity.WARN)
    assert "CSIP62" not in at(report, Severity.ERROR)


def missing_files(tmp_path, count: int):
    data = [Entry(f"representations/rep1/data/{i:06d}.txt", b"x", write=False)
            for i in range(count)]
    return build(tmp_path, PackageSpec(data=data))


def test_100000_missing_files_are_one_grouped_finding(tmp_path):
    """Finding 7: one broken requirement, one group with a count and the first examples."""
    report = validate_package(missing_files(tmp_path, 100_000))
    missing = [f for f in report.findings if f.requirement == "CSIP79"]
    assert len(missing) == EXAMPLES
    (group,) = [g for g in report.groups() if g["requirement"] == "CSIP79"]
    assert group == {"requirement": "CSIP79", "severity": "ERROR", "count": 100_000,
                     "shown": EXAMPLES}
    assert report.count(Severity.ERROR) >= 100_000
    assert len(json.dumps(report.to_dict())) < 100_000  # was 34 MB


def test_all_lists_every_finding(tmp_path):
    package = missing_files(tmp_path, 3 * EXAMPLES)
    grouped = validate_package(package)
    assert grouped.omitted[("CSIP79", Severity.ERROR)] == 2 * EXAMPLES
    assert len(validate_package(package, keep_all=True).findings) > 3 * EXAMPLES
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("archive", "validate", str(package), "--lang", "en", stdout=out)
    assert f"and {2 * EXAMPLES} more of the same kind" in out.getvalue()
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("archive", "validate", str(package), "--json", "--all", stdout=out)
    listed = [f for f in json.loads(out.getvalue())["findings"] if f["requirement"] == "CSIP79"]
    assert len(listed) == 3 * EXAMPLES
