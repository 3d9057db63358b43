"""The plan's staff pages: the plan, its exports, "Vad gör jag med …?", import and adoption,
the systems register with its checklists, and the checklist templates."""

import csv
import datetime as dt
import io
import json

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from diarium.audit.models import AuditEvent
from diarium.plan import selectors
from diarium.plan.models import ChecklistItem, ChecklistTemplate, ITSystem
from tests import factories as f
from tests.plan import factories as pf
from tests.plan.ui import KS_DECISION, NEW_TYPE, plan_of, sample_municipality, second_version

pytestmark = pytest.mark.django_db


@pytest.fixture
def authorities():
    return sample_municipality()


@pytest.fixture
def ks(authorities):
    return authorities[0]


@pytest.fixture
def reader(ks):
    return f.user("lasare", roles={ks: "reader"}, first_name="Lisa", last_name="Läsare")


@pytest.fixture
def archivist(ks):
    return f.user("arkivarie", roles={ks: "archivist"}, first_name="Arne", last_name="Arkiv")


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def text(response) -> str:
    return response.content.decode()


def row_with(html: str, name: str) -> str:
    """The table row of the plan page that shows the record type."""
    return next(row for row in html.split("<tr") if f">{name}" in row)


# --- reading the plan ------------------------------------------------------------------


@pytest.mark.parametrize("name", ["plan:plan_index", "plan:lookup", "plan:systems",
                                  "plan:templates"])
def test_pages_need_a_login_and_a_role(client, authorities, name):
    response = client.get(reverse(name))
    assert response.status_code == 302 and response["Location"].startswith(reverse("web:login"))
    assert client_for(f.user("ingen")).get(reverse(name)).status_code == 403


def test_the_plan_page_shows_the_version_in_force_by_process(ks, reader):
    plan = plan_of(ks)
    response = client_for(reader).get(reverse("plan:plan", args=[plan.pk]))
    html = text(response)
    assert response.status_code == 200
    assert plan.name in html and KS_DECISION in html and "gäller från 2022-01-01" in html
    # Grouped by the classification: level 1, 2 and 3 headings, a table per process.
    assert html.index("2 Verksamhetsstöd") < html.index("2.2.4 Hantera frånvaro och arbetstid")
    sick = row_with(html, "Sjukfrånvaroanmälningar")
    assert "OSL 39:3" in sick and "Gallringsbeslut KS 2024:1" in sick and "HR-systemet" in sick
    assert "Gallras 2 år efter utgången av det år handlingen är daterad" in sick
    for fmt in ("csv", "xlsx", "json", "pdf"):
        assert f"format={fmt}" in html
    assert reverse("plan:import", args=[plan.pk]) not in html  # a reader imports nothing
    assert "plan/plan.css" in html  # with the print styles


def test_the_plan_page_has_contents_and_keyboard_scrollable_tables(ks, reader):
    """A plan is long (tens of thousands of pixels): a contents list leads to each process
    of levels 1 and 2, and each wide table can be scrolled sideways by keyboard."""
    html = text(client_for(reader).get(reverse("plan:plan", args=[plan_of(ks).pk])))
    contents = html[html.index('aria-labelledby="contents-heading"'):html.index("</nav>",
                    html.index('aria-labelledby="contents-heading"'))]
    assert "<h2 id=\"contents-heading\">Innehåll</h2>" in html
    assert 'href="#p-2"' in contents and 'href="#p-2.2"' in contents
    assert 'href="#p-2.2.4"' not in contents  # level 3 is in the page, not in the list
    assert 'id="p-2.2"' in html
    tables = html.count('<table class="plan">')
    assert tables > 10
    assert html.count('class="table-scroll" tabindex="0" role="region"') == tables


def test_earlier_versions_stay_readable(ks, reader):
    plan = plan_of(ks)
    second_version(plan, timezone.localdate())
    client = client_for(reader)
    current = text(client.get(reverse("plan:plan", args=[plan.pk])))
    assert NEW_TYPE in current and "Version 2" in current and "lokalt tillägg" in current
    earlier = text(client.get(reverse("plan:plan", args=[plan.pk]) + "?version=1"))
    assert NEW_TYPE not in earlier and KS_DECISION in earlier
    assert "visa den gällande versionen" in earlier
    assert client.get(reverse("plan:plan", args=[plan.pk]) + "?version=9").status_code == 404


