"""Bringing a former diarium in from CSV files: original numbers, dates, secrecy, parties
and files; every problem with its file, row and column and nothing brought in; dry run;
the same export twice; numbers after the import."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import IntegrityError, transaction
from django.utils import timezone

from diarium.audit.models import AuditEvent
from diarium.audit.selectors import verify_chains
from diarium.core.actors import DIARY_MIGRATION
from diarium.diarymigration import mapping as mappings
from diarium.diarymigration.importing import import_diary
from diarium.registry.models import (
    Case,
    CaseStatus,
    DiaryCounter,
    DisposalOutcome,
    Document,
    DocumentFile,
    MigratedRecord,
    Party,
)
from diarium.search.models import SearchEntry
from tests import factories as f
from tests.registry.plan_world import world

from .export import write_export

pytestmark = pytest.mark.django_db

BESLUT = b"%PDF-1.4 beslut i arende KS 2019/4\n%%EOF\n"
ANSOKAN = "Ansökan om bidrag.\n".encode()


def cases(**changes) -> list[dict]:
    rows = [
        {"case_id": "1001", "diary_number": "KS 2019/4", "title": "Bidrag till föreningen",
         "status": "avslutat", "opened": "2019-02-11", "closed": "2019-06-01",
         "closing_note": "Bidrag beviljat.", "classification": "2.1"},
        {"case_id": "1002", "diary_number": "KS 2019/17",
         "title": "Orosanmälan angående barn", "public_title": "Orosanmälan",
         "status": "öppet", "opened": "2019-05-02 09:30",
         "secrecy_provision": "OSL 26:1", "secrecy_marked_on": "2019-05-02",
         "withhold": "titel, parter"},
        {"case_id": "1003", "diary_number": "KS 2020/3", "title": "Felregistrerat",
         "status": "makulerat", "opened": "2020-01-07", "voided": "2020-01-08",
         "void_reason": "Dubblett av KS 2020/2"},
    ]
    for row in rows:
        row.update(changes.get(row["case_id"], {}))
    return rows


def documents(**changes) -> list[dict]:
    rows = [
        {"document_id": "d1", "case_id": "1001", "number": "1", "direction": "inkommande",
         "title": "Ansökan", "document_date": "2019-02-10", "registered": "2019-02-11 10:00",
         "sender_recipient": "Föreningen Bygdegården", "files": "1001/ansokan.txt"},
        {"document_id": "d2", "case_id": "1001", "number": "KS 2019/4:2",
         "direction": "utgående", "title": "Beslut", "document_date": "2019-06-01",
         "record_type": "Yttrande", "files": "1001/beslut.pdf"},
        {"document_id": "d3", "case_id": "1002", "number": "1", "direction": "inkommande",
         "title": "Orosanmälan från skolan", "document_date": "2019-05-02",
         "record_type": "Orosanmälan", "secrecy_provision": "OSL 26:1",
         "sender_recipient": "Sjöviks skola"},
        {"document_id": "d4", "case_id": "1003", "number": "1", "direction": "upprättad",
         "title": "Tjänsteanteckning", "document_date": "2020-01-07", "status": "makulerad",
         "void_reason": "Fel ärende"},
    ]
    for row in rows:
        row.update(changes.get(row["document_id"], {}))
    return rows


def parties() -> list[dict]:
    return [
        {"case_id": "1001", "kind": "organisation", "name": "Föreningen Bygdegården",
         "identity_number": "556016-0680", "role": "sökande", "city": "Sjövik"},
        {"case_id": "1002", "kind": "person", "name": "Anna Andersson",
         "identity_number": "19121212-1212", "role": "vårdnadshavare", "party_id": "p7"},
    ]


FILES = {"1001/ansokan.txt": ANSOKAN, "1001/beslut.pdf": BESLUT}


@pytest.fixture
def setup():
    return world()


def export(tmp_path: Path, **kwargs) -> Path:
    kwargs.setdefault("documents", documents())
    kwargs.setdefault("parties", parties())
    kwargs.setdefault("files", FILES)
    return write_export(tmp_path / "export", kwargs.pop("cases", None) or cases(), **kwargs)


def run(path: Path, mapping: mappings.Mapping | None = None, actor=DIARY_MIGRATION, **kw):
    return import_diary(actor, path, mapping or mappings.Mapping(), **kw)


def test_cases_come_in_with_their_numbers_dates_parties_and_files(setup, tmp_path):
    report = run(export(tmp_path))
    assert report.ok, report.sorted_issues()
    assert report.brought_in == {"cases": 3, "documents": 4, "parties": 2, "files": 2}

    closed = Case.objects.get(diary_number="KS 2019/4")
    assert (closed.series, closed.year, closed.number) == (setup.ks, 2019, 4)
    assert closed.status == CaseStatus.CLOSED and closed.closing_note == "Bidrag beviljat."
    assert timezone.localdate(closed.opened_at) == dt.date(2019, 2, 11)
    assert timezone.localdate(closed.closed_at) == dt.date(2019, 6, 1)
    assert closed.migrated_from == "CSV" and closed.document_count == 2
    assert closed.classification_code == "2.1"

    first, second = Document.objects.filter(case=closed).order_by("number")
    assert first.document_number == "KS 2019/4:1" and first.migrated_from == "CSV"
    assert first.document_date == dt.date(2019, 2, 10)
    assert timezone.localtime(first.registered_at).replace(tzinfo=None) == dt.datetime(
        2019, 2, 11, 10, 0)
    assert first.sender_recipient == "Föreningen Bygdegården"
    # Disposal as the registry computes it: "Yttrande" is disposed of 2 years after the
    # case closed, counted from the end of the year; a document without a type is not.
    assert second.rule == setup.rule("Yttrande")
    assert (second.disposal_outcome, second.disposal_date) == (DisposalOutcome.DATE,
                                                               dt.date(2021, 12, 31))
    assert first.disposal_outcome == DisposalOutcome.UNCLASSIFIED
    stored = {x.original_name: x.content.sha256 for x in DocumentFile.objects.filter(
        document__case=closed).select_related("content")}
    assert stored == {"ansokan.txt": hashlib.sha256(ANSOKAN).hexdigest(),
                      "beslut.pdf": hashlib.sha256(BESLUT).hexdigest()}

    voided = Case.objects.get(diary_number="KS 2020/3")
    assert voided.status == CaseStatus.VOID and voided.void_reason == "Dubblett av KS 2020/2"
    assert Document.objects.get(case=voided).status == "voided"

    organisation = Party.objects.get(name="Föreningen Bygdegården")
    assert organisation.identity_number == "556016-0680" and organisation.city == "Sjövik"
    assert closed.case_parties.get().role == "sökande"
    assert Party.objects.get(name="Anna Andersson").identity_number == "19121212-1212"


def test_history_names_the_source_and_the_chains_hold(setup, tmp_path):
    run(export(tmp_path))
    closed = Case.objects.get(diary_number="KS 2019/4")
    event = AuditEvent.objects.get(action="case.migrated", object_id=str(closed.pk))
    assert event.after["migrated_from"] == "CSV: cases.csv:2"
    assert event.actor_name == "system:diary-migration"
    assert event.chain == f"authority:{setup.ks.authority_id}"
    documents_events = AuditEvent.objects.filter(action="document.migrated",
                                                 case_id=closed.pk)
    assert documents_events.count() == 2
    assert all(broken is None for _chain, broken in verify_chains())


def test_search_finds_what_was_brought_in(setup, tmp_path):
    run(export(tmp_path))
    closed = Case.objects.get(diary_number="KS 2019/4")
    keys = set(SearchEntry.objects.filter(case_id=closed.pk).values_list("key", flat=True))
    assert f"case:{closed.pk}" in keys and len(keys) == 3
    from diarium.registry import selectors

    found = selectors.search_cases(setup.registrator, selectors.CaseSearch(text="föreningen"))
    assert closed in list(found)


def _where(report) -> set[tuple]:
    return {(i.file, i.row, i.column) for i in report.sorted_issues() if i.severity == "error"}


def test_every_problem_is_reported_with_file_row_and_column_and_nothing_comes_in(
        setup, tmp_path):
    rows = cases(**{
        "1001": {"opened": "11/2 2019"},  # no date
        "1002": {"status": "pågår kanske"},  # no status anyone knows
    })
    rows.append({"case_id": "1004", "diary_number": "XYZ 2019/1", "title": "Okänd serie",
                 "opened": "2019-03-01"})
    rows.append({"case_id": "1005", "diary_number": "KS 2019/4", "title": "Samma nummer",
                 "opened": "2019-03-01"})
    rows.append({"case_id": "1006", "diary_number": "KS 2019/9", "title": "",
                 "opened": "2019-03-01", "status": "avslutat"})
    docs = documents(d4={"record_type": "Okänd handlingstyp"})
    docs.append({"document_id": "d5", "case_id": "9999", "number": "1",
                 "direction": "inkommande", "title": "Vilse", "document_date": "2019-01-01"})
    docs.append({"document_id": "d6", "case_id": "1006", "number": "1",
                 "direction": "sidled", "title": "Fel riktning", "document_date": "2019-01-01",
                 "files": "saknas.pdf"})
    people = [*parties(), {"case_id": "1003", "kind": "person", "name": "Bo",
                           "identity_number": "19121212-1213"}]
    report = run(export(tmp_path, cases=rows, documents=docs, parties=people))
    assert not report.ok
    where = _where(report)
    assert ("cases.csv", 2, "opened") in where
    assert ("cases.csv", 3, "status") in where
    assert ("cases.csv", 5, "series") in where  # XYZ is no series in Diarium
    assert ("cases.csv", 6, "diary_number") in where  # KS 2019/4 twice
    assert ("cases.csv", 7, "title") in where and ("cases.csv", 7, "closed") in where
    assert ("documents.csv", 5, "record_type") in where
    assert ("documents.csv", 6, "case_id") in where  # case 9999 is not in the export
    assert ("documents.csv", 7, "direction") in where
    assert ("documents.csv", 7, "files") in where
    assert ("parties.csv", 4, "identity_number") in where  # wrong check digit
    assert report.errors == len(where)
    assert not Case.objects.exists() and not Party.objects.exists()
    assert not AuditEvent.objects.filter(action="case.migrated").exists()


def test_columns_are_named_as_the_export_names_them(setup, tmp_path):
    mapping = tmp_path / "mapping.yaml"
    mapping.write_text("""
