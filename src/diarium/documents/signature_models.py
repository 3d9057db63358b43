"""Signatures of final documents: the signers' keys (sealed), signing requests with their
signers in order, and validation reports. Imported by documents.models (which registers
the models with the app).

The documents app sits below the registry, so a request names the registry's document and
version by their UUIDs (as renditions name their original by hash) and the PDFs by
StoredFile. Rules kept here: one step per position, one active key per user; a signed PDF
is a StoredFile and is never rewritten (each signature is a new file that starts with the
bytes of the one before)."""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from diarium.documents.models import StoredFile


class KeyKind(models.TextChoices):
    PKCS12 = "pkcs12", _("PKCS#12 file")
    PKCS11 = "pkcs11", _("PKCS#11 token")


class SignerKey(models.Model):
    """A user's means of signing. The secrets (the PKCS#12 file and its password, or the
    token's PIN) are sealed (core/sealed.py); the certificate is kept in the clear."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                             related_name="+")
    kind = models.CharField(max_length=16, choices=KeyKind.choices)
    sealed = models.TextField()
    certificate = models.BinaryField()
    subject = models.CharField(_("certificate holder"), max_length=500)
    valid_to = models.DateTimeField(_("valid to"))
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(
            fields=["user"], condition=models.Q(active=True), name="one_active_signer_key")]

    def __str__(self) -> str:
        return f"{self.subject} ({self.kind})"


class RequestStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting signatures")
    COMPLETED = "completed", _("Signed by all")
    CANCELLED = "cancelled", _("Cancelled")


class SignatureRequest(models.Model):
    """A final document's PDF/A rendition to be signed by `steps`, one after the other."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    document = models.UUIDField(db_index=True)  # registry.Document
    version = models.UUIDField()  # registry.DocumentVersion: the final that was rendered
    source = models.ForeignKey(StoredFile, on_delete=models.PROTECT, related_name="+")
    current = models.ForeignKey(StoredFile, on_delete=models.PROTECT, related_name="+")
    level = models.CharField(max_length=8, default="B-B")
    # What asked for the signatures (e.g. "board.minutes"), for whoever waits for them.
    purpose = models.CharField(max_length=64, blank=True)
    status = models.CharField(max_length=16, choices=RequestStatus.choices,
                              default=RequestStatus.PENDING)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                     related_name="+")
    requested_at = models.DateTimeField(default=timezone.now)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at"]

    def __str__(self) -> str:
        return f"{self.document} {self.status}"


class StepState(models.TextChoices):
    WAITING = "waiting", _("Not yet signed")
    SIGNED = "signed", _("Signed")
    CANCELLED = "cancelled", _("Cancelled")


class SignatureStep(models.Model):
    """One signer of a request, at a position: they sign when all before them have."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    request = models.ForeignKey(SignatureRequest, on_delete=models.PROTECT,
                                related_name="steps")
    position = models.PositiveSmallIntegerField()
    signer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                               related_name="+")
    role = models.CharField(_("role"), max_length=100)
    state = models.CharField(max_length=16, choices=StepState.choices,
                             default=StepState.WAITING)
    signed_at = models.DateTimeField(null=True, blank=True)
    result = models.ForeignKey(StoredFile, null=True, blank=True, on_delete=models.PROTECT,
                               related_name="+")
    report = models.ForeignKey("documents.ValidationReport", null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["request", "position"]
        constraints = [models.UniqueConstraint(fields=["request", "position"],
                                               name="uniq_signature_step")]

    def __str__(self) -> str:
        return f"{self.request_id} #{self.position}"


class Trigger(models.TextChoices):
    SIGNED = "signed", _("When a signature was added")
    ON_DEMAND = "on_demand", _("On request")
    UPLOAD = "upload", _("When the signed file was uploaded")


class ValidationReport(models.Model):
    """The outcome of validating every signature of one PDF, at one time: the report as
    JSON (`report`, and stored as a file) and as a readable PDF page (`pdf`)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    content = models.ForeignKey(StoredFile, on_delete=models.PROTECT, related_name="+")
    document = models.UUIDField(null=True, blank=True, db_index=True)  # registry.Document
    valid = models.BooleanField()
    report = models.JSONField()
    json_file = models.ForeignKey(StoredFile, on_delete=models.PROTECT, related_name="+")
    pdf = models.ForeignKey(StoredFile, on_delete=models.PROTECT, related_name="+")
    trigger = models.CharField(max_length=16, choices=Trigger.choices)
    made_at = models.DateTimeField(default=timezone.now)
    made_by = models.CharField(max_length=150)

    class Meta:
        ordering = ["-made_at"]

    def __str__(self) -> str:
        return f"{self.content_id[:12]} {'valid' if self.valid else 'invalid'}"
