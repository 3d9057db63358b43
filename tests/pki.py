"""A throwaway PKI that tests create: a root CA, and certificates it issues (a timestamp
authority's, later signers'). Everything is made with `cryptography` at test time; no key
or certificate is committed."""

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID


@dataclass
class Issued:
    certificate: x509.Certificate
    key: ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey

    @property
    def cert_der(self) -> bytes:
        return self.certificate.public_bytes(serialization.Encoding.DER)

    @property
    def key_der(self) -> bytes:
        return self.key.private_bytes(serialization.Encoding.DER,
                                      serialization.PrivateFormat.PKCS8,
                                      serialization.NoEncryption())

    def write_pem(self, path: Path) -> Path:
        path.write_bytes(self.certificate.public_bytes(serialization.Encoding.PEM))
        return path


def _name(common: str) -> x509.Name:
    return x509.Name([
        x509.NameAttribute(NameOID.COUNTRY_NAME, "SE"),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Testkommunen"),
        x509.NameAttribute(NameOID.COMMON_NAME, common),
    ])


def _builder(subject: str, issuer: x509.Name, key, days: int = 365,
             ended_days_ago: int | None = None) -> x509.CertificateBuilder:
    now = dt.datetime.now(dt.UTC)
    start, end = now - dt.timedelta(days=1), now + dt.timedelta(days=days)
    if ended_days_ago is not None:
        start, end = now - dt.timedelta(days=days), now - dt.timedelta(days=ended_days_ago)
    return (
        x509.CertificateBuilder()
        .subject_name(_name(subject)).issuer_name(issuer).public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start).not_valid_after(end)
    )


def root_ca(common: str = "Testkommunen Root CA") -> Issued:
    key = ec.generate_private_key(ec.SECP256R1())
    certificate = (
        _builder(common, _name(common), key, days=3650)
        .add_extension(x509.BasicConstraints(ca=True, path_length=1), critical=True)
        .add_extension(x509.KeyUsage(False, False, False, False, False, True, True, False, False),
                       critical=True)
        .sign(key, hashes.SHA256())
    )
    return Issued(certificate, key)


def tsa_certificate(ca: Issued, common: str = "Testkommunen TSA") -> Issued:
    # RSA: pyHanko's test timestamper signs with RSA only.
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    certificate = (
        _builder(common, ca.certificate.subject, key)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=True)
        .add_extension(x509.KeyUsage(True, True, False, False, False, False, False, False, False),
                       critical=True)
        .sign(ca.key, hashes.SHA256())
    )
    return Issued(certificate, key)


# -- signers' certificates (PAdES, documents/signing) -----------------------------------

def intermediate_ca(root: Issued, common: str = "Testkommunen Issuing CA") -> Issued:
    key = ec.generate_private_key(ec.SECP256R1())
    certificate = (
        _builder(common, root.certificate.subject, key, days=1825)
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(x509.KeyUsage(False, False, False, False, False, True, True, False, False),
                       critical=True)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(
            root.key.public_key()), critical=False)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()),
                       critical=False)
        .sign(root.key, hashes.SHA256())
    )
    return Issued(certificate, key)


def signer_certificate(ca: Issued, common: str, *, expired: bool = False,
                       crl_url: str = "http://crl.test.invalid/issuing.crl") -> Issued:
    """A person's signing certificate (digital signature + non-repudiation), RSA so that
    the same key can be put on a PKCS#11 token. `expired`: valid until yesterday."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    builder = _builder(common, ca.certificate.subject, key, days=730,
                       ended_days_ago=1 if expired else None)
    certificate = (
        builder
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.KeyUsage(True, True, False, False, False, False, False, False, False),
                       critical=True)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(
            ca.key.public_key()), critical=False)
        .add_extension(x509.CRLDistributionPoints([x509.DistributionPoint(
            [x509.UniformResourceIdentifier(crl_url)], None, None, None)]), critical=False)
        .sign(ca.key, hashes.SHA256())
    )
    return Issued(certificate, key)


def crl(ca: Issued, revoked: list[Issued] = ()) -> bytes:
    """A DER CRL of `ca` that lists `revoked` (revoked a day ago), valid for a week."""
    now = dt.datetime.now(dt.UTC)
    builder = (
        x509.CertificateRevocationListBuilder().issuer_name(ca.certificate.subject)
        .last_update(now - dt.timedelta(hours=1)).next_update(now + dt.timedelta(days=7))
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(
            ca.key.public_key()), critical=False)
        .add_extension(x509.CRLNumber(1), critical=False)
    )
    for issued in revoked:
        builder = builder.add_revoked_certificate(
            x509.RevokedCertificateBuilder().serial_number(issued.certificate.serial_number)
            .revocation_date(now - dt.timedelta(days=1)).build())
    return builder.sign(ca.key, hashes.SHA256()).public_bytes(serialization.Encoding.DER)


def pkcs12(issued: Issued, password: bytes, chain: list[Issued] = ()) -> bytes:
    """The key, its certificate and the chain above it as a PKCS#12 file."""
    from cryptography.hazmat.primitives.serialization import pkcs12 as p12
    return p12.serialize_key_and_certificates(
        b"signer", issued.key, issued.certificate, [c.certificate for c in chain],
        serialization.BestAvailableEncryption(password))


@dataclass
class SigningPki:
    """Root → issuing CA → signers, and the issuing CA's CRL (with `revoked` on it)."""

    root: Issued
    issuing: Issued
    crl: bytes
    signers: dict[str, Issued]


def signing_pki(names: list[str], *, expired: list[str] = (),
                revoked: list[str] = ()) -> SigningPki:
    root = root_ca()
    issuing = intermediate_ca(root)
    signers = {name: signer_certificate(issuing, name, expired=name in expired)
               for name in names}
    return SigningPki(root, issuing, crl(issuing, [signers[n] for n in revoked]), signers)
