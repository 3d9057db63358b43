"""Validation reports kept as evidence: a PDF validated against the configured trust list,
the report stored twice by SHA-256 (JSON and a readable PDF page) and recorded as a
ValidationReport row. Called by the registry's signature services inside their
transaction (the files are write-once and may be stored first)."""

from __future__ import annotations

import io

from diarium.documents.models import StoredFile
from diarium.documents.services import open_content, store_content
from diarium.documents.signature_models import ValidationReport
from diarium.documents.signing import report as printed
from diarium.documents.signing.trust import Trust, configured_trust
from diarium.documents.signing.validation import validate_pdf

MAX_PDF = 512 * 1024 * 1024


def read_all(stored: StoredFile) -> bytes:
    with open_content(stored) as stream:
        return stream.read(MAX_PDF)


def stored_bytes(data: bytes, mime_type: str) -> StoredFile:
    return store_content(io.BytesIO(data), mime_type=mime_type)


def validate_stored(stored: StoredFile, *, name: str, title: str, trigger: str, made_by: str,
                    document=None, trust: Trust | None = None) -> ValidationReport:
    """Validate the stored PDF and keep the report (JSON and PDF page) as evidence."""
    report = validate_pdf(read_all(stored), trust or configured_trust(), name=name)
    return keep_report(stored, report, title=title, trigger=trigger, made_by=made_by,
                       document=document)


def keep_report(stored: StoredFile, report: dict, *, title: str, trigger: str, made_by: str,
                document=None) -> ValidationReport:
    """Store a report made by validation.validate_pdf as JSON and PDF, and record it."""
    return ValidationReport.objects.create(
        content=stored, document=document, valid=report["valid"], report=report,
        json_file=stored_bytes(printed.as_json(report), "application/json"),
        pdf=stored_bytes(printed.as_pdf(report, title), "application/pdf"),
        trigger=trigger, made_by=made_by)
