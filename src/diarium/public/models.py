"""The public projection: the only tables the public portal reads.

Each row holds public fields only, copied from the registry when a registration changes
(projector.py, in the same transaction). No foreign key leads from here to the registry,
the party register or the file table: a row names its registry record by the same UUID
(so that a request for a document can name it), and a public file names its content by
hash. What a secret registration shows is its number, dates and the legal ground; its
title, parties and files are never copied. A draft is never copied at all.

So the public web process can run with a database role that reads these tables and
nothing else (docs/public.md)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class PublicAuthority(models.Model):
    """An authority (nämnd) as the public sees it: name and its diary series' codes."""

    id = models.UUIDField(primary_key=True)  # the authority's id
    code = models.CharField(max_length=32)  # the slug used in addresses (the series code)
    name = models.CharField(max_length=200)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class PublicCase(models.Model):
    id = models.UUIDField(primary_key=True)  # the registry case's id
    authority = models.ForeignKey(PublicAuthority, on_delete=models.PROTECT,
                                  related_name="cases")
    diary_number = models.CharField(max_length=64)
    year = models.PositiveIntegerField()
    number = models.PositiveIntegerField()
    # Empty when the case is secret or has no public title: never the internal title.
    public_title = models.CharField(max_length=500, blank=True)
    status = models.CharField(max_length=16)  # the registry's status code
    opened_on = models.DateField()
    closed_on = models.DateField(null=True, blank=True)
    is_secret = models.BooleanField(default=False)
    secrecy_ground = models.CharField(max_length=200, blank=True)
    # Parties that are organisations, when the case is not secret ("; "-joined).
    organisations = models.CharField(max_length=1000, blank=True)
    refreshed_at = models.DateTimeField()

    class Meta:
        ordering = ["-opened_on", "-year", "-number"]
        indexes = [
            models.Index(fields=["authority", "opened_on"]),
            models.Index(fields=["opened_on"]),
            models.Index(fields=["diary_number"]),
        ]

    def __str__(self) -> str:
        return self.diary_number


class PublicDocument(models.Model):
    id = models.UUIDField(primary_key=True)  # the registry document's id
    case = models.ForeignKey(PublicCase, on_delete=models.CASCADE, related_name="documents")
    authority = models.ForeignKey(PublicAuthority, on_delete=models.PROTECT,
                                  related_name="documents")
    number = models.PositiveIntegerField()
    document_number = models.CharField(max_length=80)
    direction = models.CharField(max_length=16, blank=True)  # empty when secret
    record_type = models.CharField(max_length=200, blank=True)
    public_title = models.CharField(max_length=500, blank=True)
    # Sender or recipient when it is an organisation of the party register; else empty.
    counterpart = models.CharField(max_length=300, blank=True)
    document_date = models.DateField()
    registered_at = models.DateTimeField()
    status = models.CharField(max_length=16)
    is_secret = models.BooleanField(default=False)
    secrecy_ground = models.CharField(max_length=200, blank=True)
    refreshed_at = models.DateTimeField()

    class Meta:
        ordering = ["case", "number"]
        indexes = [
            models.Index(fields=["authority", "registered_at"]),
            models.Index(fields=["registered_at"]),
            models.Index(fields=["document_number"]),
        ]

    def __str__(self) -> str:
        return self.document_number


class PublicFile(models.Model):
    """A file the public may download: only of a registered document that is neither
    secret nor in a secret case, of a record type marked publishable. content is the
    SHA-256 of what is served (the PDF/A rendition where there is one)."""

    id = models.UUIDField(primary_key=True)  # the registry file's id
    document = models.ForeignKey(PublicDocument, on_delete=models.CASCADE,
                                 related_name="files")
    position = models.PositiveIntegerField()
    content = models.CharField(max_length=64)
    mime_type = models.CharField(max_length=127)
    size = models.BigIntegerField()
    is_rendition = models.BooleanField(default=False)

    class Meta:
        ordering = ["document", "position"]

    def __str__(self) -> str:
        return f"{self.document_id}:{self.position}"

    @property
    def download_name(self) -> str:
        """A name made from the document number (the original name may hold personal
        names)."""
        stem = self.document.document_number.replace(" ", "_").replace("/", "-")
        stem = stem.replace(":", "_")
        extension = "pdf" if self.mime_type == "application/pdf" else "bin"
        return f"{stem}_{self.position}.{extension}"


class RegisterKind(models.TextChoices):
    KEPT_IN_ORDER = "kept_in_order", _("Register or place where documents are kept in order")
    IT_SYSTEM = "it_system", _("IT system")


class PublicRegister(models.Model):
    """A register or IT system where official documents are kept (the list of registers,
    from the plan's rules kept in order and its systems register)."""

    key = models.CharField(max_length=80, primary_key=True)
    kind = models.CharField(max_length=16, choices=RegisterKind.choices)
    name = models.CharField(max_length=300)
    authority_name = models.CharField(max_length=200, blank=True)
    description = models.TextField(blank=True)
    record_types = models.TextField(blank=True)  # "; "-joined names
    refreshed_at = models.DateTimeField()

    class Meta:
        ordering = ["kind", "name"]

    def __str__(self) -> str:
        return self.name
