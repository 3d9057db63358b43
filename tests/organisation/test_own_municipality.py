"""The README's "Your own municipality", step by step: setup, the example organisation
file (dry run, then import), the administrator sets a registrator's password in the staff
UI, and the registrator registers a first letter in a new case."""

import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from diarium.organisation.models import Authority, User
from diarium.registry.models import Case, DiarySeries

pytestmark = pytest.mark.django_db

EXAMPLE = Path(__file__).parents[2] / "docs" / "examples" / "organisation" / "angby.yaml"
PASSWORD = "en-lång-lösenordsfras-3"


def test_from_setup_to_a_first_registered_case(monkeypatch):
    monkeypatch.setenv("DIARIUM_ADMIN_PASSWORD", "administratörens-fras-77")
    call_command("setup", "--no-input", "--municipality-name", "Ängby kommun",
                 "--municipality-code", "9950", "--org-number", "212000-9950",
                 "--admin-username", "it-admin", "--admin-email", "it@angby.example",
                 stdout=io.StringIO())
    out = io.StringIO()
    call_command("organisation", "import", str(EXAMPLE), "--dry-run", stdout=out)
    assert "myndigheter: 4 created" in out.getvalue() and not Authority.objects.exists()
    call_command("organisation", "import", str(EXAMPLE), stdout=io.StringIO())
    assert Authority.objects.get(code="ÖFN").is_joint

    admin = Client()
    assert admin.login(username="it-admin", password="administratörens-fras-77")
    eva = User.objects.get(username="eva.registrator")
    admin.post(reverse("web:user_password", args=[eva.pk]), {"password": PASSWORD})

    registrar = Client()
    assert registrar.login(username="eva.registrator", password=PASSWORD)
    ks = DiarySeries.objects.get(code="KS")
    response = registrar.post(reverse("registry:register"), {
        "target": "new", "series": ks.pk, "case_title": "Medborgarförslag om parkbänkar",
        "case_public_title": "Medborgarförslag om parkbänkar",
        "title": "Medborgarförslag", "public_title": "Medborgarförslag",
        "sender_recipient": "Per Persson",
        "document_date": timezone.localdate().isoformat(),
        "files": [SimpleUploadedFile("forslag.pdf", b"%PDF-1.4 forslag", "application/pdf")],
    }, follow=True)
    case = Case.objects.get()
    assert case.diary_number == f"KS {timezone.localdate().year}/1"
    assert f"{case.diary_number}:1" in response.content.decode()
    # SN writes its numbers its own way (the example file's nummerformat).
    assert DiarySeries.objects.get(code="SN").format_number(2026, 7) == "SN-2026-0007"
