"""Reading a functional mailbox over IMAP (imaplib, always with TLS: implicit TLS or
STARTTLS, the certificate checked against the system's CAs and DIARIUM_MAIL_CA_FILE).

Reading changes nothing in the mailbox: messages are fetched with BODY.PEEK, which does
not even set \\Seen. The only changes are `release`'s, for messages whose inbox item has
an outcome: move to the handled folder, or flag (\\Seen and the keyword $DiariumHandled).

Every failure is raised as MailboxError with a message for people (server unreachable,
TLS refused, wrong username or password, no such folder)."""

from __future__ import annotations

import datetime as dt
import imaplib
import re
import socket
import ssl
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext_lazy

from diarium.core.sealed import Unsealable, unseal
from diarium.registry.intake.models import MailSecurity

HANDLED_KEYWORD = "$DiariumHandled"
BATCH = 200  # UIDs per metadata FETCH command
_META = re.compile(rb"UID (\d+)|RFC822\.SIZE (\d+)|INTERNALDATE \"([^\"]+)\"")


MESSAGES = {
    "password_unreadable": gettext_lazy(
        "The stored password cannot be read (the server's key has changed): enter the "
        "password again."),
    "tls": gettext_lazy("No secure connection to %(where)s: %(error)s"),
    "unreachable": gettext_lazy("The mail server %(where)s cannot be reached: %(error)s"),
    "login": gettext_lazy("The mail server refused the login: wrong username or password "
                          "(%(error)s)."),
    "folder": gettext_lazy("The folder %(folder)s does not exist in the mailbox."),
    "broken": gettext_lazy("The connection to %(where)s was broken: %(error)s"),
    "server": gettext_lazy("The mail server answered with an error: %(error)s"),
    "list": gettext_lazy("The mailbox did not list its messages."),
    "fetch": gettext_lazy("The mailbox did not give message %(uid)s."),
    "flag": gettext_lazy("The mailbox refused to flag a handled message."),
    "move": gettext_lazy("The mailbox refused to move a handled message to %(folder)s."),
}


class MailboxError(Exception):
    """Reading the mailbox failed. `code` and `params` are stored on the mailbox; the
    text (in the reader's language) is made from them when shown (`describe`)."""

    def __init__(self, code: str, **params: object) -> None:
        self.code, self.params = code, {k: str(v) for k, v in params.items()}
        super().__init__(code)

    def __str__(self) -> str:
        return describe(self.code, self.params)


def describe(code: str, params: dict) -> str:
    template = MESSAGES.get(code)
    if template is None:
        return str(params.get("error") or code)
    try:
        return str(template) % params
    except (KeyError, TypeError, ValueError):
        return str(template)


@dataclass(frozen=True)
class Meta:
    uid: int
    size: int
    received_at: dt.datetime | None


def _ssl_context() -> ssl.SSLContext:
    context = ssl.create_default_context()
    if settings.MAIL_CA_FILE:
        context.load_verify_locations(cafile=settings.MAIL_CA_FILE)
    return context


def _quote(name: str) -> str:
    return '"' + name.replace("\\", "\\\\").replace('"', '\\"') + '"'


