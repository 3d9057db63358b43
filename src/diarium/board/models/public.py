"""What the public sees of the board process: notices on the notice board (anslagstavla)
and published meetings. By construction these tables hold only public data: they are
written by board/publication.py from public titles only, never linked to cases or
documents, and the public pages read nothing else."""

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _


class NoticeKind(models.TextChoices):
    MINUTES = "minutes", _("Justerade minutes")
    DELEGATION = "delegation", _("Delegated decision")


class Notice(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(max_length=16, choices=NoticeKind.choices)
    authority_name = models.CharField(max_length=200)
    body_name = models.CharField(max_length=200)
    # A minutes notice: the meeting's date and the paragraphs; a delegated decision: its
    # public description.
    meeting_date = models.DateField(null=True, blank=True)
    description = models.CharField(max_length=500, blank=True)
    justered_on = models.DateField(null=True, blank=True)
    minutes_kept_at = models.CharField(max_length=300, blank=True)
    posted_on = models.DateField()
    appeal_last_day = models.DateField()
    taken_down_on = models.DateField()  # the first day the notice is no longer up
    # When the daily job recorded the take-down (the dates alone decide what is shown).
    taken_down_at = models.DateTimeField(null=True, blank=True)
    # Which meeting or delegated decision it announces (an id only, no join to them).
    source_id = models.UUIDField()

    class Meta:
        ordering = ["-posted_on"]
        constraints = [models.UniqueConstraint(fields=["kind", "source_id"],
                                               name="uniq_notice_source")]

    def __str__(self) -> str:
        return str(self.pk)


class PublishedMeeting(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    meeting_id = models.UUIDField(unique=True)
    authority_name = models.CharField(max_length=200)
    body_name = models.CharField(max_length=200)
    date = models.DateField()
    time = models.TimeField()
    place = models.CharField(max_length=200)
    # The public kallelse (closed items withheld): a storage key of a PDF.
    notice_pdf = models.CharField(max_length=64, blank=True)
    # The public agenda and, once justerade, the public minutes (closed items withheld).
    agenda_pdf = models.CharField(max_length=64, blank=True)
    minutes_pdf = models.CharField(max_length=64, blank=True)
    published_at = models.DateTimeField()

    class Meta:
        ordering = ["-date"]

    def __str__(self) -> str:
        return str(self.pk)


class PublishedItem(models.Model):
    meeting = models.ForeignKey(PublishedMeeting, on_delete=models.CASCADE,
                                related_name="items")
    position = models.PositiveIntegerField()
    title = models.CharField(max_length=500)
    closed = models.BooleanField(default=False)

    class Meta:
        ordering = ["meeting", "position"]

    def __str__(self) -> str:
        return str(self.pk)
