"""One PAdES signature added to a PDF, always as an incremental update: the bytes signed
before stay byte for byte at the start of the new file, so every earlier signature still
covers exactly what it covered (a signed PDF is never rewritten).

Levels: B-B (the signature alone), B-T (with a timestamp from the configured authority),
B-LT (B-T and the certificates and revocation data needed to validate it later, in the
PDF's document security store)."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from io import BytesIO

from asn1crypto import algos, x509
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.sign import signers
from pyhanko.sign.fields import SigSeedSubFilter
from pyhanko.sign.general import SigningError
from pyhanko_certvalidator.registry import SimpleCertificateStore

from diarium.documents.signing.keys import SigningKey
from diarium.documents.signing.trust import Trust, UrlTimeStamper

LEVELS = ("B-B", "B-T", "B-LT")
_MECHANISMS = {"rsa": "sha256_rsa", "ecdsa": "sha256_ecdsa"}
# Room for the CMS signature (and a timestamp token); pyHanko fails rather than truncate.
RESERVED = {"B-B": 16384, "B-T": 32768, "B-LT": 65536}


class SigningFailed(Exception):
    """The PDF could not be signed (not a PDF, encrypted, the key or TSA failed)."""


class _KeySigner(signers.Signer):
    """pyHanko's Signer over a SigningKey: pyHanko asks, the key signs."""

    def __init__(self, key: SigningKey) -> None:
        registry = SimpleCertificateStore.from_certs(
            [x509.Certificate.load(c) for c in key.chain()])
        super().__init__(
            signing_cert=x509.Certificate.load(key.certificate()), cert_registry=registry,
            signature_mechanism=algos.SignedDigestAlgorithm(
                {"algorithm": _MECHANISMS[key.algorithm]}))
        self.key = key

    async def async_sign_raw(self, data: bytes, digest_algorithm: str,
                             dry_run: bool = False) -> bytes:
        if dry_run:
            return bytes(512)
        return await asyncio.to_thread(self.key.sign, data)


@dataclass(frozen=True)
class Appearance:
    """What the signature says about itself: the field's name and the signer's role."""

    field_name: str
    name: str
    role: str = ""
    location: str = ""


def sign_pdf(pdf: bytes, key: SigningKey, appearance: Appearance, *, level: str = "B-B",
             timestamper: UrlTimeStamper | None = None, trust: Trust | None = None) -> bytes:
    """The PDF with one more (invisible) signature, appended as an incremental update."""
    if level not in LEVELS:
        raise SigningFailed(f"unknown PAdES level {level}")
    if level != "B-B" and timestamper is None:
        raise SigningFailed(f"PAdES {level} needs a timestamp authority")
    if level == "B-LT" and trust is None:
        raise SigningFailed("PAdES B-LT needs the trust list and revocation data")
    meta = signers.PdfSignatureMetadata(
        field_name=appearance.field_name, name=appearance.name,
        reason=appearance.role or None, location=appearance.location or None,
        subfilter=SigSeedSubFilter.PADES, md_algorithm="sha256",
        embed_validation_info=level == "B-LT",
        validation_context=trust.context() if level == "B-LT" else None,
    )
    pdf_signer = signers.PdfSigner(meta, signer=_KeySigner(key),
                                   timestamper=timestamper if level != "B-B" else None)
    try:
        writer = IncrementalPdfFileWriter(BytesIO(pdf), strict=False)
        if writer.prev.encrypted:
            raise SigningFailed("an encrypted PDF cannot be signed")
        out = BytesIO()
        asyncio.run(pdf_signer.async_sign_pdf(writer, output=out,
                                              bytes_reserved=RESERVED[level]))
    except (PdfError, SigningError, OSError, ValueError) as exc:
        raise SigningFailed(str(exc) or type(exc).__name__) from exc
    return out.getvalue()
