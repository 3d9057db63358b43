"""The open API: no token, its own valid OpenAPI schema (and the staff schema leaves it
out), the same public fields as the pages, problem+json for bad input."""

import pytest
from django.test import Client
from drf_spectacular.validation import validate_schema

from diarium.public.models import PublicFile
from tests.public.world import build
from tests.workers import run_jobs

pytestmark = pytest.mark.django_db


@pytest.fixture
def pw():
    return build()


def get(path: str, status: int = 200) -> dict:
    response = Client().get(path)
    assert response.status_code == status, (path, response.content[:300])
    return response.json()


def test_the_schema_is_valid_and_separate_from_the_staff_schema(pw):
    schema = get("/api/public/v1/schema/?format=json")
    validate_schema(schema)
    assert {"/api/public/v1/cases/", "/api/public/v1/cases/{case_id}/",
            "/api/public/v1/documents/", "/api/public/v1/postlista/{code}/",
            "/api/public/v1/registers/", "/api/public/v1/authorities/"} <= set(schema["paths"])
    params = {p["name"] for p in schema["paths"]["/api/public/v1/cases/"]["get"]["parameters"]}
    assert {"q", "authority", "date_from", "date_to", "direction", "record_type", "status",
            "page"} <= params
    staff = Client()
    from tests import factories as f

    staff.force_login(f.user())
    staff_schema = staff.get("/api/v1/schema/?format=json").json()
    assert not any(p.startswith("/api/public/") for p in staff_schema["paths"])
    docs = Client().get("/api/public/v1/docs/")
    assert docs.status_code == 200 and '<h1 class="visually-hidden">' in docs.content.decode()


def test_cases_documents_and_postlista(pw):
    cases = get("/api/public/v1/cases/?q=förråd")
    assert cases["count"] == 1
    row = cases["results"][0]
    assert row["public_title"] == "Bygglov för förråd" and row["organisations"] == ["Bygg AB"]
    detail = get(f"/api/public/v1/cases/{pw.open_case.pk}/")
    letter = detail["documents"][0]
    assert letter["request"] == f"/insyn/begar/?document={pw.letter.pk}"
    assert letter["files"][0]["download"].startswith("/insyn/fil/")
    secret = get(f"/api/public/v1/cases/{pw.secret_case.pk}/")
    assert secret["is_secret"] and secret["public_title"] == ""
    assert secret["secrecy_ground"] == "Sekretess enligt OSL 26 kap. 1 §"
    assert secret["documents"][0]["files"] == []
    docs = get("/api/public/v1/documents/?direction=incoming&authority=KS")
    assert {d["document_number"] for d in docs["results"]} >= {
        f"{pw.open_case.diary_number}:1"}
    posts = get("/api/public/v1/postlista/KS/?days=3")
    assert posts["count"] == 2
    get("/api/public/v1/postlista/NOPE/", 404)
    get(f"/api/public/v1/cases/{pw.letter.pk}/", 404)


def test_bad_input_is_problem_json(pw):
    response = Client().get("/api/public/v1/cases/?date_from=yesterday")
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/problem+json")
    assert "date_from" in response.json()["errors"]
    assert Client().get("/api/public/v1/postlista/KS/?days=x").status_code == 400


def test_a_rendition_is_what_the_public_downloads():
    pw = build(file_text=b"Ansokan om bygglov, sida ett.")
    run_jobs()  # the processing job makes the PDF/A and tells the projection
    item = PublicFile.objects.get(document_id=pw.letter.pk)
    assert item.is_rendition and item.mime_type == "application/pdf"
    response = Client().get(f"/insyn/fil/{item.pk}/")
    assert b"".join(response.streaming_content).startswith(b"%PDF")
