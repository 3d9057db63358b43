"""Turning stored originals into what is kept and searched: PDF/A-2b renditions (LibreOffice,
OCRmyPDF), their checks (pikepdf), text for the search index, and OCR of scanned pages.

Every external tool runs in `sandbox.run`: a subprocess with a time limit, in a private
temporary folder that is removed afterwards. A tool that hangs, crashes or writes nothing
raises `ConversionFailed` with a reason a user can read; the original is never touched."""

from diarium.documents.convert.sandbox import ConversionFailed

__all__ = ["ConversionFailed"]
