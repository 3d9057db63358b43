"""Secrets the system must give back later (a mailbox's app password), sealed at rest.

A sealed value is Fernet (AES-128-CBC with HMAC-SHA256, from the cryptography package)
under a key derived with HKDF from DIARIUM_SEALING_KEY, or from DIARIUM_SECRET_KEY when no
sealing key is set. A copy of the database alone does not reveal the secret; whoever has
the server's environment does (the server must, to use it). Changing the key makes the
sealed values unreadable: `unseal` then raises Unsealable and the secret must be entered
again (docs/intake.md)."""

from __future__ import annotations

import base64

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

INFO = b"diarium sealed secrets v1"


class Unsealable(Exception):
    """The sealed value was made under another key, or was altered."""


def _fernet() -> Fernet:
    secret = (getattr(settings, "SEALING_KEY", "") or settings.SECRET_KEY).encode()
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=INFO).derive(secret)
    return Fernet(base64.urlsafe_b64encode(key))


def seal(secret: str) -> str:
    return _fernet().encrypt(secret.encode()).decode("ascii")


def unseal(sealed: str) -> str:
    try:
        return _fernet().decrypt(sealed.encode("ascii")).decode()
    except (InvalidToken, ValueError) as exc:
        raise Unsealable("the sealed value cannot be opened with this key") from exc
