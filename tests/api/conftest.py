"""Fixtures for the API tests: two authorities (KS and BUN) and staff in them."""

import pytest
from rest_framework.test import APIClient

from diarium.registry import services
from tests import factories as f

CANARY = "KANARIEFÅGEL-hemlig-7731"


@pytest.fixture
def ks():
    return f.series(f.authority("KS"), "KS")


@pytest.fixture
def bun():
    return f.series(f.authority("BUN"), "BUN")


@pytest.fixture
def registrator(ks):
    return f.user("reg", roles={ks.authority: "registrar"})


@pytest.fixture
def officer(ks):
    return f.user("officer", roles={ks.authority: "officer"})


@pytest.fixture
def outsider(bun):
    """A registrator of the other authority (BUN)."""
    return f.user("bunreg", roles={bun.authority: "registrar"})


def client_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def api(registrator):
    return client_for(registrator)


def secret(provision: str = "OSL 26:1") -> services.Secrecy:
    return services.Secrecy(provision=provision, withhold_title=True)


@pytest.fixture
def secret_case(ks, registrator):
    return f.case(registrator, ks, title=f"Orosanmälan {CANARY}", secrecy=secret())


@pytest.fixture
def bun_secret_case(bun, outsider):
    return f.case(outsider, bun, title=f"BUN {CANARY}", secrecy=secret())


def assert_problem(response, status: int) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/problem+json")
    body = response.json()
    assert body["status"] == status and body["title"] and body["type"] == "about:blank"
    return body
