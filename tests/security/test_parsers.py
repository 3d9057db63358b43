"""Hostile requests: deep nesting, oversized bodies, too many fields, NUL characters."""

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from diarium.core.parsers import json_depth_exceeds
from tests.security.conftest import api_client, assert_problem

pytestmark = pytest.mark.django_db


def nested(depth: int) -> str:
    return "[" * depth + "]" * depth


def test_json_nested_990_levels_is_a_400_problem_not_a_crash(registrator):
    response = api_client(registrator).generic(
        "POST", "/api/v1/cases/", nested(990), content_type="application/json")
    body = assert_problem(response, 400)
    assert "64" in body["detail"]


def test_json_nested_just_within_the_limit_reaches_the_view(registrator, settings):
    settings.MAX_JSON_DEPTH = 5
    client = api_client(registrator)
    ok = client.generic("POST", "/api/v1/cases/", json.dumps({"title": [[[["x"]]]]}),
                        content_type="application/json")
    assert ok.status_code == 400 and "errors" in ok.json()  # a field error from the view
    deep = client.generic("POST", "/api/v1/cases/", json.dumps({"title": [[[[["x"]]]]]}),
                          content_type="application/json")
    assert "errors" not in assert_problem(deep, 400)


def test_brackets_inside_strings_do_not_count(registrator, settings):
    settings.MAX_JSON_DEPTH = 3
    body = json.dumps({"series": "KS", "title": "[[[[[[{{{{ \\\" [[[["})
    response = api_client(registrator).generic("POST", "/api/v1/cases/", body,
                                               content_type="application/json")
    assert response.status_code == 201, response.content


def test_json_body_over_the_limit_is_a_413_problem(registrator, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    body = json.dumps({"series": "KS", "title": "x" * 2000})
    response = api_client(registrator).generic("POST", "/api/v1/cases/", body,
                                               content_type="application/json")
    assert_problem(response, 413)


def test_nan_is_not_json(registrator):
    response = api_client(registrator).generic(
        "POST", "/api/v1/cases/", '{"series": "KS", "title": NaN}',
        content_type="application/json")
    assert_problem(response, 400)


def test_too_many_form_fields_is_a_400_problem(registrator, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 10
    body = "&".join(f"f{n}=v" for n in range(50))
    response = api_client(registrator).generic(
        "POST", "/api/v1/cases/", body, content_type="application/x-www-form-urlencoded")
    assert_problem(response, 400)


def test_too_many_multipart_fields_is_a_400_problem(registrator, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 10
    data = {f"f{n}": "v" for n in range(50)}
    response = api_client(registrator).post("/api/v1/cases/", data, format="multipart")
    assert_problem(response, 400)


def _depth(value) -> int:
    if isinstance(value, list):
        return 1 + max((_depth(v) for v in value), default=0)
    if isinstance(value, dict):
        return 1 + max((_depth(v) for v in value.values()), default=0)
    return 0


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(alphabet='[]{}"\\ab'),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=3), inner,
                                                                max_size=3),
    max_leaves=20,
)


@given(json_values, st.integers(min_value=0, max_value=8))
def test_depth_scan_agrees_with_the_parsed_structure(value, limit):
    body = json.dumps(value).encode()
    assert json_depth_exceeds(body, limit) == (_depth(value) > limit)


@pytest.mark.parametrize(("query", "field"), [
    ("authority=KS%00", "authority"), ("date=2026-01-01&authority=%00", "authority"),
    ("authority=KS&date=2026%0001", "date")])
def test_a_nul_in_the_query_is_a_400_problem_naming_the_field(registrator, query, field):
    response = api_client(registrator).get(f"/api/v1/plan-rules/?{query}")
    body = assert_problem(response, 400)
    assert "NUL" in body["detail"] and list(body["errors"]) == [field]


def test_a_nul_in_a_page_address_is_a_400_page(registrator, client):
    client.force_login(registrator)
    response = client.get("/sok/?q=a%00b")
    assert response.status_code == 400
    assert "text/html" in response["Content-Type"]
