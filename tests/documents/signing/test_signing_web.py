"""The signature pages and API: asking for signatures on the document page, the signer's
"Att signera" list, signing, validating on demand, the reports' downloads, and that
nobody who may not read the document sees its signatures or reports."""

import pytest
from django.urls import reverse

from diarium.documents.signature_models import RequestStatus, SignatureRequest
from tests import factories as f
from tests.documents.signing.test_workflow import final_pdf_document, give_key
from tests.permissions.clients import api, ui

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(test_pki, trusted):
    ks = f.series(f.authority("KS", name="Kommunstyrelsen"), "KS")
    sara = f.user("sara", roles={ks.authority: "secretary"})
    anna = f.user("anna", roles={ks.authority: "officer"})
    jonas = f.user("jonas", roles={ks.authority: "officer"})
    give_key(anna, test_pki, "Anna Ordförande")
    give_key(jonas, test_pki, "Jonas Justerare")
    case = f.case(sara, ks, "Sammanträde", responsible_officer=sara)
    return sara, anna, jonas, final_pdf_document(sara, case)


def test_the_staff_ui_asks_signs_in_order_and_shows_the_outcome(world):
    sara, anna, jonas, doc = world
    page = reverse("registry:document", kwargs={"document_id": doc.pk})
    assert "Begär signering" in ui(sara).get(page).content.decode()
    response = ui(sara).post(reverse("registry:signature_request", args=[doc.pk]), {
        "level": "B-B", "signer_1": anna.pk, "role_1": "ordförande",
        "signer_2": jonas.pk, "role_2": "justerare"})
    assert response.status_code == 302
    request = SignatureRequest.objects.get(document=doc.pk)
    waiting = ui(jonas).get(reverse("registry:to_sign")).content.decode()
    assert "Inget väntar på din signatur" in waiting  # not his turn yet
    listing = ui(anna).get(reverse("registry:to_sign")).content.decode()
    assert doc.document_number in listing and "ordförande" in listing
    ui(anna).post(reverse("registry:signature_sign", args=[request.pk]))
    ui(jonas).post(reverse("registry:signature_sign", args=[request.pk]))
    request.refresh_from_db()
    assert request.status == RequestStatus.COMPLETED
    html = ui(sara).get(page).content.decode()
    assert "Signerad av alla" in html and "giltig" in html
    report = request.steps.last().report
    download = ui(sara).get(reverse("registry:signature_report", args=[report.pk, "pdf"]))
    assert download.status_code == 200 and b"".join(download.streaming_content)[:5] == b"%PDF-"
    assert ui(sara).post(reverse("registry:signature_validate", args=[doc.pk])).status_code == 302


def test_the_api_asks_signs_and_validates(world):
    sara, anna, jonas, doc = world
    base = f"/api/v1/documents/{doc.pk}/signatures/"
    bad = api(sara).post(base, {"signers": [{"user": "nobody", "role": "x"}]}, format="json")
    assert bad.status_code == 400
    made = api(sara).post(base, {"signers": [{"user": "anna", "role": "ordförande"},
                                             {"user": "jonas", "role": "justerare"}]},
                          format="json")
    assert made.status_code == 201, made.content
    assert api(jonas).post(base + "sign/").status_code == 409  # not his turn
    assert [p["role"] for p in api(anna).get("/api/v1/documents/to-sign/").json()] == [
        "ordförande"]
    assert api(anna).post(base + "sign/").status_code == 200
    done = api(jonas).post(base + "sign/").json()
    assert done["requests"][0]["status"] == "completed"
    assert [s["valid"] for s in done["requests"][0]["steps"]] == [True, True]
    checked = api(sara).post(base + "validate/").json()
    assert checked["reports"][0]["trigger"] == "on_demand" and checked["reports"][0]["valid"]


def test_nobody_outside_sees_signatures_or_reports(world):
    sara, anna, _jonas, doc = world
    api(sara).post(f"/api/v1/documents/{doc.pk}/signatures/",
                   {"signers": [{"user": "anna", "role": "ordförande"}]}, format="json")
    api(anna).post(f"/api/v1/documents/{doc.pk}/signatures/sign/")
    report = SignatureRequest.objects.get().steps.get().report
    outsider = f.user("otto")
    assert api(outsider).get(f"/api/v1/documents/{doc.pk}/signatures/").status_code == 404
    assert ui(outsider).get(reverse("registry:signature_report",
                                    args=[report.pk, "json"])).status_code == 404
    assert api(outsider).get("/api/v1/documents/to-sign/").json() == []
