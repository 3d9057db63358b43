"""Issue 9, document search: documents (not cases) found by registration date,
direction, record type, the case's officer and unit, sender or recipient and words, with
why each hit matched (marked), sorted, exported to CSV and XLSX — through the one
visibility policy: a secret document's description, sender and file text find nothing
and show nothing for anyone outside its case's access group, in the page and the export;
a personnummer is masked for roles that may not read it and cannot be searched for by
them."""

import datetime as dt
import io
import shutil

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from diarium.audit.models import AuditEvent
from diarium.organisation.models import Administration, Unit
from diarium.registry import services
from diarium.registry.models import Document
from tests import factories as f
from tests.web.conftest import logged_in
from tests.workers import run_jobs

pytestmark = pytest.mark.django_db

CANARY = "Kanariefågel4417"
SECRET = services.Secrecy(provision="OSL 26:1")
URL = reverse("registry:document_search")


def registered(doc: Document, day: dt.date) -> Document:
    Document.objects.filter(pk=doc.pk).update(
        registered_at=timezone.make_aware(dt.datetime.combine(day, dt.time(9))))
    return doc


@pytest.fixture
def world(ks, registrator, officer):
    admin = Administration.objects.create(municipality=ks.authority.municipality, name="Förv")
    admin.authorities.add(ks.authority)
    unit = Unit.objects.create(administration=admin, name="Bygglovsenheten")
    other_officer = f.user("olle", roles={ks.authority: "officer"}, first_name="Olle")
    reader = f.user("lasa", roles={ks.authority: "reader"})
    bun_reg = f.user("bunreg", roles={f.authority("BUN"): "registrar"})
    case = f.case(registrator, ks, "Bygglov Solrosen 3", responsible_officer=officer,
                  responsible_unit=unit)
    other = f.case(registrator, ks, "Remiss om översiktsplan", responsible_officer=other_officer)
    docs = {
        "letter": registered(f.document(registrator, case, "Ansökan om bygglov",
                                        sender_recipient="Anna Andersson 19811218-9876"),
                             dt.date(2026, 3, 2)),
        "answer": registered(f.document(registrator, case, "Svar på ansökan om bygglov",
                                        direction="outgoing", sender_recipient="Anna Andersson"),
                             dt.date(2026, 4, 15)),
        "remiss": registered(f.document(registrator, other, "Remissvar från Länsstyrelsen",
                                        sender_recipient="Länsstyrelsen"),
                             dt.date(2026, 5, 20)),
        "secret": registered(f.document(registrator, case, f"Läkarintyg {CANARY}",
                                        secrecy=SECRET, sender_recipient=f"Doktor {CANARY}"),
                             dt.date(2026, 4, 1)),
    }
    return {"case": case, "other": other, "unit": unit, "olle": other_officer,
            "reader": reader, "bun": bun_reg, **docs}


def numbers(html: str, world) -> list[str]:
    order = [(html.find(world[k].document_number + "<"), k)
             for k in ("letter", "answer", "remiss", "secret")]
    return [k for pos, k in sorted(order) if pos >= 0]


def test_search_by_dates_direction_officer_unit_and_sender(world, officer):
    client = logged_in(officer)

    def found(**query) -> list[str]:
        return numbers(client.get(URL, query).content.decode(), world)

    # The officer is responsible for the case: she is in its access group.
    assert found(registered_from="2026-03-01", registered_to="2026-04-20",
                 sort="registered") == ["letter", "secret", "answer"]
    assert found(direction="outgoing") == ["answer"]
    assert found(officer=world["olle"].pk) == ["remiss"]
    assert found(unit=world["unit"].pk, sort="registered") == ["letter", "secret", "answer"]
    assert found(sender="anna", sort="-registered") == ["answer", "letter"]
    html = client.get(URL, {"sender": "länsstyrelsen"}).content.decode()
    assert "<mark>Länsstyrelsen</mark>" in html
    assert found(q="bygglov", sort="registered") == ["letter", "answer"]
    html = client.get(URL, {"q": "bygglov"}).content.decode()
    assert "<mark>bygglov</mark>" in html
    assert client.get(URL, {"registered_from": "2026-05-01",
                            "registered_to": "2026-04-01"}).status_code == 200
    assert "error-summary" in client.get(URL, {"registered_from": "2026-05-01",
                                               "registered_to": "2026-04-01"}).content.decode()


def test_a_record_type_filter_finds_documents_of_that_type():
    from tests.registry import plan_world

    w = plan_world.world()
    officer = f.user("hanna", roles={w.ks.authority: "officer"})
    case = f.case(w.registrator, w.ks, "Motion om cykelbanor")
    motion = plan_world.register(w.registrator, case, w.rule("Motion").record_type,
                                 "Motion från Anna")
    plan_world.register(w.registrator, case, w.rule("Yttrande").record_type, "Yttrande")
    client = logged_in(officer)
    page = client.get(URL)
    assert "Motion" in page.content.decode()  # the plan's record types are the choices
    html = client.get(URL, {"record_type": w.rule("Motion").record_type_id}).content.decode()
    assert motion.document_number + "<" in html and ":2<" not in html
    assert "1 handling" in html
    # Words find a document by its record type's name, shown as the reason, and the
    # export names the record type.
    html = client.get(URL, {"q": "yttrande", "sort": "number"}).content.decode()
    assert "<mark>Yttrande</mark>" in html and "Handlingstyp:" in html
    csv = client.get(reverse("registry:document_search_export", args=["csv"]),
                     {"q": "motion"}).content.decode("utf-8-sig")
    assert ";Motion;Motion från Anna;" in csv


