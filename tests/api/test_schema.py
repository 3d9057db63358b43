import io

import pytest
from django.core.management import call_command
from drf_spectacular.validation import validate_schema
from rest_framework.test import APIClient

from tests import factories as f

pytestmark = pytest.mark.django_db


def test_schema_is_valid_openapi_3():
    response = APIClient().get("/api/v1/schema/?format=json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    validate_schema(schema)  # raises on an invalid document
    for path in ("/api/v1/cases/", "/api/v1/cases/{id}/history/", "/api/v1/documents/",
                 "/api/v1/documents/{id}/files/{file_id}/download/", "/api/v1/parties/",
                 "/api/v1/inbox/{id}/place/", "/api/v1/authorities/", "/api/v1/series/"):
        assert path in schema["paths"], path
    case = schema["components"]["schemas"]["Case"]
    assert set(case["required"]) == {"id", "diarienummer", "is_secret", "redacted"}
    create = schema["paths"]["/api/v1/cases/"]["post"]
    assert any(p["name"] == "Idempotency-Key" for p in create["parameters"])
    assert "application/problem+json" in create["responses"]["400"]["content"]


def test_the_case_search_parameters_and_codes_are_documented():
    schema = APIClient().get("/api/v1/schema/?format=json").json()
    listing = schema["paths"]["/api/v1/cases/"]["get"]["parameters"]
    params = {p["name"]: p for p in listing}
    assert {"diary_number", "q", "party", "opened_from", "opened_to", "status",
            "authority", "mine"} <= set(params)
    assert params["diarienummer"].get("deprecated") is True
    assert not any(p.get("deprecated") for name, p in params.items() if name != "diarienummer")
    # An empty value means "no filter" and is documented as such.
    assert set(params["status"]["schema"]["enum"]) - {""} == {"open", "dormant", "closed",
                                                              "voided", "disposed"}
    documents = {p["name"]: p for p in schema["paths"]["/api/v1/documents/"]["get"]["parameters"]}
    assert set(documents["direction"]["schema"]["enum"]) - {""} == {"incoming", "outgoing",
                                                                    "internal"}


def test_schema_generates_without_warnings(tmp_path):
    out = tmp_path / "schema.yaml"
    # --fail-on-warn turns every warning (an unknown type, a missing hint) into an error.
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out),
                 stderr=io.StringIO())
    assert out.read_text().startswith("openapi: 3.")


def test_docs_page_uses_local_assets():
    client = APIClient()
    client.force_authenticate(f.user())
    response = client.get("/api/v1/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/" in html
    assert "cdn." not in html


def test_swagger_ui_assets_are_served_locally():
    response = APIClient().get("/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui.css")
    assert response.status_code == 200
    assert b"swagger" in b"".join(response.streaming_content)


def test_unknown_api_path_is_a_problem():
    client = APIClient()
    client.force_authenticate(f.user())
    response = client.get("/api/v1/no-such-thing/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["instance"] == "/api/v1/no-such-thing/"
    assert client.get("/api/v1/series").status_code == 301  # APPEND_SLASH still redirects
