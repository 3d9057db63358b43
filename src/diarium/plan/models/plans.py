"""Plans, their versions, the classification (processes) and the record type rules.

A plan is either the municipality's base plan (authority empty) or one authority's plan.
Each plan has numbered versions. A draft version is edited; adopting it freezes it for good
(changes then need a new draft). An authority's version holds a copy of the base plan
version it builds on (rows with is_local=False) plus the authority's local additions, so an
adopted authority version is a complete, self-contained snapshot of what the board decided.

RecordType is the stable identity of a record type across versions; RecordTypeRule is what
one version says about it. A registered document keeps the id of the RecordTypeRule that
applied when it was registered, and that row never changes."""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from diarium.organisation.models import Authority, Municipality
from diarium.plan.retention import Disposition, PeriodUnit, Trigger

PROCESS_LEVELS = 3  # verksamhetsområde > processgrupp > process


class Plan(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="plans")
    authority = models.ForeignKey(
        Authority, null=True, blank=True, on_delete=models.PROTECT, related_name="plans",
        help_text=_("Empty for the municipality-wide base plan."),
    )
    name = models.CharField(_("name"), max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["municipality"], condition=Q(authority__isnull=True), name="uniq_base_plan"
            ),
            models.UniqueConstraint(fields=["authority"], name="uniq_authority_plan"),
        ]
        ordering = ["name"]
        verbose_name = _("document management plan")

    def __str__(self) -> str:
        return self.name

    @property
    def is_base(self) -> bool:
        return self.authority_id is None

    @property
    def chain(self) -> str:
        """The audit chain of the plan's events."""
        if self.authority_id:
            return f"authority:{self.authority_id}"
        return f"plan:{self.municipality_id}"


class VersionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ADOPTED = "adopted", _("Adopted")


class PlanVersion(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField()
    status = models.CharField(max_length=16, choices=VersionStatus.choices,
                              default=VersionStatus.DRAFT)
    base = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        help_text=_("For an authority's version: the base plan version it builds on."),
    )
    decision_date = models.DateField(_("decision date"), null=True, blank=True)
    decision_reference = models.CharField(
        _("decision reference"), max_length=200, blank=True,
        help_text=_('The board, date and paragraph, e.g. "KS 2026-03-14 § 45".'),
    )
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    adopted_at = models.DateTimeField(null=True, blank=True)
    adopted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="uniq_plan_version"),
            models.UniqueConstraint(
                fields=["plan"], condition=Q(status="draft"), name="one_draft_per_plan"
            ),
        ]
        indexes = [models.Index(fields=["plan", "status", "valid_from"])]
        ordering = ["plan", "-number"]
        verbose_name = _("plan version")

    def __str__(self) -> str:
        return f"{self.plan} v{self.number}"

    @property
    def is_adopted(self) -> bool:
        return self.status == VersionStatus.ADOPTED

    def delete(self, *args, **kwargs):
        if self.is_adopted:
            raise ValidationError(_("An adopted plan version can never be deleted."))
        return super().delete(*args, **kwargs)


