"""The delegation scheme (delegationsordning) as data, versioned by the decision that
adopted it, and delegated decisions (delegationsbeslut) registered in cases."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from diarium.organisation.models import Authority
from diarium.registry.models import Case, Document


class DelegationScheme(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    authority = models.ForeignKey(Authority, on_delete=models.PROTECT,
                                  related_name="delegation_schemes")
    version = models.PositiveIntegerField()
    adopted_on = models.DateField(_("adopted on"))
    adopted_by = models.CharField(_("adopting decision"), max_length=200)  # "BMN 2026-02-03 § 12"
    valid_from = models.DateField(_("valid from"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["authority", "-version"]
        constraints = [models.UniqueConstraint(fields=["authority", "version"],
                                               name="uniq_delegation_version")]

    def __str__(self) -> str:
        return str(self.pk)


class DelegateKind(models.TextChoices):
    ROLE = "role", _("Role")
    POSITION = "position", _("Position")
    PERSON = "person", _("Named person")


class DelegationMatter(models.Model):
    scheme = models.ForeignKey(DelegationScheme, on_delete=models.CASCADE,
                               related_name="matters")
    number = models.CharField(_("number"), max_length=16)
    title = models.CharField(_("matter"), max_length=500)
    delegate_kind = models.CharField(max_length=16, choices=DelegateKind.choices, blank=True)
    # A role code (officer), a position ("bygglovschef") or a username.
    delegate = models.CharField(_("delegate"), max_length=200, blank=True)
    substitutes = models.CharField(_("substitutes"), max_length=300, blank=True)
    limit = models.DecimalField(_("limit (SEK)"), max_digits=14, decimal_places=2,
                                null=True, blank=True)
    must_report = models.BooleanField(_("reported to the board"), default=True)
    # KL 6:38: matters the board must decide itself.
    not_delegable = models.BooleanField(_("may not be delegated"), default=False)
    remarks = models.CharField(_("remarks"), max_length=500, blank=True)

    class Meta:
        ordering = ["scheme", "number"]
        constraints = [models.UniqueConstraint(fields=["scheme", "number"],
                                               name="uniq_matter_number")]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"


class DelegatedDecision(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="delegated_decisions")
    document = models.ForeignKey(Document, null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+")
    matter = models.ForeignKey(DelegationMatter, on_delete=models.PROTECT, related_name="+")
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    decided_on = models.DateField(_("decided on"))
    summary = models.CharField(_("decision"), max_length=500)
    public_summary = models.CharField(_("public description"), max_length=500, blank=True)
    amount = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    appealable = models.BooleanField(_("appealable"), default=True)
    # What the check found and let pass as a warning.
    warnings = models.JSONField(default=list, blank=True)
    reported_in = models.ForeignKey("board.AgendaItem", null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="reported_decisions")
    registered_at = models.DateTimeField()

    class Meta:
        ordering = ["-decided_on"]

    def __str__(self) -> str:
        return str(self.pk)
