"""Stored file content: written once, addressed by its SHA-256.

Content is removed only by lawful disposal (documents/removal.py), and only when nothing
that is not disposed of refers to it; the row stays (hash, size, type) with the time the
content was removed."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class StoredFile(models.Model):
    sha256 = models.CharField(max_length=64, primary_key=True)
    size = models.BigIntegerField()
    mime_type = models.CharField(max_length=127)
    created_at = models.DateTimeField(auto_now_add=True)
    content_removed_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return self.sha256

    @property
    def storage_name(self) -> str:
        return f"sha256/{self.sha256[:2]}/{self.sha256[2:4]}/{self.sha256}"


class RenditionState(models.TextChoices):
    OK = "ok", _("PDF/A made and checked")
    FAILED = "failed", _("Conversion failed")
    UNSUPPORTED = "unsupported", _("No rendition for this format")


class Rendition(models.Model):
    """The PDF/A-2b rendition of one stored original, made beside it (never in its place).

    Keyed by the original's SHA-256: the same bytes get one rendition however many
    documents hold them, and a conversion run twice (a worker killed and the job retried)
    still leaves exactly one row. `content` is the rendition's own SHA-256 (the original's
    when a PDF/A was kept as it is), `previews` the PNG images of its first pages. Both are
    plain hashes, not foreign keys: derived content goes with its original when that is
    disposed of (removal.py), and never keeps it alive."""

    source = models.CharField(max_length=64, primary_key=True)
    state = models.CharField(max_length=16, choices=RenditionState.choices)
    content = models.CharField(max_length=64, blank=True)
    method = models.CharField(max_length=16, blank=True)  # libreoffice, ocrmypdf, kept
    label = models.CharField(max_length=16, blank=True)  # PDF/A-2b
    pages = models.PositiveIntegerField(default=0)
    problems = models.JSONField(default=list, blank=True)  # what the checks found
    error = models.TextField(blank=True)
    previews = models.JSONField(default=list, blank=True)
    made_at = models.DateTimeField(default=timezone.now)
    content_removed_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.source[:12]} {self.state}"


class ExtractedText(models.Model):
    """The text inside one stored original (from its own text, or OCR of its pages), for
    the search index. Removed with the original when it is disposed of."""

    source = models.CharField(max_length=64, primary_key=True)
    text = models.TextField(blank=True)
    ocr = models.BooleanField(default=False)
    error = models.TextField(blank=True)
    extracted_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.source[:12]


from diarium.documents.signature_models import (  # noqa: E402, F401  (registered here)
    SignatureRequest,
    SignatureStep,
    SignerKey,
    ValidationReport,
)
