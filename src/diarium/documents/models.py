"""Stored file content: written once, addressed by its SHA-256.

Content is removed only by lawful disposal (documents/removal.py), and only when nothing
that is not disposed of refers to it; the row stays (hash, size, type) with the time the
content was removed."""

from django.db import models


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
