"""Signing keys for the demo (`diarium demo`): the demo's members sign their minutes with
real PAdES signatures, under a small certificate authority made when the demo is loaded.

Its certificate is written to DATA_DIR/demo-signing/ca.pem; put that path in
DIARIUM_SIGNATURE_TRUST (`./dev up` does) for the server to trust the demo's signatures.
Each signing member gets a PKCS#12 key (password demo-<username>, like their login),
registered as their signing key through the registry's service. Nothing here is used
outside the demo."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID
from django.conf import settings

from diarium.organisation.models import User
from diarium.registry.services import signatures


def _name(common: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COUNTRY_NAME, "SE"),
                      x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Sjöviks kommun (demo)"),
                      x509.NameAttribute(NameOID.COMMON_NAME, common)])


def _builder(subject: x509.Name, issuer: x509.Name, public_key, days: int
             ) -> x509.CertificateBuilder:
    now = dt.datetime.now(dt.UTC)
    return (x509.CertificateBuilder().subject_name(subject).issuer_name(issuer)
            .public_key(public_key).serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(days=1))
            .not_valid_after(now + dt.timedelta(days=days)))


def ca_path() -> Path:
    return settings.DATA_DIR / "demo-signing" / "ca.pem"


def _make_ca() -> tuple[x509.Certificate, ec.EllipticCurvePrivateKey]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = _name("Sjöviks kommun demo-CA")
    certificate = (_builder(name, name, key.public_key(), 3650)
                   .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
                   .add_extension(x509.KeyUsage(False, False, False, False, False, True, True,
                                                False, False), critical=True)
                   .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()),
                                  critical=False)
                   .sign(key, hashes.SHA256()))
    path = ca_path()
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    return certificate, key


def _signer_p12(ca: x509.Certificate, ca_key, user: User, password: str) -> bytes:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    common = user.get_full_name() or user.get_username()
    certificate = (_builder(_name(common), ca.subject, key.public_key(), 730)
                   .add_extension(x509.BasicConstraints(ca=False, path_length=None),
                                  critical=True)
                   .add_extension(x509.KeyUsage(True, True, False, False, False, False, False,
                                                False, False), critical=True)
                   .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(
                       ca_key.public_key()), critical=False)
                   .sign(ca_key, hashes.SHA256()))
    return pkcs12.serialize_key_and_certificates(
        b"signer", key, certificate, [ca],
        serialization.BestAvailableEncryption(password.encode()))


@contextmanager
def keys_for(users: list[User]) -> Iterator[None]:
    """Give each user a signing key under a new demo CA, and trust that CA while the
    demo loads (the server trusts it through DIARIUM_SIGNATURE_TRUST)."""
    ca, ca_key = _make_ca()
    for user in users:
        password = f"demo-{user.get_username()}"
        signatures.register_pkcs12_key(user, user, _signer_p12(ca, ca_key, user, password),
                                       password)
    before = list(settings.SIGNATURE_TRUST)
    settings.SIGNATURE_TRUST = [*before, str(ca_path())]
    try:
        yield
    finally:
        settings.SIGNATURE_TRUST = before
