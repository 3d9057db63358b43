"""An e-mail message taken apart for the inbox, with limits that hostile mail cannot pass.

`parse_eml` reads a message as received (RFC 5322 bytes, an .eml file) into its sender,
subject, Message-ID, date, text and attachments. The limits (settings, docs/intake.md):

- size: a message over MAIL_MAX_BYTES is refused by the caller before it is read;
- parts and nesting: a message declaring more than MAIL_MAX_PARTS multipart or message
  parts is not parsed at all; one nested deeper than MAIL_MAX_DEPTH is not taken apart.
  Either way the message itself is kept (the .eml) and the refusal says why, so nothing
  is lost and nothing runs away with the CPU;
- names: attachment names are reduced to a safe last path component by the registry's
  safe_file_name when stored (`../../x` becomes `x`).

The content hash is SHA-256 over the identifying headers (From, To, Cc, Date, Subject,
Message-ID) and the body with line endings made LF, so the same message fetched over IMAP
or uploaded as an .eml hashes the same whatever transport headers were added on the way.
Together with the Message-ID it keeps a message from being imported twice."""

from __future__ import annotations

import contextlib
import datetime as dt
import email
import email.header
import email.utils
import hashlib
import mimetypes
import re
from dataclasses import dataclass, field
from email import policy
from email.message import Message

from django.conf import settings
from django.utils.translation import gettext as _

IDENTIFYING = ("from", "to", "cc", "date", "subject", "message-id")
_DECLARED_PARTS = re.compile(rb"content-type:\s*(?:multipart/|message/rfc822)", re.IGNORECASE)
_HEADER_END = re.compile(rb"\r?\n\r?\n")


@dataclass
class Attachment:
    name: str
    content_type: str
    data: bytes


@dataclass
class ParsedMail:
    message_id: str
    sender: str
    subject: str
    date: dt.datetime | None
    body: str
    content_sha256: str
    attachments: list[Attachment] = field(default_factory=list)
    refusal: str = ""


def clean(text: object, limit: int) -> str:
    """A header value as one printable line, at most limit characters."""
    value = " ".join(str(text or "").split())
    return "".join(ch for ch in value if ch.isprintable())[:limit]


def _split(raw: bytes) -> tuple[bytes, bytes]:
    match = _HEADER_END.search(raw)
    if match is None:
        return raw, b""
    return raw[: match.start()], raw[match.end():]


def content_hash(headers: Message, body: bytes) -> str:
    digest = hashlib.sha256()
    for name in IDENTIFYING:
        for value in headers.get_all(name) or ():
            digest.update(name.encode() + b":" + " ".join(str(value).split()).encode(
                "utf-8", "replace") + b"\n")
    digest.update(b"\n")
    digest.update(body.replace(b"\r\n", b"\n"))
    return digest.hexdigest()


def _header(message: Message, name: str, limit: int) -> str:
    try:
        return clean(message.get(name, ""), limit)
    except (ValueError, LookupError, TypeError, IndexError):  # a malformed encoded word
        raw = [value for key, value in message.raw_items() if key.lower() == name]
        return clean(raw[0] if raw else "", limit)


def _date(message: Message) -> dt.datetime | None:
    try:
        value = email.utils.parsedate_to_datetime(str(message.get("date", "")))
    except (TypeError, ValueError, IndexError):
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value


def headers_of(raw_headers: bytes) -> Message:
    return email.message_from_bytes(raw_headers + b"\r\n\r\n", policy=policy.default)


def summary(headers: Message, body: bytes, refusal: str = "") -> ParsedMail:
    """A message known by its headers only (too large, too deeply nested)."""
    return ParsedMail(
        message_id=_header(headers, "message-id", 500),
        sender=_header(headers, "from", 300),
        subject=_header(headers, "subject", 500) or _("(no subject)"),
        date=_date(headers),
        body="",
        content_sha256=content_hash(headers, body),
        refusal=refusal,
    )


