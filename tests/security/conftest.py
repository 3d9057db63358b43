"""Fixtures for the security tests: a board, a registrator, an administrator, and a clean
cache (the API's rate limits count there)."""

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from tests import factories as f

PASSWORD = "Grusväg-Tallkotte-91"


@pytest.fixture(autouse=True)
def _clean_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def ks():
    return f.series(f.authority("KS"), "KS")


@pytest.fixture
def registrator(ks):
    user = f.user("reg", roles={ks.authority: "registrar"})
    user.set_password(PASSWORD)
    user.save()
    return user


@pytest.fixture
def administrator(ks):
    return f.user("admin1", roles={ks.authority: "administrator"})


def api_client(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def assert_problem(response, status: int) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/problem+json")
    body = response.json()
    assert body["status"] == status and body["title"]
    return body
