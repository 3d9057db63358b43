"""Document templates (mallar) of an authority, or of the whole municipality, each tied to
record types of the plan. Imported by registry.models (which registers the model).

The file filled is always a DOCX (`content`); an ODT template is turned into one by
LibreOffice when it is uploaded, and its original is kept beside it (`original`). The
fields it uses were checked at upload (documents/templating.py): a template that names a
field that does not exist is never stored."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from diarium.documents.models import StoredFile
from diarium.organisation.models import Authority, Municipality


class DocumentTemplate(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT,
                                     related_name="+", verbose_name=_("municipality"))
    # Empty: the template is for every authority of the municipality.
    authority = models.ForeignKey(Authority, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+", verbose_name=_("authority"))
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    record_types = models.ManyToManyField("plan.RecordType", blank=True, related_name="+",
                                          verbose_name=_("record types"))
    content = models.ForeignKey(StoredFile, on_delete=models.PROTECT, related_name="+")
    original = models.ForeignKey(StoredFile, on_delete=models.PROTECT, related_name="+")
    original_name = models.CharField(max_length=255)
    fields = models.JSONField(default=list, blank=True)
    active = models.BooleanField(default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True,
                                   on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]
        verbose_name = _("document template")
        constraints = [
            models.UniqueConstraint(fields=["municipality", "authority", "name"],
                                    condition=Q(active=True), name="uniq_active_template")
        ]

    def __str__(self) -> str:
        return self.name
