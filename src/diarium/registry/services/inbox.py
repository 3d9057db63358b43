"""Mail in an authority's inbox, until the registrator chooses one of the three outcomes
the law gives (OSL 5 kap.): register it in a case (`place_inbox_item`, in an existing or a
new case), keep it in order without registering it (`keep_inbox_item`, naming the register
it is kept in), or set it aside as not an official document (`dismiss_inbox_item`, with a
reason). Each outcome records who chose it and when, in the same transaction as its audit
event; mail with an outcome leaves the inbox and gets no second one.

Mail arrives from an e-mail gateway or e-service (`receive_mail`), as a whole e-mail
message (`receive_message`: read from a functional mailbox, or a registrator's .eml or
.msg upload) or, when a mailbox message is over the size limit, as its headers with the
refusal (`receive_refused_message`). A message is never imported twice: its Message-ID and
content hash are unique in the authority's inbox (registry/intake/mime.py)."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from diarium.audit import services as audit
from diarium.core import actors
from diarium.core.actors import Actor
from diarium.core.errors import TooLarge
from diarium.core.transactions import atomic_with_retry
from diarium.organisation.models import Authority
from diarium.organisation.selectors import REGISTERING_ROLES
from diarium.registry import enforcement
from diarium.registry.intake.mime import ParsedMail, clean, parse_eml
from diarium.registry.intake.outlook import parse_msg
from diarium.registry.models import (
    Case,
    DiarySeries,
    Document,
    InboxFile,
    InboxFileKind,
    InboxItem,
    InboxSource,
    InboxStatus,
)
from diarium.registry.services._common import (
    CaseData,
    StoredUpload,
    Upload,
    _require,
    _require_visible_party,
    require_may_add,
)
from diarium.registry.services.cases import open_case
from diarium.registry.services.documents import (
    DocumentData,
    _register_stored,
    _validate_document,
    _validate_new_case,
    store_uploads,
)

EML_TYPE = "message/rfc822"
MSG_TYPE = "application/vnd.ms-outlook"


def receive_mail(
    actor: Actor,
    authority: Authority,
    *,
    sender: str,
    subject: str,
    body: str = "",
    uploads: Iterable[Upload] = (),
    received_at: dt.datetime | None = None,
) -> InboxItem:
    """Put incoming mail in the authority's inbox (from an e-mail gateway or e-service:
    the principal system:mail, or the authority's registry)."""
    _require(actor, authority.pk, REGISTERING_ROLES, "registry.receive_mail")
    if not subject.strip():
        raise ValidationError({"subject": _("Mail needs a subject.")})
    files = [(f, InboxFileKind.ATTACHMENT) for f in store_uploads(actor, uploads)]
    return _store_mail(actor, authority, ParsedMail(
        message_id="", sender=sender.strip(), subject=subject.strip(), date=None, body=body,
        content_sha256=""), files, received_at, InboxSource.SERVICE)


def receive_message(
    actor: Actor,
    authority: Authority,
    raw: bytes,
    *,
    name: str = "meddelande.eml",
    source: str = InboxSource.UPLOAD,
    received_at: dt.datetime | None = None,
    limit: int | None = None,
) -> tuple[InboxItem, bool]:
    """Put a whole e-mail message in the inbox: the message as received (.eml, or an
    Outlook .msg when name ends so) is kept as its file and each attachment becomes a file
    of its own. Returns the item and whether it is new: a message already in the
    authority's inbox (same Message-ID and content hash) gives that item instead.

    An upload's received time is the message's date (when it is not in the future), a
    mailbox's the server's arrival time. A message over the size limit is refused
    (TooLarge); an .msg that is not one is refused (ValidationError); nothing is stored."""
    _require(actor, authority.pk, REGISTERING_ROLES, "registry.receive_mail")
    limit = settings.MAIL_MAX_BYTES if limit is None else limit
    if len(raw) > limit:
        raise TooLarge(limit)
    is_msg = name.lower().endswith(".msg")
    parsed = parse_msg(raw) if is_msg else parse_eml(raw)
    existing = _duplicate(authority, parsed)
    if existing is not None:
        return existing, False
    message_name = name if is_msg else _message_name(parsed, name)
    uploads = [Upload(io.BytesIO(raw), message_name, MSG_TYPE if is_msg else EML_TYPE)]
    uploads += [Upload(io.BytesIO(a.data), a.name, a.content_type) for a in parsed.attachments]
    stored = store_uploads(actor, uploads)
    files = [(stored[0], InboxFileKind.MESSAGE)]
    files += [(f, InboxFileKind.ATTACHMENT) for f in stored[1:]]
    if received_at is None:
        now = timezone.now()
        received_at = parsed.date if parsed.date and parsed.date <= now else now
    return _store_unique(actor, authority, parsed, files, received_at, source)


