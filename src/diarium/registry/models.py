"""Diary series, cases, registered documents, parties and the authority's inbox."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from diarium.documents.models import StoredFile
from diarium.organisation.models import Authority, Municipality, Unit
from diarium.registry.hold_model import Hold, HoldKind  # noqa: F401  (registered here)
from diarium.registry.template_model import DocumentTemplate  # noqa: F401  (registered here)
from diarium.registry.version_model import DocumentVersion  # noqa: F401  (registered here)


def format_diary_number(series_code: str, year: int, number: int, *, fmt: str = "",
                        padding: int | None = None) -> str:
    """A diarienummer as written: the series' own format and zero padding where it has
    them, else the installation's (DIARIUM_DIARY_NUMBER_FORMAT, ..._PADDING)."""
    width = settings.DIARY_NUMBER_PADDING if padding is None else padding
    padded = str(number).zfill(width)
    return (fmt or settings.DIARY_NUMBER_FORMAT).format(series=series_code, year=year,
                                                        number=padded)


class DiarySeries(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    authority = models.ForeignKey(Authority, on_delete=models.PROTECT, related_name="series")
    code = models.CharField(_("code"), max_length=16, unique=True)
    name = models.CharField(_("name"), max_length=200)
    active = models.BooleanField(default=True)
    # How the series writes its numbers, e.g. "{series} {year}/{number}" or
    # "{series}-{year}-{number}"; empty: the installation's format. A change applies to
    # numbers given afterwards: a number once given is never rewritten.
    number_format = models.CharField(_("number format"), max_length=64, blank=True)
    number_padding = models.PositiveSmallIntegerField(_("zero padding"), null=True,
                                                      blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("diary series")
        verbose_name_plural = _("diary series")

    def __str__(self) -> str:
        return self.code

    def format_number(self, year: int, number: int) -> str:
        return format_diary_number(self.code, year, number, fmt=self.number_format,
                                   padding=self.number_padding)


class DiaryCounter(models.Model):
    """The last number given in a series and year. Its row lock serialises allocation.

    migrated_last is the highest number a former diarium gave in the series and year and
    that was brought in with its case (services/migrated.py). Numbers continue after it,
    and the constraint keeps the counter from ever falling back below it, so a number
    brought in is never given again."""

    series = models.ForeignKey(DiarySeries, on_delete=models.PROTECT, related_name="counters")
    year = models.PositiveIntegerField()
    last_number = models.PositiveIntegerField(default=0)
    migrated_last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["series", "year"], name="uniq_counter_series_year"),
            models.CheckConstraint(condition=models.Q(last_number__gte=models.F("migrated_last")),
                                   name="counter_after_migrated_numbers"),
        ]

    def __str__(self) -> str:
        return f"{self.series_id}/{self.year}: {self.last_number}"


