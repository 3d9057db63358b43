"""CITS ERMS export of closed cases: schema and Schematron validity, secrecy, package
validity, idempotence and export state."""

import datetime as dt
import io
import json
import zipfile
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from lxml import etree

from diarium.archive.conf import eark_data_dir
from diarium.archive.erms import (
    ErmsInvalid,
    NotExportable,
    check_erms,
    closed_cases_to_export,
    erms_problems,
    export_case_sip,
    exported_package,
)
from diarium.archive.erms import export as export_module
from diarium.archive.erms.case import case_erms
from diarium.archive.erms.schema import ERMS_NS
from diarium.archive.erms.source import snapshot
from diarium.archive.validation import Severity, validate_package
from diarium.registry import services
from diarium.registry.models import Case
from tests import factories as f
from tests.conftest import require

pytestmark = pytest.mark.django_db
NS = {"e": ERMS_NS}
SWEDISH_EXAMPLE = Path("cits-erms-and-swedish-profiles", "SvKGS-Arendehandlingar", "exempel.xml")


@pytest.fixture
def ks():
    return f.series(f.authority("KS", name="Kommunstyrelsen"), "KS")


@pytest.fixture
def reg(ks):
    return f.user("reg", roles={ks.authority: "registrar"}, first_name="Rut",
                  last_name="Registrator")


@pytest.fixture
def out(tmp_path):
    return tmp_path / "out"  # tmp_path itself holds the test's stored files


def upload(name: str, content: bytes) -> services.Upload:
    return services.Upload(io.BytesIO(content), name)


def closed_case(reg, ks, *, secret: bool = False, title: str = "Bygglov Storgatan 1"):
    case = f.case(reg, ks, title=title, classification_code="3.1",
                  public_title="Bygglov" if secret else "")
    person = services.create_party(reg, kind="person", name="Anna Andersson",
                                   identity_number="19121212-1212")
    company = services.create_party(reg, kind="organisation", name="Bygg AB",
                                    identity_number="556036-0793")
    services.add_party(reg, case, person, "sökande")
    services.add_party(reg, case, company, "ombud")
    f.document(reg, case, "Ansökan om bygglov", party=person,
               uploads=[upload("ansökan.txt", b"Jag ansoker om bygglov.\n"),
                        upload("ritning.pdf", b"%PDF-1.4\n%%EOF\n")])
    secrecy = services.Secrecy("OSL 21:1", withhold_parties=True) if secret else (
        services.Secrecy())
    f.document(reg, case, "Läkarintyg", party=person, secrecy=secrecy,
               uploads=[upload("intyg.txt", b"Intyg.\n")])
    f.document(reg, case, "Beslut", direction="outgoing", sender_recipient="Anna Andersson",
               uploads=[upload("beslut.txt", b"Beviljas.\n")])
    f.document(reg, case, "Tjänsteanteckning", direction="internal")
    return services.close_case(reg, case, "Beviljat enligt delegationsbeslut § 12.")


def test_the_swedish_example_passes_the_shipped_schema_and_rules():
    data = eark_data_dir()
    require(data is not None and (data / SWEDISH_EXAMPLE).is_file(),
            "the shared E-ARK data (Swedish ERMS example) is not present")
    assert erms_problems(etree.parse(str(data / SWEDISH_EXAMPLE))) == []


def test_case_erms_is_valid_and_maps_the_case(reg, ks):
    case = closed_case(reg, ks)
    tree = case_erms(snapshot(case))
    check_erms(tree)
    agg = tree.find("e:aggregations/e:aggregation", NS)
    assert agg.get("aggregationType") == "caseFile"
    assert agg.findtext("e:objectId", namespaces=NS) == case.diary_number
    assert agg.find("e:classification", NS).get("classificationCode") == "3.1"
    assert agg.find("e:status", NS).get("value") == "closed"
    assert {d.get("dateType") for d in agg.findall("e:dates/e:date", NS)} == {
        "created", "opened", "closed"}
    action = agg.find("e:action", NS)
    assert action.findtext("e:actionText", namespaces=NS).startswith("Beviljat")
    kinds = [a.get("agentType") for a in agg.findall("e:agents/e:agent", NS)]
    assert kinds.count("counterpart") == 2 and "other" in kinds
    records = agg.findall("e:record", NS)
    assert [r.findtext("e:objectId", namespaces=NS) for r in records] == [
        f"{case.diary_number}:{n}" for n in range(1, 5)]
    assert [r.find("e:direction", NS).get("directionDefinition") for r in records] == [
        "incoming", "incoming", "outgoing", "other"]
    paths = [a.get("path") for a in records[0].findall("e:additionalInformation/e:appendix", NS)]
    assert paths == ["representations/rep1/data/1/ansökan.txt",
                     "representations/rep1/data/1/ritning.pdf"]
    assert records[3].get("recordPhysicalOrDigital") is None


