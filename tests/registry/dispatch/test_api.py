"""The dispatch API: an e-mail dispatch answers 202 and the job sends it; a bad address is
a 400 problem with nothing written; the lists and their versions are read; a retry is 202."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from diarium.registry.dispatch import setup
from diarium.registry.dispatch.models import Dispatch
from diarium.registry.dispatch.recipients import RecipientInput
from tests.workers import run_jobs

pytestmark = pytest.mark.django_db


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_dispatch_by_api_to_a_list_and_a_party(world, smtp):
    dlist = setup.save_list(world.admin, world.ks.authority, "Grannar", [
        RecipientInput("email", name="Granne", email="granne@example.org")])
    client = api(world.registrator)
    lists = client.get("/api/v1/distribution-lists/").json()
    assert [entry["name"] for entry in lists["results"]] == ["Grannar"]
    response = client.post("/api/v1/dispatches/", {
        "document": str(world.decision.pk), "channel": "email", "lists": [str(dlist.pk)],
        "recipients": [{"kind": "party", "party": str(world.anna.pk)},
                       {"kind": "email", "name": "Okänd", "email": "okand@example.org"}]},
        format="json")
    assert response.status_code == 202, response.content
    body = response.json()
    assert len(body["jobs"]) == 1 and body["dispatched_at"] is None
    run_jobs()
    done = client.get(f"/api/v1/dispatches/{body['id']}/").json()
    outcome = {r["email"]: r["state"] for r in done["recipients"]}
    assert outcome == {"granne@example.org": "sent", "anna@example.org": "sent",
                       "okand@example.org": "failed"}
    assert done["lists"][0]["number"] == 1 and done["dispatched_at"]
    assert smtp.recipients == ["anna@example.org", "granne@example.org"]
    smtp.refuse.clear()
    retried = client.post(f"/api/v1/dispatches/{body['id']}/retry/")
    assert retried.status_code == 202
    run_jobs()
    assert smtp.recipients == ["anna@example.org", "granne@example.org", "okand@example.org"]
    listed = client.get(f"/api/v1/dispatches/?document={world.decision.pk}").json()
    assert [d["id"] for d in listed] == [body["id"]]


@pytest.mark.parametrize("recipient", [
    {"kind": "email", "name": "Eva", "email": "inte en adress"},
    {"kind": "email", "name": "Eva\r\nBcc: spion@example.org", "email": "eva@example.org"},
    {"kind": "email", "name": "Eva", "email": "eva@example.org\r\nBcc: spion@example.org"},
    {"kind": "party"},
])
def test_bad_recipients_are_a_problem_and_nothing_is_written(world, smtp, recipient):
    response = api(world.registrator).post("/api/v1/dispatches/", {
        "document": str(world.decision.pk), "channel": "email",
        "recipients": [{"kind": "party", "party": str(world.anna.pk)}, recipient]},
        format="json")
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/problem+json")
    assert not Dispatch.objects.exists() and smtp.received == []


def test_post_by_api(world, smtp):
    response = api(world.registrator).post("/api/v1/dispatches/", {
        "document": str(world.decision.pk), "channel": "post",
        "recipients": [{"kind": "party", "party": str(world.bo.pk)}]}, format="json")
    assert response.status_code == 201
    assert response.json()["recipients"][0]["postal_address"] == "Box 7\n123 99 Sjövik"