def receive_refused_message(
    actor: Actor, authority: Authority, parsed: ParsedMail, *,
    source: str = InboxSource.MAILBOX, received_at: dt.datetime | None = None,
) -> tuple[InboxItem, bool]:
    """A message known by its headers only (it was over the size limit): an inbox item
    with its sender, subject and the refusal, so the registrator sees it and decides; the
    message stays in the mailbox until then."""
    _require(actor, authority.pk, REGISTERING_ROLES, "registry.receive_mail")
    existing = _duplicate(authority, parsed)
    if existing is not None:
        return existing, False
    return _store_unique(actor, authority, parsed, [], received_at or timezone.now(), source)


def _message_name(parsed: ParsedMail, fallback: str) -> str:
    subject = clean(parsed.subject, 120).replace("/", "-").replace("\\", "-")
    return f"{subject}.eml" if subject else fallback


def _duplicate(authority: Authority, parsed: ParsedMail) -> InboxItem | None:
    if not parsed.content_sha256:
        return None
    return InboxItem.objects.filter(
        authority=authority, message_id=parsed.message_id,
        content_sha256=parsed.content_sha256).first()


def _store_unique(actor, authority, parsed, files, received_at, source) -> tuple[InboxItem, bool]:
    try:
        return _store_mail(actor, authority, parsed, files, received_at, source), True
    except IntegrityError:  # the same message, stored a moment ago by another poll
        found = _duplicate(authority, parsed)
        if found is None:
            raise
        return found, False


@atomic_with_retry
def _store_mail(actor, authority, parsed: ParsedMail, files, received_at, source) -> InboxItem:
    with transaction.atomic():  # a savepoint: a duplicate rolls back this much only
        item = InboxItem.objects.create(
            authority=authority,
            sender=parsed.sender,
            subject=parsed.subject,
            body=parsed.body,
            received_at=received_at or timezone.now(),
            source=source,
            message_id=parsed.message_id,
            content_sha256=parsed.content_sha256,
            refusal=parsed.refusal,
        )
    InboxFile.objects.bulk_create(
        [
            InboxFile(
                item=item,
                kind=kind,
                content=f.content,
                original_name=f.name,
                mime_type=f.mime_type,
                size=f.content.size,
            )
            for f, kind in files
        ]
    )
    after = {"sender": item.sender, "subject": item.subject, "source": source}
    if parsed.message_id:
        after["message_id"] = parsed.message_id
    if parsed.content_sha256:
        after["content_sha256"] = parsed.content_sha256
    if parsed.refusal:
        after["refusal"] = parsed.refusal
    audit.record(
        actor=actor,
        action="inbox.received",
        obj=item,
        chain=f"authority:{authority.pk}",
        after=after | {"files": [[f.name, f.content.sha256] for f, _kind in files]},
    )
    return item


@atomic_with_retry
def place_inbox_item(actor: Actor, item: InboxItem, case: Case, data: DocumentData) -> Document:
    """Register inbox mail as an incoming document in an existing case."""
    if case.authority_id != item.authority_id:
        raise ValidationError({"case": _("The case belongs to another authority.")})
    require_may_add(actor, case)
    _require_visible_party(actor, data.party)
    return _place(actor, item, case, data)


