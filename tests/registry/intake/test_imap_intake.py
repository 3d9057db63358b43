"""E-mail intake from a functional mailbox over IMAP (a real Dovecot with TLS): messages
with attachments become inbox items; each of the three outcomes; no duplicates on a
second poll; nothing removed or changed in the mailbox before an outcome."""

from __future__ import annotations

import pytest

from diarium.core.jobs.models import JobState
from diarium.core.jobs.services import run_here
from diarium.registry import services
from diarium.registry.intake import polling
from diarium.registry.intake.models import MailboxMessage
from diarium.registry.models import InboxFileKind, InboxItem, InboxStatus
from diarium.registry.tasks import POLL_MAILBOXES
from tests import factories as f
from tests.mailmessages import PDF, message

pytestmark = pytest.mark.django_db


def poll():
    return run_here(POLL_MAILBOXES, principal="system:mail")


def test_messages_with_attachments_become_inbox_items(imap_server, mailbox):
    imap_server.append("ks", message("Bygglov Storgatan 5", attachments=[
        ("ansökan.pdf", PDF, "application/pdf"), ("ritning.txt", b"ritning", "text/plain")]))
    imap_server.append("ks", message("Fråga om taxa", sender="bo@example.se"))
    before = imap_server.messages("ks")
    job = poll()
    assert job.state == JobState.SUCCEEDED, job.error
    assert job.result["mailboxes"][0]["new"] == 2
    first = InboxItem.objects.get(subject="Bygglov Storgatan 5")
    assert first.sender == "Anna <anna@example.se>" and first.source == "mailbox"
    assert first.message_id.endswith("@example.se>") and len(first.content_sha256) == 64
    assert "Jag har synpunkter" in first.body
    files = {f.original_name: f for f in first.inboxfile_set.all()}
    assert set(files) == {"Bygglov Storgatan 5.eml", "ansökan.pdf", "ritning.txt"}
    assert files["Bygglov Storgatan 5.eml"].kind == InboxFileKind.MESSAGE
    assert files["ansökan.pdf"].size == len(PDF)
    # Reading changed nothing: the same messages, not even marked as read.
    after = imap_server.messages("ks")
    assert after == before and all(b"\\Seen" not in flags for _uid, flags, _raw in after)


def test_second_poll_and_a_copy_of_the_message_import_nothing_twice(imap_server, mailbox):
    raw = message("Synpunkt", attachments=[("a.pdf", PDF, "application/pdf")])
    imap_server.append("ks", raw)
    poll()
    again = poll()
    assert again.result["mailboxes"][0]["new"] == 0
    imap_server.append("ks", raw)  # the same message put in the folder again (a new UID)
    third = poll()
    assert third.result["mailboxes"][0] == {
        "mailbox": mailbox.name, "new": 0, "duplicates": 1, "refused": 0, "released": 0,
        "error": ""}
    assert InboxItem.objects.count() == 1
    assert MailboxMessage.objects.filter(mailbox=mailbox).count() == 2


def test_each_outcome_releases_its_message_and_only_then(imap_server, mailbox, ks,
                                                           registrator):
    for subject in ("Registreras", "Hålls ordnad", "Reklam", "Väntar"):
        imap_server.append("ks", message(subject, attachments=[
            ("bilaga.pdf", PDF, "application/pdf")]))
    poll()
    items = {i.subject: i for i in InboxItem.objects.all()}
    case = f.case(registrator, ks, "Detaljplan Norr")
    doc = services.place_inbox_item(registrator, items["Registreras"], case,
                                    services.DocumentData("incoming", "Synpunkt",
                                                          items["Registreras"].received_at.date()))
    services.keep_inbox_item(registrator, items["Hålls ordnad"], "E-postarkivet")
    services.dismiss_inbox_item(registrator, items["Reklam"], "Reklam, ingen allmän handling")
    # Decided in Diarium, but nothing has been touched in the mailbox yet.
    assert len(imap_server.messages("ks")) == 4
    job = poll()
    assert job.result["mailboxes"][0]["released"] == 3
    left = [raw for _uid, _flags, raw in imap_server.messages("ks")]
    assert len(left) == 1 and b"V=C3=A4ntar" in left[0]
    assert len(imap_server.messages("ks", "Diariet")) == 3
    assert {f.original_name for f in doc.files.all()} == {"Registreras.eml", "bilaga.pdf"}
    for item in InboxItem.objects.exclude(subject="Väntar"):
        assert item.decided_by == registrator and item.decided_at is not None
    kept = InboxItem.objects.get(subject="Hålls ordnad")
    assert kept.status == InboxStatus.KEPT and kept.kept_in == "E-postarkivet"
    dismissed = InboxItem.objects.get(subject="Reklam")
    assert dismissed.status == InboxStatus.DISMISSED
    assert dismissed.dismissal_reason == "Reklam, ingen allmän handling"
    assert poll().result["mailboxes"][0] == {
        "mailbox": mailbox.name, "new": 0, "duplicates": 0, "refused": 0, "released": 0,
        "error": ""}


def test_without_a_handled_folder_the_message_is_flagged(imap_server, ks, registrator):
    from tests.registry.intake.conftest import make_mailbox

    make_mailbox(imap_server, ks.authority, done_folder="")
    imap_server.append("ks", message("Reklam"))
    poll()
    services.dismiss_inbox_item(registrator, InboxItem.objects.get(), "Reklam")
    poll()
    [(_uid, flags, _raw)] = imap_server.messages("ks")
    assert b"$DiariumHandled" in flags and b"\\Seen" in flags
    assert poll().result["mailboxes"][0]["new"] == 0


def test_poll_report_counts(imap_server, mailbox):
    imap_server.append("ks", message("Ett"))
    report = polling.poll(mailbox)
    assert (report.new, report.duplicates, report.refused) == (1, 0, 0)


def test_a_poll_leaves_a_mailbox_to_the_poll_already_reading_it(imap_server, mailbox):
    from diarium.registry.services import mailboxes

    imap_server.append("ks", message("Ett"))
    assert mailboxes.claim_poll(mailbox)  # another poll is reading it
    report = polling.poll(mailbox)
    assert report.busy and report.new == 0 and not InboxItem.objects.exists()
    mailboxes.release_poll(mailbox)
    assert polling.poll(mailbox).new == 1
