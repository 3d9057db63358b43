"""What the archive knows about the content of its packages, derived from each AIP once it
is archived (the AIP never changes, so neither do these rows): the archive's structure
(series per archive creator and process of the classification), the package's description
and its records as the ERMS metadata describes them, and which registry case a package
holds."""

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from .creators import ArchiveCreator
from .packages import Package


class ArchiveSeries(models.Model):
    """A series of an archive creator's archive: one per process of the classification
    (klassificeringsstruktur) that packages have arrived for, made when the first one
    arrives. Its title is the process name at that time."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    creator = models.ForeignKey(ArchiveCreator, on_delete=models.PROTECT,
                                related_name="series", verbose_name=_("archive creator"))
    code = models.CharField(_("classification code"), max_length=32)
    title = models.CharField(_("title"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["creator__name", "code"]
        verbose_name = _("archive series")
        verbose_name_plural = _("archive series")
        constraints = [models.UniqueConstraint(fields=["creator", "code"],
                                               name="uniq_series_per_creator")]

    def __str__(self) -> str:
        return f"{self.code} {self.title}".strip()


class PackageDescription(models.Model):
    """The package as the archive describes it: title, series, period, and whether its
    metadata carries a restriction (secrecy) for the package as a whole."""

    package = models.OneToOneField(Package, on_delete=models.PROTECT, primary_key=True,
                                   related_name="description")
    series = models.ForeignKey(ArchiveSeries, null=True, blank=True, on_delete=models.PROTECT,
                               related_name="packages", verbose_name=_("series"))
    title = models.CharField(_("title"), max_length=1000, blank=True)
    reference = models.CharField(_("reference"), max_length=255, blank=True,
                                 help_text=_("E.g. the diary number of the case."))
    restriction = models.CharField(_("restriction"), max_length=200, blank=True)
    start_date = models.DateField(_("from"), null=True, blank=True)
    end_date = models.DateField(_("to"), null=True, blank=True)
    record_count = models.PositiveIntegerField(default=0)
    text_files = models.PositiveIntegerField(default=0)
    problems = models.TextField(blank=True)
    described_at = models.DateTimeField(auto_now_add=True)
    indexed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("package description")

    def __str__(self) -> str:
        return self.title or str(self.package_id)

    @property
    def restricted(self) -> bool:
        return bool(self.restriction)


class RecordKind(models.TextChoices):
    AGGREGATION = "aggregation", _("Case file")
    RECORD = "record", _("Record")


class ArchiveRecord(models.Model):
    """An ERMS aggregation (a case) or record (a document) of a package, with its files.
    `restriction` is the record's own secrecy provision or, inside a restricted
    aggregation, the aggregation's."""

    package = models.ForeignKey(Package, on_delete=models.PROTECT, related_name="records")
    kind = models.CharField(max_length=16, choices=RecordKind.choices, default=RecordKind.RECORD)
    identifier = models.CharField(_("identifier"), max_length=500)
    title = models.CharField(_("title"), max_length=1000, blank=True)
    public_title = models.CharField(_("public title"), max_length=1000, blank=True)
    record_type = models.CharField(_("record type"), max_length=200, blank=True)
    restriction = models.CharField(_("restriction"), max_length=200, blank=True)
    date = models.DateField(_("date"), null=True, blank=True)
    paths = models.JSONField(default=list, help_text="AIP paths of the record's files.")
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["package", "position"]
        indexes = [models.Index(fields=["package", "identifier"])]
        verbose_name = _("archived record")

    def __str__(self) -> str:
        return self.identifier

    @property
    def restricted(self) -> bool:
        return bool(self.restriction)


class ArchivedCase(models.Model):
    """Where a registry case is archived: one row per version of its package (a case
    closed, reopened and closed again is archived again as version 2)."""

    case = models.ForeignKey("registry.Case", on_delete=models.PROTECT, related_name="+")
    package = models.ForeignKey(Package, on_delete=models.PROTECT,
                                related_name="archived_cases")
    version = models.PositiveIntegerField()
    objid = models.CharField(max_length=255)
    # The case's closed_at (voided_at) the package was made from: a case whose date
    # differs has been closed again since and needs a new version.
    case_ended_at = models.DateTimeField(null=True)
    exported_at = models.DateTimeField()
    archived_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["case", "-version"]
        constraints = [models.UniqueConstraint(fields=["case", "version"],
                                               name="uniq_archived_case_version")]

    def __str__(self) -> str:
        return f"{self.case_id} v{self.version} -> {self.package_id}"
