"""Responses that schemathesis found outside the schema (issue 8, finding 9), each checked
against the published schema with a real request through the WSGI application: the
disposal report's summary (an array), history values that may be null, parties without an
e-mail address, plan rules without a disposal period, a plan import refused before its file
is read (no `issues`)."""

import io

import pytest
from werkzeug.test import Client

from diarium.core.actors import OPERATOR
from diarium.organisation.services import create_api_token
from diarium.registry import services
from diarium.wsgi import application
from tests import factories as f
from tests.api.test_schemathesis import _keep_test_connection, schema
from tests.plan.ui import plan_of, sample_municipality

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("_keep_test_connection")]
__all__ = ["_keep_test_connection"]


def call(user, method: str, path: str, **kwargs):
    headers = {"Authorization": f"Token {create_api_token(OPERATOR, user).key}"}
    return Client(application).open(path, method=method, headers=headers, **kwargs)


def conforms(template: str, method: str, response) -> None:
    schema[template][method].validate_response(response)  # raises with the violations


@pytest.fixture
def ks():
    return sample_municipality()[0]


@pytest.fixture
def archivist(ks):
    return f.user("ark", roles={ks: "archivist"})


def test_the_disposal_report_summary_is_the_documented_array(archivist):
    response = call(archivist, "GET", "/api/v1/disposal-report/")
    assert response.status_code == 200 and response.json == []
    conforms("/api/v1/disposal-report/", "GET", response)


def test_history_before_may_be_null(ks):
    series = f.series(ks, "KS")
    user = f.user("reg", roles={ks: "registrar"})
    case = f.case(user, series)
    response = call(user, "GET", f"/api/v1/cases/{case.pk}/history/")
    assert response.status_code == 200
    assert any(event["before"] is None for event in response.json["results"])
    conforms("/api/v1/cases/{id}/history/", "GET", response)


def test_a_party_without_email_conforms(ks):
    user = f.user("reg", roles={ks: "registrar"})
    party = services.create_party(user, kind="person", name="Anna Andersson")
    response = call(user, "GET", f"/api/v1/parties/{party.pk}/")
    assert response.status_code == 200 and response.json["email"] == ""
    conforms("/api/v1/parties/{id}/", "GET", response)


def test_plan_rules_without_a_disposal_period_conform(archivist, ks):
    versions = call(archivist, "GET", f"/api/v1/plans/{plan_of(ks).pk}/versions/").json
    response = call(archivist, "GET", f"/api/v1/plan-versions/{versions[0]['id']}/")
    assert any(rule["period_unit"] == "" for rule in response.json["rules"])
    conforms("/api/v1/plan-versions/{id}/", "GET", response)


def test_a_plan_import_refused_before_reading_conforms(archivist, ks):
    response = call(archivist, "POST", f"/api/v1/plans/{plan_of(ks).pk}/import/",
                    data={"file_format": "csv"})
    assert response.status_code == 400 and "issues" not in response.json
    conforms("/api/v1/plans/{id}/import/", "POST", response)
    bad = call(archivist, "POST", f"/api/v1/plans/{plan_of(ks).pk}/import/",
               data={"file": (io.BytesIO(b"nonsense;;\n"), "plan.csv"), "file_format": "csv"})
    assert bad.status_code == 400 and bad.json["issues"]
    conforms("/api/v1/plans/{id}/import/", "POST", bad)
