"""Versions of a document that is written in the case (drafts and finals). Imported by
registry.models (which registers the model with the app).

Every version is kept: its content is stored once by SHA-256 (documents.StoredFile) and
never changes; a version records who added it, when, and a note. A document's versions are
numbered 1, 2, 3 … within it. The registration points at the exact version that was made
final (Document.final_version); a final is replaced only by an explicit new version with a
reason, which is audited and stays in the list."""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from diarium.documents.models import StoredFile


class DocumentVersion(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    document = models.ForeignKey("registry.Document", on_delete=models.PROTECT,
                                 related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    content = models.ForeignKey(StoredFile, on_delete=models.PROTECT, related_name="+")
    original_name = models.CharField(_("file name"), max_length=255)
    mime_type = models.CharField(max_length=127)
    size = models.BigIntegerField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    note = models.TextField(_("note"), blank=True)
    # Why a document that was already final got this version (empty for drafts).
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        ordering = ["document", "number"]
        constraints = [
            models.UniqueConstraint(fields=["document", "number"], name="uniq_document_version")
        ]
        verbose_name = _("document version")

    def __str__(self) -> str:
        return f"{self.document_id} v{self.number}"
