"""What intake keeps: the authorities' functional mailboxes and each message seen in
them, and what a folder import has brought in (so a second run brings in nothing twice).
Registered with the registry's models (registry/models.py imports them)."""

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _


class MailSecurity(models.TextChoices):
    TLS = "tls", _("TLS (IMAPS, usually port 993)")
    STARTTLS = "starttls", _("STARTTLS (usually port 143)")


class Mailbox(models.Model):
    """An authority's functional mailbox (e.g. kommunstyrelsen@…), read over IMAP on a
    schedule. The app password is stored sealed (core/sealed.py), never in plain text.
    Messages are read without changing them; a message is moved to done_folder (or
    flagged, when there is none) only once its inbox item has an outcome."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    authority = models.ForeignKey("organisation.Authority", on_delete=models.PROTECT,
                                  related_name="mailboxes")
    name = models.CharField(_("name"), max_length=200)
    host = models.CharField(_("server"), max_length=255)
    port = models.PositiveIntegerField(_("port"), default=993)
    security = models.CharField(_("encryption"), max_length=16, choices=MailSecurity.choices,
                                default=MailSecurity.TLS)
    username = models.CharField(_("username"), max_length=255)
    password_sealed = models.TextField(blank=True)
    folder = models.CharField(_("folder"), max_length=255, default="INBOX")
    done_folder = models.CharField(
        _("folder for handled mail"), max_length=255, blank=True,
        help_text=_("Handled messages are moved here; when empty they are flagged instead."))
    active = models.BooleanField(_("active"), default=True)
    # Where reading it stands: shown to the registrators on the inbox page.
    uidvalidity = models.BigIntegerField(null=True, blank=True)
    last_polled_at = models.DateTimeField(null=True, blank=True)
    last_success_at = models.DateTimeField(null=True, blank=True)
    # The last failure: a code of registry/intake/imap.py's MESSAGES and its values (the
    # text is made in the reader's language when shown); empty after a good poll.
    last_error = models.CharField(max_length=32, blank=True)
    last_error_params = models.JSONField(default=dict, blank=True)
    last_error_at = models.DateTimeField(null=True, blank=True)
    # One poll at a time per mailbox: a poll holds this lease (renewed as it goes), so a
    # scheduled poll that meets a long one still running leaves the mailbox to it.
    poll_lease_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("mailbox")
        constraints = [
            models.UniqueConstraint(fields=["host", "port", "username", "folder"],
                                    name="uniq_mailbox_folder"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def error_text(self) -> str:
        from diarium.registry.intake.imap import describe

        return describe(self.last_error, self.last_error_params) if self.last_error else ""


class MailboxMessage(models.Model):
    """A message seen in a mailbox (by the folder's UIDVALIDITY and the message's UID) and
    the inbox item it became. released_at: when it was moved or flagged after its item's
    outcome."""

    mailbox = models.ForeignKey(Mailbox, on_delete=models.PROTECT, related_name="messages")
    uidvalidity = models.BigIntegerField()
    uid = models.BigIntegerField()
    item = models.ForeignKey("registry.InboxItem", on_delete=models.PROTECT,
                             related_name="mailbox_messages")
    seen_at = models.DateTimeField(auto_now_add=True)
    released_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["mailbox", "uidvalidity", "uid"],
                                    name="uniq_mailbox_uid"),
        ]
        indexes = [models.Index(fields=["mailbox", "released_at"])]

    def __str__(self) -> str:
        return f"{self.mailbox_id}:{self.uidvalidity}:{self.uid}"


class FolderImportFile(models.Model):
    """A file a folder import registered: its path as given and its SHA-256. A later run
    skips a file whose path and content were imported before."""

    source_path = models.CharField(max_length=1000)
    sha256 = models.CharField(max_length=64)
    document = models.ForeignKey("registry.Document", on_delete=models.PROTECT,
                                 related_name="+")
    imported_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["source_path", "sha256"],
                                    name="uniq_folder_import_file"),
        ]

    def __str__(self) -> str:
        return self.source_path


class FolderImportCase(models.Model):
    """A case a folder import opened for a mapping's new case (series and title), so that
    a later run puts further files into the same case."""

    key = models.CharField(max_length=700, unique=True)
    case = models.ForeignKey("registry.Case", on_delete=models.PROTECT, related_name="+")

    def __str__(self) -> str:
        return self.key
