"""The authorities' functional mailboxes: administrators set them up (the app password is
sealed, core/sealed.py, and never shown again); the mailbox poll (registry/intake/
polling.py) records what it saw and how reading went, which the inbox page shows."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from diarium.audit import services as audit
from diarium.core.actors import Actor
from diarium.core.sealed import seal
from diarium.core.transactions import atomic_with_retry
from diarium.organisation.models import Authority
from diarium.organisation.selectors import ADMINISTRATOR_ROLES
from diarium.registry.intake.models import Mailbox, MailboxMessage, MailSecurity
from diarium.registry.models import InboxItem
from diarium.registry.services._common import _require


@dataclass
class MailboxData:
    name: str
    host: str
    username: str
    port: int = 993
    security: str = MailSecurity.TLS
    folder: str = "INBOX"
    done_folder: str = ""
    active: bool = True


def _validate(data: MailboxData, password: str | None, creating: bool) -> None:
    errors = {}
    for name in ("name", "host", "username", "folder"):
        if not str(getattr(data, name)).strip():
            errors[name] = _("This field is required.")
    if not 0 < int(data.port) < 65536:
        errors["port"] = _("A port is a number from 1 to 65535.")
    if data.security not in MailSecurity.values:
        errors["security"] = _("Choose TLS or STARTTLS.")
    if data.done_folder.strip() and data.done_folder.strip() == data.folder.strip():
        errors["done_folder"] = _("Handled mail must go to another folder than the one read.")
    if creating and not password:
        errors["password"] = _("Give the mailbox's (app) password.")
    if errors:
        raise ValidationError(errors)


def _snapshot(mailbox: Mailbox) -> dict:
    return {"name": mailbox.name, "host": mailbox.host, "port": mailbox.port,
            "security": mailbox.security, "username": mailbox.username,
            "folder": mailbox.folder, "done_folder": mailbox.done_folder,
            "active": mailbox.active}


@atomic_with_retry
def create_mailbox(actor: Actor, authority: Authority, data: MailboxData,
                   password: str) -> Mailbox:
    """Set up a functional mailbox for the authority (its administrators)."""
    _require(actor, authority.pk, ADMINISTRATOR_ROLES, "organisation.manage")
    _validate(data, password, creating=True)
    fields = {k: v.strip() if isinstance(v, str) else v for k, v in asdict(data).items()}
    mailbox = Mailbox(authority=authority, password_sealed=seal(password), **fields)
    _save(mailbox)
    audit.record(actor=actor, action="mailbox.created", obj=mailbox,
                 chain=f"authority:{authority.pk}",
                 after=_snapshot(mailbox) | {"password": "set"})
    return mailbox


@atomic_with_retry
def update_mailbox(actor: Actor, mailbox: Mailbox, data: MailboxData,
                   password: str | None = None) -> Mailbox:
    """Change a mailbox; password None or empty keeps the stored one."""
    mailbox = Mailbox.objects.select_for_update().get(pk=mailbox.pk)
    _require(actor, mailbox.authority_id, ADMINISTRATOR_ROLES, "organisation.manage")
    _validate(data, password, creating=False)
    before = _snapshot(mailbox)
    for key, value in asdict(data).items():
        setattr(mailbox, key, value.strip() if isinstance(value, str) else value)
    if password:
        mailbox.password_sealed = seal(password)
        mailbox.last_error = ""  # a new password deserves a fresh try
    _save(mailbox)
    after = _snapshot(mailbox) | ({"password": "changed"} if password else {})
    audit.record(actor=actor, action="mailbox.changed", obj=mailbox,
                 chain=f"authority:{mailbox.authority_id}", before=before, after=after)
    return mailbox


def _save(mailbox: Mailbox) -> None:
    try:
        with transaction.atomic():
            mailbox.save()
    except IntegrityError as exc:
        raise ValidationError({"folder": _(
            "This folder of this mailbox is already read for an authority.")}) from exc


def note_poll(mailbox: Mailbox, error: str = "", params: dict | None = None) -> None:
    """Record how reading the mailbox went: error is a code of imap.MESSAGES with its
    params, or empty for success (no audit event: it changes no record)."""
    now = timezone.now()
    fields: dict = {"last_polled_at": now}
    if error:
        fields |= {"last_error": error[:32], "last_error_params": params or {},
                   "last_error_at": now}
    else:
        fields |= {"last_error": "", "last_error_params": {}, "last_success_at": now}
    Mailbox.objects.filter(pk=mailbox.pk).update(**fields)


def note_uidvalidity(mailbox: Mailbox, uidvalidity: int) -> None:
    Mailbox.objects.filter(pk=mailbox.pk).update(uidvalidity=uidvalidity)


def note_seen(mailbox: Mailbox, uidvalidity: int, uid: int, item: InboxItem) -> None:
    """The message UID of the folder became (or was already) this inbox item."""
    MailboxMessage.objects.get_or_create(mailbox=mailbox, uidvalidity=uidvalidity, uid=uid,
                                         defaults={"item": item})


def note_released(message: MailboxMessage) -> None:
    MailboxMessage.objects.filter(pk=message.pk).update(released_at=timezone.now())


POLL_LEASE = dt.timedelta(minutes=10)


def claim_poll(mailbox: Mailbox) -> bool:
    """Take the mailbox's poll lease (False when another poll holds it)."""
    now = timezone.now()
    return bool(Mailbox.objects.filter(pk=mailbox.pk).filter(
        Q(poll_lease_until__isnull=True) | Q(poll_lease_until__lt=now)
    ).update(poll_lease_until=now + POLL_LEASE))


def renew_poll(mailbox: Mailbox) -> None:
    Mailbox.objects.filter(pk=mailbox.pk).update(poll_lease_until=timezone.now() + POLL_LEASE)


def release_poll(mailbox: Mailbox) -> None:
    Mailbox.objects.filter(pk=mailbox.pk).update(poll_lease_until=None)