class Connection:
    """One logged-in IMAP session on one folder."""

    def __init__(self, imap: imaplib.IMAP4, folder: str) -> None:
        self.imap, self.folder = imap, folder
        self.uidvalidity = 0
        self._caps: bytes | None = None

    def select(self) -> int:
        status, _data = self.imap.select(_quote(self.folder))
        if status != "OK":
            raise MailboxError("folder", folder=self.folder)
        _name, value = self.imap.response("UIDVALIDITY")
        self.uidvalidity = int(value[0]) if value and value[0] else 0
        return self.uidvalidity

    def uids(self) -> list[int]:
        status, data = self.imap.uid("SEARCH", None, "ALL")
        if status != "OK":
            raise MailboxError("list")
        return sorted(int(n) for n in (data[0] or b"").split())

    def meta(self, uids: list[int]) -> Iterator[Meta]:
        for start in range(0, len(uids), BATCH):
            chunk = ",".join(str(u) for u in uids[start:start + BATCH])
            status, data = self.imap.uid("FETCH", chunk, "(UID RFC822.SIZE INTERNALDATE)")
            if status != "OK":
                raise MailboxError("list")
            for line in data:
                if isinstance(line, tuple):
                    line = line[0]
                if not line:
                    continue
                uid = size = None
                received = None
                for m in _META.finditer(line):
                    if m.group(1):
                        uid = int(m.group(1))
                    elif m.group(2):
                        size = int(m.group(2))
                    else:
                        received = _internaldate(m.group(3))
                if uid is not None and size is not None:
                    yield Meta(uid, size, received)

    def _fetch(self, uid: int, what: str) -> bytes:
        status, data = self.imap.uid("FETCH", str(uid), f"({what})")
        if status != "OK":
            raise MailboxError("fetch", uid=uid)
        for part in data:
            if isinstance(part, tuple) and len(part) == 2:
                return part[1]
        raise MailboxError("fetch", uid=uid)

    def message(self, uid: int) -> bytes:
        return self._fetch(uid, "BODY.PEEK[]")

    def header(self, uid: int) -> bytes:
        return self._fetch(uid, "BODY.PEEK[HEADER]")

    def release(self, uid: int, done_folder: str) -> None:
        """Move the message to done_folder, or flag it when there is none."""
        if not done_folder:
            status, _data = self.imap.uid("STORE", str(uid), "+FLAGS",
                                          f"(\\Seen {HANDLED_KEYWORD})")
            if status != "OK":
                raise MailboxError("flag")
            return
        target = _quote(done_folder)
        if b"MOVE" in self._capabilities():
            status, data = self.imap.uid("MOVE", str(uid), target)
            if status != "OK" and b"TRYCREATE" in b"".join(d or b"" for d in data):
                self.imap.create(target)
                status, data = self.imap.uid("MOVE", str(uid), target)
        else:
            status, data = self.imap.uid("COPY", str(uid), target)
            if status != "OK":
                self.imap.create(target)
                status, data = self.imap.uid("COPY", str(uid), target)
            if status == "OK":
                self.imap.uid("STORE", str(uid), "+FLAGS", "(\\Deleted)")
                if b"UIDPLUS" in self._capabilities():
                    self.imap.uid("EXPUNGE", str(uid))
        if status != "OK":
            raise MailboxError("move", folder=done_folder)

    def _capabilities(self) -> bytes:
        """What the server can do once logged in (the greeting lists less)."""
        if self._caps is None:
            status, data = self.imap.capability()
            self._caps = b" ".join(d for d in data if isinstance(d, bytes)).upper() \
                if status == "OK" else b""
        return self._caps


def _internaldate(value: bytes) -> dt.datetime | None:
    try:
        return dt.datetime.strptime(value.decode().strip(), "%d-%b-%Y %H:%M:%S %z")
    except ValueError:
        return None


@contextmanager
def connect(mailbox) -> Iterator[Connection]:
    """A logged-in session on the mailbox's folder, with errors as MailboxError."""
    where = f"{mailbox.host}:{mailbox.port}"
    try:
        password = unseal(mailbox.password_sealed)
    except Unsealable as exc:
        raise MailboxError("password_unreadable") from exc
    timeout = settings.MAIL_TIMEOUT_SECONDS
    imap: imaplib.IMAP4 | None = None
    try:
        if mailbox.security == MailSecurity.STARTTLS:
            imap = imaplib.IMAP4(mailbox.host, mailbox.port, timeout=timeout)
            imap.starttls(ssl_context=_ssl_context())
        else:
            imap = imaplib.IMAP4_SSL(mailbox.host, mailbox.port, ssl_context=_ssl_context(),
                                     timeout=timeout)
    except ssl.SSLError as exc:
        raise MailboxError("tls", where=where, error=exc.reason or exc) from exc
    except (OSError, imaplib.IMAP4.error) as exc:
        raise MailboxError("unreachable", where=where, error=_os_reason(exc)) from exc
    try:
        try:
            _login(imap, mailbox.username, password)
        except imaplib.IMAP4.error as exc:
            raise MailboxError("login", error=_imap_reason(exc)) from exc
        connection = Connection(imap, mailbox.folder)
        connection.select()
        yield connection
    except (OSError, imaplib.IMAP4.abort) as exc:
        raise MailboxError("broken", where=where, error=_os_reason(exc)) from exc
    except imaplib.IMAP4.error as exc:
        raise MailboxError("server", error=_imap_reason(exc)) from exc
    finally:
        with suppress(OSError, imaplib.IMAP4.error, AttributeError):
            imap.logout()


def _login(imap: imaplib.IMAP4, username: str, password: str) -> None:
    """LOGIN sends ASCII only; a username or password with other characters goes as
    UTF-8 through AUTHENTICATE PLAIN (RFC 4616)."""
    if (username + password).isascii():
        imap.login(username, password)
        return
    token = b"\0" + username.encode() + b"\0" + password.encode()
    imap.authenticate("PLAIN", lambda _challenge: token)


def _os_reason(exc: BaseException) -> str:
    if isinstance(exc, socket.timeout | TimeoutError):
        return "timeout"
    if isinstance(exc, ConnectionRefusedError):
        return "connection refused"
    if isinstance(exc, socket.gaierror):
        return "unknown host"
    return str(exc) or exc.__class__.__name__


def _imap_reason(exc: BaseException) -> str:
    text = str(exc)
    if text.startswith("b'") or text.startswith('b"'):
        text = text[2:-1]
    return text[:300]