class SecrecyProvision(models.Model):
    """A provision of the Public Access and Secrecy Act (OSL) that a marking can cite:
    chapter, section (§) and paragraph (stycke, 0 for the whole section). Seeded with the
    provisions a municipality uses (registry/provisions.py); administrators add more."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    chapter = models.PositiveSmallIntegerField(_("chapter"))
    section = models.PositiveSmallIntegerField(_("section"))
    paragraph = models.PositiveSmallIntegerField(_("paragraph"), default=0)
    description = models.CharField(_("description"), max_length=300)
    secrecy_years = models.PositiveSmallIntegerField(_("usual secrecy period (years)"),
                                                     null=True, blank=True)
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["chapter", "section", "paragraph"]
        constraints = [models.UniqueConstraint(
            fields=["chapter", "section", "paragraph"], name="uniq_secrecy_provision")]
        verbose_name = _("secrecy provision")

    def __str__(self) -> str:
        return self.citation

    @property
    def citation(self) -> str:
        from diarium.registry.provisions import format_citation

        return format_citation(self.chapter, self.section, self.paragraph)


class SecrecyMarking(models.Model):
    """OSL 5:5 marking: a warning that holds the provision, date and marking authority,
    and which parts are withheld from the public. secrecy_provision is the marking as
    shown ("OSL 26 kap. 1 §"; a marking made before the provisions register that names
    none keeps its text); osl_provision is the provision it cites."""

    secrecy_provision = models.CharField(_("secrecy provision"), max_length=64, blank=True)
    osl_provision = models.ForeignKey(
        SecrecyProvision, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("secrecy provision"),
    )
    secrecy_marked_on = models.DateField(_("marked on"), null=True, blank=True)
    secrecy_authority = models.ForeignKey(
        Authority, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("marking authority"),
    )
    withhold_title = models.BooleanField(_("title withheld"), default=False)
    withhold_parties = models.BooleanField(_("parties withheld"), default=False)
    withhold_files = models.BooleanField(_("files withheld"), default=False)

    class Meta:
        abstract = True

    @property
    def is_secret(self) -> bool:
        return bool(self.secrecy_provision)


# Stored codes are English; the Swedish words are the labels (through gettext). Before
# that, Swedish codes were stored: the audit log's older events keep them, and their
# readers translate them with this map (old code -> code).
LEGACY_CODES = {
    "oppet": "open", "vilande": "dormant", "avslutat": "closed", "makulerat": "voided",
    "gallrat": "disposed", "registrerad": "registered", "makulerad": "voided",
    "gallrad": "disposed", "inkommande": "incoming", "utgaende": "outgoing",
    "upprattad": "internal", "ny": "new", "placerad": "placed",
}


class CaseStatus(models.TextChoices):
    OPEN = "open", _("Open")
    DORMANT = "dormant", _("Dormant")
    CLOSED = "closed", _("Closed")
    VOID = "voided", _("Voided")
    # Every document of the case is disposed of (gallrad): the registration stays.
    DISPOSED = "disposed", pgettext_lazy("case status", "Disposed of")


class Case(SecrecyMarking):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    series = models.ForeignKey(DiarySeries, on_delete=models.PROTECT, related_name="cases")
    authority = models.ForeignKey(Authority, on_delete=models.PROTECT, related_name="cases")
    year = models.PositiveIntegerField()
    number = models.PositiveIntegerField()
    diary_number = models.CharField(_("diary number"), max_length=64, unique=True)
    title = models.CharField(_("title"), max_length=500)
    public_title = models.CharField(_("public title"), max_length=500, blank=True)
    classification_code = models.CharField(_("classification"), max_length=32, blank=True)
    responsible_officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
        related_name="responsible_cases", verbose_name=_("responsible officer"),
    )
    responsible_unit = models.ForeignKey(
        Unit, null=True, blank=True, on_delete=models.PROTECT, verbose_name=_("unit")
    )
    # For a joint board: the member municipality the case concerns.
    municipality = models.ForeignKey(
        Municipality, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(max_length=16, choices=CaseStatus.choices, default=CaseStatus.OPEN)
    opened_at = models.DateTimeField()
    closed_at = models.DateTimeField(null=True, blank=True)
    closing_note = models.TextField(blank=True)
    voided_at = models.DateTimeField(null=True, blank=True)
    void_reason = models.TextField(blank=True)
    follow_up_date = models.DateField(_("follow-up date"), null=True, blank=True)
    related_cases = models.ManyToManyField("self", blank=True, symmetrical=True)
    # Staff who may read secret content besides the responsible officer and the
    # authority's registry, archive and administrator roles.
    access_group = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="case_access"
    )
    document_count = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    # The system a case was brought in from with its original number (docs/migrate-diary.md);
    # empty for a case opened in Diarium.
    migrated_from = models.CharField(_("brought in from"), max_length=100, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["series", "year", "number"], name="uniq_case_number")
        ]
        indexes = [
            models.Index(fields=["authority", "status"]),
            models.Index(fields=["opened_at"]),
            models.Index(fields=["responsible_officer", "status"]),
            # Prefix search on PostgreSQL needs the pattern operator class (LIKE 'KS 2026/%').
            models.Index(
                fields=["diary_number"], name="case_diary_number_prefix",
                opclasses=["varchar_pattern_ops"],
            ),
        ]
        ordering = ["-opened_at"]
        verbose_name = _("case")

    def __str__(self) -> str:
        return self.diary_number


class PartyKind(models.TextChoices):
    PERSON = "person", _("Person")
    ORGANISATION = "organisation", _("Organisation")


class Party(models.Model):
    """A contact in the register shared by all authorities."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(max_length=16, choices=PartyKind.choices)
    name = models.CharField(_("name"), max_length=300)
    identity_number = models.CharField(_("identity number"), max_length=16, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=10, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # Who added the contact: they see it before it is linked to a case they may read
    # (see registry/visibility.py).
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["identity_number"]), models.Index(fields=["name"])]
        verbose_name = _("party")
        verbose_name_plural = _("parties")

    def __str__(self) -> str:
        return self.name