def test_personnummer_never_leaves_but_organisation_numbers_do(reg, ks):
    tree = case_erms(snapshot(closed_case(reg, ks)))
    text = etree.tostring(tree, encoding="unicode")
    assert "19121212" not in text and "121212-1212" not in text
    numbers = [n.text for n in tree.iterfind(".//e:idNumber", NS)
               if n.get("idNumberType") == "organisationsnummer"]
    assert numbers and set(numbers) == {"5560360793"}


def test_secret_documents_carry_their_restriction(reg, ks):
    case = closed_case(reg, ks, secret=True)
    tree = case_erms(snapshot(case))
    check_erms(tree)
    records = tree.findall(".//e:record", NS)
    restricted = [r for r in records if r.find("e:restriction", NS) is not None]
    assert len(restricted) == 1
    restriction = restricted[0].find("e:restriction", NS)
    assert restriction.get("restrictionType") == "confidential"
    assert restriction.findtext("e:regulation", namespaces=NS) == "OSL 21 kap. 1 §"
    assert "parter" in restriction.findtext("e:explanatoryText", namespaces=NS)
    assert restriction.find("e:dates/e:date", NS).get("dateType") == "created"
    flagged = restricted[0].findall("e:agents/e:agent[e:protectedIdentity='true']", NS)
    assert [a.findtext("e:name", namespaces=NS) for a in flagged] == ["Anna Andersson"]


def test_a_secret_case_has_its_restriction_on_the_aggregation(reg, ks):
    case = f.case(reg, ks, secrecy=services.Secrecy("OSL 26:1", withhold_title=True),
                  public_title="Ärende om bistånd")
    f.document(reg, case, "Ansökan")
    case = services.close_case(reg, case)
    tree = case_erms(snapshot(case))
    check_erms(tree)
    agg = tree.find(".//e:aggregation", NS)
    assert agg.find("e:restriction/e:regulation", NS).text == "OSL 26 kap. 1 §"
    assert agg.find("e:otherTitle", NS).get("titleType") == "public"  # as the Swedish profile


def test_a_broken_document_is_refused_with_rule_ids(reg, ks, out):
    tree = case_erms(snapshot(closed_case(reg, ks)))
    agent = tree.find(".//e:agent[@agentType='other']", NS)
    del agent.attrib["otherAgentType"]
    tree.find(".//e:aggregation", NS).set("aggregationType", "bogus")
    with pytest.raises(ErmsInvalid) as caught:
        check_erms(tree)
    assert "ERMS-XSD" in caught.value.rules
    assert "co-occurrence-constraints-6" in caught.value.rules


def test_an_invalid_erms_writes_nothing(reg, ks, out, monkeypatch):
    case = closed_case(reg, ks)

    def broken(snap):
        tree = case_erms(snap)
        tree.find(".//e:aggregation", NS).set("aggregationType", "own_aggregation_definition")
        return tree

    monkeypatch.setattr("diarium.archive.erms.export.case_erms", broken)
    with pytest.raises(ErmsInvalid) as caught:
        export_case_sip(case, out)
    assert caught.value.rules == ["co-occurrence-constraints-1"]
    assert not out.exists() or list(out.iterdir()) == []


@pytest.mark.parametrize("as_zip", [False, True])
def test_the_exported_sip_is_valid(reg, ks, out, as_zip):
    case = closed_case(reg, ks, secret=True)
    path = export_case_sip(case, out, as_zip=as_zip, submission_agreement="KS 2025/7")
    assert path.name == f"diarium-{case.pk}-v1" + (".zip" if as_zip else "")
    report = validate_package(path)
    assert report.profile == "SIP"
    assert [f for f in report.findings if f.severity is Severity.ERROR] == []
    assert len([r for r in report.files if r.path.startswith("representations/rep1/data/")]) == 4
    assert all(r.checksum_ok for r in report.files)