class FrozenWhenAdopted(models.Model):
    """Rows of a version: they change only while the version is a draft."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.version.is_adopted:
            raise ValidationError(_("The plan version is adopted and can no longer change."))
        return super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self.version.is_adopted:
            raise ValidationError(_("The plan version is adopted and can no longer change."))
        return super().delete(*args, **kwargs)


def process_sort_key(code: str) -> str:
    """"2.10.1" sorts after "2.9.1": each part zero-padded."""
    return ".".join(part.zfill(4) for part in code.split("."))


class Process(FrozenWhenAdopted):
    """A node of the classification: verksamhetsområde (1), processgrupp (1.2) or process
    (1.2.3). Cases are classified by a process (level 3)."""

    version = models.ForeignKey(PlanVersion, on_delete=models.CASCADE, related_name="processes")
    code = models.CharField(_("code"), max_length=16)
    name = models.CharField(_("name"), max_length=200)
    sort_key = models.CharField(max_length=40, editable=False)
    is_local = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="uniq_process_code")
        ]
        ordering = ["version", "sort_key"]
        verbose_name = _("process")
        verbose_name_plural = _("processes")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def save(self, *args, **kwargs):
        self.sort_key = process_sort_key(self.code)
        return super().save(*args, **kwargs)

    @property
    def level(self) -> int:
        return self.code.count(".") + 1


class RecordType(models.Model):
    """The identity of a record type (handlingstyp) across plan versions."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    plan = models.ForeignKey(
        Plan, on_delete=models.PROTECT, related_name="record_types",
        help_text=_("The plan that introduced it: the base plan or an authority's plan."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # Whether the files of its documents may be downloaded from the public diary when a
    # document is not secret (set with plan/services/publishing.py; a decision of the
    # authority, not part of an adopted version, so it may change at any time).
    publishable = models.BooleanField(_("files published in the public diary"), default=False)

    class Meta:
        verbose_name = _("record type")

    def __str__(self) -> str:
        return str(self.id)


class Registration(models.TextChoices):
    REGISTERED = "registered", _("Registered (registreras)")
    KEPT_IN_ORDER = "kept_in_order", _("Kept in order (hålls ordnad)")
    NOT_REGISTERED = "not_registered", _("Not registered (registreras ej)")


class RecordDirection(models.TextChoices):
    """Which registered documents a record type is meant for. Registering a document of
    the other direction is not refused, only confirmed (registry/enforcement.py)."""

    ANY = "any", _("Any direction")
    INCOMING = "incoming", _("Incoming")
    OUTGOING = "outgoing", _("Outgoing")
    INTERNAL = "internal", _("Drawn up")


class RecordTypeRule(FrozenWhenAdopted):
    """What one plan version says about one record type."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    version = models.ForeignKey(PlanVersion, on_delete=models.CASCADE, related_name="rules")
    record_type = models.ForeignKey(RecordType, on_delete=models.PROTECT, related_name="rules")
    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="rules")
    is_local = models.BooleanField(default=False)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    registration = models.CharField(_("registration"), max_length=16,
                                    choices=Registration.choices)
    registration_place = models.CharField(
        _("where"), max_length=200, blank=True,
        help_text=_("The diary series, register or IT system."),
    )
    secrecy_provision = models.CharField(_("default secrecy"), max_length=64, blank=True)
    disposition = models.CharField(_("keep or dispose"), max_length=8,
                                   choices=Disposition.choices)
    period_amount = models.PositiveSmallIntegerField(_("retention period"), null=True, blank=True)
    period_unit = models.CharField(max_length=8, choices=PeriodUnit.choices, blank=True)
    trigger = models.CharField(_("counted from"), max_length=16, choices=Trigger.choices,
                               blank=True)
    count_from_year_end = models.BooleanField(_("counted from the end of the year"),
                                              default=False)
    legal_basis = models.CharField(_("decision or legal basis"), max_length=300, blank=True)
    medium = models.CharField(_("medium"), max_length=100, blank=True)
    file_format = models.CharField(_("format"), max_length=100, blank=True)
    storage = models.CharField(_("storage"), max_length=200, blank=True)
    archive_delivery = models.CharField(_("delivery to the archive"), max_length=200,
                                        blank=True)
    personal_data = models.BooleanField(_("personal data"), default=False)
    remarks = models.TextField(_("remarks"), blank=True)
    direction = models.CharField(
        _("direction"), max_length=8, choices=RecordDirection.choices,
        default=RecordDirection.ANY,
        help_text=_("Incoming, outgoing or drawn-up documents, or any of them."))
    naming_rule = models.CharField(
        _("naming rule"), max_length=200, blank=True,
        help_text=_("The title of a new document and the name of its files, e.g. "
                    "{diarienummer} {handlingstyp} {datum} (documents/naming.py lists the "
                    "fields)."))

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["version", "record_type"], name="uniq_rule_type"),
            models.UniqueConstraint(fields=["version", "process", "name"],
                                    name="uniq_rule_name"),
        ]
        indexes = [models.Index(fields=["record_type", "version"])]
        verbose_name = _("record type rule")

    def __str__(self) -> str:
        return self.name
