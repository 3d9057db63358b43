"""The plan's REST API: reading for all staff, writing for archivists and administrators,
import errors as problems, exports that import back, the systems register and checklists."""

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from rest_framework.test import APIClient

from diarium.core.actors import OPERATOR
from diarium.plan import selectors, services
from diarium.plan.models import ChecklistItem, ITSystem, PlanVersion
from tests import factories as f
from tests.plan import factories as pf
from tests.plan.ui import KS_DECISION, plan_of, sample_municipality

pytestmark = pytest.mark.django_db


@pytest.fixture
def authorities():
    return sample_municipality()


@pytest.fixture
def ks(authorities):
    return authorities[0]


@pytest.fixture
def reader(ks):
    return api_for(f.user("lasare", roles={ks: "reader"}))


@pytest.fixture
def archivist_user(ks):
    return f.user("arkivarie", roles={ks: "archivist"})


@pytest.fixture
def archivist(archivist_user):
    return api_for(archivist_user)


def api_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def problem(response, status: int) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/problem+json")
    body = response.json()
    assert body["status"] == status and body["title"]
    return body


def csv_upload(content: bytes, name: str = "plan.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="text/csv")


# --- reading ---------------------------------------------------------------------------


def test_every_staff_member_reads_the_plans(ks, reader):
    plans = reader.get("/api/v1/plans/").json()["results"]
    mine = next(p for p in plans if p["authority"] == "KS")
    assert mine["in_force"] == 1 and mine["draft"] is None and not mine["is_base"]
    assert any(p["is_base"] and p["authority"] is None for p in plans)

    versions = reader.get(f"/api/v1/plans/{mine['id']}/versions/").json()
    assert [v["decision_reference"] for v in versions] == [KS_DECISION]
    version = reader.get(f"/api/v1/plan-versions/{versions[0]['id']}/").json()
    assert {"code": "2.2.4", "name": "Hantera frånvaro och arbetstid", "level": 3,
            "is_local": False} in version["processes"]
    sick = next(r for r in version["rules"] if r["name"] == "Sjukfrånvaroanmälningar")
    assert (sick["secrecy_provision"], sick["disposition"], sick["period_amount"],
            sick["trigger"], sick["count_from_year_end"]) == (
        "OSL 39:3", "dispose", 2, "document_date", True)

    nobody = api_for(f.user("ingen"))
    problem(nobody.get("/api/v1/plans/"), 403)
    problem(APIClient().get("/api/v1/plans/"), 401)


def test_rules_in_force_for_an_authority_on_a_date(ks, reader):
    response = reader.get("/api/v1/plan-rules/", {"authority": "KS", "date": "2025-06-01",
                                                  "page_size": 500})
    rules = response.json()["results"]
    assert len(rules) > 60
    sick = next(r for r in rules if r["name"] == "Sjukfrånvaroanmälningar")
    assert sick["summary"].startswith("Registreras i HR-systemet.")
    assert reader.get(f"/api/v1/plan-rules/{sick['id']}/").json()["name"] == sick["name"]
    before = reader.get("/api/v1/plan-rules/", {"authority": "KS", "date": "2021-06-01"})
    assert before.json()["count"] == 0  # nothing was in force yet
    body = problem(reader.get("/api/v1/plan-rules/", {"authority": "NOPE"}), 400)
    assert "authority" in body["errors"]
    problem(reader.get("/api/v1/plan-rules/00000000-0000-0000-0000-000000000000/"), 404)


def test_what_do_i_do_with(ks, reader):
    hits = reader.get("/api/v1/plan-lookup/", {"q": "sjukfrånvaro", "authority": "KS"}).json()
    assert hits[0]["rule"]["name"] == "Sjukfrånvaroanmälningar"
    assert hits[0]["answer"] == (
        "Registreras i HR-systemet. Omfattas normalt av sekretess (OSL 39:3). Gallras 2 år "
        "efter utgången av det år handlingen är daterad (Gallringsbeslut KS 2024:1 (Sjöviks "
        "kommun)).")
    english = reader.get("/api/v1/plan-lookup/", {"q": "protokoll", "authority": "KS"},
                         HTTP_ACCEPT_LANGUAGE="en").json()
    assert english[0]["rule"]["name"] == "Protokoll"
    assert english[0]["answer"].startswith("Not registered but kept in order in ")
    problem(reader.get("/api/v1/plan-lookup/", {"authority": "KS"}), 400)


# --- writing: permissions, import, export, adoption ------------------------------------


def test_a_reader_cannot_write(ks, reader):
    plan = plan_of(ks)
    draft = services.create_draft(OPERATOR, plan)
    data = pf.csv_bytes(pf.plan_rows())
    problem(reader.post(f"/api/v1/plans/{plan.pk}/import/", {"file": csv_upload(data)},
                        format="multipart"), 403)
    problem(reader.post(f"/api/v1/plan-versions/{draft.pk}/adopt/",
                        {"decision_date": "2026-01-01", "decision_reference": "KS"}), 403)
    problem(reader.post("/api/v1/systems/", {"name": "X", "owner": "KS"}), 403)
    problem(reader.post("/api/v1/checklist-templates/",
                        {"kind": "procurement", "name": "X", "items": [{"text": "a"}]},
                        format="json"), 403)
    draft.refresh_from_db()
    assert draft.status == "draft"
    assert draft.rules.count() == selectors.latest_adopted(plan).rules.count()  # unchanged


def test_import_errors_are_listed_with_row_and_column_and_nothing_is_imported(ks, archivist):
    plan = selectors.base_plan(ks.municipality_id)
    bad = pf.csv_bytes(pf.plan_rows(
        pf.type_row("Nytt A", bevaras_gallras="kanske"),
        pf.type_row("Nytt B", bevaras_gallras="gallras", gallringsfrist="0 år",
                    utlösare="ärendets avslut"),
        pf.type_row("Nytt C", code="9.9.9"),
    ))
    response = archivist.post(f"/api/v1/plans/{plan.pk}/import/", {"file": csv_upload(bad)},
                              format="multipart")
    body = problem(response, 400)
    located = {(i["row"], i["column"]) for i in body["issues"]}
    assert {(7, "bevaras_gallras"), (8, "gallringsfrist"), (9, "processkod")} <= located
    assert len(body["errors"]["file"]) == len(body["issues"])
    assert selectors.draft_of(plan) is None and plan.versions.count() == 1


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "json"])
def test_an_export_imports_back_unchanged(ks, archivist, fmt):
    plan = selectors.base_plan(ks.municipality_id)
    response = archivist.get(f"/api/v1/plans/{plan.pk}/export/", {"format": fmt})
    assert response.status_code == 200 and f".{fmt}" in response["Content-Disposition"]
    upload = SimpleUploadedFile(f"plan.{fmt}", response.content)
    result = archivist.post(f"/api/v1/plans/{plan.pk}/import/", {"file": upload},
                            format="multipart")
    assert result.status_code == 201, result.content
    assert result.json()["version"]["number"] == 2 and result.json()["record_types"] > 60
    adopted, draft = (PlanVersion.objects.get(plan=plan, number=n) for n in (1, 2))
    assert selectors.version_content(draft) == selectors.version_content(adopted)


