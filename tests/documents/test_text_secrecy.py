"""A canary word inside a secret file's text: the case's access group finds it (with a
marked snippet, audited as a secret read); everyone else finds nothing through it — no
hit, no snippet, no count, in the staff search and the API — while a public file's words
in the same case are found and shown."""

import io
import shutil

import pytest
from django.urls import reverse

from diarium.audit.models import AuditEvent
from diarium.registry import services
from tests import factories as f
from tests.permissions.clients import api, ui
from tests.workers import run_jobs

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is needed"),
]

CANARY = "Kanariefågel7731"
PUBLIC_WORD = "Solrosfältet"


@pytest.fixture
def world():
    ks = f.series(f.authority("KS", name="Kommunstyrelsen"), "KS")
    reg = f.user("rut", roles={ks.authority: "registrar"})
    case = f.case(reg, ks, "Bygglov på landet")
    f.document(reg, case, "Ansökan", uploads=[services.Upload(io.BytesIO(
        f"Ansökan om bygglov vid {PUBLIC_WORD} norr om byn.\n".encode()), "ansokan.txt")])
    f.document(reg, case, "Läkarintyg", secrecy=services.Secrecy("OSL 25:1"),
               uploads=[services.Upload(io.BytesIO(
                   f"Sökanden har diagnosen {CANARY} enligt läkaren.\n".encode()),
                   "intyg.txt")])
    run_jobs()
    outsiders = [f.user("olle", roles={ks.authority: "officer"}),
                 f.user(roles={ks.authority: "reader"}),
                 f.user(roles={f.authority("BUN"): "registrar"})]
    return reg, outsiders, case


def search_page(user, words: str) -> str:
    return ui(user).get(reverse("registry:search"), {"q": words}).content.decode()


def test_the_access_group_finds_the_canary_with_a_snippet(world):
    reg, _outsiders, case = world
    before = AuditEvent.objects.filter(action="secret.read").count()
    page = search_page(reg, CANARY)
    assert case.diary_number in page and f"<mark>{CANARY}</mark>" in page
    assert "intyg.txt" in page
    assert AuditEvent.objects.filter(action="secret.read").count() == before + 1
    assert api(reg).get("/api/v1/cases/", {"q": CANARY}).json()["count"] == 1


def test_nobody_else_finds_the_canary_or_sees_it(world):
    _reg, outsiders, case = world
    for user in outsiders:
        page = search_page(user, CANARY)
        assert CANARY not in page.replace(f'value="{CANARY}"', "")
        assert case.diary_number not in page and "0 ärenden" in page
        listing = api(user).get("/api/v1/cases/", {"q": CANARY}).json()
        assert listing["count"] == 0 and listing["results"] == []
        # The public file's words find the case, and its snippet shows; the secret one's not.
        page = search_page(user, "diagnosen")  # a word of the secret file only
        assert case.diary_number not in page and "0 ärenden" in page
        page = search_page(user, PUBLIC_WORD)
        if user.username == "olle":
            assert f"<mark>{PUBLIC_WORD}</mark>" in page and "ansokan.txt" in page
        assert CANARY not in page and "intyg.txt" not in page
