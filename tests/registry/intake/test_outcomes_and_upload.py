"""The three outcomes in the staff UI and the API, and .eml/.msg messages dropped into the
inbox through both. Who and when is recorded; mail gets one outcome only."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from rest_framework.test import APIClient

from diarium.audit.models import AuditEvent
from diarium.core.actors import MAIL
from diarium.registry import services
from diarium.registry.models import InboxFileKind, InboxItem, InboxStatus
from tests import factories as f
from tests.mailmessages import PDF, message, outlook_msg
from tests.web.conftest import logged_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def item(ks):
    made, _created = services.receive_message(MAIL, ks.authority, message(
        "Erbjudande", attachments=[("broschyr.pdf", PDF, "application/pdf")]))
    return made


def api_client(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_an_eml_and_an_msg_upload_keep_the_message_and_its_attachments(ks, registrator):
    eml, created = services.receive_message(registrator, ks.authority, message(
        "Synpunkt", attachments=[("a.pdf", PDF, "application/pdf")]), name="synpunkt.eml")
    assert created and eml.source == "upload"
    msg, created = services.receive_message(registrator, ks.authority, outlook_msg(
        attachments=[("ansökan.pdf", PDF), ("../../x", b"elak")]), name="ansökan.msg")
    assert created and msg.subject == "Ansökan om bygglov" and msg.sender == "anna@example.se"
    assert msg.message_id == "<outlook-1@example.se>" and "här kommer" in msg.body
    files = {x.original_name: x for x in msg.inboxfile_set.all()}
    assert set(files) == {"ansökan.msg", "ansökan.pdf", "x"}
    assert files["ansökan.msg"].kind == InboxFileKind.MESSAGE
    assert files["ansökan.msg"].mime_type == "application/vnd.ms-outlook"
    again, created = services.receive_message(registrator, ks.authority, outlook_msg(
        attachments=[("ansökan.pdf", PDF), ("../../x", b"elak")]), name="kopia.msg")
    assert not created and again == msg


def test_the_same_message_in_another_authority_is_its_own_item(ks, registrator):
    raw = message("Till två nämnder")
    bun = f.authority("BUN")
    first, _ = services.receive_message(MAIL, ks.authority, raw)
    second, created = services.receive_message(MAIL, bun, raw)
    assert created and first != second


def test_keep_in_order_refuses_a_secret_record_type_and_a_missing_register(ks, registrator,
                                                                           item):
    with pytest.raises(ValidationError) as refused:
        services.keep_inbox_item(registrator, item, "  ")
    assert "kept_in" in refused.value.message_dict
    with pytest.raises(ValidationError):
        services.keep_inbox_item(registrator, item, "Ekonomisystemet", "Ingen sådan typ")
    item.refresh_from_db()
    assert item.status == InboxStatus.NEW


def test_an_outcome_needs_a_person_and_is_given_once(ks, registrator, item):
    with pytest.raises(PermissionDenied):
        services.dismiss_inbox_item(MAIL, item, "Reklam")
    services.dismiss_inbox_item(registrator, item, "Reklam")
    with pytest.raises(ValidationError):
        services.keep_inbox_item(registrator, item, "E-postarkivet")
    event = AuditEvent.objects.get(action="inbox.dismissed")
    assert event.actor == registrator and event.after["reason"] == "Reklam"


def test_dismiss_and_keep_in_the_ui(ks, registrator, item):
    client = logged_in(registrator)
    page = client.get(reverse("registry:inbox_place", args=[item.pk])).content.decode()
    assert "Hålls ordnad" in page or "Håll ordnad" in page
    empty = client.post(reverse("registry:inbox_dismiss", args=[item.pk]), {"reason": ""})
    assert empty.status_code == 400
    done = client.post(reverse("registry:inbox_dismiss", args=[item.pk]),
                       {"reason": "Reklam"}, follow=True)
    assert done.status_code == 200
    item.refresh_from_db()
    assert item.status == InboxStatus.DISMISSED and item.decided_by == registrator
    handled = client.get(reverse("registry:inbox") + "?status=dismissed").content.decode()
    assert "Erbjudande" in handled and "Reklam" in handled
    other, _ = services.receive_message(MAIL, ks.authority, message("Fakturakopia"))
    client.post(reverse("registry:inbox_keep", args=[other.pk]),
                {"kept_in": "Ekonomisystemet"})
    other.refresh_from_db()
    assert other.status == InboxStatus.KEPT and other.kept_in == "Ekonomisystemet"
    # Handled mail is gone from the waiting list; its files can still be read.
    client.get(reverse("registry:inbox"))  # shows (and so clears) the success message
    waiting = client.get(reverse("registry:inbox")).content.decode()
    assert "Erbjudande" not in waiting and "Fakturakopia" not in waiting
    file = item.inboxfile_set.get(kind=InboxFileKind.ATTACHMENT)
    assert client.get(reverse("registry:inbox_file", args=[item.pk, file.pk])).status_code == 200


def test_upload_in_the_ui(ks, registrator):
    client = logged_in(registrator)
    url = reverse("registry:inbox_upload")
    raw = outlook_msg(attachments=[("ansökan.pdf", PDF)])
    response = client.post(url, {"authority": ks.authority.pk,
                                 "file": SimpleUploadedFile("brev.msg", raw)})
    item = InboxItem.objects.get()
    assert response.status_code == 302 and str(item.pk) in response["Location"]
    bad = client.post(url, {"authority": ks.authority.pk,
                            "file": SimpleUploadedFile("brev.msg", b"inte outlook")},
                      follow=True)
    assert "Outlook" in bad.content.decode()
    assert InboxItem.objects.count() == 1


def test_api_upload_keep_and_dismiss(ks, registrator):
    api = api_client(registrator)
    raw = message("Via API", attachments=[("a.pdf", PDF, "application/pdf")])
    created = api.post("/api/v1/inbox/", {
        "authority": "KS", "file": SimpleUploadedFile("m.eml", raw)}, format="multipart")
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["source"] == "upload" and body["status"] == "new"
    assert {x["kind"] for x in body["files"]} == {"message", "attachment"}
    again = api.post("/api/v1/inbox/", {
        "authority": "KS", "file": SimpleUploadedFile("m.eml", raw)}, format="multipart")
    assert again.status_code == 200 and again.json()["id"] == body["id"]
    bad = api.post("/api/v1/inbox/", {
        "authority": "KS", "file": SimpleUploadedFile("m.msg", b"nej")}, format="multipart")
    assert bad.status_code == 400 and "file" in bad.json()["errors"]
    foreign = api.post("/api/v1/inbox/", {
        "authority": "BUN", "file": SimpleUploadedFile("m.eml", raw)}, format="multipart")
    assert foreign.status_code == 400
    kept = api.post(f"/api/v1/inbox/{body['id']}/keep/", {"kept_in": "E-postarkivet"},
                    format="json")
    assert kept.status_code == 200, kept.content
    assert kept.json()["status"] == "kept" and kept.json()["decided_by"] == "reg"
    assert api.get("/api/v1/inbox/?status=kept").json()["count"] == 1
    assert api.post(f"/api/v1/inbox/{body['id']}/dismiss/", {"reason": "x"},
                    format="json").status_code == 404
    other = api.post("/api/v1/inbox/", {
        "authority": "KS", "file": SimpleUploadedFile("n.eml", message("Reklam"))},
        format="multipart").json()
    no_reason = api.post(f"/api/v1/inbox/{other['id']}/dismiss/", {"reason": ""},
                         format="json")
    assert no_reason.status_code == 400
    dismissed = api.post(f"/api/v1/inbox/{other['id']}/dismiss/", {"reason": "Reklam"},
                         format="json")
    assert dismissed.json()["status"] == "dismissed"
    assert dismissed.json()["dismissal_reason"] == "Reklam"


def test_api_upload_over_the_limit_is_413(ks, registrator, settings):
    settings.MAIL_MAX_BYTES = 500
    response = api_client(registrator).post("/api/v1/inbox/", {
        "authority": "KS", "file": SimpleUploadedFile("m.eml", message(body="x" * 1000))},
        format="multipart")
    assert response.status_code == 413
    assert not InboxItem.objects.exists()


def test_api_places_mail_in_a_new_case(ks, registrator, item):
    api = api_client(registrator)
    url = f"/api/v1/inbox/{item.pk}/place/"
    both = api.post(url, {"case": str(f.case(registrator, ks).pk), "series": "KS"},
                    format="json")
    assert both.status_code == 400
    untitled = api.post(url, {"series": "KS"}, format="json")
    assert untitled.status_code == 400 and "case_title" in untitled.json()["errors"]
    placed = api.post(url, {"series": "KS", "case_title": "Erbjudanden 2026"}, format="json")
    assert placed.status_code == 201, placed.content
    doc = placed.json()
    assert doc["title"] == "Erbjudande" and len(doc["files"]) == 2
    item.refresh_from_db()
    assert item.status == InboxStatus.PLACED and item.document.case.title == "Erbjudanden 2026"
    assert item.decided_by == registrator
