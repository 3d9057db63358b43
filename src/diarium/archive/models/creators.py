"""Archive creators (arkivbildare) and submission agreements (leveransöverenskommelser)."""

import uuid

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from diarium.organisation.models import Authority

PROFILE_CHOICES = [("auto", _("Automatic (SIP rules for SIPs)")), ("csip", "E-ARK CSIP"),
                   ("sip", "E-ARK SIP")]


class ArchiveCreator(models.Model):
    """The authority whose records an archive is (arkivbildare). One per authority."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    authority = models.OneToOneField(Authority, on_delete=models.PROTECT,
                                     related_name="archive_creator", verbose_name=_("authority"))
    name = models.CharField(_("name"), max_length=200)
    identifier = models.CharField(
        _("identification code"), max_length=100, blank=True,
        help_text=_("E.g. the organisation number, as the SIP's archivist agent names it."))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("archive creator")

    def __str__(self) -> str:
        return self.name


class SubmissionAgreement(models.Model):
    """What a producer may deliver to the e-archive, for which archive creator, and when."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    reference = models.CharField(
        _("reference"), max_length=100, unique=True,
        help_text=_("The identifier a SIP names in metsHdr/altRecordID "
                    "[@TYPE='SUBMISSIONAGREEMENT']."))
    name = models.CharField(_("name"), max_length=200)
    creator = models.ForeignKey(ArchiveCreator, on_delete=models.PROTECT,
                                related_name="agreements", verbose_name=_("archive creator"))
    producer = models.CharField(_("producing system"), max_length=200)
    it_system = models.ForeignKey("plan.ITSystem", null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="agreements")
    profile = models.CharField(_("profile"), max_length=8, choices=PROFILE_CHOICES,
                               default="auto")
    strict_representations = models.BooleanField(
        _("strict representation METS"), default=False,
        help_text=_("Package-level METS rules (the software agent in metsHdr, the Metadata "
                    "division) are errors in representation METS too, not warnings."))
    allowed_formats = models.JSONField(
        _("allowed formats"), default=list, blank=True,
        help_text=_("PRONOM ids (fmt/95) or MIME types (application/pdf); empty allows all."))
    record_types = models.ManyToManyField("plan.RecordType", blank=True,
                                          related_name="agreements")
    valid_from = models.DateField(_("valid from"), default=timezone.localdate)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["reference"]
        verbose_name = _("submission agreement")

    def __str__(self) -> str:
        return f"{self.reference} {self.name}"

    def in_force(self, day=None) -> bool:
        day = day or timezone.localdate()
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)

    def allows(self, puid: str, mime: str) -> bool:
        allowed = {a.strip().lower() for a in self.allowed_formats if a.strip()}
        return not allowed or bool({puid.lower(), mime.lower()} & allowed)
