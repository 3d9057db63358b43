"""The public request form: what it shows, what it accepts, and what it refuses."""

import re
import uuid

import pytest
from django.test import Client
from django.urls import reverse

from diarium.disclosure.forms import started_token
from diarium.disclosure.models import DisclosureRequest, RequestedItem
from diarium.registry import services
from tests.disclosure.conftest import CANARY

pytestmark = pytest.mark.django_db
URL = "/insyn/begar/"


def post(client, documents=(), **fields):
    data = {"reply_method": "email", "email": "anna@example.se", "started": started_token(),
            "document": [str(d) for d in documents]} | fields
    return client.post(URL, data)


def test_the_form_shows_a_public_document_by_its_public_fields(world):
    doc = world["public"]
    page = Client().get(f"{URL}?document={doc.pk}").content.decode()
    assert doc.document_number in page and "Ansökan om bygglov" in page
    assert str(doc.pk) in page


def test_the_form_never_shows_a_secret_documents_title_parties_or_files(world):
    secret = world["secret"]
    response = Client().get(f"{URL}?document={secret.pk}")
    page = response.content.decode()
    assert response.status_code == 200 and secret.document_number in page
    assert CANARY not in page and "utredning-" not in page and "Anna" not in page
    # Nor after sending it: the receipt names only the request's number.
    response = post(Client(), [secret.pk])
    assert response.status_code == 200, response.content.decode()
    assert CANARY not in response.content.decode()


UNKNOWN_ID = "0b8e4c9e-1f7a-4d2b-9c1e-5a6f7d8e9f00"  # fixed: xdist workers must collect alike


@pytest.mark.parametrize("value", ["nonsense", UNKNOWN_ID, "' OR 1=1 --", "x" * 5000])
def test_unknown_and_garbage_ids_get_a_clear_message(world, value):
    response = Client().get(URL, {"document": value})
    assert response.status_code == 200
    assert "Det finns ingen sådan handling" in response.content.decode()


def test_a_voided_document_cannot_be_requested(world):
    doc = services.void_document(world["reg"], world["public"], "fel ärende")
    page = Client().get(f"{URL}?document={doc.pk}").content.decode()
    assert "makulerad" in page
    response = post(Client(), [doc.pk])  # sent anyway: not taken as a document
    assert not RequestedItem.objects.filter(document=doc).exists()
    assert response.status_code == 400


def test_an_anonymous_request_is_registered_with_its_clock(world):
    response = post(Client(), [world["public"].pk, world["secret"].pk])
    assert response.status_code == 200
    req = DisclosureRequest.objects.get()
    assert req.requester_name == "" and req.email == "anna@example.se"
    assert re.fullmatch(r"Begäran KS \d{4}/1", req.number)
    assert req.number in response.content.decode()
    assert req.items.count() == 2 and req.due_at > req.received_at


def test_a_free_text_request_names_the_authority(world):
    response = post(Client(), message="Alla protokoll från mars", authority=world["authority"].pk,
                    reply_method="pickup", email="")
    assert response.status_code == 200
    item = RequestedItem.objects.get()
    assert item.document is None and "protokoll" in item.description
    missing = post(Client(), message="Något", reply_method="pickup", email="")
    assert missing.status_code == 400 and DisclosureRequest.objects.count() == 1


@pytest.mark.parametrize(("fields", "field"), [
    ({"email": "not-an-address"}, "email"),
    ({"email": ""}, "email"),
    ({"reply_method": "post", "email": "", "postal_address": ""}, "postal_address"),
    ({"reply_method": "carrier pigeon"}, "reply_method"),
    ({"message": "x" * 4001}, "message"),
    ({"requester_name": "n" * 201}, "requester_name"),
])
def test_bad_input_is_refused_and_nothing_is_written(world, fields, field):
    response = post(Client(), [world["public"].pk], **fields)
    assert response.status_code == 400
    assert DisclosureRequest.objects.count() == 0
    page = response.content.decode()
    # In Swedish, beside the field (and tied to it), and summed up with a link at the top.
    assert "Kontrollera formuläret" in page and "<title>Fel: " in page
    assert f'<p class="pub-error" id="id_{field}-error">' in page
    assert f'href="#id_{field}' in page
    if field != "reply_method":
        assert re.search(rf'<(input|textarea)[^>]*aria-describedby="[^"]*id_{field}-error"'
                         rf'[^>]*aria-invalid="true"|<(input|textarea)[^>]*aria-invalid="true"'
                         rf'[^>]*aria-describedby="[^"]*id_{field}-error"', page)


def test_too_many_documents_are_refused(world):
    response = Client().get(URL, {"document": [str(uuid.uuid4()) for _ in range(51)]})
    assert response.status_code == 400


def test_the_honeypot_and_the_time_check_stop_bots(world, settings):
    assert post(Client(), [world["public"].pk], website="http://spam").status_code == 400
    assert post(Client(), [world["public"].pk], started="forged").status_code == 400
    settings.DISCLOSURE_MIN_SECONDS = 60
    assert post(Client(), [world["public"].pk]).status_code == 400  # sent at once
    assert DisclosureRequest.objects.count() == 0


def test_the_form_is_rate_limited_per_client(world, settings):
    settings.DISCLOSURE_RATE_PER_HOUR = 2
    client = Client(REMOTE_ADDR="192.0.2.7")
    assert post(client, [world["public"].pk]).status_code == 200
    assert post(client, [world["public"].pk]).status_code == 200
    assert post(client, [world["public"].pk]).status_code == 429
    other = Client(REMOTE_ADDR="192.0.2.8")
    assert post(other, [world["public"].pk]).status_code == 200
    assert DisclosureRequest.objects.count() == 3


def test_the_request_can_be_registered_as_a_case(world):
    from diarium.disclosure import services as disclosure

    disclosure.configure(world["reg"], world["authority"], register_as_case=True,
                         series=world["ks"])
    assert post(Client(), [world["public"].pk]).status_code == 200
    req = DisclosureRequest.objects.get()
    assert req.case is not None and req.case.diary_number.startswith("KS ")
    assert req.case.created_by is None  # opened by the system principal
    assert reverse("disclosure:public_request") == URL


def test_a_case_page_asks_for_all_its_documents_in_one_request(world):
    from html import unescape

    from tests import factories as f

    first = world["public"]
    second = f.document(world["reg"], first.case, "Ritning", public_title="Ritning")
    page = Client().get(f"/insyn/arende/{first.case.pk}/").content.decode()
    link = re.search(r'href="(/insyn/begar/\?document=[^"]+)"[^>]*>Begär ut alla handlingar',
                     page)
    assert link is not None
    form = Client().get(unescape(link.group(1))).content.decode()
    assert first.document_number in form and second.document_number in form
    assert Client().get(f"/insyn/arende/{world['secret'].case.pk}/").status_code == 200
