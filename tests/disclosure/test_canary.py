"""A secret document asked for, masked and handed out: nothing the citizen gets — the form,
the receipt, the answer's mail, the link's page, the file's name and its text — holds the
document's internal title, its party or its file name, or the words under the mask."""

import subprocess

import pytest
from django.core import mail
from django.test import Client

from diarium.disclosure import services
from diarium.disclosure.forms import started_token
from diarium.disclosure.models import DisclosureRequest
from diarium.disclosure.redaction import Box
from tests.disclosure.conftest import CANARY
from tests.disclosure.pdfs import SECRET_BOX

pytestmark = pytest.mark.django_db


def test_nothing_secret_reaches_the_citizen(world, tmp_path, django_capture_on_commit_callbacks):
    secret = world["secret"]
    citizen = Client()
    seen = [citizen.get(f"/insyn/begar/?document={secret.pk}").content]
    seen.append(citizen.post("/insyn/begar/", {
        "document": [str(secret.pk)], "reply_method": "email", "email": "a@example.se",
        "started": started_token()}).content)
    req = DisclosureRequest.objects.get()
    services.mask_item(world["reg"], req.items.get(),
                       [services.MaskInput(Box(1, *SECRET_BOX), "OSL 26:1")])
    with django_capture_on_commit_callbacks(execute=True):
        _delivery, token = services.deliver(world["reg"], req, "email_link")
    seen.append(mail.outbox[0].body.encode() + mail.outbox[0].subject.encode())
    link = services.link_path(token)
    seen.append(citizen.get(link).content)
    download = citizen.get(link + "0/")
    seen.append(download["Content-Disposition"].encode())
    copy = tmp_path / "copy.pdf"
    copy.write_bytes(b"".join(download.streaming_content))
    seen.append(copy.read_bytes())
    seen.append(subprocess.run(["pdftotext", str(copy), "-"], capture_output=True,
                               check=True).stdout)
    for shown in seen:
        assert CANARY.encode() not in shown
        assert b"Anna" not in shown and b"utredning-" not in shown
    assert b"Utredning sida 2" in seen[-1]  # the unmasked page keeps its text
