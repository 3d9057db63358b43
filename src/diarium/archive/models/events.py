"""Preservation events (PREMIS-style). Long work is a job of diarium.core.jobs."""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class EventType(models.TextChoices):
    # Values from the PREMIS event type vocabulary, plus "repair".
    INGESTION = "ingestion", _("Ingestion")
    VALIDATION = "validation", _("Validation")
    FIXITY_CHECK = "fixity check", _("Fixity check")
    REPLICATION = "replication", _("Replication")
    REPAIR = "repair", _("Repair")
    DELETION = "deletion", _("Deletion")
    DISSEMINATION = "dissemination", _("Dissemination")


class Outcome(models.TextChoices):
    SUCCESS = "success", _("Success")
    FAILURE = "failure", _("Failure")
    WARNING = "warning", _("Warning")


class PreservationEvent(models.Model):
    """Something done to a package or one of its copies. `id` is the PREMIS eventIdentifier;
    the events of the ingest itself are also written into the AIP's premis.xml."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    package = models.ForeignKey("archive.Package", on_delete=models.PROTECT,
                                related_name="events")
    location = models.ForeignKey("archive.StorageLocation", null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="events")
    event_type = models.CharField(_("event"), max_length=32, choices=EventType.choices)
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices)
    detail = models.TextField(_("detail"), blank=True)
    # The detail as a code and its figures ({"code", "params"}), shown in the reader's
    # language (archive/event_text.py); empty for older rows and for other systems' errors.
    summary = models.JSONField(default=dict, blank=True)
    agent = models.CharField(_("agent"), max_length=200)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                              on_delete=models.PROTECT, related_name="+")
    occurred_at = models.DateTimeField(_("time"), default=timezone.now)

    class Meta:
        ordering = ["occurred_at"]
        indexes = [models.Index(fields=["package", "occurred_at"])]

    def __str__(self) -> str:
        return f"{self.event_type}: {self.outcome}"
