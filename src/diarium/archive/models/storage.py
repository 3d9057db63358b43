"""Storage locations and the copies of each package kept in them."""

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _


class LocationKind(models.TextChoices):
    FILESYSTEM = "filesystem", _("File system")
    S3 = "s3", _("S3-compatible object storage")


class StorageLocation(models.Model):
    """A configured place where one full copy of every AIP is kept. Rows mirror the
    configuration (DIARIUM_ARCHIVE_LOCATIONS); one no longer configured turns inactive."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.SlugField(_("name"), max_length=50, unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=LocationKind.choices,
                            default=LocationKind.FILESYSTEM)
    path = models.CharField(_("path"), max_length=1000, blank=True)  # or s3://bucket/prefix/
    options = models.JSONField(default=dict, blank=True)  # never credentials
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("storage location")

    def __str__(self) -> str:
        return self.name


class CopyState(models.TextChoices):
    WRITING = "writing", _("Writing")
    WRITTEN = "written", _("Written, not verified")
    VERIFIED = "verified", _("Verified")
    DAMAGED = "damaged", _("Damaged")
    MISSING = "missing", _("Missing")
    REPAIRED = "repaired", _("Repaired")
    DELETED = "deleted", _("Deleted (disposed of)")


GOOD_COPY_STATES = (CopyState.VERIFIED, CopyState.REPAIRED)


class StorageCopy(models.Model):
    package = models.ForeignKey("archive.Package", on_delete=models.PROTECT,
                                related_name="copies")
    location = models.ForeignKey(StorageLocation, on_delete=models.PROTECT,
                                 related_name="copies")
    state = models.CharField(_("state"), max_length=16, choices=CopyState.choices,
                             default=CopyState.WRITING)
    verified_at = models.DateTimeField(_("verified"), null=True, blank=True)
    detail = models.TextField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["package", "location"],
                                               name="uniq_copy_per_location")]
        ordering = ["location__name"]

    def __str__(self) -> str:
        return f"{self.package_id} @ {self.location_id}: {self.state}"
