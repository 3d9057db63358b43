"""An e-mail laid out for reading and keeping: its headers, its text, the names of its
attachments. The result is an HTML page that LibreOffice turns into the PDF/A rendition
(the attachments are registered as files of their own)."""

import email
import html
from email import policy
from email.message import EmailMessage
from pathlib import Path

import lxml.html
from django.utils.translation import gettext as _

from diarium.documents.convert.sandbox import ConversionFailed

HEADERS = ("From", "To", "Cc", "Date", "Subject", "Message-ID")
MAX_PARTS = 500


def parse(path: Path) -> EmailMessage:
    try:
        with path.open("rb") as fh:
            message = email.message_from_binary_file(fh, policy=policy.default)
    except RecursionError as exc:
        raise ConversionFailed(_("The e-mail is nested too deeply to be read.")) from exc
    if sum(1 for _part in message.walk()) > MAX_PARTS:
        raise ConversionFailed(_("The e-mail has too many parts to be read."))
    return message  # type: ignore[return-value]


def body_text(message: EmailMessage) -> str:
    """The message's text: its plain part, or the text of its HTML part."""
    part = message.get_body(preferencelist=("plain", "html"))
    if part is None:
        return ""
    try:
        content = part.get_content()
    except (LookupError, UnicodeDecodeError):
        content = part.get_payload(decode=True).decode("utf-8", "replace")
    if part.get_content_subtype() == "html" and content.strip():
        return lxml.html.fromstring(content).text_content()
    return content


def attachment_names(message: EmailMessage) -> list[str]:
    return [part.get_filename() or _("(no name)") for part in message.iter_attachments()]


def to_html(path: Path, workdir: Path) -> Path:
    message = parse(path)
    rows = "".join(
        f"<tr><th>{html.escape(name)}</th><td>{html.escape(str(message[name]))}</td></tr>"
        for name in HEADERS if message[name] is not None
    )
    attachments = "".join(f"<li>{html.escape(n)}</li>" for n in attachment_names(message))
    page = (
        '<!DOCTYPE html><html lang="sv"><head><meta charset="utf-8">'
        f"<title>{html.escape(str(message['Subject'] or ''))}</title></head><body>"
        f"<table>{rows}</table><hr><pre style=\"white-space: pre-wrap\">"
        f"{html.escape(body_text(message))}</pre>"
        + (f"<h2>{html.escape(_('Attachments'))}</h2><ul>{attachments}</ul>" if attachments
           else "")
        + "</body></html>"
    )
    out = workdir / "original.html"
    out.write_text(page, encoding="utf-8")
    return out
