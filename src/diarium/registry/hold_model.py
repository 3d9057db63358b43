"""Holds: reasons that keep a case or a document from being disposed of, whatever the
plan says. Imported by registry.models (which registers the model with the app).

A hold has a kind: `legal` (placed by an archivist, e.g. for a dispute, an audit or an
investigation) or `request` (a request for the document is open). Other apps add holds
through `disposal_services.place_hold` with their own kind and a `reference` to their
record, e.g. the future requests app with kind `request` and the request's number.
Open and dormant cases hold their documents without a row here (see disposal_selectors)."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from diarium.organisation.models import Authority


class HoldKind(models.TextChoices):
    LEGAL = "legal", _("Legal hold")
    REQUEST = "request", _("Open request for the document")


class HoldFields(models.Model):
    """What every hold records, whatever it holds (the archive's package holds too)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    reason = models.TextField(_("reason"))
    reference = models.CharField(
        _("reference"), max_length=200, blank=True,
        help_text=_("What the hold comes from, e.g. a request's or a dispute's number."),
    )
    placed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT,
                                  related_name="+")
    placed_at = models.DateTimeField()
    released_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    released_at = models.DateTimeField(null=True, blank=True)
    release_note = models.TextField(_("note on release"), blank=True)

    class Meta:
        abstract = True
        ordering = ["-placed_at"]

    @property
    def is_active(self) -> bool:
        return self.released_at is None


class Hold(HoldFields):
    kind = models.CharField(_("kind"), max_length=16, choices=HoldKind.choices,
                            default=HoldKind.LEGAL)
    authority = models.ForeignKey(Authority, on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey("registry.Case", null=True, blank=True, on_delete=models.PROTECT,
                             related_name="holds")
    document = models.ForeignKey("registry.Document", null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="holds")

    class Meta(HoldFields.Meta):
        constraints = [
            models.CheckConstraint(
                condition=Q(case__isnull=False, document__isnull=True)
                | Q(case__isnull=True, document__isnull=False),
                name="hold_on_case_or_document",
            ),
        ]
        indexes = [models.Index(fields=["authority", "released_at"])]
        verbose_name = _("hold")

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.reason[:40]}"
