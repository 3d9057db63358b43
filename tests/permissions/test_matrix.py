"""The permission matrix: every role × own/other authority × open/secret document, through
the staff UI and through the API, must see exactly the same thing.

Expected, from the rules in registry/selectors.py:
- another authority's secret document does not exist (404);
- an open document is readable by all staff;
- an own authority's secret document shows its number to everyone there, and its content
  (title, files) only to registrators, archivists and administrators (the others are
  outside the case's access group in this set-up)."""

import io

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from diarium.organisation.models import Role
from diarium.registry import services
from tests import factories as f

pytestmark = pytest.mark.django_db

CANARY = "KANARIE-7f3a-hemlig-titel"
FILE_BYTES = b"%PDF-1.4 matrix file"
CONTENT_ROLES = {Role.REGISTRATOR, Role.ARCHIVIST, Role.ADMINISTRATOR}


def expected(role: str, own: bool, secret: bool) -> str:
    if not secret:
        return "content"
    if not own:
        return "absent"
    return "content" if role in CONTENT_ROLES else "stub"


@pytest.fixture
def world():
    ks = f.series(f.authority("KS"), "KS")
    bun = f.series(f.authority("BUN"), "BUN")
    reg = f.user(roles={ks.authority: "registrar"})
    docs = {}
    for secret in (False, True):
        marking = (
            services.Secrecy("OSL 26:1", withhold_title=True) if secret else services.Secrecy()
        )
        case = f.case(reg, ks, title=f"Ärende {CANARY}", secrecy=marking)
        upload = services.Upload(io.BytesIO(FILE_BYTES), "underlag.pdf")
        docs[secret] = f.document(
            reg, case, title=f"Handling {CANARY}", uploads=[upload], secrecy=marking
        )
    return {"ks": ks.authority, "bun": bun.authority, "docs": docs}


def ui_view(user, doc) -> tuple[str, bool]:
    client = Client()
    client.force_login(user)
    page = client.get(reverse("registry:document", args=[doc.id]))
    if page.status_code == 404:
        return "absent", False
    assert page.status_code == 200
    html = page.content.decode()
    assert doc.document_number in html  # every visible variant shows the number
    file_id = doc.files.get().id
    download = client.get(reverse("registry:file", args=[file_id]))
    got_file = download.status_code == 200 and b"".join(download.streaming_content) == FILE_BYTES
    return ("content" if CANARY in html else "stub"), got_file


def api_view(user, doc) -> tuple[str, bool]:
    client = APIClient()
    client.force_authenticate(user)
    response = client.get(f"/api/v1/documents/{doc.id}/")
    if response.status_code == 404:
        return "absent", False
    assert response.status_code == 200
    body = response.content.decode()
    file_id = doc.files.get().id
    download = client.get(f"/api/v1/documents/{doc.id}/files/{file_id}/download/")
    got_file = download.status_code == 200 and b"".join(download.streaming_content) == FILE_BYTES
    return ("content" if CANARY in body else "stub"), got_file


@pytest.mark.parametrize("channel", ["ui", "api"])
@pytest.mark.parametrize("secret", [False, True], ids=["open", "secret"])
@pytest.mark.parametrize("own", [True, False], ids=["own", "other"])
@pytest.mark.parametrize("role", Role.values)
def test_matrix(world, role, own, secret, channel):
    user = f.user(roles={world["ks" if own else "bun"]: role})
    doc = world["docs"][secret]
    seen, got_file = (ui_view if channel == "ui" else api_view)(user, doc)
    want = expected(role, own, secret)
    assert seen == want
    assert got_file is (want == "content")
