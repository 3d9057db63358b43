"""RFC 3161 timestamps of audit checkpoints, from a timestamp authority (TSA).

A checkpoint signed with our own key proves who anchored the chains; a timestamp token
from an outside TSA proves when, with a clock and a key that the municipality's own staff
do not control. The request is the plain RFC 3161 exchange over HTTP (a DER TimeStampReq
POSTed as application/timestamp-query); the token is kept in the checkpoint and checked on
verification against the TSA certificates that are trusted (AUDIT_TSA_TRUST)."""

from __future__ import annotations

import asyncio
import hashlib
import urllib.request
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from asn1crypto import cms, pem, tsp, x509

if TYPE_CHECKING:
    from pyhanko_certvalidator import ValidationContext

# pyhanko (with aiohttp and its certificate validator) is imported where a token is asked
# for or checked, not with this module: the audit app loads this module at every start
# (checkpoint sinks), and importing pyhanko took 0.24 s of each command's start-up
# (docs/performance.md, section 7).

MAX_RESPONSE = 1024 * 1024


class TimestampFailed(Exception):
    """The TSA did not give a usable token, or a token does not hold."""


def request_token(url: str, data: bytes, *, timeout: float = 10) -> bytes:
    """A timestamp token (DER ContentInfo) over SHA-256 of `data` from the TSA at `url`."""
    from pyhanko.sign.timestamps.api import TimeStamper

    nonce, request = TimeStamper().request_cms(hashlib.sha256(data).digest(), "sha256")
    http = urllib.request.Request(  # noqa: S310 - the URL is the operator's configured TSA
        url, data=request.dump(), method="POST",
        headers={"Content-Type": "application/timestamp-query"},
    )
    try:
        with urllib.request.urlopen(http, timeout=timeout) as answer:  # noqa: S310
            body = answer.read(MAX_RESPONSE + 1)
    except OSError as exc:
        raise TimestampFailed(f"the timestamp authority {url} did not answer: {exc}") from exc
    if len(body) > MAX_RESPONSE:
        raise TimestampFailed("the timestamp authority's answer is too large")
    try:
        response = tsp.TimeStampResp.load(body)
        status = response["status"]["status"].native
        token = response["time_stamp_token"]
    except ValueError as exc:
        raise TimestampFailed("the timestamp authority's answer is not RFC 3161") from exc
    if status not in ("granted", "granted_with_mods"):
        raise TimestampFailed(f"the timestamp authority refused: {status}")
    info = token["content"]["encap_content_info"]["content"].parsed
    if info["nonce"].native != nonce:
        raise TimestampFailed("the timestamp authority answered another request (nonce)")
    return token.dump()


def _trust(paths: list[str]) -> ValidationContext:
    from pyhanko_certvalidator import ValidationContext

    roots = []
    for path in paths:
        data = Path(path).read_bytes()
        if pem.detect(data):
            data = pem.unarmor(data)[2]
        roots.append(x509.Certificate.load(data))
    return ValidationContext(trust_roots=roots)


def verify_token(token: bytes, data: bytes, trusted: list[str]) -> datetime:
    """The time a token vouches for, when it covers exactly `data` and chains to one of the
    `trusted` TSA certificates (PEM or DER files)."""
    try:
        signed = cms.ContentInfo.load(token)["content"]
        info = signed["encap_content_info"]["content"].parsed
    except ValueError as exc:
        raise TimestampFailed("the timestamp token is not readable") from exc
    if info["message_imprint"]["hashed_message"].native != hashlib.sha256(data).digest():
        raise TimestampFailed("the timestamp token covers other content")
    from pyhanko.sign.validation.generic_cms import validate_tst_signed_data

    status = asyncio.run(validate_tst_signed_data(
        signed, _trust(trusted), lambda _algorithm: hashlib.sha256(data).digest()
    ))
    trusted = status.get("validation_path") is not None and not status.get("trust_problem_indic")
    if not (status["intact"] and status["valid"] and trusted):
        raise TimestampFailed("the timestamp token's signature does not hold or its TSA is "
                              "not trusted")
    return info["gen_time"].native
