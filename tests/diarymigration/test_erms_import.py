"""Bringing cases in from CITS ERMS packages: the round trip through Diarium's own export
(a closed case exported, the registry emptied, the package brought in: the same numbers,
titles, dates, markings and files), a damaged file refused, and the Swedish profile's
example as another system delivers it."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import shutil
import zipfile
from pathlib import Path

import pytest
from django.utils import timezone

from diarium.archive.conf import eark_data_dir
from diarium.archive.erms import export_case_sip
from diarium.audit.selectors import verify_chains
from diarium.core.actors import DIARY_MIGRATION
from diarium.diarymigration import mapping as mappings
from diarium.diarymigration.importing import import_diary
from diarium.documents.models import StoredFile
from diarium.registry import services
from diarium.registry.models import (
    Case,
    CaseParty,
    CaseStatus,
    DiaryCounter,
    Document,
    DocumentFile,
    InboxItem,
    Party,
)
from diarium.search.models import SearchEntry
from tests import factories as f
from tests.conftest import require
from tests.registry.plan_world import world

pytestmark = pytest.mark.django_db
SWEDISH_EXAMPLE = Path("cits-erms-and-swedish-profiles", "SvKGS-Arendehandlingar", "exempel.xml")


def upload(name: str, content: bytes) -> services.Upload:
    return services.Upload(io.BytesIO(content), name)


def closed_case(w) -> Case:
    reg = w.registrator
    case = f.case(reg, w.ks, "Bygglov för förråd på Storgatan 1", public_title="Bygglov")
    person = services.create_party(reg, kind="person", name="Anna Andersson",
                                   identity_number="19121212-1212")
    company = services.create_party(reg, kind="organisation", name="Bygg AB",
                                    identity_number="556036-0793")
    services.add_party(reg, case, person, "sökande")
    services.add_party(reg, case, company, "ombud")
    f.document(reg, case, "Ansökan om bygglov", record_type="Yttrande",
               sender_recipient="Anna Andersson",
               uploads=[upload("ansökan.txt", "Jag ansöker om bygglov.\n".encode()),
                        upload("ritning.pdf", b"%PDF-1.4 ritning\n%%EOF\n")])
    f.document(reg, case, "Läkarintyg", secrecy=services.Secrecy(
        "OSL 25:1", dt.date(2026, 1, 5), withhold_parties=True),
        uploads=[upload("intyg.txt", b"Intyg.\n")])
    f.document(reg, case, "Beslut", direction="outgoing", sender_recipient="Bygg AB",
               uploads=[upload("beslut.txt", b"Beviljas.\n")])
    wrong = f.document(reg, case, "Felaktig anteckning", direction="internal")
    services.void_document(reg, wrong, "Registrerad i fel ärende")
    return services.close_case(reg, case, "Beviljat enligt delegationsbeslut § 12.")


def facts(case: Case) -> dict:
    """What must survive the round trip."""
    docs = []
    for doc in Document.objects.filter(case=case).order_by("number"):
        docs.append({
            "number": doc.number, "title": doc.title, "direction": doc.direction,
            "status": doc.status, "document_date": doc.document_date,
            "registered_at": doc.registered_at.replace(microsecond=0),
            "record_type": doc.rule.name if doc.rule else "",
            "disposal": (doc.disposal_outcome, doc.disposal_date),
            "sender_recipient": doc.sender_recipient, "void_reason": doc.void_reason,
            "secrecy": (doc.secrecy_provision, doc.secrecy_marked_on, doc.withhold_title,
                        doc.withhold_parties, doc.withhold_files),
            "files": sorted((x.original_name, x.content.sha256, x.size, x.mime_type)
                            for x in doc.files.select_related("content")),
        })
    return {
        "diary_number": case.diary_number, "series": case.series.code, "year": case.year,
        "number": case.number, "title": case.title, "public_title": case.public_title,
        "status": case.status, "opened_at": case.opened_at.replace(microsecond=0),
        "closed_at": case.closed_at.replace(microsecond=0),
        "closing_note": case.closing_note,
        "responsible_officer": case.responsible_officer_id,
        "secrecy": (case.secrecy_provision, case.withhold_title),
        "parties": sorted((link.party.name, link.role, link.party.kind,
                           link.party.identity_number if link.party.kind == "organisation"
                           else "")
                          for link in CaseParty.objects.filter(case=case)
                          .select_related("party")),
        "documents": docs,
    }


def wipe_registry() -> None:
    """Empty the registry's tables through the ORM: the second installation."""
    SearchEntry.objects.filter(kind="registry").delete()
    DocumentFile.objects.all().delete()
    InboxItem.objects.all().delete()
    Document.objects.all().delete()
    CaseParty.objects.all().delete()
    for case in Case.objects.all():
        case.related_cases.clear()
        case.access_group.clear()
    Case.objects.all().delete()
    Party.objects.all().delete()
    DiaryCounter.objects.all().delete()
    StoredFile.objects.all().delete()