def test_exports_of_the_plan(ks, reader):
    plan = plan_of(ks)
    url = reverse("plan:export", args=[plan.pk])
    client = client_for(reader)

    response = client.get(url, {"format": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    assert "informationshanteringsplan-KS-v1.csv" in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    names = {r["handlingstyp"] for r in rows}
    assert "Sjukfrånvaroanmälningar" in names and len(names) > 60

    workbook = load_workbook(io.BytesIO(client.get(url, {"format": "xlsx"}).content))
    assert workbook.worksheets[0]["D1"].value == "handlingstyp"

    document = json.loads(client.get(url, {"format": "json"}).content)
    assert document["decision_reference"] == KS_DECISION and document["version"] == 1

    assert client.get(url, {"format": "doc"}).status_code == 404


def test_the_pdf_holds_the_plan_with_swedish_characters(ks, reader):
    from pypdf import PdfReader

    response = client_for(reader).get(reverse("plan:export", args=[plan_of(ks).pk]),
                                      {"format": "pdf"})
    assert response["Content-Type"] == "application/pdf" and response.content[:5] == b"%PDF-"
    pdf = PdfReader(io.BytesIO(response.content))
    content = " ".join(" ".join(page.extract_text() for page in pdf.pages).split())
    assert len(pdf.pages) > 3
    for expected in ("Informationshanteringsplan för Kommunstyrelsen", KS_DECISION,
                     "2.2.4 Hantera frånvaro och arbetstid", "Sjukfrånvaroanmälningar",
                     "Gallringsbeslut KS 2024:1", "Personakt, barn och unga"):
        assert expected in content, expected


# --- "Vad gör jag med …?" --------------------------------------------------------------


def test_what_to_do_with_sick_leave_reports(ks, reader):
    response = client_for(reader).get(reverse("plan:lookup"), {"q": "sjukfrånvaro"})
    html = text(response)
    first = html[html.index('class="answer"'):]
    assert "Sjukfrånvaroanmälningar" in first[:300]
    assert ("Registreras i HR-systemet. Omfattas normalt av sekretess (OSL 39:3). Gallras 2 "
            "år efter utgången av det år handlingen är daterad (Gallringsbeslut KS 2024:1 "
            "(Sjöviks kommun)).") in first
    assert "Kommunstyrelsen" in html  # the reader's own authority is the default


def test_what_to_do_ranks_the_exact_name_first_and_says_when_nothing_fits(ks, authorities,
                                                                       reader):
    bun = authorities[1]
    client = client_for(reader)
    html = text(client.get(reverse("plan:lookup"), {"q": "Vad gör jag med ett protokoll?",
                                                    "authority": bun.pk}))
    assert "Barn- och utbildningsnämnden" in html
    answers = html[html.index('class="answers"'):]
    assert answers.index("<h3>Protokoll</h3>") < answers.index("<h3>Protokollsutdrag</h3>")
    assert "Bevaras (Arkivlagen (1990:782)" in answers
    nothing = text(client.get(reverse("plan:lookup"), {"q": "zxqvw"}))
    assert "Ingen handlingstyp i planen passar" in nothing


def test_the_header_has_the_lookup_box(ks, reader):
    html = text(client_for(reader).get(reverse("web:home")))
    assert f'action="{reverse("plan:lookup")}"' in html and "Vad gör jag med …?" in html
    assert reverse("plan:plan_index") in html and reverse("plan:systems") in html


# --- import and adoption ---------------------------------------------------------------


def upload(content: bytes, name: str = "plan.csv"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content, content_type="text/csv")


def test_a_reader_may_not_import(ks, reader):
    plan = plan_of(ks)
    client = client_for(reader)
    assert client.get(reverse("plan:import", args=[plan.pk])).status_code == 403
    response = client.post(reverse("plan:adopt", args=[plan.pk, 1]), {})
    assert response.status_code == 403


def test_import_lists_every_error_and_imports_nothing(ks, archivist):
    plan = plan_of(ks)
    bad = pf.csv_bytes([
        pf.type_row("Nytt A", "2.2.4", bevaras_gallras="kanske"),
        pf.type_row("Nytt B", "2.2.4", bevaras_gallras="gallras", gallringsfrist="-2 år",
                    utlösare="ärendets avslut"),
    ])
    response = client_for(archivist).post(reverse("plan:import", args=[plan.pk]),
                                          {"file": upload(bad)})
    html = text(response)
    assert response.status_code == 400
    assert "Filen har 2 fel. Ingenting importerades." in html
    assert "<td>2</td><td>bevaras_gallras</td>" in html
    assert "<td>3</td><td>gallringsfrist</td>" in html
    assert selectors.draft_of(plan) is None
    assert not AuditEvent.objects.filter(action="plan.imported", chain=plan.chain).exists()


def test_import_into_a_draft_and_adopt_it(ks, archivist):
    plan = plan_of(ks)
    client = client_for(archivist)
    exported = client.get(reverse("plan:export", args=[plan.pk]), {"format": "csv"}).content
    added = pf.csv_bytes([pf.type_row("Passerkortsloggar", "2.2.4", var="Passersystemet")])
    content = exported + added.split(b"\n", 1)[1]  # the export plus one row
    response = client.post(reverse("plan:import", args=[plan.pk]),
                           {"file": upload(content, "ks.csv")}, follow=True)
    html = text(response)
    assert "Importerat till utkastversion 2 (processer: 0, handlingstyper: 1)" in html
    assert "Passerkortsloggar" in html and "utkast" in html
    assert "Anta utkastet" in html  # the adoption form

    url = reverse("plan:adopt", args=[plan.pk, 2])
    response = client.post(url, {"decision_date": "2026-03-14", "decision_reference": ""})
    assert response.status_code == 400 and selectors.draft_of(plan) is not None
    response = client.post(url, {"decision_date": "2026-03-14", "valid_from": "2026-04-01",
                                 "decision_reference": "KS 2026-03-14 § 45"}, follow=True)
    assert "Version 2 är antagen." in text(response)
    version = selectors.latest_adopted(plan)
    assert (version.number, version.decision_reference) == (2, "KS 2026-03-14 § 45")
    assert version.adopted_by == archivist
    assert selectors.rule_for(ks.pk, version.rules.get(name="Passerkortsloggar").record_type_id,
                              dt.date(2026, 4, 1)) is not None


# --- systems register and checklists ---------------------------------------------------


def test_the_systems_register_lists_and_shows_systems(ks, reader):
    client = client_for(reader)
    html = text(client.get(reverse("plan:systems")))
    assert "HR-systemet" in html and "Nätverksenheter" in html
    assert reverse("plan:system_create") not in html  # a reader registers no systems
    drives = ITSystem.objects.get(name="Nätverksenheter")
    detail = text(client.get(reverse("plan:system", args=[drives.pk])))
    assert "3 av 11 klara (27 %)" in detail and "Uttagsspecifikation" in detail
    assert "Markera som klar" not in detail  # a reader ticks nothing
    assert client.get(reverse("plan:system_create")).status_code == 403
    assert client.get(reverse("plan:system_edit", args=[drives.pk])).status_code == 403


def test_an_archivist_registers_and_edits_a_system(ks, archivist):
    client = client_for(archivist)
    choices = selectors.rules(selectors.latest_adopted(plan_of(ks)))
    held = [str(r.record_type_id) for r in choices.filter(name="Sjukfrånvaroanmälningar")]
    data = {"name": "Passersystemet", "owner": ks.pk, "status": "in_use",
            "archive_delivery": "none", "administrator_name": "Säkerhetsenheten",
            "record_types": held, "extraction_spec": ""}
    response = client.post(reverse("plan:system_create"), data, follow=True)
    system = ITSystem.objects.get(name="Passersystemet")
    assert "Systemet är registrerat." in text(response)
    assert "Sjukfrånvaroanmälningar" in text(response)
    data.update(status="retiring", extraction_spec="US 2026:4")
    client.post(reverse("plan:system_edit", args=[system.pk]), data)
    system.refresh_from_db()
    assert (system.status, system.extraction_spec) == ("retiring", "US 2026:4")
    response = client.post(reverse("plan:system_create"), {**data, "name": "passersystemet"})
    assert "Registret innehåller redan ett system med det namnet." in text(response)


def test_ticking_a_checklist_shows_who_and_when(ks, archivist, reader):
    drives = ITSystem.objects.get(name="Nätverksenheter")
    item = ChecklistItem.objects.filter(checklist__system=drives, done=False) \
        .order_by("position").first()
    url = reverse("plan:checklist_tick", args=[item.pk])
    assert client_for(reader).post(url, {"done": "on"}).status_code == 403
    client = client_for(archivist)
    response = client.post(url, {"done": "on", "note": "Klart i mars"}, follow=True)
    html = text(response)
    assert "4 av 11 klara (36 %)" in html
    assert f"Avbockad av Arne Arkiv, {timezone.localdate():%Y-%m-%d}" in html
    assert "Klart i mars" in html
    item.refresh_from_db()
    assert item.done and item.done_by == archivist
    client.post(url, {"done": ""})
    item.refresh_from_db()
    assert not item.done and item.done_by is None


def test_the_system_administrator_ticks_and_archivists_start_checklists(ks, archivist):
    administrator = f.user("it", roles={ks: "officer"})
    hr = ITSystem.objects.get(name="HR-systemet")
    template = ChecklistTemplate.objects.get(kind="procurement")
    response = client_for(archivist).post(reverse("plan:checklist_start", args=[hr.pk]),
                                          {"template": template.pk}, follow=True)
    assert "Checklistan är startad." in text(response)
    checklist = selectors.checklists(archivist, hr).get()
    assert checklist.total == template.items.count() and checklist.done == 0
    item = checklist.items.order_by("position").first()
    url = reverse("plan:checklist_tick", args=[item.pk])
    assert client_for(administrator).post(url, {"done": "on"}).status_code == 403
    ITSystem.objects.filter(pk=hr.pk).update(administrator=administrator)
    assert client_for(administrator).post(url, {"done": "on"}).status_code == 302
    item.refresh_from_db()
    assert item.done_by == administrator


def test_archivists_edit_checklist_templates(ks, archivist, reader):
    client = client_for(archivist)
    response = client.post(reverse("plan:templates"), {
        "kind": "procurement", "name": "Upphandling av e-tjänst",
        "items": "Bevarandekrav i förfrågan | Se IHP\nExportformat\n\n"}, follow=True)
    template = ChecklistTemplate.objects.get(name="Upphandling av e-tjänst")
    assert [(i.text, i.guidance) for i in template.items.all()] == [
        ("Bevarandekrav i förfrågan", "Se IHP"), ("Exportformat", "")]
    assert "Bevarandekrav i förfrågan | Se IHP" in text(response)
    url = reverse("plan:template", args=[template.pk])
    client.post(url, {"items": "Ett\nTvå\nTre"})
    assert list(template.items.values_list("text", flat=True)) == ["Ett", "Två", "Tre"]
    response = client.post(url, {"items": "  "})
    assert response.status_code == 200 and template.items.count() == 3
    reading = client_for(reader)
    assert "Tre" in text(reading.get(url)) and "<textarea" not in text(reading.get(url))
    assert reading.post(url, {"items": "Fyra"}).status_code == 403
    assert reading.post(reverse("plan:templates"), {"kind": "procurement"}).status_code == 403


def test_the_header_lookup_shows_the_board_it_answers_from(ks, authorities, reader):
    """From the header only the words are sent: the select shows the reader's own board
    (not the first alphabetically), so refining the words keeps that board."""
    bun = authorities[1]
    assert bun.name < ks.name  # the first option is not the reader's board
    html = text(client_for(reader).get(reverse("plan:lookup"), {"q": "protokoll"}))
    assert f'<option value="{ks.pk}" selected>' in html
    assert f'<option value="{bun.pk}" selected>' not in html


def test_the_plan_page_shows_a_record_types_direction(ks, reader):
    """Issue 9, finding 8: a record type's direction (riktning) is shown in its row."""
    html = text(client_for(reader).get(reverse("plan:plan", args=[plan_of(ks).pk])))
    assert '<span class="tag">Inkommande</span>' in row_with(html, "Ansökan om bygglov")
    assert '<span class="tag">Utgående</span>' in row_with(html, "Bygglovsbeslut")
    assert '<span class="tag">Upprättad</span>' in row_with(html, "Delegationsbeslut")
    other = row_with(html, "Tjänsteutlåtande")
    assert "Inkommande" not in other and "Utgående" not in other
