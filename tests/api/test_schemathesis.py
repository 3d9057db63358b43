"""The API against its own OpenAPI schema, with schemathesis: every operation, every check,
as a registrator and as an administrator, in process through the WSGI application.

Examples per operation are bounded (EXAMPLES) and derandomised, so that the run takes a
few minutes and a failure reproduces. One deliberate setting: a schema-valid request may
be answered 400 (positive_data_acceptance), because a schema cannot say which ids and
codes exist; such a 400 must then name the offending fields (checked below), which is
what a client can act on."""

import pytest
import schemathesis
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.config import SchemathesisConfig

from diarium.core.actors import OPERATOR
from diarium.organisation.services import create_api_token
from diarium.wsgi import application
from tests import factories as f

pytestmark = pytest.mark.django_db

EXAMPLES = 5
CONFIG = SchemathesisConfig.from_dict({"checks": {"positive_data_acceptance": {
    "expected-statuses": ["2xx", "400", "401", "403", "404", "409"],
}}})
schema = schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", application,
                                        config=CONFIG)


@pytest.fixture(autouse=True)
def _keep_test_connection():
    """The WSGI handler closes the database connection around each request; Django's
    test client avoids that the same way, so the test's transaction survives."""
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    cache.clear()  # the rate limits count in the cache
    yield
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


@pytest.fixture(params=["registrar", "administrator"])
def token(request, db):
    ks = f.series(f.authority("KS"), "KS")
    user = f.user(request.param, roles={ks.authority: request.param})
    case = f.case(user, ks, title="Bygglov för förråd")
    f.document(user, case, title="Ansökan")
    return create_api_token(OPERATOR, user).key


def refusals_name_fields(ctx, response, case) -> None:
    """A 400 to a request the schema allows is a refusal by field (`errors`)."""
    meta = case.meta
    if response.status_code == 400 and meta is not None and meta.generation.mode.is_positive:
        body = response.json()
        assert body.get("errors"), f"a 400 without field errors: {body}"


@schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=None, derandomize=True,
          suppress_health_check=list(HealthCheck))
def test_api_conforms_to_its_schema(case, token):
    case.call_and_validate(headers={"Authorization": f"Token {token}"},
                           additional_checks=[refusals_name_fields])
