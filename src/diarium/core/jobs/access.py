"""Who may see a job: the user who started it, those the job's kind lets see all its jobs
(the archivists, for the archive's), and administrators, who see every job and retry
failed ones."""

from __future__ import annotations

from django.db.models import Q

from . import kinds
from .models import Job

# The organisation app's administrator role, read through the user's role assignments
# (the `roles` relation) so that core, below every app, imports none of them.
ADMINISTRATOR_ROLE = "administrator"


def _signed_in(user) -> bool:
    return user is not None and bool(getattr(user, "is_authenticated", False))


def is_administrator(user) -> bool:
    if not _signed_in(user):
        return False
    cached = getattr(user, "_diarium_jobs_admin", None)
    if cached is None:
        cached = user.is_superuser or user.roles.filter(role=ADMINISTRATOR_ROLE).exists()
        user._diarium_jobs_admin = cached
    return cached


def visible_filter(user) -> Q | None:
    """The jobs the user may see as a filter; None: all of them."""
    if is_administrator(user):
        return None
    if not _signed_in(user):
        return Q(pk__in=[])
    shown = [name for name, kind in kinds.all_kinds().items()
             if kind.may_view is not None and kind.may_view(user)]
    return Q(started_by=user) | Q(kind__in=shown)


def may_view(user, job: Job) -> bool:
    found = visible_filter(user)
    return found is None or Job.objects.filter(found, pk=job.pk).exists()