system: Public 360
date_formats: ["%d.%m.%Y"]
columns:
  cases: {Diarienummer: diary_number, Ärendemening: title, Registreringsdatum: opened,
          Status: status, Id: case_id}
codes:
  status: {"Under handläggning": open}
""", encoding="utf-8")
    path = write_export(tmp_path / "p360", [
        {"Id": "A1", "Diarienummer": "KS 2019/4", "Ärendemening": "Bidrag",
         "Registreringsdatum": "31.02.2019", "Status": "Under handläggning"}])
    report = run(path, mappings.load(mapping))
    assert [(i.file, i.row, i.column) for i in report.issues] == [
        ("cases.csv", 2, "Registreringsdatum")]  # the export's own name for the column
    (path / "cases.csv").write_text(
        "Id;Diarienummer;Ärendemening;Registreringsdatum;Status\n"
        "A1;KS 2019/4;Bidrag;28.02.2019;Under handläggning\n", encoding="utf-8")
    report = run(path, mappings.load(mapping))
    assert report.ok, report.sorted_issues()
    case = Case.objects.get()
    assert (case.status, case.migrated_from) == (CaseStatus.OPEN, "Public 360")
    assert timezone.localdate(case.opened_at) == dt.date(2019, 2, 28)


def test_a_mapping_file_in_csv(setup, tmp_path):
    mapping = tmp_path / "mapping.csv"
    mapping.write_text("section;from;to\nsetting;system;Ärendesystemet\n"
                       "cases;Dnr;diary_number\ncases;Rubrik;title\ncases;Start;opened\n"
                       "series;KOMST;KS\nfile;cases;arenden.csv\nsetting;encoding;cp1252\n",
                       encoding="utf-8")
    folder = tmp_path / "old"
    folder.mkdir()
    (folder / "arenden.csv").write_bytes("Dnr;Rubrik;Start\nKOMST 2018/12;Översyn av "
                                         "förskolorna;2018-04-01\n".encode("cp1252"))
    report = run(folder, mappings.load(mapping))
    assert report.ok, report.sorted_issues()
    case = Case.objects.get()
    # The number is kept as the former diarium wrote it; the series is Diarium's.
    assert (case.diary_number, case.series, case.number) == ("KOMST 2018/12", setup.ks, 12)
    assert case.title == "Översyn av förskolorna" and case.migrated_from == "Ärendesystemet"


def test_a_wrong_mapping_file_is_reported(tmp_path):
    mapping = tmp_path / "mapping.csv"
    mapping.write_text("section;from;to\ncases;Dnr;dnr\nstatus;Klar;finished\n",
                       encoding="utf-8")
    with pytest.raises(mappings.MappingError) as caught:
        mappings.load(mapping)
    assert [(i.row, i.column) for i in caught.value.issues] == [(2, "cases.Dnr"),
                                                                (3, "status.Klar")]


def test_a_dry_run_checks_everything_and_brings_nothing_in(setup, tmp_path):
    report = run(export(tmp_path), dry_run=True)
    assert report.ok
    assert (report.new_cases, report.documents, report.parties, report.files) == (3, 4, 2, 2)
    assert report.bytes == len(ANSOKAN) + len(BESLUT)
    assert report.brought_in == {}
    assert not Case.objects.exists() and not DiaryCounter.objects.exists()


def test_the_same_export_twice_brings_nothing_in_twice(setup, tmp_path):
    path = export(tmp_path)
    run(path)
    events = AuditEvent.objects.count()
    again = run(path)
    assert again.ok and again.skipped_cases == 3 and again.new_cases == 0
    assert again.brought_in == {"cases": 0, "documents": 0, "parties": 0, "files": 0}
    assert Case.objects.count() == 3 and Document.objects.count() == 4
    assert Party.objects.count() == 2 and AuditEvent.objects.count() == events
    assert MigratedRecord.objects.filter(kind="case").count() == 3

    # One more case in the export: only it comes in. A changed case is refused.
    rows = [*cases(**{"1002": {"title": "Ändrad titel"}}),
            {"case_id": "1007", "diary_number": "KS 2019/30", "title": "Nytt",
             "opened": "2019-09-01"}]
    changed = run(export(tmp_path, cases=rows))
    assert _where(changed) == {("cases.csv", 3, "case_id")}
    assert not Case.objects.filter(diary_number="KS 2019/30").exists()
    added = run(export(tmp_path, cases=[*cases(), rows[-1]]))
    assert added.ok and added.skipped_cases == 3 and added.brought_in["cases"] == 1


def test_a_contact_is_one_party_however_often_it_comes(setup, tmp_path):
    people = [*parties(),
              {"case_id": "1003", "kind": "person", "name": "Anna Andersson",
               "identity_number": "191212121212", "role": "sökande"},
              {"case_id": "1001", "kind": "person", "name": "A. Andersson", "party_id": "p7"}]
    report = run(export(tmp_path, parties=people))
    assert report.ok, report.sorted_issues()
    # by identity number, and by the source's contact id (the first row read names it)
    anna = Case.objects.get(diary_number="KS 2019/17").case_parties.get().party
    assert anna.case_links.count() == 3
    assert Party.objects.count() == 2


def test_a_secret_case_brought_in_is_secret(setup, tmp_path):
    from diarium.core import visibility
    from diarium.core.visibility import Projection
    from diarium.registry.visibility import RegistryPolicy

    run(export(tmp_path))
    secret = Case.objects.get(diary_number="KS 2019/17")
    assert secret.is_secret and secret.secrecy_provision == "OSL 26 kap. 1 §"
    assert secret.secrecy_marked_on == dt.date(2019, 5, 2)
    assert secret.secrecy_authority == setup.ks.authority
    assert (secret.withhold_title, secret.withhold_parties, secret.withhold_files) == (
        True, True, False)
    document = secret.documents.get()
    # A marking without a word on what is withheld withholds everything.
    assert (document.withhold_title, document.withhold_parties, document.withhold_files) == (
        True, True, True)

    outsider = f.user("bun", roles={setup.bun.authority: "registrar"})
    reader = f.user("lasare", roles={setup.ks.authority: "reader"})
    assert not visibility.policy_for(outsider).case(secret).exists
    assert secret not in selectors_visible(outsider)
    assert visibility.policy_for(reader).case(secret).exists
    assert not visibility.policy_for(reader).case(secret).content
    assert visibility.policy_for(setup.registrator).case(secret).content
    public = RegistryPolicy(outsider, Projection.PUBLIC)
    assert not public.case(secret).content and not public.document(document).files
    # and its words are found only by those who may read them
    from diarium.registry import selectors

    assert not list(selectors.search_cases(reader, selectors.CaseSearch(text="barn")))
    assert list(selectors.search_cases(setup.registrator,
                                       selectors.CaseSearch(text="barn"))) == [secret]


def selectors_visible(user) -> list:
    from diarium.registry import selectors

    return list(selectors.visible_cases(user))


def test_numbers_continue_after_the_highest_number_brought_in(setup, tmp_path):
    from diarium.registry import services

    year = timezone.localdate().year
    rows = [{"diary_number": f"KS {year}/{n}", "title": f"Ärende {n}",
             "opened": f"{year}-01-0{n}"} for n in (1, 2, 5)]
    assert run(write_export(tmp_path / "a", rows)).ok
    counter = DiaryCounter.objects.get(series=setup.ks, year=year)
    assert (counter.last_number, counter.migrated_last) == (5, 5)
    opened = f.case(setup.registrator, setup.ks, "Första ärendet i Diarium")
    assert opened.number == 6 and opened.diary_number == f"KS {year}/6"
    # a number brought in is never given again: the counter cannot fall back below it
    with pytest.raises(IntegrityError), transaction.atomic():
        DiaryCounter.objects.filter(pk=counter.pk).update(last_number=2)
    assert services.open_case(setup.registrator, setup.ks,
                              services.CaseData(title="Nästa")).number == 7


def test_a_number_already_given_is_refused(setup, tmp_path):
    year = timezone.localdate().year
    given = f.case(setup.registrator, setup.ks, "Diariets eget")  # KS <year>/1
    assert given.number == 1
    rows = [{"diary_number": f"KS {year}/1", "title": "Krockar", "opened": f"{year}-01-01"},
            {"diary_number": f"KS {year}/7", "title": "Efter Diariets egna",
             "opened": f"{year}-01-01"},
            {"diary_number": f"KS {year - 1}/7", "title": "Förra året",
             "opened": f"{year - 1}-03-01"}]
    report = run(write_export(tmp_path / "a", rows))
    assert _where(report) == {("cases.csv", 2, "diary_number"),
                              ("cases.csv", 3, "diary_number")}
    assert "already in the registry" in report.sorted_issues()[0].message
    assert Case.objects.count() == 1
    # A number brought in from one source is refused from another.
    assert run(write_export(tmp_path / "b", rows[2:])).ok
    other = [{"case_id": "x", "diary_number": f"KS {year - 1}/7", "title": "Annat system",
              "opened": f"{year - 1}-03-01"}]
    again = run(write_export(tmp_path / "c", other), mappings.Mapping(system="Annat"))
    assert _where(again) == {("cases.csv", 2, "diary_number")}


def test_only_the_authoritys_registry_may_bring_cases_in(setup, tmp_path):
    reader = f.user("lasare", roles={setup.ks.authority: "reader"})
    report = run(export(tmp_path), actor=reader)
    assert not report.ok and ("cases.csv", 2, "series") in _where(report)
    assert not Case.objects.exists()
    report = run(export(tmp_path), actor=setup.registrator)
    assert report.ok and Case.objects.count() == 3
    assert Case.objects.filter(created_by=setup.registrator).count() == 3


def test_the_command(setup, tmp_path, capsys):
    path = export(tmp_path)
    call_command("migrate-diary", "import", str(path), "--dry-run")
    out = capsys.readouterr()
    assert "3 to bring in with 4 document(s)" in out.out and "dry run" in out.out
    assert "check: 3/3" in out.err
    call_command("migrate-diary", "import", str(path), "--user", "reg")
    assert Case.objects.count() == 3
    (path / "cases.csv").write_text("diary_number;title;opened\nKS 2019/99;X;igår\n",
                                    encoding="utf-8")
    (path / "documents.csv").unlink()
    (path / "parties.csv").unlink()
    with pytest.raises(CommandError, match="nothing brought in: 1 problem"):
        call_command("migrate-diary", "import", str(path))
    assert "cases.csv:2 [opened]: " in capsys.readouterr().out


def test_the_report_speaks_swedish(setup, tmp_path):
    from django.utils import translation

    with translation.override("sv"):
        report = run(export(tmp_path, cases=cases(**{"1001": {"opened": "igår"}})))
    assert str(report.sorted_issues()[0]) == (
        "cases.csv:2 [opened]: ”igår” är inget datum (skriv 2019-03-31 eller "
        "2019-03-31 14:05, eller ange formatet i mappningsfilen).")


def test_the_case_page_says_where_the_case_came_from(setup, tmp_path, client):
    from django.urls import reverse
    from django.utils import translation

    run(export(tmp_path))
    case = Case.objects.get(diary_number="KS 2019/4")
    client.force_login(setup.registrator)
    with translation.override("sv"):
        page = client.get(reverse("registry:case", args=[case.pk]),
                          HTTP_ACCEPT_LANGUAGE="sv").content.decode()
    assert "KS 2019/4" in page and "2019-02-11 (överförd från CSV)" in page
    assert "Ärendet överfört från det tidigare diariet" in page  # the history


EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "examples" / "migrate-diary"


def test_the_documented_examples_come_in(setup, tmp_path):
    own = run(EXAMPLES / "csv")
    assert own.ok and own.warnings == 0, own.sorted_issues()
    assert own.brought_in == {"cases": 3, "documents": 4, "parties": 2, "files": 2}
    p360 = run(EXAMPLES / "public360", mappings.load(EXAMPLES / "public360" / "mapping.yaml"))
    assert p360.ok and p360.warnings == 0, p360.sorted_issues()
    plan = Case.objects.get(diary_number="KS 2018-0032")
    assert (plan.year, plan.number, plan.status) == (2018, 32, CaseStatus.CLOSED)
    assert plan.migrated_from == "Public 360"
    assert [d.document_number for d in plan.documents.order_by("number")] == [
        "KS 2018-0032:1", "KS 2018-0032:2"]
    secret = Case.objects.get(diary_number="KS 2018-0047")
    assert secret.is_secret and secret.withhold_title
