"""Packages: a delivered SIP and, once accepted, the AIP made of it, with its inventory."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .creators import ArchiveCreator, SubmissionAgreement


class PackageState(models.TextChoices):
    RECEIVING = "receiving", _("Receiving")
    VALIDATING = "validating", _("Validating")
    REJECTED = "rejected", _("Rejected")
    STORING = "storing", _("Storing")
    ARCHIVED = "archived", _("Archived")
    FAILED = "failed", _("Failed")
    # Disposed of (gallrat) under a disposal decision: every copy deleted, the row, its
    # inventory and its events kept (docs/disposal.md).
    DISPOSED = "disposed", pgettext_lazy("package state", "Disposed of")


FINAL_STATES = (PackageState.REJECTED, PackageState.ARCHIVED, PackageState.DISPOSED)


class Package(models.Model):
    """One delivery. `id` is the AIP's identifier (METS OBJID urn:uuid:<id>) and names its
    folder in every storage location; `objid` is the producer's own package id (the SIP's
    OBJID), unique per producer, so a delivery sent twice is archived once."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    objid = models.CharField(_("producer package id"), max_length=255, blank=True)
    producer = models.CharField(_("producer"), max_length=200)
    name = models.CharField(_("name"), max_length=255)
    label = models.CharField(_("label"), max_length=500, blank=True)
    creator = models.ForeignKey(ArchiveCreator, on_delete=models.PROTECT,
                                related_name="packages", verbose_name=_("archive creator"))
    agreement = models.ForeignKey(SubmissionAgreement, on_delete=models.PROTECT,
                                  related_name="packages",
                                  verbose_name=_("submission agreement"))
    state = models.CharField(_("state"), max_length=16, choices=PackageState.choices,
                             default=PackageState.RECEIVING)
    profile = models.CharField(_("profile"), max_length=8, blank=True)
    size = models.BigIntegerField(_("size"), default=0)
    file_count = models.PositiveIntegerField(_("files"), default=0)
    report = models.JSONField(_("validation report"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")
    # Who works on the package now: "host:pid", valid until lease_until (renewed while
    # working). A killed worker's lease is taken over at once on the same host.
    lease_owner = models.CharField(max_length=200, blank=True)
    lease_until = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(_("received"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    archived_at = models.DateTimeField(_("archived"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("package")
        constraints = [
            # A rejected delivery keeps its own receipt; the corrected one is a new row.
            models.UniqueConstraint(
                fields=["producer", "objid"], name="uniq_producer_package_id",
                condition=~Q(objid="") & ~Q(state="rejected")),
        ]
        indexes = [models.Index(fields=["state"])]

    def __str__(self) -> str:
        return self.objid or self.name

    @property
    def aip_id(self) -> str:
        return f"urn:uuid:{self.id}"


class FileRole(models.TextChoices):
    SUBMISSION = "submission", _("Submitted")
    METADATA = "metadata", _("Archive metadata")


class AIPFile(models.Model):
    """One file of the AIP, as it was verified when the AIP was written."""

    package = models.ForeignKey(Package, on_delete=models.PROTECT, related_name="files")
    path = models.CharField(_("path"), max_length=1024)
    size = models.BigIntegerField(_("size"))
    sha256 = models.CharField(max_length=64)
    puid = models.CharField("PUID", max_length=32, blank=True)
    mime = models.CharField(_("MIME type"), max_length=127, blank=True)
    role = models.CharField(max_length=16, choices=FileRole.choices,
                            default=FileRole.SUBMISSION)

    class Meta:
        ordering = ["path"]
        constraints = [models.UniqueConstraint(fields=["package", "path"],
                                               name="uniq_aip_file_path")]

    def __str__(self) -> str:
        return self.path
