"""Requests for official documents (begäran om allmän handling, TF 2 kap.) and what became
of them: each requested document's review (release, release with masking, refusal under
an OSL provision), the masks with their legal ground, the written decision, and every
delivery with the exact files and their hashes.

Rules kept here: a request needs no name, only a way to reply (e-mail, postal address or
pick-up); a request's number is gap-free per authority and year (like a diarienummer);
nothing of a request is deleted."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from diarium.documents.models import StoredFile
from diarium.organisation.models import Authority
from diarium.registry.models import Case, DiarySeries, Document, DocumentFile


class DisclosureSettings(models.Model):
    """How an authority takes requests: in the request series of its own (the default) or
    as cases in a diary series, and its target for answering them (0 working days: the
    same working day, JO's practice)."""

    authority = models.OneToOneField(Authority, on_delete=models.PROTECT,
                                     related_name="disclosure_settings")
    register_as_case = models.BooleanField(_("register each request as a case"),
                                           default=False)
    series = models.ForeignKey(DiarySeries, null=True, blank=True, on_delete=models.PROTECT,
                               related_name="+", verbose_name=_("diary series"))
    target_working_days = models.PositiveSmallIntegerField(_("target (working days)"),
                                                           default=0)

    def __str__(self) -> str:
        return str(self.authority)


class RequestCounter(models.Model):
    """The last request number given by an authority in a year; its row lock serialises
    numbering as the diary's counter does."""

    authority = models.ForeignKey(Authority, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["authority", "year"],
                                               name="uniq_request_counter")]

    def __str__(self) -> str:
        return f"{self.authority_id}/{self.year}: {self.last_number}"


class ReplyMethod(models.TextChoices):
    EMAIL = "email", _("By e-mail")
    POST = "post", _("By post")
    PICKUP = "pickup", _("Pick up or read on site")


class RequestStatus(models.TextChoices):
    RECEIVED = "received", _("Received")
    ANSWERED = "answered", _("Answered")


class DisclosureRequest(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    authority = models.ForeignKey(Authority, on_delete=models.PROTECT,
                                  related_name="disclosure_requests")
    year = models.PositiveIntegerField()
    serial = models.PositiveIntegerField()
    number = models.CharField(_("request number"), max_length=64, unique=True)
    case = models.ForeignKey(Case, null=True, blank=True, on_delete=models.PROTECT,
                             related_name="+", verbose_name=_("case"))
    received_at = models.DateTimeField(_("received"))
    due_at = models.DateTimeField(_("answer due"))
    target_working_days = models.PositiveSmallIntegerField(default=0)
    requester_name = models.CharField(_("name"), max_length=200, blank=True)
    reply_method = models.CharField(_("reply by"), max_length=16,
                                    choices=ReplyMethod.choices)
    email = models.EmailField(_("e-mail"), blank=True)
    postal_address = models.TextField(_("postal address"), blank=True)
    message = models.TextField(_("what is asked for"), blank=True)
    wants_decision = models.BooleanField(_("wants a written decision if refused"),
                                         default=False)
    status = models.CharField(max_length=16, choices=RequestStatus.choices,
                              default=RequestStatus.RECEIVED)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    # A keyed hash of the client's address: the form's rate limit counts by it; the
    # address itself is not kept.
    client_key = models.CharField(max_length=64, blank=True, db_index=True)

    class Meta:
        ordering = ["-received_at"]
        constraints = [models.UniqueConstraint(fields=["authority", "year", "serial"],
                                               name="uniq_request_serial")]
        indexes = [models.Index(fields=["authority", "status"]),
                   models.Index(fields=["received_at"])]
        verbose_name = _("request for official documents")

    def __str__(self) -> str:
        return self.number


class Outcome(models.TextChoices):
    PENDING = "pending", _("Not yet reviewed")
    RELEASE = "release", _("Released")
    MASKED = "masked", _("Released with masking")
    REFUSED = "refused", _("Refused")


class RequestedItem(models.Model):
    """One thing asked for: a registered document, or a free-text description."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    request = models.ForeignKey(DisclosureRequest, on_delete=models.PROTECT,
                                related_name="items")
    document = models.ForeignKey(Document, null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+")
    description = models.TextField(_("description"), blank=True)
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices,
                               default=Outcome.PENDING)
    # The refusal's provision, or every ground of the masks (several, comma-separated).
    provision = models.TextField(_("secrecy provision"), blank=True)
    note = models.TextField(_("note"), blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    reviewed_at = models.DateTimeField(null=True, blank=True)
    # Pages handed out (for the fee): the files' pages, or the masked copies' pages.
    pages = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["request", "id"]

    def __str__(self) -> str:
        return f"{self.request_id}: {self.document_id or self.description[:40]}"


class MaskedFile(models.Model):
    """What is handed out of one file of a document released with masking: the PDF the
    masks were drawn on (the file itself, or its PDF/A rendition for an office file), and
    the redacted copy made from it, kept by its hash. Every file of such a document gets
    one, with or without masks of its own: a file without masks is handed out as the
    same PDF cleared of its metadata, annotations and attachments (redaction.py), never
    as registered. A new masking makes new rows; the replaced ones stay, inactive."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    item = models.ForeignKey(RequestedItem, on_delete=models.PROTECT,
                             related_name="masked_files")
    file = models.ForeignKey(DocumentFile, on_delete=models.PROTECT, related_name="+")
    position = models.PositiveIntegerField(default=1)  # the file's place in its document
    source = models.ForeignKey(StoredFile, on_delete=models.PROTECT, related_name="+")
    redacted = models.ForeignKey(StoredFile, on_delete=models.PROTECT, related_name="+")
    pages = models.PositiveIntegerField(default=0)
    made_at = models.DateTimeField()
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["item", "position"]

    def __str__(self) -> str:
        return f"{self.item_id} file {self.position}"


