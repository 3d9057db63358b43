"""The systems register: IT systems that hold official records, and the checklists
archivists use when a system is procured or decommissioned."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from diarium.organisation.models import Authority, Municipality
from diarium.plan.models.plans import RecordType


class SystemStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    IN_USE = "in_use", _("In use")
    RETIRING = "retiring", _("Being retired")
    RETIRED = "retired", _("Retired")


class ArchiveDelivery(models.TextChoices):
    UNDECIDED = "undecided", _("Not decided")
    NONE = "none", _("No delivery (everything is disposed of)")
    CONTINUOUS = "continuous", _("Regular deliveries")
    AT_DECOMMISSION = "at_decommission", _("At decommissioning")


class ITSystem(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT,
                                     related_name="it_systems")
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    owner = models.ForeignKey(Authority, on_delete=models.PROTECT, related_name="it_systems",
                              verbose_name=_("owner authority"))
    administrator = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="administered_systems", verbose_name=_("system administrator"),
    )
    administrator_name = models.CharField(
        _("system administrator (name)"), max_length=200, blank=True,
        help_text=_("When the system administrator is not a user of Diarium."),
    )
    record_types = models.ManyToManyField(RecordType, blank=True, related_name="systems")
    archive_delivery = models.CharField(_("delivery to the e-archive"), max_length=16,
                                        choices=ArchiveDelivery.choices,
                                        default=ArchiveDelivery.UNDECIDED)
    delivery_method = models.CharField(_("how it delivers"), max_length=300, blank=True)
    extraction_spec = models.CharField(_("extraction specification"), max_length=300,
                                       blank=True)
    status = models.CharField(_("status"), max_length=16, choices=SystemStatus.choices,
                              default=SystemStatus.IN_USE)
    remarks = models.TextField(_("remarks"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["municipality", "name"], name="uniq_system_name")
        ]
        ordering = ["name"]
        verbose_name = _("IT system")

    def __str__(self) -> str:
        return self.name

    @property
    def administrator_label(self) -> str:
        return str(self.administrator) if self.administrator_id else self.administrator_name


class ChecklistKind(models.TextChoices):
    PROCUREMENT = "procurement", _("Procurement")
    DECOMMISSIONING = "decommissioning", _("Decommissioning")


class ChecklistTemplate(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT,
                                     related_name="checklist_templates")
    kind = models.CharField(_("kind"), max_length=16, choices=ChecklistKind.choices)
    name = models.CharField(_("name"), max_length=200)
    active = models.BooleanField(default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["municipality", "name"], name="uniq_template_name")
        ]
        ordering = ["kind", "name"]
        verbose_name = _("checklist template")

    def __str__(self) -> str:
        return self.name


class ChecklistTemplateItem(models.Model):
    template = models.ForeignKey(ChecklistTemplate, on_delete=models.CASCADE,
                                 related_name="items")
    position = models.PositiveIntegerField()
    text = models.CharField(_("item"), max_length=500)
    guidance = models.TextField(_("guidance"), blank=True)

    class Meta:
        ordering = ["template", "position"]

    def __str__(self) -> str:
        return self.text


class Checklist(models.Model):
    """A template's items copied for one system: later edits of the template leave it be."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    system = models.ForeignKey(ITSystem, on_delete=models.PROTECT, related_name="checklists")
    template = models.ForeignKey(ChecklistTemplate, null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="checklists")
    kind = models.CharField(_("kind"), max_length=16, choices=ChecklistKind.choices)
    name = models.CharField(_("name"), max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True,
                                   on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("checklist")

    def __str__(self) -> str:
        return f"{self.name} – {self.system}"


class ChecklistItem(models.Model):
    checklist = models.ForeignKey(Checklist, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveIntegerField()
    text = models.CharField(_("item"), max_length=500)
    guidance = models.TextField(_("guidance"), blank=True)
    done = models.BooleanField(default=False)
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                on_delete=models.PROTECT, related_name="+")
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["checklist", "position"]

    def __str__(self) -> str:
        return self.text
