import io

import pytest
from django.utils import timezone

from diarium.core.actors import MAIL
from diarium.registry import services
from diarium.registry.models import Document
from tests import factories as f
from tests.api.conftest import assert_problem

pytestmark = pytest.mark.django_db

URL = "/api/v1/inbox/"


@pytest.fixture
def mail(ks):
    return services.receive_mail(
        MAIL, ks.authority, sender="anna@example.se", subject="Synpunkt på bygglov",
        uploads=[services.Upload(io.BytesIO(b"hej"), "synpunkt.txt")],
    )


@pytest.fixture
def bun_mail(bun):
    return services.receive_mail(MAIL, bun.authority, sender="b@example.se", subject="Till BUN")


def test_list_shows_only_the_users_authorities(api, mail, bun_mail):
    listed = api.get(URL).json()
    assert [r["id"] for r in listed["results"]] == [str(mail.pk)]
    [file] = listed["results"][0]["files"]
    assert file["original_name"] == "synpunkt.txt" and file["size"] == 3
    assert listed["results"][0]["authority"] == "KS"
    assert_problem(api.get(f"{URL}{bun_mail.pk}/"), 404)


def test_place_with_defaults_from_the_mail(api, mail, ks, registrator):
    case = f.case(registrator, ks)
    response = api.post(f"{URL}{mail.pk}/place/", {"case": str(case.pk)}, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["title"] == "Synpunkt på bygglov" and body["sender_recipient"] == "anna@example.se"
    assert body["direction"] == "incoming" and body["case"] == str(case.pk)
    assert body["document_date"] == str(timezone.localdate(mail.received_at))
    assert body["files"][0]["original_name"] == "synpunkt.txt"
    assert api.get(URL).json()["count"] == 0
    assert_problem(api.post(f"{URL}{mail.pk}/place/", {"case": str(case.pk)}, format="json"), 404)


def test_place_other_authoritys_mail_is_404(api, bun_mail, ks, registrator):
    case = f.case(registrator, ks)
    response = api.post(f"{URL}{bun_mail.pk}/place/", {"case": str(case.pk)}, format="json")
    assert_problem(response, 404)
    assert not Document.objects.exists()


def test_place_into_invisible_or_foreign_case(api, mail, bun_secret_case, bun, outsider):
    url = f"{URL}{mail.pk}/place/"
    assert_problem(api.post(url, {"case": str(bun_secret_case.pk)}, format="json"), 404)
    public = f.case(outsider, bun)
    body = assert_problem(api.post(url, {"case": str(public.pk)}, format="json"), 400)
    assert "case" in body["errors"]
    assert not Document.objects.exists()
