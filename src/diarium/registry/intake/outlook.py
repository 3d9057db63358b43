"""Outlook .msg files (an OLE compound file of MAPI properties), read with extract-msg.

A file that is not a readable Outlook message is refused with a clear error; nothing is
stored. The .msg itself is kept as the message's file (what was received), and its
attachments are taken out as files of their own. Its content hash is the SHA-256 of the
file: an Outlook file has no transport headers to leave out."""

from __future__ import annotations

import datetime as dt
import hashlib
import io

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from diarium.registry.intake.mime import Attachment, ParsedMail, clean

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def not_a_message() -> ValidationError:
    return ValidationError({"file": _("The file is not an Outlook message (.msg).")})


def parse_msg(raw: bytes) -> ParsedMail:
    if not raw.startswith(OLE_MAGIC):
        raise not_a_message()
    import extract_msg
    from extract_msg.exceptions import ExMsgBaseException

    try:
        message = extract_msg.openMsg(io.BytesIO(raw), strict=True, delayAttachments=False)
    except (ExMsgBaseException, OSError, ValueError, TypeError, KeyError, IndexError,
            AttributeError, NotImplementedError) as exc:
        raise not_a_message() from exc
    try:
        return _read(message, raw)
    finally:
        message.close()


def _read(message, raw: bytes) -> ParsedMail:
    if not hasattr(message, "subject") or not hasattr(message, "sender"):
        raise not_a_message()
    attachments, refusal = [], ""
    found = list(getattr(message, "attachments", []) or [])
    if len(found) > settings.MAIL_MAX_PARTS:
        found, refusal = [], _("The message has more than %(n)s parts; it was not taken "
                               "apart (it is kept as it came).") % {
                                   "n": settings.MAIL_MAX_PARTS}
    for n, attachment in enumerate(found, 1):
        data = getattr(attachment, "data", None)
        name = (getattr(attachment, "longFilename", None)
                or getattr(attachment, "shortFilename", None) or "")
        if not isinstance(data, bytes):  # an embedded message or an unsupported kind
            if hasattr(data, "exportBytes"):
                data, name = data.exportBytes(), f"{clean(name, 200) or n}.msg"
            else:
                continue
        attachments.append(Attachment(
            name or _("attachment-%(n)s%(ext)s") % {"n": n, "ext": ".bin"},
            getattr(attachment, "mimetype", None) or "application/octet-stream", data))
    date = getattr(message, "date", None)
    if isinstance(date, dt.datetime) and date.tzinfo is None:
        date = date.replace(tzinfo=dt.UTC)
    body = getattr(message, "body", "") or ""
    return ParsedMail(
        message_id=clean(getattr(message, "messageId", "") or "", 500),
        sender=clean(message.sender or "", 300),
        subject=clean(message.subject or "", 500) or _("(no subject)"),
        date=date if isinstance(date, dt.datetime) else None,
        body=body if isinstance(body, str) else "",
        content_sha256=hashlib.sha256(raw).hexdigest(),
        attachments=attachments,
        refusal=refusal,
    )