@pytest.mark.parametrize("as_zip", [True, False], ids=["zip", "folder"])
def test_a_closed_case_comes_back_from_diariums_own_export(settings, tmp_path, as_zip):
    w = world()
    case = closed_case(w)
    before = facts(case)
    package = export_case_sip(case, tmp_path / "export", as_zip=as_zip)

    wipe_registry()
    # The other installation stores its files elsewhere: each one is written anew.
    settings.FILE_STORE = {"kind": "filesystem", "path": str(tmp_path / "other-files")}
    report = import_diary(DIARY_MIGRATION, package, mappings.Mapping())
    assert report.ok, report.sorted_issues()
    assert report.brought_in == {"cases": 1, "documents": 4, "parties": 2, "files": 4}

    back = Case.objects.get()
    assert back.pk != case.pk and back.migrated_from == "Diarium"
    after = facts(back)
    assert after == before
    for doc in Document.objects.filter(case=back):
        for file in doc.files.select_related("content"):
            stored = (tmp_path / "other-files").rglob(file.content.sha256)
            path = next(stored)
            assert hashlib.sha256(path.read_bytes()).hexdigest() == file.content.sha256
    counter = DiaryCounter.objects.get(series=w.ks, year=back.year)
    assert counter.migrated_last == back.number
    assert all(broken is None for _chain, broken in verify_chains())

    # Brought in again: nothing twice. And the case brought in can be delivered again.
    again = import_diary(DIARY_MIGRATION, package, mappings.Mapping())
    assert again.ok and again.skipped_cases == 1 and Case.objects.count() == 1
    assert export_case_sip(back, tmp_path / "again").exists()


def test_a_damaged_file_in_a_package_is_refused(tmp_path):
    w = world()
    case = closed_case(w)
    package = export_case_sip(case, tmp_path / "export")
    damaged = package / "representations" / "rep1" / "data" / "3" / "beslut.txt"
    damaged.write_bytes(b"Avslas.\n")  # same size, other content
    wipe_registry()
    report = import_diary(DIARY_MIGRATION, package, mappings.Mapping())
    assert not report.ok and not Case.objects.exists()
    (issue,) = report.sorted_issues()
    assert issue.file.endswith("metadata/descriptive/erms.xml") and issue.row
    assert "representations/rep1/data/3/beslut.txt does not match" in issue.message


def test_a_folder_of_packages_and_a_missing_series(tmp_path):
    w = world()
    first = closed_case(w)
    second = services.close_case(w.registrator, f.case(w.registrator, w.ks, "Andra"), "")
    out = tmp_path / "export"
    export_case_sip(first, out, as_zip=True)
    export_case_sip(second, out)
    shutil.rmtree(out / "exported")  # the export's own bookkeeping is no package
    wipe_registry()
    report = import_diary(DIARY_MIGRATION, out, mappings.Mapping(), dry_run=True)
    assert report.ok and report.new_cases == 2
    renamed = mappings.Mapping(codes={"series": {"ks": "KSX"}})
    report = import_diary(DIARY_MIGRATION, out, renamed)
    assert {(i.column, i.message.split(";")[0]) for i in report.issues} == {
        ("objectId", "There is no diary series KSX in Diarium")}
    assert report.errors == 2


