import io

import pytest
from django.urls import reverse

from diarium.audit.models import AuditEvent
from diarium.registry import services
from diarium.registry.models import CaseStatus, Document
from tests import factories as f
from tests.web.conftest import logged_in

pytestmark = pytest.mark.django_db

SECRET = services.Secrecy(provision="OSL 26:1")


def page(client, case) -> str:
    response = client.get(reverse("registry:case", args=[case.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_case_page_shows_the_case_and_its_documents(ks, registrator, officer, reg_client):
    case = f.case(registrator, ks, "Bygglov Storgatan 1", public_title="Bygglov",
                  responsible_officer=officer)
    party = services.create_party(registrator, kind="person", name="Anna Andersson",
                                  identity_number="19811218-9876")
    services.add_party(registrator, case, party, "sökande")
    other = f.case(registrator, ks, "Detaljplan")
    services.relate_cases(registrator, case, other)
    f.document(registrator, case, "Ansökan", sender_recipient="Anna Andersson",
               uploads=[services.Upload(io.BytesIO(b"pdf"), "ansokan.pdf")])
    html = page(reg_client, case)
    for text in [case.diary_number, "Bygglov Storgatan 1", "Hans Hand", "Anna Andersson",
                 "19811218-9876", "sökande", other.diary_number, "Detaljplan",
                 f"{case.diary_number}:1", "Ansökan", "ansokan.pdf", "Inkommande", "Öppet"]:
        assert text in html, text
    reader = logged_in(f.user(roles={ks.authority: "reader"}))
    assert "19811218-XXXX" in page(reader, case) and "19811218-9876" not in page(reader, case)
    # the history: who, what, values
    assert "Ärendet öppnat" in html and "Handling registrerad" in html and "reg" in html


def test_close_reopen_and_dormant(ks, registrator, reg_client):
    case = f.case(registrator, ks)
    reg_client.post(reverse("registry:case_close", args=[case.pk]), {"note": "Beslut fattat"})
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED and case.closing_note == "Beslut fattat"
    html = page(reg_client, case)
    assert "Ärendet är avslutat." in html and "Beslut fattat" in html
    # the history shows the change with its value before and after
    assert "Ärendet avslutat" in html and "före: </span>Öppet</del>" in html
    assert "efter: </span>Avslutat</ins>" in html
    reg_client.post(reverse("registry:case_reopen", args=[case.pk]))
    reg_client.post(reverse("registry:case_dormant", args=[case.pk]))
    case.refresh_from_db()
    assert case.status == CaseStatus.DORMANT
    assert "Vilande" in page(reg_client, case)


def test_invalid_transition_shows_the_reason(ks, registrator, reg_client):
    case = f.case(registrator, ks)
    response = reg_client.post(reverse("registry:case_reopen", args=[case.pk]), follow=True)
    assert "Bara ett avslutat eller vilande ärende kan öppnas igen." in response.content.decode()


def test_void_needs_a_reason_and_stays_visible(ks, registrator, reg_client):
    case = f.case(registrator, ks, "Felaktigt ärende")
    reg_client.post(reverse("registry:case_void", args=[case.pk]), {"reason": ""})
    case.refresh_from_db()
    assert case.status == CaseStatus.OPEN
    # Voiding is confirmed in the form (issue 9, finding 8): without it nothing happens.
    response = reg_client.post(reverse("registry:case_void", args=[case.pk]),
                               {"reason": "Dubblett"}, follow=True)
    assert "Bekräfta att det ska makuleras." in response.content.decode()
    case.refresh_from_db()
    assert case.status == CaseStatus.OPEN
    reg_client.post(reverse("registry:case_void", args=[case.pk]),
                    {"reason": "Dubblett", "confirm": "on"})
    html = page(reg_client, case)
    assert "Makulerat" in html and "Dubblett" in html and "Felaktigt ärende" in html


def test_officer_sees_no_void_action_and_cannot_void(ks, registrator, officer, officer_client):
    case = f.case(registrator, ks, responsible_officer=officer)
    html = page(officer_client, case)
    assert "Avsluta ärendet" in html and "Makulera ärendet" not in html
    response = officer_client.post(reverse("registry:case_void", args=[case.pk]),
                                   {"reason": "x", "confirm": "on"})
    assert response.status_code == 403
    case.refresh_from_db()
    assert case.status == CaseStatus.OPEN


def test_register_outgoing_document_in_the_case(ks, registrator, reg_client):
    case = f.case(registrator, ks)
    url = reverse("registry:case_add_document", args=[case.pk])
    assert "Utgående" in reg_client.get(url).content.decode()
    response = reg_client.post(url, {
        "direction": "outgoing", "title": "Svar på ansökan", "sender_recipient": "Anna",
        "document_date": "2026-01-05",
    }, follow=True)
    doc = Document.objects.get()
    assert doc.direction == "outgoing" and doc.title == "Svar på ansökan"
    assert f"Registrerad som {case.diary_number}:1." in response.content.decode()


def test_secret_case_is_a_stub_for_others_in_the_authority(ks, registrator, officer):
    case = f.case(registrator, ks, "Orosanmälan Kalle", secrecy=SECRET)
    colleague = f.user(roles={ks.authority: "officer"})
    html = page(logged_in(colleague), case)
    assert f"{case.diary_number} – Sekretessmarkerad" in html
    assert "Orosanmälan" not in html


def test_secret_case_content_read_is_audited(ks, registrator, reg_client):
    case = f.case(registrator, ks, "Orosanmälan Kalle", secrecy=SECRET)
    assert "Orosanmälan Kalle" in page(reg_client, case)
    assert AuditEvent.objects.filter(action="secret.read", case_id=case.pk).count() == 1


def test_another_authoritys_secret_case_does_not_exist(ks, registrator):
    case = f.case(registrator, ks, "Hemligt", secrecy=SECRET)
    bun = f.authority("BUN")
    outsider = logged_in(f.user(roles={bun: "registrar"}))
    assert outsider.get(reverse("registry:case", args=[case.pk])).status_code == 404
    public = f.case(registrator, ks, "Öppet ärende")
    assert "Öppet ärende" in page(outsider, public)


def test_secret_document_in_open_case_shows_only_its_number(ks, registrator):
    case = f.case(registrator, ks, "Bygglov")
    f.document(registrator, case, "Läkarintyg Kalle", secrecy=SECRET)
    colleague = logged_in(f.user(roles={ks.authority: "officer"}))
    html = page(colleague, case)
    assert f"{case.diary_number}:1" in html and "Sekretessmarkerad" in html
    assert "Läkarintyg" not in html  # neither in the list nor in the history


def test_other_authoritys_secret_document_leaves_no_trace(ks, registrator):
    case = f.case(registrator, ks, "Bygglov")
    f.document(registrator, case, "Öppen ansökan")
    f.document(registrator, case, "Läkarintyg Kalle", secrecy=SECRET)
    outsider = logged_in(f.user(roles={f.authority("BUN"): "registrar"}))
    html = page(outsider, case)
    assert "Öppen ansökan" in html
    assert "Läkarintyg" not in html and f"{case.diary_number}:2" not in html
