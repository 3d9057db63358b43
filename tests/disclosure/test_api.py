"""/api/v1/requests/: the clock, the review, and the policy on secret documents."""

import pytest
from rest_framework.test import APIClient

from diarium.audit.models import AuditEvent
from diarium.disclosure import services
from diarium.disclosure.selectors import public_documents
from tests.disclosure.conftest import CANARY

pytestmark = pytest.mark.django_db


def api(user) -> APIClient:
    c = APIClient()
    c.force_authenticate(user)
    return c


@pytest.fixture
def req(world):
    return services.submit_request(services.Submission(
        reply_method="pickup", documents=public_documents([str(world["secret"].pk)])))[0]


def test_list_and_detail_with_the_policy(world, req):
    listing = api(world["officer"]).get("/api/v1/requests/")
    assert listing.status_code == 200
    assert listing.json()["results"][0]["number"] == req.number
    url = f"/api/v1/requests/{req.pk}/"
    outside = api(world["officer"]).get(url)
    assert outside.status_code == 200 and CANARY not in outside.content.decode()
    assert outside.json()["items"][0]["title"] is None
    before = AuditEvent.objects.filter(action="secret.read").count()
    inside = api(world["reg"]).get(url)
    assert CANARY in inside.json()["items"][0]["title"]
    assert AuditEvent.objects.filter(action="secret.read").count() == before + 1


def test_review_through_the_api(world, req):
    item = req.items.get()
    url = f"/api/v1/requests/{req.pk}/items/{item.pk}/review/"
    assert api(world["officer"]).post(url, {"outcome": "release"}).status_code == 403
    bad = api(world["reg"]).post(url, {"outcome": "refused", "provision": "nonsense"})
    assert bad.status_code == 400
    ok = api(world["reg"]).post(url, {"outcome": "refused", "provision": "OSL 26:1"})
    assert ok.status_code == 200 and ok.json()["items"][0]["provision"] == "OSL 26 kap. 1 §"
    assert api(world["reg"]).get("/api/v1/requests/not-a-uuid/").status_code == 404
    assert APIClient().get("/api/v1/requests/").status_code == 401
