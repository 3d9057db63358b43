"""A real SMTP server for the tests and the dispatch benchmark: aiosmtpd, started in this
process on a free local port (its own thread and event loop) and stopped afterwards.

It keeps every message it accepted (envelope sender, envelope recipients, the bytes), and
refuses the recipients named in `refuse` with 550, as a real server refuses an unknown
mailbox. With `tls` it offers STARTTLS under a certificate from a test CA and requires it
before AUTH; with `users` it requires a login."""

from __future__ import annotations

import socket
import threading
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Received:
    mail_from: str
    rcpt_tos: list[str]
    data: bytes

    @property
    def message(self) -> EmailMessage:
        return message_from_bytes(self.data, policy=policy.default)


@dataclass
class SmtpServer:
    host: str
    port: int
    refuse: set[str] = field(default_factory=set)
    received: list[Received] = field(default_factory=list)
    ca_file: Path | None = None
    controller: object = None
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def recipients(self) -> list[str]:
        with self.lock:
            return sorted(r for got in self.received for r in got.rcpt_tos)

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


class _Handler:
    def __init__(self, server: SmtpServer) -> None:
        self.server = server

    async def handle_RCPT(self, smtp, session, envelope, address, rcpt_options):
        if address.lower() in self.server.refuse:
            return "550 5.1.1 Mailbox unknown"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, smtp, session, envelope):
        with self.server.lock:
            self.server.received.append(Received(envelope.mail_from, list(envelope.rcpt_tos),
                                                 bytes(envelope.content)))
            number = len(self.server.received)
        return f"250 2.0.0 Ok: queued as T{number:05d}"


def _tls_context(folder: Path):
    import ssl

    from cryptography.hazmat.primitives import serialization

    from tests import imapserver, pki

    ca = pki.root_ca("Testkommunen SMTP CA")
    issued = imapserver._server_certificate(ca)
    ca_file = ca.write_pem(folder / "smtp-ca.pem")
    cert = issued.write_pem(folder / "smtp-server.pem")
    key = folder / "smtp-server.key"
    key.write_bytes(issued.key.private_bytes(serialization.Encoding.PEM,
                                             serialization.PrivateFormat.PKCS8,
                                             serialization.NoEncryption()))
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(str(cert), str(key))
    return context, ca_file


def start(*, refuse: set[str] | None = None, tls_folder: Path | None = None,
          users: dict[str, str] | None = None) -> SmtpServer:
    from aiosmtpd.controller import Controller

    server = SmtpServer("127.0.0.1", free_port(), {r.lower() for r in refuse or ()})
    options: dict = {}
    if tls_folder is not None:
        options["tls_context"], server.ca_file = _tls_context(tls_folder)
        options["require_starttls"] = True
    if users:
        def check(_server, _session, _envelope, _mechanism, login_data) -> object:
            from aiosmtpd.smtp import AuthResult, LoginPassword

            ok = (isinstance(login_data, LoginPassword)
                  and users.get(login_data.login.decode()) == login_data.password.decode())
            return AuthResult(success=ok, handled=False)
        options.update(authenticator=check, auth_required=True)
    server.controller = Controller(_Handler(server), hostname=server.host, port=server.port,
                                   server_hostname="localhost", **options)
    server.controller.start()
    return server
