"""Sending an e-mail dispatch over SMTP: one message per recipient (a party never sees the
others' addresses), each with the PDF/A attached and the diarienummer in the subject, over
one connection to the authority's server.

Each message goes MAIL FROM, RCPT TO, DATA by hand (not smtplib's sendmail) so that the
server's own answer to the message is kept beside its Message-ID. A recipient the server
refuses is failed with the server's words and the others are still sent; a server that
cannot be reached or logged in to fails every recipient not yet sent. Headers are built by
the email package's SMTP policy, which refuses a line break in any header value."""

from __future__ import annotations

import base64
import smtplib
import ssl
from dataclasses import dataclass, field
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import formatdate, make_msgid

from django.conf import settings as django_settings
from django.utils import timezone
from django.utils.translation import gettext as _

from diarium.core.sealed import Unsealable, unseal
from diarium.documents.models import StoredFile
from diarium.documents.naming import safe_file_name
from diarium.documents.services import open_content
from diarium.registry.dispatch import letters
from diarium.registry.dispatch import services as dispatching
from diarium.registry.dispatch.models import (
    Dispatch,
    DispatchRecipient,
    DispatchSettings,
    SmtpSecurity,
)

ACCEPTED = (250, 251)


class ServerError(Exception):
    """The server could not be used at all (down, TLS, login): nobody was sent to."""


@dataclass
class RunReport:
    sent: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    error: str = ""


def _ssl_context() -> ssl.SSLContext:
    context = ssl.create_default_context()
    if django_settings.MAIL_CA_FILE:
        context.load_verify_locations(cafile=django_settings.MAIL_CA_FILE)
    return context


def connect(config: DispatchSettings) -> smtplib.SMTP:
    """A logged-in connection to the authority's server, or ServerError saying why."""
    timeout = django_settings.MAIL_TIMEOUT_SECONDS
    try:
        if config.security == SmtpSecurity.TLS:
            smtp: smtplib.SMTP = smtplib.SMTP_SSL(config.host, config.port, timeout=timeout,
                                                  context=_ssl_context())
        else:
            smtp = smtplib.SMTP(config.host, config.port, timeout=timeout)
            if config.security == SmtpSecurity.STARTTLS:
                smtp.starttls(context=_ssl_context())
        smtp.ehlo_or_helo_if_needed()  # mail() alone does not greet
        if config.username:
            _login(smtp, config.username, unseal(config.password_sealed))
        return smtp
    except Unsealable as exc:
        raise ServerError(_("The server's password must be entered again.")) from exc
    except smtplib.SMTPAuthenticationError as exc:
        raise ServerError(_("The server refused the login: %(reply)s") % {
            "reply": _reply(exc.smtp_code, exc.smtp_error)}) from exc
    except (OSError, smtplib.SMTPException) as exc:
        raise ServerError(_("The mail server could not be reached: %(error)s") % {
            "error": exc}) from exc


def _login(smtp: smtplib.SMTP, username: str, password: str) -> None:
    """smtplib's login encodes as ASCII; a Swedish password (å, ä, ö) goes as AUTH PLAIN
    in UTF-8 (RFC 4616)."""
    if (username + password).isascii():
        smtp.login(username, password)
        return
    token = base64.b64encode(b"\0" + username.encode() + b"\0" + password.encode())
    code, text = smtp.docmd("AUTH", "PLAIN " + token.decode("ascii"))
    if code != 235:
        raise smtplib.SMTPAuthenticationError(code, text)


def _reply(code: int, text: bytes | str) -> str:
    words = text.decode("utf-8", "replace") if isinstance(text, bytes) else text
    return f"{code} {words}".strip()


@dataclass
class Prepared:
    """What every message of a dispatch shares."""

    sender: Address
    subject: str
    attachment: bytes
    filename: str
    domain: str


def prepare(dispatch: Dispatch, config: DispatchSettings) -> Prepared:
    local, _at, domain = config.from_address.rpartition("@")
    with open_content(StoredFile.objects.get(sha256=dispatch.sent_content)) as stream:
        attachment = stream.read()
    return Prepared(sender=Address(config.from_name or "", local, domain),
                    subject=dispatch.subject, attachment=attachment,
                    filename=safe_file_name(dispatch.document.title, ".pdf"), domain=domain)


def message_for(dispatch: Dispatch, shared: Prepared, recipient: DispatchRecipient
                ) -> EmailMessage:
    local, _at, domain = recipient.email.rpartition("@")
    message = EmailMessage()
    message["From"] = shared.sender
    message["To"] = Address(recipient.name, local, domain)
    message["Subject"] = shared.subject
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain=shared.domain or None)
    day = timezone.localdate()
    message.set_content(letters.cover_letter(dispatch.cover_letter, dispatch.document,
                                             recipient.name, day))
    message.add_attachment(shared.attachment, maintype="application", subtype="pdf",
                           filename=shared.filename)
    return message


def send_one(smtp: smtplib.SMTP, sender: str, recipient: DispatchRecipient,
             message: EmailMessage) -> tuple[bool, str]:
    """(accepted, the server's answer) for one message to one recipient."""
    code, text = smtp.mail(sender)
    if code not in ACCEPTED:
        smtp.rset()
        return False, _reply(code, text)
    code, text = smtp.rcpt(recipient.email)
    if code not in ACCEPTED:
        smtp.rset()
        return False, _reply(code, text)
    code, text = smtp.data(message.as_bytes(policy=SMTP))
    if code not in ACCEPTED:
        return False, _reply(code, text)
    return True, _reply(code, text)


def send(dispatch: Dispatch) -> RunReport:
    """Send to every recipient still waiting; each outcome is stored as it happens."""
    config = DispatchSettings.objects.get(authority_id=dispatch.document.case.authority_id)
    waiting = dispatching.pending(dispatch)
    report = RunReport()
    if not waiting:
        return report
    shared = prepare(dispatch, config)
    dispatching.note_attempt(waiting)
    try:
        smtp = connect(config)
    except ServerError as exc:
        return _fail_all(waiting, str(exc), report)
    try:
        for n, recipient in enumerate(waiting):
            try:
                _send_recorded(smtp, shared, dispatch, recipient, report)
            except (OSError, smtplib.SMTPException) as exc:
                message = _("The connection to the mail server broke: %(error)s") % {
                    "error": exc}
                return _fail_all(waiting[n:], message, report)
    finally:
        _quit(smtp)
    return report


def _send_recorded(smtp: smtplib.SMTP, shared: Prepared, dispatch: Dispatch,
                   recipient: DispatchRecipient, report: RunReport) -> None:
    message = message_for(dispatch, shared, recipient)
    accepted, reply = send_one(smtp, shared.sender.addr_spec, recipient, message)
    if accepted:
        dispatching.note_sent(recipient, message["Message-ID"], reply, first=not report.sent)
        report.sent.append(recipient.email)
    else:
        dispatching.note_failed(recipient, reply)
        report.failed.append(recipient.email)


def _fail_all(waiting: list[DispatchRecipient], reason: str, report: RunReport) -> RunReport:
    for recipient in waiting:
        dispatching.note_failed(recipient, reason)
        report.failed.append(recipient.email)
    report.error = reason
    return report


def _quit(smtp: smtplib.SMTP) -> None:
    try:
        smtp.quit()
    except (OSError, smtplib.SMTPException):
        smtp.close()