def test_the_package_holds_erms_audit_history_and_schemas(reg, ks, out):
    case = closed_case(reg, ks)
    path = export_case_sip(case, out, as_zip=True)
    with zipfile.ZipFile(path) as archive:
        names = set(archive.namelist())
        root = f"diarium-{case.pk}-v1/"
        assert {root + n for n in ("METS.xml", "metadata/descriptive/erms.xml",
                                   "metadata/other/audit-history.json",
                                   "metadata/preservation/premis.xml", "schemas/ERMS.xsd",
                                   "representations/rep1/METS.xml")} <= names
        erms = etree.fromstring(archive.read(root + "metadata/descriptive/erms.xml"))
        for appendix in erms.iterfind(".//e:appendix", NS):
            assert root + appendix.get("path") in names
        history = json.loads(archive.read(root + "metadata/other/audit-history.json"))
    actions = [e["action"] for e in history["events"]]
    assert actions[0] == "case.opened" and actions[-1] == "case.closed"
    assert actions.count("document.registered") == 4


def test_re_export_is_idempotent(reg, ks, out):
    case = closed_case(reg, ks)
    assert list(closed_cases_to_export(out)) == [case]
    first = export_case_sip(case, out)
    stamp = (first / "METS.xml").stat().st_mtime_ns
    assert export_case_sip(case, out) == first
    assert (first / "METS.xml").stat().st_mtime_ns == stamp
    assert list(closed_cases_to_export(out)) == []
    assert exported_package(case.pk, out).objid == f"diarium-{case.pk}-v1"
    forced = export_case_sip(case, out, force=True)
    assert forced == first and validate_package(forced).valid
    assert sorted(p.name for p in out.iterdir()) == sorted([first.name, "exported"])


def test_a_reopened_and_closed_case_gets_a_new_version(reg, ks, out):
    case = closed_case(reg, ks)
    export_case_sip(case, out)
    services.reopen_case(reg, case)
    case = services.close_case(reg, Case.objects.get(pk=case.pk), "Nytt beslut.")
    assert list(closed_cases_to_export(out)) == [case]
    path = export_case_sip(case, out)
    assert path.name.endswith("-v2")
    mets = etree.parse(str(path / "METS.xml"))
    assert mets.getroot().find("{*}metsHdr").get("RECORDSTATUS") == "REPLACEMENT"


def test_only_closed_cases_and_voided_on_request(reg, ks, out):
    open_case = f.case(reg, ks)
    voided = services.void_case(reg, f.case(reg, ks), "Felregistrerat")
    closed = closed_case(reg, ks)
    with pytest.raises(NotExportable):
        export_case_sip(open_case, out)
    with pytest.raises(NotExportable):
        export_case_sip(voided, out)
    assert list(closed_cases_to_export(out)) == [closed]
    assert set(closed_cases_to_export(out, include_voided=True)) == {closed, voided}
    path = export_case_sip(voided, out, include_voided=True)
    erms = etree.parse(str(path / "metadata/descriptive/erms.xml"))
    assert erms.find(".//e:aggregation/e:status", NS).get("value") == "obliterated"
    assert validate_package(path).valid


def test_filters_by_authority_and_date(reg, ks, out):
    case = closed_case(reg, ks)
    other = f.series(f.authority("BUN"), "BUN")
    reg2 = f.user(roles={other.authority: "registrar"})
    services.close_case(reg2, f.case(reg2, other))
    assert list(closed_cases_to_export(out, authority="KS")) == [case]
    tomorrow = dt.date.today() + dt.timedelta(days=2)
    assert list(closed_cases_to_export(out, since=tomorrow)) == []


def test_the_command_exports_what_is_new_and_reports_failures(reg, ks, out, capsys, monkeypatch):
    first, second = closed_case(reg, ks), closed_case(reg, ks, title="Andra ärendet")
    call_command("archive", "export-cases", "--authority", "KS", "--out", str(out), "--zip")
    printed = capsys.readouterr().out
    assert first.diary_number in printed and "2 case(s) exported" in printed
    assert all(validate_package(p).valid for p in out.glob("*.zip"))
    call_command("archive", "export-cases", "--out", str(out))
    assert "0 case(s) exported" in capsys.readouterr().out
    services.reopen_case(reg, second)
    services.close_case(reg, Case.objects.get(pk=second.pk))

    def broken(snap):
        tree = case_erms(snap)
        tree.find(".//e:aggregation", NS).set("aggregationType", "nonsense")
        return tree

    monkeypatch.setattr("diarium.archive.erms.export.case_erms", broken)
    with pytest.raises(CommandError) as caught:
        call_command("archive", "export-cases", "--out", str(out))
    assert caught.value.returncode == 1 and second.diary_number in str(caught.value)
    assert "ERMS-XSD" in capsys.readouterr().err


