"""Reads of jobs, through who may see them (access.py)."""

from __future__ import annotations

from django.db.models import Model, QuerySet

from .access import visible_filter
from .models import Job


def jobs(user, *, state: str = "", kind: str = "") -> QuerySet[Job]:
    found = Job.objects.select_related("started_by")
    shown = visible_filter(user)
    if shown is not None:
        found = found.filter(shown)
    if state:
        found = found.filter(state=state)
    if kind:
        found = found.filter(kind=kind)
    return found


def job(user, job_id) -> Job:
    """Raises Job.DoesNotExist for a job the user may not see (or a malformed id)."""
    return jobs(user).get(pk=job_id)


def latest_for(subject: Model, kind: str = "") -> Job | None:
    """The newest job on an object (its page shows it); no permission check: the caller
    already showed the object."""
    found = Job.objects.filter(subject_type=subject._meta.label_lower,
                               subject_id=str(subject.pk))
    if kind:
        found = found.filter(kind=kind)
    return found.order_by("-created_at").first()
