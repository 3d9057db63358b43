"""Fixtures for intake: an authority with its registry, a real IMAP server (Dovecot, see
tests/imapserver.py) and a functional mailbox on it, and e-mail messages to put there."""

from __future__ import annotations

import pytest

from diarium.core.actors import OPERATOR
from diarium.registry.services import mailboxes
from tests import factories as f
from tests import imapserver
from tests.conftest import require


@pytest.fixture
def ks():
    return f.series(f.authority("KS"), "KS")


@pytest.fixture
def registrator(ks):
    return f.user("reg", roles={ks.authority: "registrar"})


@pytest.fixture
def imap_server(tmp_path, settings):
    require(imapserver.available(), "Dovecot (apt-get install dovecot-imapd) is not installed")
    server = imapserver.start(tmp_path, {"ks": "app-lösen-1", "bun": "annat-lösen"})
    settings.MAIL_CA_FILE = str(server.ca_file)
    yield server
    server.stop()


def make_mailbox(server, authority, *, user="ks", password=None, done_folder="Diariet",
                 port=None, name="kommunstyrelsen@sjovik.se"):
    return mailboxes.create_mailbox(OPERATOR, authority, mailboxes.MailboxData(
        name=name, host=server.host if server else "127.0.0.1",
        port=port or server.port, username=user, done_folder=done_folder,
    ), password or (server.users[user] if server else "x"))


@pytest.fixture
def mailbox(imap_server, ks):
    return make_mailbox(imap_server, ks.authority)
