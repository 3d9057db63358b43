"""Administrators set up an authority's functional mailbox; the app password is sealed in
the database, never shown again, and kept when the form leaves it empty."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from diarium.audit.models import AuditEvent
from diarium.core.sealed import Unsealable, seal, unseal
from diarium.registry.intake.models import Mailbox
from diarium.registry.services import mailboxes
from tests import factories as f
from tests.web.conftest import logged_in

pytestmark = pytest.mark.django_db

FORM = {"name": "ks@sjovik.se", "host": "imap.sjovik.se", "port": 993, "security": "tls",
        "username": "ks", "folder": "INBOX", "done_folder": "Diariet", "active": "on"}


@pytest.fixture
def admin(ks):
    return f.user("admin", roles={ks.authority: "administrator"})


def test_seal_round_trip_and_another_key_cannot_open(settings):
    sealed = seal("app-lösen")
    assert "app-lösen" not in sealed and unseal(sealed) == "app-lösen"
    settings.SEALING_KEY = "en annan nyckel"
    with pytest.raises(Unsealable):
        unseal(sealed)


def test_an_administrator_sets_up_and_changes_a_mailbox(ks, admin):
    client = logged_in(admin)
    response = client.post(reverse("registry:mailbox_new"),
                           FORM | {"authority": ks.authority.pk, "password": "hemligt-123"})
    assert response.status_code == 302
    mailbox = Mailbox.objects.get()
    assert "hemligt-123" not in mailbox.password_sealed
    assert unseal(mailbox.password_sealed) == "hemligt-123"
    page = client.get(reverse("registry:mailbox", args=[mailbox.pk])).content.decode()
    assert "hemligt-123" not in page and mailbox.password_sealed not in page
    client.post(reverse("registry:mailbox", args=[mailbox.pk]),
                FORM | {"host": "imap2.sjovik.se", "password": ""})
    mailbox.refresh_from_db()
    assert mailbox.host == "imap2.sjovik.se" and unseal(mailbox.password_sealed) == "hemligt-123"
    events = AuditEvent.objects.filter(action__startswith="mailbox.").order_by("seq")
    assert [e.action for e in events] == ["mailbox.created", "mailbox.changed"]
    assert all("hemligt" not in str(e.after) for e in events)
    listing = client.get(reverse("registry:mailboxes")).content.decode()
    assert "ks@sjovik.se" in listing


def test_others_may_not(ks, registrator):
    client = logged_in(registrator)
    assert client.get(reverse("registry:mailboxes")).status_code == 403
    with pytest.raises(PermissionDenied):
        mailboxes.create_mailbox(registrator, ks.authority, mailboxes.MailboxData(
            name="x", host="h", username="u"), "p")
    other_admin = f.user(roles={f.authority("BUN"): "administrator"})
    mailbox = mailboxes.create_mailbox(f.user(roles={ks.authority: "administrator"}),
                                       ks.authority, mailboxes.MailboxData(
                                           name="x", host="h", username="u"), "p")
    assert logged_in(other_admin).get(
        reverse("registry:mailbox", args=[mailbox.pk])).status_code == 404


def test_a_mailbox_needs_its_fields_and_another_done_folder(ks, admin):
    with pytest.raises(ValidationError) as refused:
        mailboxes.create_mailbox(admin, ks.authority, mailboxes.MailboxData(
            name="", host="h", username="u", port=0, done_folder="INBOX"), "")
    assert {"name", "port", "done_folder", "password"} <= set(refused.value.message_dict)
