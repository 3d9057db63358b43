"""The API against its own OpenAPI schema, with schemathesis: every operation, every check,
as a registrator and as an administrator. Examples per operation are bounded so that the
run takes minutes, not hours; the hypothesis seed is fixed so a failure reproduces."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings

from diarium.organisation.services import create_api_token
from diarium.wsgi import application
from tests import factories as f

pytestmark = pytest.mark.django_db

EXAMPLES = 8


schema = schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", application)


@pytest.fixture(autouse=True)
def _keep_test_connection():
    """The WSGI handler closes the database connection around each request; Django's
    test client avoids that the same way, so the test's transaction survives."""
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


@pytest.fixture(params=["registrator", "administrator"])
def token(request, db):
    ks = f.series(f.authority("KS"), "KS")
    user = f.user(request.param, roles={ks.authority: request.param})
    case = f.case(user, ks, title="Bygglov för förråd")
    f.document(user, case, title="Ansökan")
    return create_api_token(None, user).key


@schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=None, derandomize=True,
          suppress_health_check=list(HealthCheck))
def test_api_conforms_to_its_schema(case, token):
    case.call_and_validate(headers={"Authorization": f"Token {token}"})
