"""The API answers in problem+json whatever goes wrong, and refuses what it cannot take
instead of silently dropping it (issue 8, finding 9)."""

import pytest
from rest_framework.test import APIClient

from diarium.registry.models import Document
from tests import factories as f
from tests.api.conftest import assert_problem, client_for
from tests.api.test_documents import PDF, post

pytestmark = pytest.mark.django_db


@pytest.fixture
def session_client(registrator):
    """A browser session with CSRF checks on, as a logged-in user's browser would be."""
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(registrator)
    return client


@pytest.mark.parametrize("path", ["/api/v1/no-such-thing/", "/api/v1/no-such-thing",
                                  "/api/v1/cases/0.5/close/"])
def test_post_to_an_unknown_path_is_a_404_problem_not_a_csrf_page(session_client, path):
    body = assert_problem(session_client.post(path, {"a": 1}, format="json"), 404)
    assert body["instance"] == path


def test_unknown_path_with_a_token_client_is_a_404_problem(api):
    for method in ("post", "put", "patch", "delete"):
        assert_problem(getattr(api, method)("/api/v1/nothing/here/"), 404)


def test_a_resource_path_without_its_slash_is_redirected_for_get(api):
    response = api.get("/api/v1/cases?page=1")
    assert response.status_code == 301 and response["Location"] == "/api/v1/cases/?page=1"


def test_a_failed_csrf_check_under_the_api_is_a_problem(session_client, ks):
    response = session_client.post("/api/v1/cases/", {"series": "KS", "title": "x"},
                                   format="json")
    assert_problem(response, 403)


def test_a_body_over_djangos_limit_is_a_413_problem_before_any_view(api, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 100
    body = "a=" + "x" * 500
    response = api.generic("POST", "/api/v1/no-such-thing/", body,
                           content_type="application/x-www-form-urlencoded")
    assert response.status_code in (404, 413)  # nothing reads an unknown path's body
    response = api.generic("POST", "/api/v1/cases/", body,
                           content_type="application/x-www-form-urlencoded")
    assert_problem(response, 413)


@pytest.mark.parametrize("name", ["..", ".", "a/..", "..\\.."])
def test_a_file_named_dot_dot_is_refused_with_a_field_error(api, ks, registrator, name):
    case = f.case(registrator, ks)
    response = post(api, case, [(name, PDF, "application/pdf")])
    body = assert_problem(response, 400)
    assert list(body["errors"]) == ["files"]
    assert not Document.objects.filter(case=case).exists()


@pytest.mark.parametrize("value", ["0", "-1", "abc", "501", "1.5", ""])
def test_an_invalid_page_size_is_a_400_field_error(api, value):
    body = assert_problem(api.get(f"/api/v1/cases/?page_size={value}"), 400)
    assert "page_size" in body["errors"]


def test_a_repeated_page_size_is_a_400(api):
    assert_problem(api.get("/api/v1/cases/?page_size=5&page_size=6"), 400)


@pytest.mark.parametrize("page", ["0", "99", "x"])
def test_an_invalid_page_number_is_a_documented_404(api, page):
    assert_problem(api.get(f"/api/v1/cases/?page={page}"), 404)
    schema = APIClient().get("/api/v1/schema/?format=json").json()
    responses = schema["paths"]["/api/v1/cases/"]["get"]["responses"]
    assert "application/problem+json" in responses["404"]["content"]
    assert "application/problem+json" in responses["400"]["content"]


def test_valid_page_size_works(api, ks, registrator):
    for n in range(3):
        f.case(registrator, ks, title=f"Ärende {n}")
    body = client_for(registrator).get("/api/v1/cases/?page_size=2").json()
    assert len(body["results"]) == 2 and body["count"] == 3


def test_a_number_for_a_text_field_is_a_400_not_quietly_text(api, ks):
    response = api.post("/api/v1/cases/", {"series": "KS", "title": 5}, format="json")
    assert "title" in assert_problem(response, 400)["errors"]
    assert api.post("/api/v1/cases/", {"series": "KS", "title": "5"},
                    format="json").status_code == 201


def test_bodies_without_files_are_documented_as_json_only(api):
    schema = APIClient().get("/api/v1/schema/?format=json").json()
    cases = schema["paths"]["/api/v1/cases/"]["post"]["requestBody"]["content"]
    assert list(cases) == ["application/json"]
    documents = schema["paths"]["/api/v1/documents/"]["post"]["requestBody"]["content"]
    assert "multipart/form-data" in documents  # it carries files