def parse_eml(raw: bytes) -> ParsedMail:
    head, body = _split(raw)
    headers = headers_of(head)
    limit_parts, limit_depth = settings.MAIL_MAX_PARTS, settings.MAIL_MAX_DEPTH
    if len(_DECLARED_PARTS.findall(raw)) > limit_parts:
        return summary(headers, body, _(
            "The message has more than %(n)s parts; it was not taken apart (it is kept "
            "as it came).") % {"n": limit_parts})
    try:
        # The structure with the compat32 policy: the default policy parses every header
        # of every part into objects, several times slower for the same answer here.
        message = email.message_from_bytes(raw, policy=policy.compat32)
        leaves, depth = _leaves(message)
    except RecursionError:
        leaves, depth = [], limit_depth + 1
    if depth > limit_depth:
        return summary(headers, body, _(
            "The message is nested more than %(n)s levels deep; it was not taken apart "
            "(it is kept as it came).") % {"n": limit_depth})
    if len(leaves) > limit_parts:
        return summary(headers, body, _(
            "The message has more than %(n)s parts; it was not taken apart (it is kept "
            "as it came).") % {"n": limit_parts})
    found = summary(headers, body)
    text_part = _body_part(leaves)
    found.body = _text(text_part) if text_part is not None else ""
    found.attachments = [
        _attachment(part, n) for n, part in enumerate(
            (p for p in leaves if p is not text_part and not _is_alternative_text(p)), 1)
    ]
    return found


def _leaves(message: Message) -> tuple[list[Message], int]:
    """The message's leaf parts (an attached message counts as one leaf) and its depth,
    without recursion."""
    leaves, deepest = [], 0
    stack: list[tuple[Message, int]] = [(message, 1)]
    while stack:
        part, depth = stack.pop()
        deepest = max(deepest, depth)
        if part.is_multipart() and part.get_content_type().startswith("multipart/"):
            stack.extend((child, depth + 1) for child in reversed(part.get_payload()))
        else:
            leaves.append(part)
    return leaves, deepest


def _body_part(leaves: list[Message]) -> Message | None:
    """The message's text: its first plain-text part, else its first HTML part (neither
    an attachment)."""
    for wanted in ("text/plain", "text/html"):
        for part in leaves:
            if part.get_content_type() == wanted and _is_alternative_text(part):
                return part
    return None


def _is_alternative_text(part: Message) -> bool:
    """A text or HTML rendering of the message's body, not an attachment of its own."""
    return (part.get_content_type() in ("text/plain", "text/html")
            and part.get_content_disposition() != "attachment"
            and not _filename(part))


def _text(part: Message) -> str:
    payload = part.get_payload(decode=True)
    if not isinstance(payload, bytes):
        return ""
    try:
        content = payload.decode(part.get_content_charset() or "utf-8", "replace")
    except LookupError:  # an unknown charset
        content = payload.decode("utf-8", "replace")
    if part.get_content_subtype() == "html" and content.strip():
        import lxml.html

        try:
            return lxml.html.fromstring(content).text_content()
        except (ValueError, lxml.etree.ParserError):
            return ""
    return content


def _filename(part: Message) -> str:
    """The part's file name, RFC 2231 or (as many mailers send it) RFC 2047 encoded."""
    try:
        name = part.get_filename() or ""
    except (ValueError, LookupError, TypeError):
        return ""
    if "=?" in name:
        with contextlib.suppress(ValueError, LookupError, UnicodeDecodeError):
            name = str(email.header.make_header(email.header.decode_header(name)))
    return name


def _attachment(part: Message, n: int) -> Attachment:
    content_type = part.get_content_type()
    if content_type == "message/rfc822":
        inner = part.get_payload()
        inner = inner[0] if isinstance(inner, list) and inner else inner
        data = inner.as_bytes() if isinstance(inner, Message) else b""
        subject = clean(inner.get("subject", "") if isinstance(inner, Message) else "", 100)
        return Attachment(f"{subject or _('message')}.eml", content_type, data)
    name = _filename(part)
    if not name:
        ext = mimetypes.guess_extension(content_type) or ".bin"
        name = _("attachment-%(n)s%(ext)s") % {"n": n, "ext": ext}
    data = part.get_payload(decode=True)
    return Attachment(name, content_type, data if isinstance(data, bytes) else b"")
