"""The signer interface: what Diarium needs from whatever holds a signer's private key.

A signature is made in two halves. pyHanko builds the PDF's signed attributes (the hash of
the document, the signing time, the certificate) and asks a key for one raw signature over
them; the key may be a PKCS#12 file, a PKCS#11 token, or a remote signing service (Sweden
Connect's signature service, BankID, Freja, SITHS) that shows the user what is signed and
answers with the signature and the certificate it issued. Each is a SigningKey:

    certificate()  the signer's certificate (DER)
    chain()        the CA certificates above it, to embed (DER, may be empty)
    algorithm      "rsa" or "ecdsa": which signature the key makes (with SHA-256)
    sign(data)     the raw signature over `data` (PKCS#1 v1.5 or DER ECDSA)
    close()        release the session (a token's login, a service's transaction)

The workflow never looks behind this interface (docs/signatures.md)."""

from __future__ import annotations

import threading
from abc import ABC, abstractmethod

from cryptography import x509 as pyca_x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.serialization import pkcs12


class KeyUnusable(Exception):
    """The key cannot sign: wrong password or PIN, missing token, unsupported key type."""


class SigningKey(ABC):
    """One signer's means of making a signature (see the module's docstring)."""

    algorithm: str = "rsa"

    @abstractmethod
    def certificate(self) -> bytes:
        """The signer's certificate, DER."""

    def chain(self) -> list[bytes]:
        return []

    @abstractmethod
    def sign(self, data: bytes) -> bytes:
        """The raw signature over SHA-256 of `data`."""

    def close(self) -> None:
        return None

    def __enter__(self) -> SigningKey:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _algorithm_of(public_key: object) -> str:
    if isinstance(public_key, rsa.RSAPublicKey):
        return "rsa"
    if isinstance(public_key, ec.EllipticCurvePublicKey):
        return "ecdsa"
    raise KeyUnusable("only RSA and ECDSA keys can sign")


class Pkcs12Key(SigningKey):
    """A key and certificate in a PKCS#12 file (.p12/.pfx), opened with its password."""

    def __init__(self, data: bytes, password: str) -> None:
        try:
            key, cert, extra = pkcs12.load_key_and_certificates(data, password.encode())
        except ValueError as exc:
            raise KeyUnusable("the PKCS#12 file cannot be opened with this password") from exc
        if key is None or cert is None:
            raise KeyUnusable("the PKCS#12 file holds no key with a certificate")
        self.algorithm = _algorithm_of(key.public_key())
        self._key, self._cert, self._extra = key, cert, extra or []

    def certificate(self) -> bytes:
        return self._cert.public_bytes(serialization.Encoding.DER)

    def chain(self) -> list[bytes]:
        return [c.public_bytes(serialization.Encoding.DER) for c in self._extra]

    def sign(self, data: bytes) -> bytes:
        if isinstance(self._key, rsa.RSAPrivateKey):
            return self._key.sign(data, padding.PKCS1v15(), hashes.SHA256())
        return self._key.sign(data, ec.ECDSA(hashes.SHA256()))


# One PKCS#11 library object per module path and process: a module is initialised once.
_LIBRARIES: dict[str, object] = {}
_LIBRARY_LOCK = threading.Lock()


def _library(module: str):
    import pkcs11

    with _LIBRARY_LOCK:
        if module not in _LIBRARIES:
            try:
                _LIBRARIES[module] = pkcs11.lib(module)
            except (RuntimeError, OSError, pkcs11.PKCS11Error) as exc:
                raise KeyUnusable(f"the PKCS#11 module {module} cannot be loaded") from exc
        return _LIBRARIES[module]


class Pkcs11Key(SigningKey):
    """A private key on a PKCS#11 token (a smart card, an HSM, SoftHSM), found by the
    token's label and the key's label; the certificate is read from the token (an object
    with the same label) unless it is given."""

    def __init__(self, module: str, token_label: str, key_label: str, pin: str,
                 certificate: bytes | None = None) -> None:
        import pkcs11
        from pkcs11 import Attribute, ObjectClass

        try:
            token = _library(module).get_token(token_label=token_label)
            self._session = token.open(user_pin=pin)
        except pkcs11.PKCS11Error as exc:
            raise KeyUnusable(f"the token {token_label!r} cannot be opened: "
                              f"{type(exc).__name__}") from exc
        try:
            self._key = self._session.get_key(object_class=ObjectClass.PRIVATE_KEY,
                                              label=key_label)
            if certificate is None:
                # Read the search to its end: an open search outlives a closed session.
                found = list(self._session.get_objects({
                    Attribute.CLASS: ObjectClass.CERTIFICATE, Attribute.LABEL: key_label}))
                certificate = bytes(found[0][Attribute.VALUE])
        except (pkcs11.PKCS11Error, IndexError) as exc:
            self._session.close()
            raise KeyUnusable(f"no key with certificate labelled {key_label!r} on the "
                              "token") from exc
        self._cert = certificate
        self.algorithm = _algorithm_of(
            pyca_x509.load_der_x509_certificate(certificate).public_key())

    def certificate(self) -> bytes:
        return self._cert

    def sign(self, data: bytes) -> bytes:
        from pkcs11 import Mechanism
        from pkcs11.util.ec import encode_ecdsa_signature

        if self.algorithm == "rsa":
            return bytes(self._key.sign(data, mechanism=Mechanism.SHA256_RSA_PKCS))
        raw = self._key.sign(data, mechanism=Mechanism.ECDSA_SHA256)
        return encode_ecdsa_signature(raw)

    def close(self) -> None:
        self._session.close()