def test_the_swedish_example_as_another_system_delivers_it(tmp_path):
    data = eark_data_dir()
    require(data is not None and (data / SWEDISH_EXAMPLE).is_file(),
            "the shared E-ARK data (Swedish ERMS example) is not present")
    folder = tmp_path / "p360"
    folder.mkdir()
    shutil.copy(data / SWEDISH_EXAMPLE, folder / "exempel.xml")
    parish = f.series(f.authority("KR", name="Kyrkorådet"), "F")
    mapping = mappings.Mapping(codes={"record_type": {"ärendedokument": ""}})

    report = import_diary(DIARY_MIGRATION, folder / "exempel.xml", mapping)
    (missing,) = [i for i in report.issues if i.severity == "error"]
    assert (missing.file, missing.column) == ("exempel.xml",
                                              "additionalInformation/appendix/@path")
    assert "filer/ansökan.pdf" in missing.message and missing.row == 258

    (folder / "filer").mkdir()
    (folder / "filer" / "ansökan.pdf").write_bytes(b"%PDF-1.4 ansokan\n%%EOF\n")
    report = import_diary(DIARY_MIGRATION, folder / "exempel.xml", mapping)
    assert report.ok, report.sorted_issues()
    # No such user in Diarium: a warning, and no responsible officer.
    assert [(i.severity, i.column) for i in report.issues] == [
        ("warning", "agents/agent[@agentType='responsible_person']/idNumber")]
    case = Case.objects.get()
    assert (case.diary_number, case.series, case.year, case.number) == (
        "F 2019-0032", parish, 2019, 32)
    assert case.migrated_from == "Public360"
    assert case.title == "Det här är ett exempel på en ärendemening."
    assert case.public_title == "Public 360 har en särskild publik ärendemening."
    assert case.status == CaseStatus.CLOSED and case.classification_code == "1.2"
    assert timezone.localdate(case.opened_at) == dt.date(2020, 5, 20)
    assert timezone.localdate(case.closed_at) == dt.date(2020, 5, 30)
    assert case.closing_note.startswith("Beslutades att lägga frågan till handlingarna")
    # A marking that does not say what it withholds withholds everything.
    assert (case.secrecy_provision, case.secrecy_marked_on) == ("KO 54:2",
                                                                dt.date(2020, 1, 2))
    assert case.withhold_title and case.withhold_parties and case.withhold_files
    assert [p.party.name for p in case.case_parties.all()] == ["Försäkringskassan"]
    doc = case.documents.get()
    assert (doc.number, doc.direction, doc.title) == (1, "outgoing", "Handlingens titel")
    assert doc.sender_recipient == "Jörgen Mottagare" and doc.rule is None
    assert doc.document_date == dt.date(2020, 2, 3)  # originated: its registration
    # The appendix names the file without its extension; the file's own name has it.
    file = doc.files.get()
    assert (file.original_name, file.mime_type) == ("ansökan.pdf", "application/pdf")


def test_a_zip_that_is_no_package(tmp_path):
    path = tmp_path / "junk.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("junk/readme.txt", "hej")
    report = import_diary(DIARY_MIGRATION, path, mappings.Mapping())
    assert [i.message for i in report.issues] == ["The package has no METS.xml."]


def test_one_erms_document_with_many_cases(tmp_path):
    """Some systems deliver many cases in one ERMS document: each aggregation is a case."""
    w = world()
    aggregations = "".join(f"""
    <aggregation systemIdentifier="id-{n}" aggregationType="caseFile">
      <objectId>KS 2017/{n}</objectId><title>Ärende {n}</title>
      <status value="{'closed' if n % 2 else 'obliterated'}"/>
      <dates><date dateType="opened">2017-0{n}-01T08:00:00</date>
             <date dateType="closed">2017-0{n}-20T00:00:00</date></dates>
      <record><objectId>KS 2017/{n}:1</objectId><title>Skrivelse</title>
        <direction directionDefinition="incoming"/>
        <dates><date dateType="received">2017-0{n}-01T00:00:00</date></dates></record>
    </aggregation>""" for n in range(1, 4))
    path = tmp_path / "bulk.xml"
    path.write_text(f"""<?xml version="1.0" encoding="UTF-8"?>
<erms xmlns="https://DILCIS.eu/XML/ERMS"><control>
  <identification identificationType="arkivbildare">Kommunstyrelsen</identification>
  <maintenanceInformation><maintenanceStatus value="new"/>
    <maintenanceAgency><agencyName>Kommunstyrelsen</agencyName></maintenanceAgency>
    <maintenanceHistory><maintenanceEvent><eventType value="created"/>
      <eventDateTime>2024-01-01T00:00:00</eventDateTime>
      <agent agentType="deliverer"><name>Ärendesystemet</name></agent>
    </maintenanceEvent></maintenanceHistory></maintenanceInformation>
</control><aggregations>{aggregations}</aggregations></erms>""", encoding="utf-8")
    report = import_diary(DIARY_MIGRATION, path, mappings.Mapping())
    assert report.ok, report.sorted_issues()
    cases = {c.diary_number: c for c in Case.objects.all()}
    assert sorted(cases) == ["KS 2017/1", "KS 2017/2", "KS 2017/3"]
    assert cases["KS 2017/1"].status == CaseStatus.CLOSED
    assert cases["KS 2017/2"].status == CaseStatus.VOID
    assert cases["KS 2017/2"].void_reason.startswith("Makulerat i det tidigare diariet")
    assert {c.migrated_from for c in cases.values()} == {"Ärendesystemet"}
    assert DiaryCounter.objects.get(series=w.ks, year=2017).migrated_last == 3
    doc = cases["KS 2017/3"].documents.get()
    assert (doc.number, doc.direction, doc.document_date) == (1, "incoming",
                                                              dt.date(2017, 3, 1))
