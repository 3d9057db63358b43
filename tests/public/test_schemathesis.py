"""The open public API against its own OpenAPI schema, with schemathesis: every operation,
every check, no token, in process through the WSGI application. A 400 must name the
offending fields; no answer is a 500."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.config import SchemathesisConfig

from diarium.wsgi import application
from tests.public.world import build

pytestmark = pytest.mark.django_db

CONFIG = SchemathesisConfig.from_dict({"checks": {"positive_data_acceptance": {
    "expected-statuses": ["2xx", "400", "404"],
}}})
schema = schemathesis.openapi.from_wsgi("/api/public/v1/schema/?format=json", application,
                                        config=CONFIG)


@pytest.fixture(autouse=True)
def _keep_test_connection():
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


@pytest.fixture
def world(db):
    return build()


def refusals_name_fields(ctx, response, case) -> None:
    meta = case.meta
    if response.status_code == 400 and meta is not None and meta.generation.mode.is_positive:
        assert response.json().get("errors"), response.text


@schema.parametrize()
@settings(max_examples=8, deadline=None, derandomize=True,
          suppress_health_check=list(HealthCheck))
def test_public_api_conforms_to_its_schema(case, world):
    case.call_and_validate(additional_checks=[refusals_name_fields])