def test_secret_documents_find_nothing_for_those_outside_the_group(world, registrator):
    canary_queries = [{"q": CANARY}, {"sender": "Doktor"}, {"q": "Läkarintyg"}]
    for user in (world["olle"], world["reader"], world["bun"]):
        client = logged_in(user)
        for query in canary_queries:
            html = client.get(URL, query).content.decode()
            assert CANARY not in html.replace(f'value="{CANARY}"', "")
            assert world["secret"].document_number + "<" not in html
        # Not by a date range either: the document is left out, not shown as a stub.
        html = client.get(URL, {"registered_from": "2026-04-01",
                                "registered_to": "2026-04-01"}).content.decode()
        assert world["secret"].document_number + "<" not in html and CANARY not in html
        export = client.get(reverse("registry:document_search_export", args=["csv"]),
                            {"registered_from": "2026-01-01"}).content.decode("utf-8-sig")
        assert CANARY not in export and world["secret"].document_number not in export
    # The access group finds it, with the match marked, and the read is audited.
    before = AuditEvent.objects.filter(action="secret.read").count()
    html = logged_in(registrator).get(URL, {"q": CANARY}).content.decode()
    assert world["secret"].document_number in html and f"<mark>{CANARY}</mark>" in html
    assert AuditEvent.objects.filter(action="secret.read").count() == before + 1


def test_identity_numbers_are_masked_and_not_searchable_for_readers(world, officer):
    reader = logged_in(world["reader"])
    html = reader.get(URL, {"sender": "Anna"}).content.decode()
    assert "19811218-XXXX" in html and "19811218-9876" not in html
    html = reader.get(URL, {"sender": "19811218"}).content.decode()
    assert "error-summary" in html and world["letter"].document_number + "<" not in html
    export = reader.get(reverse("registry:document_search_export", args=["csv"]),
                        {"sender": "Anna"}).content.decode("utf-8-sig")
    assert "19811218-XXXX" in export and "9876" not in export
    assert reader.get(reverse("registry:document_search_export", args=["csv"]),
                      {"sender": "198112189876"}).status_code == 400
    # An officer may read identity numbers: she sees them and searches by them.
    html = logged_in(officer).get(URL, {"sender": "19811218-9876"}).content.decode()
    assert numbers(html, world) == ["letter"] and "19811218-9876" in html


def test_the_hits_export_to_csv_and_xlsx(world, officer):
    client = logged_in(officer)
    query = {"q": "bygglov", "sort": "registered"}
    csv = client.get(reverse("registry:document_search_export", args=["csv"]),
                     query).content.decode("utf-8-sig")
    lines = csv.strip().splitlines()
    assert len(lines) == 3
    assert lines[1].startswith(world["letter"].document_number + ";2026-03-02;")
    assert lines[2].startswith(world["answer"].document_number + ";2026-04-15;")
    data = client.get(reverse("registry:document_search_export", args=["xlsx"]), query).content
    rows = list(load_workbook(io.BytesIO(data)).active.values)
    assert [r[0] for r in rows[1:]] == [world["letter"].document_number,
                                        world["answer"].document_number]
    assert client.get(reverse("registry:document_search_export", args=["csv"])).status_code == 400
    assert client.get(reverse("registry:document_search_export", args=["pdf"]),
                      query).status_code == 404


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is needed")
def test_words_inside_a_file_find_its_document_with_the_passage_marked(ks, registrator):
    case = f.case(registrator, ks, "Tillsyn")
    doc = f.document(registrator, case, "Inspektionsprotokoll", uploads=[services.Upload(
        io.BytesIO("Vid inspektionen fanns fuktskador i källaren.\n".encode()), "protokoll.txt")])
    secret = f.document(registrator, case, "Intyg", secrecy=SECRET, uploads=[services.Upload(
        io.BytesIO(f"Diagnosen {CANARY} fuktskador.\n".encode()), "intyg.txt")])
    run_jobs()
    html = logged_in(registrator).get(URL, {"q": "fuktskadorna"}).content.decode()
    assert doc.document_number in html and "<mark>fuktskador</mark>" in html
    assert "protokoll.txt" in html
    outsider = f.user("utom", roles={ks.authority: "officer"})
    html = logged_in(outsider).get(URL, {"q": "fuktskador"}).content.decode()
    assert doc.document_number in html and secret.document_number + "<" not in html
    assert CANARY not in html and "intyg.txt" not in html
