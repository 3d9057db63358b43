"""Keys that sign audit checkpoints, kept outside the database.

A checkpoint is only worth something if whoever can rewrite the database cannot also sign
a new one. The signing key therefore lives in a file (or, later, a hardware token) that
the database never holds, and verification trusts only the public keys it is configured
with: a checkpoint signed by any other key is refused.

Settings (docs/audit.md): AUDIT_SIGNING_KEY, the path of an Ed25519 private key in PEM
(created 0600 on first use when it is the default path in the data directory), and
AUDIT_TRUSTED_KEYS, paths of PEM public keys; when empty, the signing key's public key is
the one trusted."""

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


def key_id(public_key: Ed25519PublicKey) -> str:
    """A short, stable name for a public key: the start of the SHA-256 of its raw bytes."""
    raw = public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()[:32]


@dataclass(frozen=True)
class FileKeySigner:
    """Signs with an Ed25519 private key read from a file."""

    private_key: Ed25519PrivateKey

    @property
    def key_id(self) -> str:
        return key_id(self.private_key.public_key())

    def public_key(self) -> Ed25519PublicKey:
        return self.private_key.public_key()

    def sign(self, data: bytes) -> bytes:
        return self.private_key.sign(data)


def generate_key(path: Path) -> None:
    """Write a new Ed25519 private key to `path` (0600), refusing to overwrite one."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    pem = Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as out:
        out.write(pem)
        out.flush()
        os.fsync(out.fileno())


def _load_private(path: Path) -> Ed25519PrivateKey:
    key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise ImproperlyConfigured(f"{path}: the audit signing key must be an Ed25519 key")
    return key


def _load_public(path: Path) -> Ed25519PublicKey:
    data = path.read_bytes()
    if b"PRIVATE KEY" in data:
        return _load_private(path).public_key()
    key = serialization.load_pem_public_key(data)
    if not isinstance(key, Ed25519PublicKey):
        raise ImproperlyConfigured(f"{path}: a trusted audit key must be an Ed25519 key")
    return key


def default_key_path() -> Path:
    return Path(settings.DATA_DIR) / "keys" / "audit-ed25519.pem"


def signing_key_path() -> Path:
    return Path(getattr(settings, "AUDIT_SIGNING_KEY", "") or default_key_path())


def load_signer(*, create: bool = False) -> FileKeySigner:
    """The configured signer. With `create`, the default key is made when missing (the
    embedded mode); a configured path that does not exist is always an error."""
    path = signing_key_path()
    if not path.exists():
        if not (create and path == default_key_path()):
            raise ImproperlyConfigured(f"audit signing key not found: {path}")
        generate_key(path)
    return FileKeySigner(_load_private(path))


def public_pem(public_key: Ed25519PublicKey) -> str:
    return public_key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    ).decode()


def trusted_keys() -> dict[str, Ed25519PublicKey]:
    """key id → public key for every key a checkpoint may be signed with."""
    paths = [Path(p) for p in getattr(settings, "AUDIT_TRUSTED_KEYS", []) if p]
    if not paths:
        path = signing_key_path()
        paths = [path] if path.exists() else []
    keys = [_load_public(p) for p in paths]
    return {key_id(k): k for k in keys}


def signature_valid(public_key: Ed25519PublicKey, data: bytes, signature: bytes) -> bool:
    try:
        public_key.verify(signature, data)
    except InvalidSignature:
        return False
    return True
