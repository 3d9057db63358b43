import threading

import pytest
from django.db import connection

from diarium.core import idempotency
from diarium.core.actors import MAIL
from diarium.core.models import IdempotencyKey
from diarium.registry.models import Case, Document, Party
from tests import factories as f
from tests.api.conftest import assert_problem, client_for
from tests.api.test_documents import PDF, fields, multipart

pytestmark = pytest.mark.django_db

URL = "/api/v1/cases/"
BODY = {"series": "KS", "title": "Medborgarförslag"}


def post(client, body=BODY, key="k-1", url=URL):
    return client.post(url, body, format="json", headers={"Idempotency-Key": key})


def test_same_key_and_body_replays_the_first_response(api, ks):
    first = post(api)
    assert first.status_code == 201, first.content
    again = post(api, dict(reversed(list(BODY.items()))))  # same content, other key order
    assert again.status_code == 201 and again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true"
    assert Case.objects.count() == 1


def test_same_key_other_body_is_a_conflict(api, ks):
    assert post(api).status_code == 201
    body = assert_problem(post(api, {"series": "KS", "title": "Något annat"}), 409)
    assert body["detail"]
    assert_problem(post(api, url="/api/v1/parties/", body={"kind": "person", "name": "x"}), 409)
    assert Case.objects.count() == 1 and not Party.objects.exists()


def test_keys_belong_to_their_user(api, ks):
    colleague = f.user(roles={ks.authority: "registrar"})
    first, second = post(api), post(client_for(colleague))
    assert first.status_code == second.status_code == 201
    assert first.json()["diarienummer"] != second.json()["diarienummer"]
    assert IdempotencyKey.objects.count() == 2


def test_without_a_key_every_request_creates(api, ks):
    assert api.post(URL, BODY, format="json").status_code == 201
    assert api.post(URL, BODY, format="json").status_code == 201
    assert Case.objects.count() == 2 and not IdempotencyKey.objects.exists()


def test_failed_requests_are_not_stored(api, ks):
    assert_problem(post(api, {"series": "KS"}), 400)
    assert not IdempotencyKey.objects.exists()
    assert post(api).status_code == 201


def test_overlong_key_is_a_problem(api, ks):
    body = assert_problem(post(api, key="x" * 256), 400)
    assert "Idempotency-Key" in body["errors"]
    assert not Case.objects.exists()


def test_a_retry_that_lost_the_race_replays_the_winner(api, ks, monkeypatch):
    """Both requests passed the first look-up; the second's insert of the key fails on the
    unique constraint, its case is rolled back, and it answers with the first's response."""
    first = post(api)
    real_replay = idempotency.replay
    calls = []

    def replay_as_if_not_yet_committed(request):
        calls.append(1)
        return None if len(calls) == 1 else real_replay(request)

    monkeypatch.setattr(idempotency, "replay", replay_as_if_not_yet_committed)
    again = post(api)
    assert len(calls) == 2
    assert again.status_code == 201 and again.json() == first.json()
    assert Case.objects.count() == 1
    # Nothing of the loser stays: the next case gets the next number.
    assert api.post(URL, BODY, format="json").json()["number"] == 2


def test_document_upload_replays_even_with_another_multipart_boundary(api, ks, registrator):
    case = f.case(registrator, ks)
    responses = []
    for boundary in ("aaa111", "bbb222"):
        body, content_type = multipart(fields(case), [("a.pdf", PDF, "application/pdf")], boundary)
        responses.append(api.post("/api/v1/documents/", data=body, content_type=content_type,
                                  headers={"Idempotency-Key": "doc-1"}))
    assert [r.status_code for r in responses] == [201, 201]
    assert responses[0].json() == responses[1].json()
    assert Document.objects.count() == 1
    body, content_type = multipart(fields(case), [("a.pdf", PDF + b"!", "application/pdf")])
    other = api.post("/api/v1/documents/", data=body, content_type=content_type,
                     headers={"Idempotency-Key": "doc-1"})
    assert_problem(other, 409)


def test_place_inbox_item_and_create_party_are_idempotent(api, ks, registrator):
    from diarium.registry import services

    item = services.receive_mail(MAIL, ks.authority, sender="a@example.se", subject="Brev")
    case = f.case(registrator, ks)
    url = f"/api/v1/inbox/{item.pk}/place/"
    first, again = (post(api, {"case": str(case.pk)}, "p-1", url) for _ in range(2))
    assert first.status_code == again.status_code == 201 and first.json() == again.json()
    assert Document.objects.count() == 1
    party = {"kind": "person", "name": "Anna"}
    first, again = (post(api, party, "party-1", "/api/v1/parties/") for _ in range(2))
    assert first.json() == again.json() and Party.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_concurrent_retries_create_one_case(ks, registrator):
    results: list[int] = []
    barrier = threading.Barrier(4)

    def attempt():
        try:
            barrier.wait()
            results.append(post(client_for(registrator)).status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == [201] * 4
    assert Case.objects.count() == 1 and IdempotencyKey.objects.count() == 1
