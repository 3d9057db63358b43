import io

import pytest
from django.urls import reverse

from diarium.audit.models import AuditEvent
from diarium.registry import services
from tests import factories as f
from tests.web.conftest import logged_in

pytestmark = pytest.mark.django_db

SECRET = services.Secrecy(provision="OSL 26:1")
CONTENT = b"%PDF-1.4\n" + bytes(range(256)) * 50


@pytest.fixture
def doc(ks, registrator):
    case = f.case(registrator, ks, "Bygglov")
    return f.document(registrator, case, "Ansökan om bygglov",
                      uploads=[services.Upload(io.BytesIO(CONTENT), "ansökan 1.pdf")])


def download(client, doc):
    return client.get(reverse("registry:file", args=[doc.files.get().pk]))


def test_document_page_shows_files_and_history(doc, reg_client):
    html = reg_client.get(reverse("registry:document", args=[doc.pk])).content.decode()
    stored = doc.files.get()
    assert doc.document_number in html and "Ansökan om bygglov" in html
    assert "ansökan 1.pdf" in html and stored.content.sha256 in html
    assert "Handling registrerad" in html


def test_download_streams_the_same_bytes_with_the_original_name(doc, reg_client):
    response = download(reg_client, doc)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == CONTENT
    assert "attachment" in response["Content-Disposition"]
    assert "ans%C3%B6kan%201.pdf" in response["Content-Disposition"]
    assert response["Content-Type"] == "application/pdf"


def test_download_of_an_invisible_file_is_404(doc):
    outsider = logged_in(f.user(roles={f.authority("BUN"): "registrar"}))
    assert download(outsider, doc).status_code == 200  # not secret: visible to all staff
    nobody = logged_in(f.user())
    assert download(nobody, doc).status_code == 404


def test_secret_file_only_for_the_access_group_and_audited(ks, registrator, reg_client):
    case = f.case(registrator, ks, "Bygglov")
    secret = f.document(registrator, case, "Läkarintyg", secrecy=SECRET,
                        uploads=[services.Upload(io.BytesIO(b"intyg"), "intyg.pdf")])
    colleague = logged_in(f.user(roles={ks.authority: "officer"}))
    assert download(colleague, secret).status_code == 404
    page = colleague.get(reverse("registry:document", args=[secret.pk])).content.decode()
    assert "Sekretessmarkerad" in page and "Läkarintyg" not in page
    assert AuditEvent.objects.filter(action="secret.read").count() == 0
    response = download(reg_client, secret)
    assert b"".join(response.streaming_content) == b"intyg"
    event = AuditEvent.objects.get(action="secret.read")
    assert event.actor == registrator and event.object_id == str(secret.pk)


def test_void_document_with_reason(doc, reg_client):
    url = reverse("registry:document_void", args=[doc.pk])
    reg_client.post(url, {"reason": "Fel ärende"})  # not confirmed: nothing happens
    doc.refresh_from_db()
    assert doc.status == "registered"
    html = reg_client.get(reverse("registry:document", args=[doc.pk])).content.decode()
    assert 'name="confirm"' in html
    reg_client.post(url, {"reason": "Fel ärende", "confirm": "on"})
    doc.refresh_from_db()
    assert doc.status == "voided"
    html = reg_client.get(reverse("registry:case", args=[doc.case_id])).content.decode()
    assert "Makulerad" in html and "Fel ärende" in html and "Ansökan om bygglov" in html