def _locked_new(actor: Actor, item: InboxItem) -> InboxItem:
    """The item, locked, if the actor may decide it and it has no outcome yet."""
    item = InboxItem.objects.select_for_update().get(pk=item.pk)
    _require(actor, item.authority_id, REGISTERING_ROLES)
    if item.status != InboxStatus.NEW:
        raise ValidationError({"item": _("The mail has already been handled.")})
    return item


def _place(actor: Actor, item: InboxItem, case: Case, data: DocumentData) -> Document:
    item = _locked_new(actor, item)
    if case.authority_id != item.authority_id:
        raise ValidationError({"case": _("The case belongs to another authority.")})
    _validate_document(data, case.authority_id)
    files = [
        StoredUpload(f.content, f.original_name, f.mime_type)
        for f in InboxFile.objects.filter(item=item).select_related("content").order_by(
            "-kind", "id")  # the message first, then its attachments as they came
    ]
    doc = _register_stored(actor, case, data, files)
    item.status, item.document = InboxStatus.PLACED, doc
    item.decided_at, item.decided_by = timezone.now(), actors.user_of(actor)
    item.save(update_fields=["status", "document", "decided_at", "decided_by"])
    audit.record(actor=actor, action="inbox.placed", obj=item,
                 chain=f"authority:{item.authority_id}", case_id=case.pk,
                 before={"status": InboxStatus.NEW},
                 after={"status": item.status, "document": doc.document_number})
    return doc


@atomic_with_retry
def place_inbox_item_in_new_case(
    actor: Actor, item: InboxItem, series: DiarySeries, case_data: CaseData, data: DocumentData
) -> Document:
    """Open a case in series and register the inbox mail as its first document."""
    if series.authority_id != item.authority_id:
        raise ValidationError({"series": _("The diary series belongs to another authority.")})
    _require_visible_party(actor, data.party)
    _validate_new_case(series, case_data, data)
    case = open_case(actor, series, case_data)
    return _place(actor, item, case, data)


@atomic_with_retry
def keep_inbox_item(actor: Actor, item: InboxItem, kept_in: str,
                    record_type: object = None) -> InboxItem:
    """Keep the mail in order without registering it (hålls ordnad), in the register or
    IT system named. The law allows this only for documents that hold no secrecy: a
    record type that the plan marks secret by default must be registered."""
    actors.require_person(actor, _("A person decides what becomes of received mail."))
    item = _locked_new(actor, item)
    errors = {}
    if not kept_in.strip():
        errors["kept_in"] = _("Say in which register the mail is kept in order.")
    rule = None
    try:
        rule = enforcement.resolve_rule(item.authority_id, record_type, timezone.localdate())
    except ValidationError as exc:
        errors |= exc.message_dict
    if enforcement.rule_secrecy(rule):
        errors["record_type"] = _(
            "The record type is secret by default (%(provision)s): secret documents are "
            "always registered.") % {"provision": enforcement.rule_secrecy(rule)}
    if errors:
        raise ValidationError(errors)
    item.status, item.kept_in = InboxStatus.KEPT, kept_in.strip()[:200]
    return _decided(actor, item, {"kept_in": item.kept_in,
                                  "record_type": rule.name if rule else ""})


@atomic_with_retry
def dismiss_inbox_item(actor: Actor, item: InboxItem, reason: str) -> InboxItem:
    """Set the mail aside as not an official document (e.g. advertising), with a reason."""
    actors.require_person(actor, _("A person decides what becomes of received mail."))
    item = _locked_new(actor, item)
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the mail is not an official document.")})
    item.status, item.dismissal_reason = InboxStatus.DISMISSED, reason.strip()
    return _decided(actor, item, {"reason": item.dismissal_reason})


def _decided(actor: Actor, item: InboxItem, after: dict) -> InboxItem:
    item.decided_at, item.decided_by = timezone.now(), actors.user_of(actor)
    item.save(update_fields=["status", "kept_in", "dismissal_reason", "decided_at",
                             "decided_by"])
    audit.record(actor=actor, action=f"inbox.{item.status}", obj=item,
                 chain=f"authority:{item.authority_id}",
                 before={"status": InboxStatus.NEW}, after={"status": item.status} | after)
    return item
