"""A signer's key material kept sealed in the database (core/sealed.py), and opened only
for the moment of signing. For a PKCS#12 file the sealed value holds the file and its
password; for a PKCS#11 token, the module path, the token and key labels and the PIN."""

from __future__ import annotations

import base64
import json
from datetime import datetime

from cryptography import x509

from diarium.core.sealed import seal, unseal
from diarium.documents.signature_models import KeyKind, SignerKey
from diarium.documents.signing.keys import Pkcs11Key, Pkcs12Key, SigningKey


def sealed_pkcs12(data: bytes, password: str) -> str:
    return seal(json.dumps({"p12": base64.b64encode(data).decode(), "password": password}))


def sealed_pkcs11(module: str, token: str, key_label: str, pin: str) -> str:
    return seal(json.dumps({"module": module, "token": token, "key": key_label, "pin": pin}))


def open_sealed(kind: str, sealed: str, certificate: bytes | None = None) -> SigningKey:
    """The signing key a sealed value describes (KeyUnusable when it cannot sign)."""
    secret = json.loads(unseal(sealed))
    if kind == KeyKind.PKCS12:
        return Pkcs12Key(base64.b64decode(secret["p12"]), secret["password"])
    return Pkcs11Key(secret["module"], secret["token"], secret["key"], secret["pin"],
                     certificate=certificate)


def open_key(key: SignerKey) -> SigningKey:
    return open_sealed(key.kind, key.sealed, bytes(key.certificate))


def certificate_facts(der: bytes) -> tuple[str, datetime]:
    """The certificate holder's name and the end of its validity."""
    cert = x509.load_der_x509_certificate(der)
    names = cert.subject.get_attributes_for_oid(x509.NameOID.COMMON_NAME)
    subject = str(names[0].value) if names else cert.subject.rfc4514_string()
    return subject, cert.not_valid_after_utc
