"""Access to the archive: orders for dissemination packages (DIP, *utlämnande ur
e-arkivet*), the secrecy review of restricted records on an order, and the deliveries made."""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .catalogue import ArchiveRecord
from .packages import Package


class OrderState(models.TextChoices):
    REVIEW = "review", _("Awaiting secrecy review")
    READY = "ready", _("Ready to deliver")
    DELIVERED = "delivered", _("Delivered")


class DipOrder(models.Model):
    """An archivist's order for a DIP: the whole package or chosen records or files, for
    a recipient. Records with a restriction must be reviewed before anything is built."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    package = models.ForeignKey(Package, on_delete=models.PROTECT, related_name="dip_orders")
    recipient = models.CharField(_("recipient"), max_length=300)
    purpose = models.TextField(_("purpose"), blank=True)
    whole_package = models.BooleanField(_("whole package"), default=True)
    records = models.ManyToManyField(ArchiveRecord, blank=True, related_name="orders")
    paths = models.JSONField(default=list, help_text="AIP paths of the ordered files.")
    state = models.CharField(_("state"), max_length=16, choices=OrderState.choices,
                             default=OrderState.REVIEW)
    ordered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+", verbose_name=_("ordered by"))
    ordered_at = models.DateTimeField(_("ordered"), default=timezone.now)

    class Meta:
        ordering = ["-ordered_at"]
        verbose_name = _("DIP order")

    def __str__(self) -> str:
        return f"DIP {self.pk} ({self.package_id})"


class Decision(models.TextChoices):
    RELEASE = "release", _("Release")
    MASK = "mask", _("Release with masked parts")
    REFUSE = "refuse", _("Refuse")


class SecrecyReview(models.Model):
    """The secrecy review (sekretessprövning) of one restricted record on an order."""

    order = models.ForeignKey(DipOrder, on_delete=models.PROTECT, related_name="reviews")
    record = models.ForeignKey(ArchiveRecord, on_delete=models.PROTECT, related_name="+")
    decision = models.CharField(_("decision"), max_length=16, choices=Decision.choices)
    note = models.TextField(_("note"), blank=True)
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                 related_name="+", verbose_name=_("reviewer"))
    reviewed_at = models.DateTimeField(_("reviewed"), default=timezone.now)

    class Meta:
        ordering = ["record__position"]
        constraints = [models.UniqueConstraint(fields=["order", "record"],
                                               name="uniq_review_per_record")]

    def __str__(self) -> str:
        return f"{self.record_id}: {self.decision}"


class MaskedFile(models.Model):
    """A masked copy of a record's file, made by the reviewer, delivered instead of the
    original when the decision is to release with masked parts."""

    review = models.ForeignKey(SecrecyReview, on_delete=models.PROTECT,
                               related_name="masked_files")
    content = models.ForeignKey("documents.StoredFile", on_delete=models.PROTECT,
                                related_name="+")
    name = models.CharField(max_length=255)
    mime_type = models.CharField(max_length=127)
    added_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.name


class Delivery(models.Model):
    """A DIP delivered: who, to whom, when, what (every file with its SHA-256), and which
    records were left out after the secrecy review."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    order = models.OneToOneField(DipOrder, on_delete=models.PROTECT, related_name="delivery")
    package = models.ForeignKey(Package, on_delete=models.PROTECT, related_name="deliveries")
    objid = models.CharField(max_length=255)
    recipient = models.CharField(_("recipient"), max_length=300)
    delivered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                     related_name="+", verbose_name=_("delivered by"))
    delivered_at = models.DateTimeField(_("delivered"), default=timezone.now)
    file_name = models.CharField(max_length=300)
    size = models.BigIntegerField(_("size"), default=0)
    sha256 = models.CharField(max_length=64)
    files = models.JSONField(default=list, help_text="[{path, size, sha256, source}]")
    refused = models.JSONField(default=list, help_text="Identifiers of refused records.")
    masked = models.JSONField(default=list, help_text="Identifiers of masked records.")
    withheld = models.JSONField(default=list, help_text="Files not delivered.")

    class Meta:
        ordering = ["-delivered_at"]
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")

    def __str__(self) -> str:
        return f"{self.objid} to {self.recipient}"
