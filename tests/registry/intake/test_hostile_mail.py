"""Hostile and broken input to e-mail intake: a 50 MB attachment (refused with a clear
record, the message stays in the mailbox), an attachment named ../../x, a MIME bomb, an
.msg that is not one, and a mailbox that is unreachable or whose password is wrong (the
registrators see it on the inbox page; nothing is lost)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from diarium.core.actors import MAIL
from diarium.core.errors import TooLarge
from diarium.core.jobs.models import JobState
from diarium.core.jobs.services import run_here
from diarium.core.sealed import seal
from diarium.documents.models import StoredFile
from diarium.registry import services
from diarium.registry.intake.models import Mailbox
from diarium.registry.models import InboxFileKind, InboxItem
from diarium.registry.tasks import POLL_MAILBOXES
from tests.mailmessages import PDF, message, mime_bomb
from tests.registry.intake.conftest import make_mailbox
from tests.web.conftest import logged_in

pytestmark = pytest.mark.django_db


def poll():
    return run_here(POLL_MAILBOXES, principal="system:mail")


def test_a_message_over_the_limit_is_left_in_the_mailbox(imap_server, mailbox, settings):
    settings.MAIL_MAX_BYTES = 4000
    imap_server.append("ks", message("Liten", attachments=[("a.bin", b"x" * 100, "text/plain")]))
    imap_server.append("ks", message("Stor", attachments=[("b.bin", b"y" * 5000, "text/plain")]))
    report = poll().result["mailboxes"][0]
    assert (report["new"], report["refused"]) == (1, 1)
    big = InboxItem.objects.get(subject="Stor")
    assert big.refusal and not big.inboxfile_set.exists()
    assert len(imap_server.messages("ks")) == 2


@pytest.mark.slow
def test_a_50_mb_attachment_is_refused_and_recorded(imap_server, mailbox):
    big = b"\x00\x01" * (25 * 1024 * 1024)
    imap_server.append("ks", message("Stor bilaga", attachments=[
        ("film.bin", big, "application/octet-stream")]))
    del big
    job = poll()
    assert job.state == JobState.SUCCEEDED and job.result["mailboxes"][0]["refused"] == 1
    item = InboxItem.objects.get()
    assert item.subject == "Stor bilaga" and item.sender == "Anna <anna@example.se>"
    assert "larger than the limit" in item.refusal or "större än gränsen" in item.refusal
    assert not item.inboxfile_set.exists() and not StoredFile.objects.exists()
    # The message is still in the mailbox, whole; a second poll does not refuse it again.
    [(_uid, _flags, raw)] = imap_server.messages("ks")
    assert len(raw) > 50 * 1024 * 1024
    assert poll().result["mailboxes"][0]["refused"] == 0
    assert InboxItem.objects.count() == 1


def test_an_attachment_named_with_a_path_is_stored_under_its_last_name(imap_server, mailbox):
    imap_server.append("ks", message("Sökväg", attachments=[
        ("../../x", b"elak", "text/plain"), ("..\\..\\windows\\y.pdf", PDF, "application/pdf"),
    ]))
    poll()
    names = set(InboxItem.objects.get().inboxfile_set.values_list("original_name", flat=True))
    assert names == {"Sökväg.eml", "x", "y.pdf"}


def test_a_mime_bomb_is_kept_whole_but_not_taken_apart(imap_server, mailbox):
    imap_server.append("ks", mime_bomb(300))
    job = poll()
    assert job.state == JobState.SUCCEEDED
    item = InboxItem.objects.get()
    assert "16" in item.refusal  # the nesting limit, in the refusal
    [only] = item.inboxfile_set.all()
    assert only.kind == InboxFileKind.MESSAGE  # the message itself is kept


def test_too_many_parts_are_not_parsed_at_all(ks, settings):
    settings.MAIL_MAX_PARTS = 50
    item, created = services.receive_message(MAIL, ks.authority, mime_bomb(60))
    assert created and item.refusal and item.inboxfile_set.count() == 1


def test_an_upload_over_the_limit_is_refused_and_nothing_is_stored(ks, settings):
    settings.MAIL_MAX_BYTES = 1000
    with pytest.raises(TooLarge):
        services.receive_message(MAIL, ks.authority, message(body="x" * 2000))
    assert not InboxItem.objects.exists() and not StoredFile.objects.exists()


@pytest.mark.parametrize("raw", [
    b"", b"not an outlook file at all",
    b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600,  # the OLE magic, then nothing
])
def test_an_msg_that_is_not_one_is_refused(ks, raw):
    with pytest.raises(ValidationError) as refused:
        services.receive_message(MAIL, ks.authority, raw, name="brev.msg")
    assert "file" in refused.value.message_dict
    assert not InboxItem.objects.exists() and not StoredFile.objects.exists()


def test_a_wrong_password_is_recorded_and_shown_on_the_inbox_page(imap_server, ks,
                                                                   registrator):
    mailbox = make_mailbox(imap_server, ks.authority, password="fel-lösenord")
    imap_server.append("ks", message("Väntar"))
    job = poll()
    assert job.state == JobState.FAILED and mailbox.name in job.error
    mailbox.refresh_from_db()
    assert mailbox.last_error and mailbox.last_error_at and mailbox.last_success_at is None
    page = logged_in(registrator).get(reverse("registry:inbox")).content.decode()
    assert mailbox.name in page and "lösenord" in page
    # The message is where it was; with the right password it comes in.
    assert len(imap_server.messages("ks")) == 1
    Mailbox.objects.filter(pk=mailbox.pk).update(password_sealed=seal("app-lösen-1"))
    assert poll().state == JobState.SUCCEEDED
    mailbox.refresh_from_db()
    assert not mailbox.last_error and InboxItem.objects.get().subject == "Väntar"
    assert mailbox.name not in logged_in(registrator).get(
        reverse("registry:inbox")).content.decode()


def test_an_unreachable_server_is_recorded_and_shown(ks, registrator, imap_server):
    import socket

    with socket.socket() as sock:  # a port where nothing listens
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    mailbox = make_mailbox(imap_server, ks.authority, port=port)
    job = poll()
    assert job.state == JobState.FAILED
    mailbox.refresh_from_db()
    assert f"127.0.0.1:{port}" in mailbox.error_text
    page = logged_in(registrator).get(reverse("registry:inbox")).content.decode()
    assert f"127.0.0.1:{port}" in page


def test_other_authorities_do_not_see_the_mailbox_error(imap_server, ks):
    from tests import factories as f

    make_mailbox(imap_server, ks.authority, password="fel")
    poll()
    other = f.user(roles={f.authority("BUN"): "registrar"})
    page = logged_in(other).get(reverse("registry:inbox")).content.decode()
    assert "kommunstyrelsen@sjovik.se" not in page