class Mask(models.Model):
    """A rectangle on one page of one file's PDF (fractions of the page as shown, top-left
    origin), with the OSL provision it withholds under."""

    item = models.ForeignKey(RequestedItem, on_delete=models.PROTECT, related_name="masks")
    masked_file = models.ForeignKey(MaskedFile, null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="masks")
    page = models.PositiveIntegerField()
    left = models.FloatField()
    top = models.FloatField()
    right = models.FloatField()
    bottom = models.FloatField()
    provision = models.CharField(_("legal ground"), max_length=64)
    active = models.BooleanField(default=True)  # replaced masks stay, inactive

    class Meta:
        ordering = ["masked_file__position", "page", "top", "left"]

    def __str__(self) -> str:
        return f"{self.item_id} p.{self.page} {self.provision}"


class Decision(models.Model):
    """The written decision (beslut) on a refusal or partial refusal, with the appeal
    notice, registered as a document in the request's case."""

    request = models.OneToOneField(DisclosureRequest, on_delete=models.PROTECT,
                                   related_name="decision")
    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="+")
    made_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                related_name="+")
    made_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.request_id}: {self.document_id}"


class DeliveryMethod(models.TextChoices):
    EMAIL_LINK = "email_link", _("E-mail with a download link")
    EMAIL_ATTACHMENT = "email_attachment", _("E-mail with attachments")
    POST = "post", _("By post")
    ON_SITE = "on_site", _("For reading on site")


class Delivery(models.Model):
    """One delivery: the exact files (name, SHA-256, size) sent or shown. A link's token
    is stored only as its SHA-256: the database alone gives no usable link."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    request = models.ForeignKey(DisclosureRequest, on_delete=models.PROTECT,
                                related_name="deliveries")
    method = models.CharField(max_length=20, choices=DeliveryMethod.choices)
    files = models.JSONField(default=list)
    token_digest = models.CharField(max_length=64, blank=True, db_index=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    delivered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                     related_name="+")
    delivered_at = models.DateTimeField()
    downloads = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["delivered_at"]

    def __str__(self) -> str:
        return f"{self.request_id} {self.method} {self.delivered_at:%Y-%m-%d %H:%M}"
