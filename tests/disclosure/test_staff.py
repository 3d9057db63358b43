"""Staff's side: review, masking, the decision, delivery and the link; and that every read
and write passes the visibility policy."""

import datetime as dt
import re
import subprocess

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from diarium.audit.models import AuditEvent
from diarium.disclosure import services
from diarium.disclosure.models import DisclosureRequest, Outcome
from diarium.disclosure.redaction import Box
from diarium.disclosure.selectors import masked_files, public_documents
from diarium.disclosure.services import MaskInput, Submission
from diarium.documents.services import open_content
from diarium.registry.hold_model import Hold
from tests import factories as f
from tests.disclosure.conftest import CANARY
from tests.disclosure.pdfs import SECRET_BOX
from tests.workers import run_jobs

pytestmark = pytest.mark.django_db


def submit(world, *docs, **extra) -> DisclosureRequest:
    data = Submission(reply_method="email", email="anna@example.se",
                      documents=[e for e in public_documents([str(d.pk) for d in docs])],
                      **extra)
    return services.submit_request(data)[0]


def client(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def items(req):
    return {i.document_id: i for i in req.items.all()}


def test_release_mask_decide_deliver_and_download(world, tmp_path,
                                                  django_capture_on_commit_callbacks):
    req = submit(world, world["public"], world["secret"], wants_decision=True)
    reg = world["reg"]
    by_doc = items(req)
    services.mask_item(reg, by_doc[world["public"].pk],
                       [MaskInput(Box(1, *SECRET_BOX), "OSL 21 kap. 7 §")])
    services.review_item(reg, by_doc[world["secret"].pk], Outcome.REFUSED, "OSL 26:1")
    masked = req.items.get(document=world["public"])
    (redacted,) = masked_files(masked)
    assert masked.outcome == Outcome.MASKED
    copy = tmp_path / "copy.pdf"
    with open_content(redacted.redacted) as stream:
        copy.write_bytes(stream.read())
    text = subprocess.run(["pdftotext", str(copy), "-"], capture_output=True).stdout.decode()
    assert "19800101" not in text and "Ansökan sida 2" in text

    decision = services.make_decision(reg, req)
    req.refresh_from_db()
    assert req.case is not None and decision.document.case == req.case
    assert decision.document.files.count() == 1
    with pytest.raises(ValidationError):
        services.make_decision(reg, req)  # once

    with django_capture_on_commit_callbacks(execute=True):  # the mail leaves after commit
        delivery, token = services.deliver(reg, req, "email_link")
    req.refresh_from_db()
    assert req.answered_at is not None and req.status == "answered"
    assert [f["sha256"] for f in delivery.files] == [redacted.redacted_id]  # refused: none
    assert delivery.token_digest != token and len(token) >= 40
    assert len(mail.outbox) == 1 and services.link_path(token) in mail.outbox[0].body

    public = Client()
    page = public.get(services.link_path(token))
    assert page.status_code == 200 and CANARY not in page.content.decode()
    download = public.get(services.link_path(token) + "0/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content)[:5] == b"%PDF-"
    assert public.get(services.link_path(token) + "5/").status_code == 404
    assert public.get(services.link_path("guessed-" + token[8:])).status_code == 404
    assert public.get("/insyn/utlamnande/x/").status_code == 404
    # The masked document's hold is released; the refused one stays held (appeal).
    holds = {h.document_id: h.released_at for h in Hold.objects.filter(kind="request")}
    assert holds[world["public"].pk] is not None and holds[world["secret"].pk] is None
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"disclosure.received", "disclosure.masked", "disclosure.reviewed",
            "disclosure.decided", "disclosure.delivered", "disclosure.downloaded"} <= actions


def test_the_link_expires(world, settings):
    req = submit(world, world["public"])
    services.review_item(world["reg"], req.items.get(), Outcome.RELEASE)
    _delivery, token = services.deliver(world["reg"], req, "email_link",
                                        now=timezone.now() - dt.timedelta(days=15))
    response = Client().get(services.link_path(token))
    assert response.status_code == 410
    assert Client().get(services.link_path(token) + "0/").status_code == 404


def test_an_officer_outside_the_access_group_cannot_review_or_see_the_secret(world):
    req = submit(world, world["secret"])
    officer = world["officer"]
    item = req.items.get()
    with pytest.raises(PermissionDenied):
        services.review_item(officer, item, Outcome.RELEASE)
    with pytest.raises(PermissionDenied):
        services.mask_item(officer, item, [MaskInput(Box(1, 0.1, 0.1, 0.2, 0.2), "OSL 26:1")])
    c = client(officer)
    page = c.get(f"/begaranden/{req.pk}/")
    assert page.status_code == 200
    assert CANARY not in page.content.decode()
    assert "26 kap" not in page.content.decode()  # not even the marking's provision
    assert world["secret"].document_number in page.content.decode()
    base = f"/begaranden/{req.pk}/handlingar/{item.pk}"
    assert c.get(f"{base}/maskera/").status_code == 404
    assert c.get(f"{base}/sida/1/").status_code == 404
    assert c.post(f"{base}/granska/", {"outcome": "release"}).status_code == 403
    item.refresh_from_db()
    assert item.outcome == Outcome.PENDING
    # The registrator (in the group) sees it, and the page view is audited.
    before = AuditEvent.objects.filter(action="secret.read").count()
    assert CANARY in client(world["reg"]).get(f"/begaranden/{req.pk}/").content.decode()
    assert AuditEvent.objects.filter(action="secret.read").count() == before + 1


def test_staff_of_another_authority_and_readers_see_no_requests(world):
    req = submit(world, world["public"])
    other = f.user(roles={f.authority("BUN"): "registrar"})
    reader = f.user(roles={world["authority"]: "reader"})
    assert client(other).get(f"/begaranden/{req.pk}/").status_code == 404
    assert client(reader).get("/begaranden/").status_code == 403
    assert Client().get("/begaranden/").status_code == 302  # to the login


def test_the_masking_page_and_page_images(world):
    req = submit(world, world["public"])
    item = req.items.get()
    c = client(world["reg"])
    base = f"/begaranden/{req.pk}/handlingar/{item.pk}"
    file = world["public"].files.get()
    page = c.get(f"{base}/maskera/")
    assert page.status_code == 200 and f"{base}/fil/{file.pk}/sida/2/" in page.content.decode()
    image = c.get(f"{base}/fil/{file.pk}/sida/1/")
    assert image.status_code == 200 and image.content[:4] == b"\x89PNG"
    assert c.get(f"{base}/fil/{file.pk}/sida/9/").status_code == 404
    bad = c.post(f"{base}/maskera/", {"masks_1": "1, 10, 10, 5, 20, OSL 26:1"})
    assert bad.status_code == 400
    bad = c.post(f"{base}/maskera/", {"masks_1": "1, 10, 10, 50, 20, ingen lag"})
    assert bad.status_code == 400
    bad = c.post(f"{base}/maskera/", {"masks_1": ""})
    assert bad.status_code == 400  # no mask at all
    item.refresh_from_db()
    assert item.outcome == Outcome.PENDING and not item.masked_files.exists()
    ok = c.post(f"{base}/maskera/", {"masks_1": "1, 5, 28, 95, 36, OSL 21:7"})
    assert ok.status_code == 302
    item.refresh_from_db()
    assert item.outcome == Outcome.PENDING  # a job makes the copy
    assert "Den maskerade kopian håller på att göras" in c.get(
        f"/begaranden/{req.pk}/").content.decode()
    run_jobs()
    item.refresh_from_db()
    assert item.outcome == Outcome.MASKED and item.masks.get().provision == "OSL 21 kap. 7 §"
    (copy,) = masked_files(item)
    download = c.get(f"{base}/maskerad/{copy.pk}/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content)[:5] == b"%PDF-"
    assert c.get(f"{base}/maskerad/{file.pk}/").status_code == 404


def test_the_list_shows_the_clock_and_a_late_mark(world):
    req = submit(world, world["public"])
    DisclosureRequest.objects.filter(pk=req.pk).update(
        received_at=timezone.now() - dt.timedelta(days=10),
        due_at=timezone.now() - dt.timedelta(days=9))
    page = client(world["reg"]).get("/begaranden/").content.decode()
    assert req.number in page and "Försenad" in page


def test_statistics_page_and_csv(world):
    req = submit(world, world["public"], world["secret"])
    by_doc = items(req)
    services.review_item(world["reg"], by_doc[world["public"].pk], Outcome.RELEASE)
    services.review_item(world["reg"], by_doc[world["secret"].pk], Outcome.REFUSED, "OSL 26:1")
    services.deliver(world["reg"], req, "post")
    c = client(world["reg"])
    page = c.get("/begaranden/statistik/").content.decode()
    assert "<svg" in page and "OSL 26 kap. 1 §" in page
    # SVG reads coordinates with a decimal point, whatever the page's language.
    bar = re.search(r'<rect x="0" y="([^"]+)" width="30" height="([^"]+)"', page)
    assert bar and all(re.fullmatch(r"\d+\.\d", v) for v in bar.groups()), bar
    csv = c.get("/begaranden/statistik.csv").content.decode()
    header, row = csv.strip().splitlines()
    assert header.startswith("authority,month,received")
    assert "Kommunstyrelsen" in row and "OSL 26 kap. 1 § 1" in row and ",1.00," in row


def test_fees():
    from decimal import Decimal

    from diarium.disclosure.fees import fee_for

    assert fee_for(9).amount == 0
    assert fee_for(10).amount == Decimal("50")
    assert fee_for(11).amount == Decimal("52")
    assert fee_for(25).amount == Decimal("80")


def test_authority_settings_page(world):
    c = client(world["reg"])
    prefix = str(world["authority"].pk)[:8]
    assert c.get("/begaranden/installningar/").status_code == 200
    response = c.post("/begaranden/installningar/", {
        "authority": world["authority"].pk, f"{prefix}-register_as_case": "on",
        f"{prefix}-series": world["ks"].pk, f"{prefix}-target_working_days": "2"})
    assert response.status_code == 302
    conf = world["authority"].disclosure_settings
    assert conf.register_as_case and conf.target_working_days == 2
    assert client(world["officer"]).get("/begaranden/installningar/").status_code == 403
    missing = c.post("/begaranden/installningar/", {
        "authority": world["authority"].pk, f"{prefix}-register_as_case": "on",
        f"{prefix}-target_working_days": "0"})
    assert missing.status_code == 200 and "Välj serien" in missing.content.decode()


def test_delivery_with_attachments_and_the_fee(world, django_capture_on_commit_callbacks):
    req = submit(world, world["public"])
    item = req.items.get()
    services.review_item(world["reg"], item, Outcome.RELEASE)
    item.refresh_from_db()
    assert item.pages == 2  # the PDF's pages, for the fee
    page = client(world["reg"]).get(f"/begaranden/{req.pk}/").content.decode()
    assert "2 sidor" in page and "0 kr" in page
    with django_capture_on_commit_callbacks(execute=True):
        delivery, token = services.deliver(world["reg"], req, "email_attachment")
    assert token == "" and delivery.token_digest == ""
    (name, content, mime), = mail.outbox[0].attachments
    assert content[:5] == b"%PDF-" and mime == "application/pdf" and "ansokan" in name
    assert delivery.files[0]["sha256"] == world["public"].files.get().content_id


def test_staff_register_a_request_by_phone(world):
    c = client(world["officer"])
    assert c.get("/begaranden/ny/").status_code == 200
    missing = c.post("/begaranden/ny/", {"documents": "KS 2026/99:1", "reply_method": "pickup"})
    assert missing.status_code == 400 and DisclosureRequest.objects.count() == 0
    # A wrong number is named beside the other fields' errors, not only once they are right.
    both = c.post("/begaranden/ny/", {"documents": "KS 2026/99:1", "reply_method": "pickup",
                                      "received_at": "igår"}).content.decode()
    assert "Finns inte eller kan inte begäras ut: KS 2026/99:1" in both
    assert "Fyll i ett giltigt datum/tid." in both
    number = world["public"].document_number
    response = c.post("/begaranden/ny/", {
        "documents": number, "reply_method": "post", "postal_address": "Storgatan 1",
        "received_at": "2026-01-05 09:30"})
    assert response.status_code == 302
    req = DisclosureRequest.objects.get()
    assert req.items.get().document == world["public"]
    assert req.received_at.year == 2026 and req.received_at.month == 1
    event = AuditEvent.objects.get(action="disclosure.received")
    assert event.actor == world["officer"]
    stranger = f.user(roles={f.authority("BUN"): "registrar"})
    with pytest.raises(PermissionDenied):
        services.register_request(stranger, Submission(
            reply_method="pickup", documents=public_documents([str(world["public"].pk)])))


def test_the_settings_are_linked_only_for_those_who_may_change_them(world):
    settings_url = reverse("disclosure:settings")
    assert settings_url in client(world["reg"]).get("/begaranden/").content.decode()
    officer = f.user("handlaggare", roles={world["authority"]: "officer"})
    page = client(officer).get("/begaranden/")
    assert page.status_code == 200 and settings_url not in page.content.decode()
    assert client(officer).get(settings_url).status_code == 403