def test_the_pdf_export(ks, reader):
    from pypdf import PdfReader

    response = reader.get(f"/api/v1/plans/{plan_of(ks).pk}/export/", {"format": "pdf"})
    assert response["Content-Type"] == "application/pdf"
    text = PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
    assert KS_DECISION in text
    problem(reader.get(f"/api/v1/plans/{plan_of(ks).pk}/export/", {"version": 5}), 404)


def test_an_archivist_adopts_a_draft(ks, archivist):
    plan = selectors.base_plan(ks.municipality_id)
    upload = csv_upload(archivist.get(f"/api/v1/plans/{plan.pk}/export/").content)
    draft = archivist.post(f"/api/v1/plans/{plan.pk}/import/", {"file": upload},
                           format="multipart").json()["version"]
    url = f"/api/v1/plan-versions/{draft['id']}/adopt/"
    body = problem(archivist.post(url, {"decision_date": "2026-03-14",
                                        "decision_reference": "KS 2026-03-14 § 45",
                                        "valid_from": "2021-06-01"}), 400)
    assert "valid_from" in body["errors"]
    response = archivist.post(url, {"decision_date": "2026-03-14",
                                    "decision_reference": "KS 2026-03-14 § 45"})
    assert response.status_code == 200
    assert response.json()["status"] == "adopted"
    assert response.json()["adopted_by"] == "arkivarie"
    assert response.json()["valid_from"] == "2026-03-14"
    problem(archivist.post(url, {"decision_date": "2026-03-15",
                                 "decision_reference": "again"}), 400)


# --- systems register and checklists ---------------------------------------------------


