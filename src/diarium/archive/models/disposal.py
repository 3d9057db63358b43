"""Lawful disposal (gallring): disposal lists (gallringslistor) with their frozen items, the
disposal records that prove what was destroyed, and legal holds on archived packages.

A run is proposed (its items frozen), approved or rejected by a second person who records
the disposal decision, then executed; see docs/disposal.md. Nothing here is ever deleted:
the foreign keys protect, and DisposalRecord refuses deletion outright."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from diarium.organisation.models import Authority
from diarium.registry.hold_model import HoldFields

from .packages import Package


class RunState(models.TextChoices):
    PROPOSED = "proposed", _("Awaiting approval")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    EXECUTING = "executing", _("Being executed")
    COMPLETED = "completed", _("Executed")


class DisposalRun(models.Model):
    """A disposal list of one authority: what is due on `due_on` (optionally of one
    record type), frozen when created."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    authority = models.ForeignKey(Authority, on_delete=models.PROTECT, related_name="+",
                                  verbose_name=_("authority"))
    year = models.PositiveIntegerField()
    number = models.PositiveIntegerField()
    due_on = models.DateField(_("due on or before"))
    record_type = models.ForeignKey("plan.RecordType", null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("record type"))
    state = models.CharField(_("state"), max_length=16, choices=RunState.choices,
                             default=RunState.PROPOSED)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+", verbose_name=_("created by"))
    created_at = models.DateTimeField(_("created"))
    decision_reference = models.CharField(_("disposal decision"), max_length=300, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("decided by"))
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decision_note = models.TextField(_("note"), blank=True)
    executed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("executed by"))
    execution_started_at = models.DateTimeField(null=True, blank=True)
    executed_at = models.DateTimeField(_("executed"), null=True, blank=True)
    lease_owner = models.CharField(max_length=200, blank=True)
    lease_until = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)
    item_count = models.PositiveIntegerField(default=0)
    certificate_pdf = models.ForeignKey("documents.StoredFile", null=True, blank=True,
                                        on_delete=models.PROTECT, related_name="+")
    certificate_json = models.ForeignKey("documents.StoredFile", null=True, blank=True,
                                         on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("disposal list")
        constraints = [models.UniqueConstraint(fields=["authority", "year", "number"],
                                               name="uniq_disposal_run_number")]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return f"{self.authority.code} {self.year}:{self.number}"


class ItemKind(models.TextChoices):
    DOCUMENT = "document", _("Registered document")
    PACKAGE = "package", _("Archived package")


class ItemState(models.TextChoices):
    PENDING = "pending", _("Pending")
    DISPOSED = "disposed", _("Disposed of")
    SKIPPED = "skipped", _("Skipped")
    FAILED = "failed", _("Failed")


class DisposalItem(models.Model):
    """One entry of a disposal list, as it was when the list was frozen."""

    run = models.ForeignKey(DisposalRun, on_delete=models.PROTECT, related_name="items")
    position = models.PositiveIntegerField()
    kind = models.CharField(max_length=16, choices=ItemKind.choices)
    document = models.ForeignKey("registry.Document", null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")
    package = models.ForeignKey(Package, null=True, blank=True, on_delete=models.PROTECT,
                                related_name="+")
    identifier = models.CharField(_("identifier"), max_length=500)
    case_id = models.UUIDField(null=True, blank=True)
    case_diary_number = models.CharField(_("diary number"), max_length=64, blank=True)
    title = models.CharField(_("description"), max_length=1000, blank=True)
    is_secret = models.BooleanField(default=False)
    record_type = models.CharField(_("record type"), max_length=500, blank=True)
    rule = models.ForeignKey("plan.RecordTypeRule", null=True, blank=True,
                             on_delete=models.PROTECT, related_name="+")
    decision = models.CharField(_("decision or legal basis"), max_length=500, blank=True)
    plan_version = models.CharField(_("plan version"), max_length=300, blank=True)
    disposal_date = models.DateField(_("may be disposed of from"), null=True, blank=True)
    files = models.JSONField(default=list, blank=True)
    file_count = models.PositiveIntegerField(default=0)
    size = models.BigIntegerField(default=0)
    state = models.CharField(_("state"), max_length=16, choices=ItemState.choices,
                             default=ItemState.PENDING)
    held = models.BooleanField(default=False)
    reason = models.TextField(_("reason"), blank=True)
    processed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["run", "position"]
        constraints = [
            models.UniqueConstraint(fields=["run", "position"], name="uniq_disposal_item_pos"),
            models.CheckConstraint(
                condition=Q(kind="document", document__isnull=False, package__isnull=True)
                | Q(kind="package", package__isnull=False, document__isnull=True),
                name="disposal_item_document_or_package"),
        ]
        indexes = [models.Index(fields=["run", "state"])]

    def __str__(self) -> str:
        return self.identifier


class RecordQuerySet(models.QuerySet):
    def delete(self):
        raise models.ProtectedError("Disposal records are never deleted.", set(self))


class DisposalRecord(models.Model):
    """The proof of one destruction, self-contained: what (identifiers, record type,
    description as the public may see it, files with SHA-256 and size), under which
    decision, when and by whom. Kept for good (Arkivlagen)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    run = models.ForeignKey(DisposalRun, on_delete=models.PROTECT, related_name="records")
    item = models.OneToOneField(DisposalItem, on_delete=models.PROTECT, related_name="record")
    authority = models.ForeignKey(Authority, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=16, choices=ItemKind.choices)
    document = models.ForeignKey("registry.Document", null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")
    package = models.ForeignKey(Package, null=True, blank=True, on_delete=models.PROTECT,
                                related_name="+")
    identifier = models.CharField(max_length=500)
    case_diary_number = models.CharField(max_length=64, blank=True)
    title = models.CharField(max_length=1000, blank=True)
    record_type = models.CharField(max_length=500, blank=True)
    rule_decision = models.CharField(max_length=500, blank=True)
    plan_version = models.CharField(max_length=300, blank=True)
    disposal_date = models.DateField(null=True, blank=True)
    decision_reference = models.CharField(max_length=300)
    files = models.JSONField(default=list, help_text="[{name, sha256, size, content}]")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT,
                                   related_name="+")
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True,
                                    on_delete=models.PROTECT, related_name="+")
    executed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True,
                                    on_delete=models.PROTECT, related_name="+")
    created_by_name = models.CharField(max_length=150, blank=True)
    approved_by_name = models.CharField(max_length=150, blank=True)
    executed_by_name = models.CharField(max_length=150, blank=True)
    approved_at = models.DateTimeField(null=True)
    disposed_at = models.DateTimeField()

    objects = RecordQuerySet.as_manager()

    class Meta:
        ordering = ["run", "item__position"]
        verbose_name = _("disposal record")

    def __str__(self) -> str:
        return f"{self.identifier} ({self.decision_reference})"

    def delete(self, *args, **kwargs):
        raise models.ProtectedError("Disposal records are never deleted.", {self})


class ArchiveHold(HoldFields):
    """A legal hold on an archived package (gallringsstopp), e.g. for a dispute: while it
    is active the package is on no disposal list and is skipped by a run."""

    package = models.ForeignKey(Package, on_delete=models.PROTECT, related_name="holds")

    class Meta(HoldFields.Meta):
        verbose_name = _("archive hold")

    def __str__(self) -> str:
        return f"{self.package_id}: {self.reason[:40]}"