class CaseParty(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="case_parties")
    party = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="case_links")
    role = models.CharField(_("role"), max_length=64, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["case", "party", "role"], name="uniq_case_party")
        ]

    def __str__(self) -> str:
        return f"{self.party} ({self.role})" if self.role else str(self.party)


class Direction(models.TextChoices):
    INCOMING = "incoming", _("Incoming")
    OUTGOING = "outgoing", _("Outgoing")
    INTERNAL = "internal", _("Drawn up")


class DocumentStatus(models.TextChoices):
    # A draft (utkast, arbetsdokument) written in the case: not yet an official document,
    # seen by the case's access group only and never by the public (registry/visibility.py).
    DRAFT = "draft", _("Draft")
    REGISTERED = "registered", _("Registered")
    VOID = "voided", _("Voided")
    # Disposed of under a disposal decision: the files are destroyed, the registration
    # (number, dates, description) stays, as the register entry does in Swedish practice.
    DISPOSED = "disposed", _("Disposed of")


class DisposalOutcome(models.TextChoices):
    """What the document management plan says about a document's future."""

    KEEP = "keep", _("Kept (bevaras)")
    DATE = "date", _("Disposed of from a date (gallras)")
    UNDETERMINED = "undetermined", _("Not yet determined")
    UNCLASSIFIED = "unclassified", _("No record type")


