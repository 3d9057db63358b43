"""Every signature of a PDF checked: integrity (the signed bytes are unchanged), the
certificate chain to the configured trust list, revocation where data is available, the
timestamp, and whether the file was changed after the signature in a way that is not
allowed (only later signatures and validation data may follow a signature).

The outcome is a plain dict (the validation report, kept as JSON beside the document;
report.py prints it). A PDF that cannot be read, or holds no signature, gives a report
that says so and is not valid."""

from __future__ import annotations

import asyncio
import hashlib
from datetime import UTC, datetime
from io import BytesIO

from pyhanko.pdf_utils.misc import PdfError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import async_validate_pdf_signature
from pyhanko.sign.validation.errors import SignatureValidationError
from pyhanko.sign.validation.status import PdfSignatureStatus
from pyhanko_certvalidator.errors import PathBuildingError

from diarium.documents.signing.trust import Trust

REPORT_VERSION = 1


def _name(certificate) -> str:
    return certificate.subject.human_friendly


def _when(value: datetime | None) -> str | None:
    return value.astimezone(UTC).isoformat() if value else None


def _problems(status: PdfSignatureStatus, trust: Trust) -> list[str]:
    found = []
    if not status.intact:
        found.append("integrity: the signed bytes were changed")
    if not status.valid:
        found.append("signature: the cryptographic signature does not hold")
    if status.revoked:
        found.append("revocation: the certificate is revoked")
    elif not status.trusted:
        indication = status.trust_problem_indic
        found.append("trust: the certificate does not chain to the trust list"
                     + (f" ({indication.name})" if indication else ""))
    if status.modification_level is not None and status.modification_level.name not in (
            "NONE", "LTA_UPDATES", "FORM_FILLING"):
        found.append(f"changes after signing: {status.modification_level.name}")
    if status.coverage is not None and status.coverage.name not in (
            "ENTIRE_FILE", "ENTIRE_REVISION"):
        found.append(f"coverage: {status.coverage.name}")
    if status.timestamp_validity is not None and not (
            status.timestamp_validity.intact and status.timestamp_validity.valid):
        found.append("timestamp: the timestamp token does not hold")
    if not trust.has_revocation_data and not status.revoked:
        found.append("revocation: no revocation data configured; not checked")
    return found


def _signature(embedded, status: PdfSignatureStatus, trust: Trust) -> dict:
    cert = status.signing_cert
    stamp = status.timestamp_validity
    problems = _problems(status, trust)
    revocation = status.revocation_details
    return {
        "field": embedded.field_name,
        "signer_name": cert.subject.native.get("common_name", ""),
        "signer": _name(cert),
        "issuer": cert.issuer.human_friendly,
        "serial": format(cert.serial_number, "x"),
        "certificate_valid_from": _when(cert["tbs_certificate"]["validity"]["not_before"].native),
        "certificate_valid_to": _when(cert["tbs_certificate"]["validity"]["not_after"].native),
        "role": embedded.sig_object.get("/Reason", "") and str(embedded.sig_object["/Reason"]),
        "signed_at": _when(status.signer_reported_dt),
        "timestamp": _when(stamp.timestamp) if stamp is not None else None,
        "timestamp_by": _name(stamp.signing_cert) if stamp is not None else None,
        "intact": bool(status.intact),
        "cryptographically_valid": bool(status.valid),
        "trusted": bool(status.trusted),
        "revoked": bool(status.revoked),
        "revoked_at": _when(revocation.revocation_date) if revocation else None,
        "coverage": status.coverage.name if status.coverage else None,
        "modifications": (status.modification_level.name
                          if status.modification_level is not None else None),
        # From the signer up to the trust anchor.
        "chain": ([_name(c) for c in reversed(list(
            status.validation_path.iter_certs(include_root=True)))]
            if status.validation_path is not None else []),
        "valid": bool(status.bottom_line) and not status.revoked,
        "problems": [p for p in problems if not p.startswith("revocation: no")] if (
            status.bottom_line) else problems,
        "notes": [p for p in problems if p.startswith("revocation: no")],
    }


async def _check_all(reader: PdfFileReader, trust: Trust) -> list[dict]:
    context = trust.context()
    checked = []
    for embedded in reader.embedded_regular_signatures:
        try:
            status = await async_validate_pdf_signature(
                embedded, signer_validation_context=context,
                ts_validation_context=trust.context())
        except (SignatureValidationError, PathBuildingError, PdfError, ValueError,
                KeyError) as exc:
            checked.append({"field": embedded.field_name, "valid": False,
                            "problems": [f"unreadable signature: {exc}"]})
            continue
        checked.append(_signature(embedded, status, trust))
    return checked


def validate_pdf(pdf: bytes, trust: Trust, *, name: str = "") -> dict:
    """The validation report of every signature in `pdf`."""
    report: dict = {
        "version": REPORT_VERSION,
        "file": name,
        "sha256": hashlib.sha256(pdf).hexdigest(),
        "size": len(pdf),
        "checked_at": datetime.now(UTC).isoformat(),
        "trust_list": [c.subject.human_friendly for c in trust.roots],
        "revocation_data": trust.has_revocation_data,
        "signatures": [],
        "problems": [],
    }
    try:
        reader = PdfFileReader(BytesIO(pdf), strict=False)
        report["signatures"] = asyncio.run(_check_all(reader, trust))
    except (PdfError, ValueError, KeyError, TypeError, IndexError) as exc:
        report["problems"].append(f"the file cannot be read as a PDF: {exc}")
    if not report["signatures"] and not report["problems"]:
        report["problems"].append("the PDF holds no signature")
    report["valid"] = bool(report["signatures"]) and not report["problems"] and all(
        s["valid"] for s in report["signatures"])
    return report
