"""One poll of a functional mailbox: hand back what has an outcome, then take in what is
new. Run by the job `registry.poll_mailboxes` (registry/tasks.py) on the schedule.

1. Messages whose inbox item has an outcome (registered, kept in order, dismissed) are
   released: moved to the handled folder, or flagged. Nothing else is ever changed in the
   mailbox, so a message whose item waits for its outcome stays where it is.
2. Messages not seen before (by UIDVALIDITY and UID) are fetched one at a time and put in
   the inbox (services.receive_message); one over MAIL_MAX_BYTES is not fetched: its
   headers are, and the item says why. A message already in the inbox (same Message-ID
   and content hash, e.g. copied into the folder again) is linked to its item, not
   imported again.

A failure (server away, wrong password) is recorded on the mailbox, shown on the inbox
page, and raised; what was taken in before it stays, and the next poll goes on from
there. Nothing is lost: the mailbox still holds every message without an outcome."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.utils.translation import gettext as _

from diarium.core import actors
from diarium.registry.intake import imap
from diarium.registry.intake.mime import headers_of, summary
from diarium.registry.intake.models import Mailbox, MailboxMessage
from diarium.registry.models import InboxSource, InboxStatus
from diarium.registry.services import inbox as inbox_services
from diarium.registry.services import mailboxes as mailbox_services


@dataclass
class PollReport:
    mailbox: str
    new: int = 0
    duplicates: int = 0
    refused: int = 0
    released: int = 0
    error: str = ""
    busy: bool = False
    items: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        found = {"mailbox": self.mailbox, "new": self.new, "duplicates": self.duplicates,
                 "refused": self.refused, "released": self.released, "error": self.error}
        if self.busy:
            found["busy"] = True
        return found


def _size_text(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB"


def poll(mailbox: Mailbox, *, actor=actors.MAIL,
         on_message: Callable[[PollReport], None] | None = None) -> PollReport:
    """Poll one mailbox. Raises imap.MailboxError after recording it on the mailbox."""
    report = PollReport(mailbox.name)
    if not mailbox_services.claim_poll(mailbox):
        report.busy = True  # another poll of this mailbox is still running
        return report
    try:
        with imap.connect(mailbox) as conn:
            if conn.uidvalidity != mailbox.uidvalidity:
                mailbox_services.note_uidvalidity(mailbox, conn.uidvalidity)
            _release(mailbox, conn, report)
            _take_in(mailbox, conn, report, actor, on_message)
    except imap.MailboxError as exc:
        report.error = str(exc)
        mailbox_services.note_poll(mailbox, exc.code, exc.params)
        raise
    finally:
        mailbox_services.release_poll(mailbox)
    mailbox_services.note_poll(mailbox)
    return report


def _release(mailbox: Mailbox, conn: imap.Connection, report: PollReport) -> None:
    decided = (MailboxMessage.objects
               .filter(mailbox=mailbox, uidvalidity=conn.uidvalidity, released_at=None)
               .exclude(item__status=InboxStatus.NEW).order_by("uid"))
    present = set(conn.uids())
    for message in decided:
        if message.uid in present:
            conn.release(message.uid, mailbox.done_folder)
        mailbox_services.note_released(message)
        report.released += 1


def _take_in(mailbox, conn, report, actor, on_message) -> None:
    known = set(MailboxMessage.objects.filter(mailbox=mailbox, uidvalidity=conn.uidvalidity)
                .values_list("uid", flat=True))
    new = [uid for uid in conn.uids() if uid not in known]
    limit = settings.MAIL_MAX_BYTES
    for meta in conn.meta(new):
        if meta.size > limit:
            head = conn.header(meta.uid)
            parsed = summary(headers_of(head.rstrip(b"\r\n")), b"size:%d" % meta.size, _(
                "The message is %(size)s, larger than the limit of %(limit)s: it was not "
                "taken in. It stays in the mailbox; fetch it there or ask the sender for a "
                "smaller one.") % {"size": _size_text(meta.size), "limit": _size_text(limit)})
            item, created = inbox_services.receive_refused_message(
                actor, mailbox.authority, parsed, source=InboxSource.MAILBOX,
                received_at=meta.received_at)
            report.refused += created
        else:
            raw = conn.message(meta.uid)
            item, created = inbox_services.receive_message(
                actor, mailbox.authority, raw, source=InboxSource.MAILBOX,
                received_at=meta.received_at)
            report.new += created
        report.duplicates += not created
        mailbox_services.note_seen(mailbox, conn.uidvalidity, meta.uid, item)
        report.items.append(str(item.pk))
        mailbox_services.renew_poll(mailbox)
        if on_message is not None:
            on_message(report)


def mailboxes_to_poll(only: str | None = None):
    found = Mailbox.objects.filter(active=True).select_related("authority")
    return found.filter(pk=only) if only else found