class Document(SecrecyMarking):
    """A registered document (handling) in a case.

    record_type comes from the authority's document management plan, and rule is the
    plan's RecordTypeRule that applied when the document was registered: an adopted,
    frozen row, so the document keeps the plan version it was registered under.
    disposal_outcome and disposal_date are derived from that rule (see disposal_dates.py)
    and recomputed when the case closes, reopens or is voided, or the record type changes."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="documents")
    number = models.PositiveIntegerField()
    direction = models.CharField(max_length=16, choices=Direction.choices)
    record_type = models.ForeignKey(
        "plan.RecordType", null=True, blank=True, on_delete=models.PROTECT,
        related_name="documents", verbose_name=_("record type"),
    )
    rule = models.ForeignKey(
        "plan.RecordTypeRule", null=True, blank=True, on_delete=models.PROTECT,
        related_name="documents", verbose_name=_("plan rule"),
    )
    disposal_outcome = models.CharField(
        _("disposal"), max_length=16, choices=DisposalOutcome.choices,
        default=DisposalOutcome.UNCLASSIFIED,
    )
    disposal_date = models.DateField(_("may be disposed of from"), null=True, blank=True)
    # For rules counted "vid inaktualitet": the day the registry or an archivist found the
    # document no longer current; until then its disposal date is undetermined.
    no_longer_current_on = models.DateField(_("no longer current from"), null=True, blank=True)
    title = models.CharField(_("description"), max_length=500)
    public_title = models.CharField(_("public description"), max_length=500, blank=True)
    document_date = models.DateField(_("document date"))
    registered_at = models.DateTimeField(_("registered"))
    sender_recipient = models.CharField(_("sender or recipient"), max_length=300, blank=True)
    party = models.ForeignKey(
        Party, null=True, blank=True, on_delete=models.PROTECT, related_name="documents"
    )
    status = models.CharField(
        max_length=16, choices=DocumentStatus.choices, default=DocumentStatus.REGISTERED
    )
    voided_at = models.DateTimeField(null=True, blank=True)
    void_reason = models.TextField(blank=True)
    # Set when the document is disposed of: when, under which decision, and the id of the
    # e-archive's disposal record (the registry does not import the archive).
    disposed_at = models.DateTimeField(_("disposed of"), null=True, blank=True)
    disposed_under = models.CharField(_("disposal decision"), max_length=300, blank=True)
    disposal_record = models.UUIDField(null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    # Written in the case (registry/services/versions.py): the version made final
    # (fastställd), who did it and when, and the check-out lock while someone edits it.
    final_version = models.ForeignKey(
        "registry.DocumentVersion", null=True, blank=True, on_delete=models.PROTECT,
        related_name="+", verbose_name=_("final version"),
    )
    finalised_at = models.DateTimeField(_("finalised"), null=True, blank=True)
    finalised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    checked_out_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
        related_name="+", verbose_name=_("checked out by"),
    )
    checked_out_at = models.DateTimeField(_("checked out since"), null=True, blank=True)
    # As for the case: the system the registration was brought in from, else empty.
    migrated_from = models.CharField(_("brought in from"), max_length=100, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["case", "number"], name="uniq_document_number")
        ]
        indexes = [
            models.Index(fields=["document_date"]),
            models.Index(fields=["registered_at"]),
            # The disposal report: due documents per record type, by date.
            models.Index(
                fields=["record_type", "disposal_date"], name="document_disposal_due",
                condition=models.Q(disposal_outcome="date"),
            ),
        ]
        ordering = ["case", "number"]
        verbose_name = _("document")

    def __str__(self) -> str:
        return self.document_number

    @property
    def document_number(self) -> str:
        return f"{self.case.diary_number}:{self.number}"

    @property
    def is_draft(self) -> bool:
        return self.status == DocumentStatus.DRAFT


class DocumentFile(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="files")
    content = models.ForeignKey(StoredFile, on_delete=models.PROTECT, related_name="+")
    original_name = models.CharField(max_length=255)
    mime_type = models.CharField(max_length=127)
    size = models.BigIntegerField()
    added_at = models.DateTimeField(auto_now_add=True)
    # The version this file is (for a document written in the case: its final version).
    version = models.OneToOneField(
        "registry.DocumentVersion", null=True, blank=True, on_delete=models.PROTECT,
        related_name="file",
    )

    class Meta:
        ordering = ["added_at"]

    def __str__(self) -> str:
        return self.original_name


class MigratedRecord(models.Model):
    """A record brought in from a former diarium, by its id there (docs/migrate-diary.md).

    One row per case (with its documents and parties) and per contact of the source's own
    contact register, with the SHA-256 of what was read: bringing the same export in again
    skips what is here with the same hash, and refuses what changed since."""

    source = models.CharField(max_length=100)  # the system's name, e.g. "Public 360"
    kind = models.CharField(max_length=16)  # "case" or "party"
    source_id = models.CharField(max_length=200)
    sha256 = models.CharField(max_length=64)
    object_id = models.UUIDField()  # the Case or Party made from it
    run = models.UUIDField()  # the import run that brought it in
    imported_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["source", "kind", "source_id"],
                                    name="uniq_migrated_source_id"),
        ]

    def __str__(self) -> str:
        return f"{self.source} {self.kind} {self.source_id}"


class InboxStatus(models.TextChoices):
    """The three outcomes the law gives the registrator for received mail (OSL 5 kap.),
    and `new` until one is chosen."""

    NEW = "new", _("New")
    PLACED = "placed", _("Placed in a case")
    KEPT = "kept", _("Kept in order")
    DISMISSED = "dismissed", _("Not an official document")


class InboxSource(models.TextChoices):
    SERVICE = "service", _("E-service or gateway")
    MAILBOX = "mailbox", _("Functional mailbox")
    UPLOAD = "upload", _("Uploaded message")


class InboxItem(models.Model):
    """Mail received but not yet placed in a case (the authority's inbox)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    authority = models.ForeignKey(Authority, on_delete=models.PROTECT, related_name="inbox")
    received_at = models.DateTimeField(_("received"))
    sender = models.CharField(_("sender"), max_length=300, blank=True)
    subject = models.CharField(_("subject"), max_length=500)
    body = models.TextField(blank=True)
    files = models.ManyToManyField(StoredFile, through="InboxFile", blank=True)
    status = models.CharField(max_length=16, choices=InboxStatus.choices, default=InboxStatus.NEW)
    document = models.OneToOneField(
        Document, null=True, blank=True, on_delete=models.PROTECT, related_name="inbox_item"
    )
    source = models.CharField(max_length=16, choices=InboxSource.choices,
                              default=InboxSource.SERVICE)
    # An e-mail's Message-ID and the SHA-256 of its content without its transport headers
    # (registry/intake/mime.py): the same message is never imported twice.
    message_id = models.CharField(_("Message-ID"), max_length=500, blank=True)
    content_sha256 = models.CharField(max_length=64, blank=True)
    # What was not taken in, and why (a message over the size limit, nested too deeply):
    # the registrator sees it; the message itself stays in the mailbox until an outcome.
    refusal = models.TextField(_("not taken in"), blank=True)
    # The outcome: who chose it and when; where a kept document is kept in order
    # (a register or IT system); why mail is not an official document.
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    kept_in = models.CharField(_("kept in order in"), max_length=200, blank=True)
    dismissal_reason = models.TextField(_("reason"), blank=True)

    class Meta:
        ordering = ["received_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["authority", "message_id", "content_sha256"],
                condition=~models.Q(content_sha256=""), name="uniq_inbox_message",
            ),
        ]
        indexes = [models.Index(fields=["authority", "status"])]

    def __str__(self) -> str:
        return self.subject


