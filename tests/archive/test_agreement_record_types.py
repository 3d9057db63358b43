"""A submission agreement that lists record types admits packages whose CITS ERMS records
are of those types only; one that lists none admits any. The check fails closed: the ERMS
documents are found from the METS (whatever their name), read with the safe parser, and a
package whose ERMS cannot be read, or that has none, is refused."""

import hashlib
import re
from pathlib import Path

import pytest

from diarium.archive.erms import export_case_sip
from diarium.archive.ingest.service import ingest_package
from diarium.archive.models import PackageState
from diarium.core.actors import INGEST
from diarium.registry import services
from tests import factories as f
from tests.registry.plan_world import register, world

from .archived import diarium_agreement
from .builder import PackageSpec, build
from .producers import CommonsIp

pytestmark = pytest.mark.django_db


@pytest.fixture
def sip(locations, tmp_path):
    w = world()
    case = f.case(w.registrator, w.ks, title="Yttrande över detaljplan")
    register(w.registrator, case, "Yttrande")
    register(w.registrator, case, "Kvitto")
    case = services.close_case(w.registrator, case, "Klart.")
    return w, export_case_sip(case, tmp_path / "out")


def findings(package, requirement: str = "AGREEMENT") -> list[dict]:
    return [x for x in package.report["findings"] if x["requirement"] == requirement]


def only_kvitto(w, reference: str = "LÖ-KS-KVITTON"):
    agreement = diarium_agreement(w.ks.authority, reference)
    agreement.record_types.set([w.rule("Kvitto").record_type])
    return agreement


def replace_erms(package: Path, content: bytes, name: str = "erms.xml") -> None:
    """Put `content` in place of the package's ERMS file, under `name`, and keep its METS
    reference (href, SIZE, CHECKSUM) true, so only the ERMS content is in question."""
    old = package / "metadata" / "descriptive" / "erms.xml"
    old.unlink()
    (package / "metadata" / "descriptive" / name).write_bytes(content)
    mets = package / "METS.xml"
    text = mets.read_text(encoding="utf-8")
    pattern = re.compile(r"<mdRef[^>]*metadata/descriptive/erms\.xml[^>]*>")
    (reference,) = pattern.findall(text)
    updated = re.sub(r'SIZE="\d+"', f'SIZE="{len(content)}"', reference)
    updated = re.sub(r'CHECKSUM="[0-9a-fA-F]+"',
                     f'CHECKSUM="{hashlib.sha256(content).hexdigest()}"', updated)
    updated = re.sub(r'CHECKSUMTYPE="[^"]+"', 'CHECKSUMTYPE="SHA-256"', updated)
    updated = updated.replace("metadata/descriptive/erms.xml", f"metadata/descriptive/{name}")
    mets.write_text(text.replace(reference, updated), encoding="utf-8")


def erms_of(package: Path) -> bytes:
    return (package / "metadata" / "descriptive" / "erms.xml").read_bytes()


def test_a_record_type_outside_the_agreement_is_refused(sip):
    w, path = sip
    package = ingest_package(INGEST, path, only_kvitto(w))
    assert package.state == PackageState.REJECTED
    (finding,) = findings(package)
    assert finding["severity"] == "ERROR" and "Yttrande" in finding["message"]
    assert "Kvitto" not in finding["message"].split("(")[0]


def test_an_agreement_covering_every_record_type_admits_the_package(sip):
    w, path = sip
    agreement = diarium_agreement(w.ks.authority, "LÖ-KS-BÅDA")
    agreement.record_types.set([w.rule(n).record_type for n in ("Kvitto", "Yttrande")])
    package = ingest_package(INGEST, path, agreement)
    assert package.state == PackageState.ARCHIVED
    assert findings(package) == []


def test_a_renamed_erms_file_is_found_from_the_mets(sip):
    w, path = sip
    replace_erms(path, erms_of(path), name="arendeakt.xml")
    package = ingest_package(INGEST, path, only_kvitto(w))
    assert package.state == PackageState.REJECTED
    (finding,) = findings(package)
    assert "Yttrande" in finding["message"]
    assert finding["location"] == "metadata/descriptive/arendeakt.xml"


def test_an_erms_file_with_a_harmless_internal_dtd_is_still_checked(sip):
    w, path = sip
    content = erms_of(path)
    declaration, rest = content.split(b"?>", 1)
    replace_erms(path, declaration + b"?><!DOCTYPE erms [<!ELEMENT erms ANY>]>" + rest)
    package = ingest_package(INGEST, path, only_kvitto(w))
    assert package.state == PackageState.REJECTED
    assert any("Yttrande" in x["message"] for x in findings(package))


def test_an_erms_file_with_an_entity_cannot_be_read_and_is_refused(sip):
    w, path = sip
    declaration, rest = erms_of(path).split(b"?>", 1)
    replace_erms(path, declaration + b'?><!DOCTYPE erms [<!ENTITY k "Exempelstad">]>' + rest)
    package = ingest_package(INGEST, path, only_kvitto(w))
    assert package.state == PackageState.REJECTED
    assert [x for x in findings(package, "SAFE-XML")
            if x["location"] == "metadata/descriptive/erms.xml"]
    assert any("cannot be read" in x["message_en"] for x in findings(package))


def test_a_package_without_erms_is_refused_under_an_agreement_with_record_types(locations,
                                                                                 tmp_path):
    w = world()
    package = ingest_package(INGEST, build(tmp_path), only_kvitto(w))
    assert package.state == PackageState.REJECTED
    assert any("no CITS ERMS" in x["message_en"] for x in findings(package))


def test_an_agreement_without_record_types_admits_a_package_without_erms(locations, tmp_path):
    w = world()
    agreement = diarium_agreement(w.ks.authority, "LÖ-KS-ALLT")
    package = ingest_package(INGEST, build(tmp_path), agreement)
    assert package.state == PackageState.ARCHIVED


def test_ingest_honours_the_agreements_strict_representation_setting(locations, tmp_path):
    """Finding 4: an agreement can make package-level rules errors in representation METS."""
    w = world()
    lenient = diarium_agreement(w.ks.authority, "LÖ-KS-COMMONS")
    accepted = ingest_package(INGEST, CommonsIp(name="lenient").build(tmp_path), lenient)
    assert accepted.state == PackageState.ARCHIVED
    strict = diarium_agreement(w.ks.authority, "LÖ-KS-STRIKT")
    strict.strict_representations = True
    strict.save()
    refused = ingest_package(INGEST, CommonsIp(name="strict").build(tmp_path), strict)
    assert refused.state == PackageState.REJECTED
    assert refused.report["strict"] is True
    assert any(x["requirement"] == "CSIP10" and x["severity"] == "ERROR"
               for x in refused.report["findings"])


def test_ingest_refuses_hostile_metadata_xml_under_any_agreement(locations, tmp_path):
    """The metadata safety check holds at ingest too, whatever the agreement lists."""
    w = world()
    hostile = (b'<!DOCTYPE erms [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
               b'<erms xmlns="https://DILCIS.eu/XML/ERMS">&x;</erms>')
    package = build(tmp_path, PackageSpec(extra_files={"metadata/descriptive/erms.xml":
                                                       hostile}))
    refused = ingest_package(INGEST, package, diarium_agreement(w.ks.authority, "LÖ-KS-ALLT"))
    assert refused.state == PackageState.REJECTED
    assert [x for x in findings(refused, "SAFE-XML")
            if x["location"] == "metadata/descriptive/erms.xml"]
