"""Issue 9, finding 8: an outgoing document with a record type meant for incoming ones
(or the reverse) is registered only when the registrator confirms it ("Registrera
ändå"); the API registers it and says so in `warnings` (code `direction`)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from diarium.audit.models import AuditEvent
from diarium.registry.models import Document
from tests import factories as f
from tests.api.conftest import client_for
from tests.plan import factories as pf
from tests.registry.plan_world import world
from tests.web.conftest import logged_in

pytestmark = pytest.mark.django_db
WARNING = "Enligt planen är ”Ansökan” en handlingstyp för inkommande handlingar"


@pytest.fixture
def w():
    return world([pf.rule("Ansökan", direction="incoming"),
                  pf.rule("Beslut", direction="outgoing"),
                  pf.rule("Tjänsteanteckning", direction="internal"),
                  pf.rule("Skrivelse")])


def outgoing(w, name: str, **extra) -> dict:
    return {"direction": "outgoing", "title": "Handling", "record_type":
            w.rule(name).record_type_id, "document_date": timezone.localdate().isoformat(),
            **extra}


def resent(response, **changes) -> dict:
    data = {k: v for k, v in response.context["form"].data.lists() if k != "files"}
    return {k: (v if len(v) != 1 else v[0]) for k, v in data.items()} | changes


def test_an_outgoing_document_with_an_incoming_type_asks_to_register_anyway(w):
    case = f.case(w.registrator, w.ks)
    client = logged_in(w.registrator)
    url = reverse("registry:case_add_document", args=[case.pk])
    upload = SimpleUploadedFile("svar.pdf", b"%PDF-1.4 svar", "application/pdf")
    first = client.post(url, outgoing(w, "Ansökan", files=[upload]))
    html = first.content.decode()
    assert first.status_code == 200 and not Document.objects.exists()
    assert WARNING in html and "men den här handlingen registreras som utgående" in html
    assert 'name="register_anyway"' in html and "Registrera ändå" in html
    assert "Vald fil: svar.pdf" in html  # the file is kept meanwhile
    # Confirming without the box asks again: only the box confirms this warning.
    second = client.post(url, resent(first))
    assert second.status_code == 200 and not Document.objects.exists()
    assert WARNING in second.content.decode()
    third = client.post(url, resent(second, register_anyway="on"))
    assert third.status_code == 302
    doc = Document.objects.get()
    assert doc.direction == "outgoing" and doc.rule.name == "Ansökan"
    assert doc.files.get().original_name == "svar.pdf"
    event = AuditEvent.objects.get(action="document.registered")
    assert event.after["plan_warnings"] == ["direction"]
    page = client.get(reverse("registry:document", args=[doc.pk])).content.decode()
    assert WARNING in page
    history = client.get(reverse("registry:case", args=[case.pk])).content.decode()
    assert "en handlingstyp för den andra riktningen" in history


def test_an_incoming_letter_with_an_outgoing_type_is_warned_too(w):
    client = logged_in(w.registrator)
    data = {"target": "new", "series": w.ks.pk, "case_title": "Ärende", "title": "Brev",
            "record_type": w.rule("Beslut").record_type_id,
            "document_date": timezone.localdate().isoformat()}
    first = client.post(reverse("registry:register"), data)
    html = first.content.decode()
    assert first.status_code == 200 and not Document.objects.exists()
    assert "”Beslut” en handlingstyp för utgående handlingar" in html
    assert "registreras som inkommande" in html
    assert client.post(reverse("registry:register"),
                       resent(first, register_anyway="on")).status_code == 302


@pytest.mark.parametrize(("direction", "name"), [
    ("outgoing", "Beslut"), ("internal", "Beslut"), ("outgoing", "Tjänsteanteckning"),
    ("outgoing", "Skrivelse"), ("internal", "Skrivelse"),
])
def test_matching_directions_register_at_once(w, direction, name):
    case = f.case(w.registrator, w.ks)
    response = logged_in(w.registrator).post(
        reverse("registry:case_add_document", args=[case.pk]),
        outgoing(w, name, direction=direction))
    assert response.status_code == 302
    assert Document.objects.get().direction == direction


def test_an_incoming_letter_with_an_incoming_type_registers_at_once(w):
    response = logged_in(w.registrator).post(reverse("registry:register"), {
        "target": "new", "series": w.ks.pk, "case_title": "Ärende", "title": "Ansökan",
        "record_type": w.rule("Ansökan").record_type_id,
        "document_date": timezone.localdate().isoformat()})
    assert response.status_code == 302


def test_the_api_registers_and_warns(w):
    case = f.case(w.registrator, w.ks)
    response = client_for(w.registrator).post("/api/v1/documents/", {
        "case": str(case.pk), "direction": "outgoing", "title": "Svar",
        "record_type": "Ansökan", "document_date": "2026-01-02"}, format="json")
    assert response.status_code == 201, response.content
    warnings = response.json()["warnings"]
    assert [w["code"] for w in warnings] == ["direction"]
    assert "inkommande handlingar" in warnings[0]["message"]
    fine = client_for(w.registrator).post("/api/v1/documents/", {
        "case": str(case.pk), "direction": "incoming", "title": "Ansökan",
        "record_type": "Ansökan", "document_date": "2026-01-02"}, format="json")
    assert fine.status_code == 201 and fine.json()["warnings"] == []
