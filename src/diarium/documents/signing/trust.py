"""Where trust comes from: the configured trust list (CA certificates), other certificates
(intermediates), revocation data (CRL files) and the timestamp authority (settings
SIGNATURE_*, docs/signatures.md). A signature is "trusted" only when its certificate chains
to a certificate of the trust list; certificates embedded in the PDF help build the chain
but are never trusted by themselves."""

from __future__ import annotations

import asyncio
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from asn1crypto import crl as asn1_crl
from asn1crypto import pem, tsp, x509
from django.conf import settings
from pyhanko.sign.timestamps.api import TimeStamper
from pyhanko.sign.timestamps.common_utils import TimestampRequestError
from pyhanko_certvalidator import ValidationContext

MAX_RESPONSE = 1024 * 1024


def _der(data: bytes) -> bytes:
    return pem.unarmor(data)[2] if pem.detect(data) else data


def _certificates(paths: list[str]) -> list[x509.Certificate]:
    return [x509.Certificate.load(_der(Path(p).read_bytes())) for p in paths]


@dataclass
class Trust:
    """A trust list and the revocation data known for it."""

    roots: list[x509.Certificate]
    others: list[x509.Certificate] = field(default_factory=list)
    crls: list[bytes] = field(default_factory=list)
    fetch: bool = False

    def context(self, *, for_signing: bool = False) -> ValidationContext:
        # soft-fail: a certificate whose revocation status cannot be learnt is not judged
        # revoked (the report says no revocation data was found); a CRL that lists it is.
        return ValidationContext(
            trust_roots=self.roots, other_certs=self.others,
            crls=[asn1_crl.CertificateList.load(c) for c in self.crls],
            allow_fetching=self.fetch, revocation_mode="soft-fail",
        )

    @property
    def has_revocation_data(self) -> bool:
        return bool(self.crls) or self.fetch


def configured_trust() -> Trust:
    return Trust(
        roots=_certificates(settings.SIGNATURE_TRUST),
        others=_certificates(settings.SIGNATURE_OTHER_CERTS),
        crls=[_der(Path(p).read_bytes()) for p in settings.SIGNATURE_CRLS],
        fetch=settings.SIGNATURE_FETCH_REVOCATION,
    )


class UrlTimeStamper(TimeStamper):
    """An RFC 3161 timestamp authority over plain HTTP POST (no extra HTTP client)."""

    def __init__(self, url: str, timeout: float = 10) -> None:
        super().__init__()
        self.url, self.timeout = url, timeout

    def _post(self, body: bytes) -> bytes:
        request = urllib.request.Request(  # noqa: S310 - the operator's configured TSA
            self.url, data=body, method="POST",
            headers={"Content-Type": "application/timestamp-query"})
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as answer:  # noqa: S310
                data = answer.read(MAX_RESPONSE + 1)
        except OSError as exc:
            raise TimestampRequestError(f"the timestamp authority did not answer: {exc}") from exc
        if len(data) > MAX_RESPONSE:
            raise TimestampRequestError("the timestamp authority's answer is too large")
        return data

    async def async_request_tsa_response(self, req: tsp.TimeStampReq) -> tsp.TimeStampResp:
        data = await asyncio.to_thread(self._post, req.dump())
        try:
            return tsp.TimeStampResp.load(data)
        except ValueError as exc:
            raise TimestampRequestError("the answer is not RFC 3161") from exc


def configured_timestamper() -> UrlTimeStamper | None:
    url = settings.SIGNATURE_TSA_URL
    return UrlTimeStamper(url) if url else None