def test_systems_crud(ks, authorities, reader, archivist):
    bun_archivist = api_for(f.user("bunark", roles={authorities[1]: "archivist"}))
    held = str(selectors.rules(selectors.latest_adopted(plan_of(ks))).first().record_type_id)
    created = archivist.post("/api/v1/systems/", {
        "name": "Passersystemet", "owner": "KS", "administrator": "arkivarie",
        "archive_delivery": "none", "record_types": [held]}, format="json")
    assert created.status_code == 201, created.content
    system = created.json()
    assert system["owner"] == "KS" and system["administrator"] == "arkivarie"
    assert system["record_types"] == [held] and system["status"] == "in_use"

    url = f"/api/v1/systems/{system['id']}/"
    assert reader.get(url).json()["name"] == "Passersystemet"
    names = [s["name"] for s in reader.get("/api/v1/systems/").json()["results"]]
    assert "Passersystemet" in names and "HR-systemet" in names
    problem(reader.patch(url, {"status": "retired"}, format="json"), 403)
    problem(bun_archivist.patch(url, {"status": "retired"}, format="json"), 403)
    changed = archivist.patch(url, {"status": "retiring", "extraction_spec": "US 2026:4"},
                              format="json").json()
    assert (changed["status"], changed["extraction_spec"], changed["record_types"]) == (
        "retiring", "US 2026:4", [held])
    replaced = archivist.put(url, {"name": "Passersystem", "owner": "KS"}, format="json").json()
    assert replaced["record_types"] == [] and replaced["status"] == "in_use"
    body = problem(archivist.post("/api/v1/systems/", {"name": "Y", "owner": "NOPE"},
                                  format="json"), 400)
    assert "owner" in body["errors"]
    problem(archivist.delete(url), 405)


def test_templates_and_ticking_checklists(ks, reader, archivist, archivist_user):
    created = archivist.post("/api/v1/checklist-templates/", {
        "kind": "procurement", "name": "Upphandling av e-tjänst",
        "items": [{"text": "Bevarandekrav", "guidance": "Se IHP"}, {"text": "Exportformat"}],
    }, format="json")
    assert created.status_code == 201, created.content
    template = created.json()
    assert [i["text"] for i in template["items"]] == ["Bevarandekrav", "Exportformat"]
    items = archivist.put(f"/api/v1/checklist-templates/{template['id']}/items/",
                          {"items": [{"text": "Ett"}, {"text": "Två"}, {"text": "Tre"}]},
                          format="json").json()["items"]
    assert [(i["position"], i["text"]) for i in items] == [(1, "Ett"), (2, "Två"), (3, "Tre")]
    problem(reader.put(f"/api/v1/checklist-templates/{template['id']}/items/",
                       {"items": [{"text": "x"}]}, format="json"), 403)

    hr = ITSystem.objects.get(name="HR-systemet")
    started = archivist.post("/api/v1/checklists/", {"system": str(hr.pk),
                                                     "template": template["id"]})
    assert started.status_code == 201, started.content
    checklist = started.json()
    assert (checklist["done"], checklist["total"]) == (0, 3)
    first = checklist["items"][0]["id"]
    url = f"/api/v1/checklists/{checklist['id']}/tick/"
    problem(reader.post(url, {"item": first}), 403)
    ticked = archivist.post(url, {"item": first, "note": "Klart"}).json()
    item = ticked["items"][0]
    assert (ticked["done"], item["done"], item["done_by"], item["note"]) == (
        1, True, "arkivarie", "Klart")
    ticked_at = dt.datetime.fromisoformat(item["done_at"])
    assert abs((timezone.now() - ticked_at).total_seconds()) < 60
    assert ChecklistItem.objects.get(pk=first).done_by == archivist_user
    unticked = archivist.post(url, {"item": first, "done": False}).json()["items"][0]
    assert (unticked["done"], unticked["done_by"], unticked["done_at"]) == (False, None, None)
    problem(archivist.post(url, {"item": 999999}), 404)
    listed = reader.get("/api/v1/checklists/", {"system": str(hr.pk)}).json()["results"]
    assert [c["id"] for c in listed] == [checklist["id"]]


def test_the_plan_api_is_in_the_schema(ks, reader):
    paths = reader.get("/api/v1/schema/?format=json").json()["paths"]
    for path in ("/api/v1/plans/", "/api/v1/plans/{id}/import/", "/api/v1/plans/{id}/export/",
                 "/api/v1/plan-versions/{id}/adopt/", "/api/v1/plan-rules/",
                 "/api/v1/plan-lookup/", "/api/v1/systems/{id}/", "/api/v1/checklists/{id}/tick/",
                 "/api/v1/checklist-templates/{id}/items/"):
        assert path in paths, path
    problems = paths["/api/v1/plans/{id}/import/"]["post"]["responses"]["400"]["content"]
    assert "issues" in str(problems) or "PlanFileProblem" in str(problems)
