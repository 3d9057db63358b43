"""What dispatch keeps. Registered with the registry's models (registry/models.py imports
them).

Rules kept here and in services:
- A distribution list is never changed in place: each save is a new, frozen version
  (DistributionListVersion with its members), so a dispatch that used a list points at
  the version it used and shows the list as it was.
- A dispatch records the exact document version sent (and, for e-mail, the PDF/A content
  attached) and one row per recipient with its own outcome. A recipient is `sent` only
  when the server accepted the message (or, by post, when a person marked it sent)."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class SmtpSecurity(models.TextChoices):
    STARTTLS = "starttls", _("STARTTLS (usually port 587)")
    TLS = "tls", _("TLS (SMTPS, usually port 465)")
    NONE = "none", _("None (only on a trusted local network)")


class DispatchSettings(models.Model):
    """An authority's outgoing mail server and sender, and the cover letter (följebrev)
    template used for post and as the body of e-mail. The password is sealed
    (core/sealed.py) and never shown again."""

    authority = models.OneToOneField("organisation.Authority", on_delete=models.PROTECT,
                                     related_name="dispatch_settings")
    host = models.CharField(_("server"), max_length=255, blank=True)
    port = models.PositiveIntegerField(_("port"), default=587)
    security = models.CharField(_("encryption"), max_length=16, choices=SmtpSecurity.choices,
                                default=SmtpSecurity.STARTTLS)
    username = models.CharField(_("username"), max_length=255, blank=True)
    password_sealed = models.TextField(blank=True)
    from_address = models.EmailField(_("sender address"), blank=True)
    from_name = models.CharField(_("sender name"), max_length=200, blank=True)
    cover_letter = models.TextField(_("cover letter"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("dispatch settings")

    def __str__(self) -> str:
        return f"{self.authority_id}: {self.host}"


class DistributionList(models.Model):
    """A named list of recipients of an authority (sändlista). Its members are those of
    its current version."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    authority = models.ForeignKey("organisation.Authority", on_delete=models.PROTECT,
                                  related_name="distribution_lists")
    name = models.CharField(_("name"), max_length=200)
    active = models.BooleanField(_("in use"), default=True)
    current = models.ForeignKey("registry.DistributionListVersion", null=True, blank=True,
                                on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["name"]
        verbose_name = _("distribution list")
        constraints = [models.UniqueConstraint(fields=["authority", "name"],
                                               name="uniq_distribution_list_name")]

    def __str__(self) -> str:
        return self.name


class DistributionListVersion(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    list = models.ForeignKey(DistributionList, on_delete=models.PROTECT,
                             related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    name = models.CharField(_("name"), max_length=200)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True,
                                   on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["list", "number"]
        constraints = [models.UniqueConstraint(fields=["list", "number"],
                                               name="uniq_distribution_list_version")]

    def __str__(self) -> str:
        return f"{self.name} v{self.number}"


class RecipientKind(models.TextChoices):
    PARTY = "party", _("Contact")
    UNIT = "unit", _("Unit")
    STAFF = "staff", _("Staff member")
    EMAIL = "email", _("E-mail address")
    POSTAL = "postal", _("Postal address")


class RecipientFields(models.Model):
    """Who and where, as written when the row was made (a later change of the contact
    does not change what a list version or a dispatch says)."""

    kind = models.CharField(max_length=16, choices=RecipientKind.choices)
    party = models.ForeignKey("registry.Party", null=True, blank=True,
                              on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey("organisation.Unit", null=True, blank=True,
                             on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                             on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("name"), max_length=300)
    email = models.EmailField(_("e-mail"), blank=True)
    postal_address = models.TextField(_("postal address"), blank=True)

    class Meta:
        abstract = True


class DistributionListMember(RecipientFields):
    version = models.ForeignKey(DistributionListVersion, on_delete=models.PROTECT,
                                related_name="members")
    position = models.PositiveIntegerField()

    class Meta:
        ordering = ["version", "position"]

    def __str__(self) -> str:
        return self.name


class DispatchChannel(models.TextChoices):
    EMAIL = "email", _("E-mail")
    POST = "post", _("Post")


class Dispatch(models.Model):
    """One dispatch (expediering) of a document: the exact version, the channel, who
    asked and when; dispatched_at is when the first recipient got it (the server accepted
    it, or it was marked posted): from then the document counts as dispatched."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    document = models.ForeignKey("registry.Document", on_delete=models.PROTECT,
                                 related_name="dispatches")
    version = models.ForeignKey("registry.DocumentVersion", null=True, blank=True,
                                on_delete=models.PROTECT, related_name="+")
    # The bytes sent: the version's PDF/A rendition (e-mail), as a SHA-256.
    sent_content = models.CharField(max_length=64, blank=True)
    channel = models.CharField(max_length=16, choices=DispatchChannel.choices)
    subject = models.CharField(_("subject"), max_length=500)
    cover_letter = models.TextField(_("cover letter"), blank=True)
    lists = models.ManyToManyField(DistributionListVersion, blank=True, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True,
                                   on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    dispatched_at = models.DateTimeField(_("dispatched"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("dispatch")
        verbose_name_plural = _("dispatches")

    def __str__(self) -> str:
        return f"{self.document_id} {self.channel} {self.created_at:%Y-%m-%d}"

    # Read from the prefetched recipients (the dispatch selectors prefetch them).
    @property
    def has_failed(self) -> bool:
        return any(r.state == RecipientState.FAILED for r in self.recipients.all())

    @property
    def is_pending(self) -> bool:
        return any(r.state == RecipientState.PENDING for r in self.recipients.all())


class RecipientState(models.TextChoices):
    PENDING = "pending", _("Waiting to be sent")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


class DispatchRecipient(RecipientFields):
    dispatch = models.ForeignKey(Dispatch, on_delete=models.PROTECT, related_name="recipients")
    position = models.PositiveIntegerField()
    # The list version it came from, when it came from a list.
    list_version = models.ForeignKey(DistributionListVersion, null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")
    state = models.CharField(max_length=16, choices=RecipientState.choices,
                             default=RecipientState.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    sent_at = models.DateTimeField(null=True, blank=True)
    message_id = models.CharField(_("Message-ID"), max_length=300, blank=True)
    # The server's answer to the message (or to the recipient, when refused).
    server_reply = models.TextField(_("server's answer"), blank=True)

    class Meta:
        ordering = ["dispatch", "position"]

    def __str__(self) -> str:
        return f"{self.name} ({self.state})"
