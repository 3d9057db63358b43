import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from diarium.registry.models import Case, Document
from diarium.web.middleware import UploadLimitMiddleware
from tests import factories as f

pytestmark = pytest.mark.django_db


def letter(**extra) -> dict:
    data = {
        "target": "new",
        "case_title": "Bygglov Storgatan 1, Anna Andersson",
        "case_public_title": "Bygglov Storgatan 1",
        "title": "Ansökan om bygglov",
        "public_title": "Ansökan om bygglov",
        "sender_recipient": "Anna Andersson",
        "document_date": timezone.localdate().isoformat(),
    }
    return data | extra


def test_form_offers_only_series_where_the_user_may_register(ks, reg_client):
    f.series(f.authority("BUN"), "BUN")
    html = reg_client.get(reverse("registry:register")).content.decode()
    assert "KS – Diarium KS" in html and "BUN" not in html
    assert 'enctype="multipart/form-data"' in html
    assert '<label for="id_title">Beskrivning:</label>' in html


def test_incoming_letter_opens_a_case_with_its_document(ks, reg_client):
    upload = SimpleUploadedFile("ansokan.pdf", b"%PDF-1.4 ansokan", "application/pdf")
    response = reg_client.post(
        reverse("registry:register"), letter(series=ks.pk, files=[upload]), follow=True
    )
    case = Case.objects.get()
    doc = case.documents.get()
    assert response.redirect_chain[-1][0] == reverse("registry:case", args=[case.pk])
    assert case.title == "Bygglov Storgatan 1, Anna Andersson"
    assert doc.direction == "incoming" and doc.sender_recipient == "Anna Andersson"
    assert doc.files.get().original_name == "ansokan.pdf"
    html = response.content.decode()
    assert f"Registrerad som {case.diary_number}:1." in html
    assert "ansokan.pdf" in html


def test_several_files_and_secrecy(ks, reg_client):
    files = [SimpleUploadedFile("a.txt", b"a"), SimpleUploadedFile("b.txt", b"b")]
    reg_client.post(reverse("registry:register"), letter(
        series=ks.pk, files=files, secrecy_provision="OSL 26:1", withhold_title="on",
        case_secret="on",
    ))
    doc = Document.objects.get()
    assert sorted(doc.files.values_list("original_name", flat=True)) == ["a.txt", "b.txt"]
    assert doc.secrecy_provision == "OSL 26 kap. 1 §" and doc.withhold_title
    assert doc.case.secrecy_provision == "OSL 26 kap. 1 §"


def test_incoming_letter_into_an_existing_case(ks, registrator, reg_client):
    case = f.case(registrator, ks)
    f.document(registrator, case)
    response = reg_client.post(reverse("registry:register"), letter(
        target="existing", diary_number=case.diary_number,
    ))
    assert response.status_code == 302
    assert list(case.documents.values_list("number", flat=True)) == [1, 2]
    assert Case.objects.count() == 1


def test_validation_errors_are_shown_in_swedish(ks, reg_client):
    response = reg_client.post(reverse("registry:register"), letter(
        series=ks.pk, case_title="", title="",
        document_date=(timezone.localdate() + dt.timedelta(days=10)).isoformat(),
    ))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Rätta felen nedan." in html
    assert "Beskrivning: En handling behöver en beskrivning." in html  # no naming rule
    assert "Ett ärende behöver en titel." in html
    assert 'aria-invalid="true"' in html
    assert not Case.objects.exists()


def test_a_title_too_long_gets_that_error_only(ks, reg_client):
    response = reg_client.post(reverse("registry:register"),
                               letter(series=ks.pk, case_title="Å" * 645))
    html = response.content.decode()
    assert "som mest 500 tecken (den har 645)" in html
    assert "Ett ärende behöver en titel." not in html  # it has one: too long, not missing
    assert not Case.objects.exists()


def test_future_date_is_refused_by_the_service_in_swedish(ks, reg_client):
    response = reg_client.post(reverse("registry:register"), letter(
        series=ks.pk, document_date=(timezone.localdate() + dt.timedelta(days=10)).isoformat(),
    ))
    assert "Handlingens datum ligger i framtiden." in response.content.decode()
    assert not Case.objects.exists()


def test_unknown_diary_number_is_an_error(ks, reg_client):
    response = reg_client.post(reverse("registry:register"), letter(
        target="existing", diary_number="KS 1999/1",
    ))
    assert "Det finns inget ärende med det diarienumret." in response.content.decode()


def test_reader_cannot_register_in_the_series(ks, client):
    reader = f.user(roles={ks.authority: "reader"})
    client.force_login(reader)
    response = client.post(reverse("registry:register"), letter(series=ks.pk))
    assert "Du får inte registrera i någon diarieserie." in response.content.decode()
    assert not Case.objects.exists()


def test_oversized_upload_gets_413_before_it_is_read(ks, reg_client, settings):
    settings.MAX_UPLOAD_BYTES = 2000
    upload = SimpleUploadedFile("stor.pdf", b"x" * 5000)
    response = reg_client.post(reverse("registry:register"), letter(series=ks.pk, files=[upload]))
    assert response.status_code == 413
    assert "Uppladdningen är större än gränsen" in response.content.decode()
    assert not Case.objects.exists()


def test_oversized_file_caught_in_the_view_gets_413(ks, reg_client, settings):
    """Without a Content-Length (chunked upload) the limit is met while storing."""
    limit = "diarium.web.middleware." + UploadLimitMiddleware.__name__
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if m != limit]
    settings.MAX_UPLOAD_BYTES = 2000
    upload = SimpleUploadedFile("stor.pdf", b"x" * 5000)
    response = reg_client.post(reverse("registry:register"), letter(series=ks.pk, files=[upload]))
    html = response.content.decode()
    assert response.status_code == 413
    assert "Uppladdningen är för stor" in html and "Inget registrerades" in html
    assert not Case.objects.exists()