def test_a_failure_while_copying_files_leaves_no_package_and_no_marker(reg, ks, out,
                                                                        monkeypatch):
    case = closed_case(reg, ks)
    real = export_module.open_content
    calls = []

    def failing(stored):
        calls.append(stored)
        if len(calls) == 3:
            raise OSError("storage unreachable")
        return real(stored)

    monkeypatch.setattr(export_module, "open_content", failing)
    with pytest.raises(OSError, match="storage unreachable"):
        export_case_sip(case, out, as_zip=True)
    assert list(out.iterdir()) == []
    assert list(closed_cases_to_export(out)) == [case]


def test_without_a_plan_every_record_says_it_may_not_be_disposed_of(reg, ks):
    """No plan rule, no disposal decision: not disposable, and no date invented (the plan's
    rules are followed in test_erms_mapping.py)."""
    tree = case_erms(snapshot(closed_case(reg, ks)))
    check_erms(tree)
    disposals = [r.find("e:disposal", NS) for r in tree.iterfind(".//e:record", NS)]
    assert len(disposals) == 4 and None not in disposals
    case_level = tree.find(".//e:aggregation/e:disposal", NS)
    for disposal in [*disposals, case_level]:
        assert disposal.get("disposable") == "false"
        assert disposal.findtext("e:disposalAction", namespaces=NS) == "ej fastställd"
    assert [d.get("otherDisposalDateType") for d in disposals[0].find("e:dates", NS)] == [
        "case_ended"]


SCH = """<schema xmlns="http://purl.oclc.org/dsdl/schematron" queryBinding="xslt2">
  <ns uri="urn:t" prefix="t"/>
  <pattern id="p">
    <rule context="t:a[@kind = 'x']"><assert test="@n">x needs n</assert></rule>
    <rule context="t:a"><assert test="matches(@n, '^\\d+$')">n is a number</assert></rule>
    <rule context="t:b"><report test="count(t:a) gt 1" id="two">at most one a</report></rule>
  </pattern>
</schema>"""


def test_schematron_fires_the_first_matching_rule_only(tmp_path):
    from diarium.archive.erms.schematron import Schematron

    path = tmp_path / "rules.sch"
    path.write_text(SCH)
    rules = Schematron(path)
    doc = etree.ElementTree(etree.fromstring(
        '<b xmlns="urn:t"><a kind="x"/><a n="1"/><a n="z"/></b>'))
    assert sorted((f.rule, f.line) for f in rules.validate(doc)) == [
        ("p-1", 1), ("p-2", 1), ("two", 1)]


def test_schematron_refuses_what_it_cannot_evaluate(tmp_path):
    from diarium.archive.erms.schematron import Schematron, SchematronError

    path = tmp_path / "rules.sch"
    path.write_text(SCH.replace("<rule context=\"t:b\">",
                                "<rule context=\"t:b\"><let name=\"v\" value=\"1\"/>"))
    with pytest.raises(SchematronError, match="let"):
        Schematron(path)


def test_a_disposed_document_goes_as_a_registration_without_files(reg, ks, out):
    """After disposal the register entry stays and the files are gone: the export carries the
    record and leaves its files out (disposal itself is tested in test_disposal.py)."""
    from diarium.registry.models import Document, DocumentStatus

    case = closed_case(reg, ks)
    disposed = case.documents.get(number=1)
    Document.objects.filter(pk=disposed.pk).update(status=DocumentStatus.DISPOSED)
    path = export_case_sip(case, out)
    report = validate_package(path)
    assert [f for f in report.findings if f.severity is Severity.ERROR] == []
    data = [r.path for r in report.files if r.path.startswith("representations/rep1/data/")]
    assert len(data) == 2 and not any(p.startswith("representations/rep1/data/1/") for p in data)
    erms = etree.parse(str(path / "metadata" / "descriptive" / "erms.xml"))
    assert len(erms.findall(".//e:record", NS)) == 4
