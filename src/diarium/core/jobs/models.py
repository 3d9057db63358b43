"""The job: one piece of long work made visible and safe to retry.

A job names what it works on by type and id (never a foreign key into an app), its kind,
its state and progress, who started it (a user, or a named system principal such as
`system:fixity`), the lease of the worker running it and the attempts made, and its result
or error. The rule it keeps: a job has at most one live lease, and only the lease holder
may write its outcome (see runner.py)."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class JobState(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    SUCCEEDED = "succeeded", _("Succeeded")
    FAILED = "failed", _("Failed")
    CANCELLED = "cancelled", _("Cancelled")


ACTIVE_STATES = (JobState.QUEUED, JobState.RUNNING)
FINAL_STATES = (JobState.SUCCEEDED, JobState.FAILED, JobState.CANCELLED)


class Job(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(_("kind"), max_length=64)
    # What the job works on, e.g. ("archive.package", "<uuid>"); empty when it works on
    # many things (a fixity audit of everything) or does not know yet (an ingest before
    # the package is read).
    subject_type = models.CharField(max_length=64, blank=True)
    subject_id = models.CharField(max_length=64, blank=True)
    params = models.JSONField(default=dict, blank=True)
    state = models.CharField(_("state"), max_length=16, choices=JobState.choices,
                             default=JobState.QUEUED)
    done = models.BigIntegerField(default=0)
    total = models.BigIntegerField(default=0)
    message = models.CharField(_("progress"), max_length=200, blank=True)
    log = models.TextField(blank=True)
    result = models.JSONField(null=True, blank=True)
    error = models.TextField(_("error"), blank=True)
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    # A named system principal ("system:fixity") when no user started the job.
    principal = models.CharField(max_length=100, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    max_attempts = models.PositiveSmallIntegerField(default=3)
    lease_owner = models.CharField(max_length=200, blank=True)
    lease_until = models.DateTimeField(null=True, blank=True)
    # The django-tasks result row that carries the job through the queue right now.
    task_id = models.CharField(max_length=64, blank=True)
    # A periodic schedule's slot ("fixity-audit@2026-05-01T00:00:00+00:00"): unique, so
    # that two workers never start the same slot twice.
    slot = models.CharField(max_length=120, blank=True)
    # Work that must not run twice at once (executing one disposal list): while a job with
    # this key is queued or running, starting another returns the first.
    exclusive_key = models.CharField(max_length=120, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["state", "lease_until"], name="core_job_state_lease"),
            models.Index(fields=["subject_type", "subject_id", "created_at"],
                         name="core_job_subject"),
            models.Index(fields=["kind", "created_at"], name="core_job_kind"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["slot"], condition=~Q(slot=""),
                                    name="core_job_unique_slot"),
            models.UniqueConstraint(
                fields=["exclusive_key"],
                condition=~Q(exclusive_key="") & Q(state__in=["queued", "running"]),
                name="core_job_one_active_per_key"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.state}"

    @property
    def message_label(self) -> str:
        """The progress message in the reader's language (jobs/phases.py)."""
        from .phases import phase_label

        return phase_label(self.message)

    @property
    def percent(self) -> int | None:
        return min(100, int(100 * self.done / self.total)) if self.total else None

    @property
    def finished(self) -> bool:
        return self.state in FINAL_STATES

    @property
    def starter(self) -> str:
        """Who started the job, as shown: the user's name or the principal."""
        if self.started_by_id is not None:
            return self.started_by.get_username()
        return self.principal


class WorkerBeat(models.Model):
    """A `diarium worker` process that was alive at `seen_at`: each worker writes its row
    about every BEAT_SECONDS while it runs, so that /health/ready and the metrics can tell
    how many workers are about (on any machine), from the database alone. A stopped worker
    removes its row; one that was killed leaves it, and it simply grows old."""

    BEAT_SECONDS = 15

    worker = models.CharField(max_length=200, primary_key=True)  # host:pid:random
    host = models.CharField(max_length=200)
    pid = models.PositiveIntegerField()
    started_at = models.DateTimeField()
    seen_at = models.DateTimeField(db_index=True)
    jobs_run = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return self.worker