class InboxFileKind(models.TextChoices):
    MESSAGE = "message", _("The message")
    ATTACHMENT = "attachment", _("Attachment")


class InboxFile(models.Model):
    """A file of inbox mail: the message itself as received (.eml or .msg) or one of its
    attachments. All of them become the document's files when the mail is registered."""

    item = models.ForeignKey(InboxItem, on_delete=models.CASCADE)
    kind = models.CharField(max_length=16, choices=InboxFileKind.choices,
                            default=InboxFileKind.ATTACHMENT)
    content = models.ForeignKey(StoredFile, on_delete=models.PROTECT, related_name="+")
    original_name = models.CharField(max_length=255)
    mime_type = models.CharField(max_length=127)
    size = models.BigIntegerField()

    def __str__(self) -> str:
        return self.original_name


class NotificationKind(models.TextChoices):
    ASSIGNED = "assigned", _("A case was assigned to you")


class CaseNotification(models.Model):
    """An in-app notice to a user about a case (e.g. it was assigned to them). It names
    the case by its number only: the case page decides what the user may read."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="case_notifications")
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=16, choices=NotificationKind.choices)
    actor_name = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField()
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["user", "read_at"])]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.kind} {self.case_id}"


from diarium.registry.dispatch.models import (  # noqa: E402, F401  (registered here)
    Dispatch,
    DispatchRecipient,
    DispatchSettings,
    DistributionList,
    DistributionListMember,
    DistributionListVersion,
)
from diarium.registry.intake.models import (  # noqa: E402, F401  (registered here)
    FolderImportCase,
    FolderImportFile,
    Mailbox,
    MailboxMessage,
)
from diarium.registry.reminder_model import (  # noqa: E402, F401  (registered here)
    ReminderMode,
    ReminderSetting,
    SentReminder,
)
from diarium.registry.staging_model import StagedUpload  # noqa: E402, F401  (registered here)
