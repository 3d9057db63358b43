"""Every write of a job from the outside: start one on the queue, run one here in the
foreground (the command line), point it at what it works on, retry a failed one.

Who starts a job is a user or a system principal (diarium.core.actors), or, for the
schedule, a principal's name (`system:fixity`): the name is stored beside the nullable user,
and the job's code acts as that principal. Nobody starts a job without one."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _

from diarium.core import actors
from diarium.core.transactions import atomic_with_retry

from . import conf, kinds, runner
from .access import is_administrator
from .lease import owner_id
from .models import ACTIVE_STATES, Job, JobState
from .progress import Callback

SYSTEM_PREFIX = "system:"


def subject_of(obj: Model | None) -> tuple[str, str]:
    if obj is None:
        return "", ""
    return obj._meta.label_lower, str(obj.pk)


def _starter(actor, principal: str) -> dict[str, Any]:
    """The job's starter: the actor (a user or a principal), else the principal named."""
    if actor is None and principal:
        if not principal.startswith(SYSTEM_PREFIX):
            raise ValueError("a job is started by a user or a system principal ('system:…')")
        return {"started_by": None, "principal": principal[:100]}
    actors.check(actor)
    user = actors.user_of(actor)
    return {"started_by": user, "principal": "" if user is not None else actor.name}


def _new(kind: str, *, actor, principal: str, subject: Model | None, params: dict,
         exclusive: bool, slot: str, state: str) -> Job:
    kinds.get(kind)  # refuse an unknown kind before anything is stored
    subject_type, subject_id = subject_of(subject)
    key = f"{kind}:{subject_type}:{subject_id}" if exclusive else ""
    return Job.objects.create(
        kind=kind, subject_type=subject_type, subject_id=subject_id, params=params,
        state=state, max_attempts=conf.max_attempts(), exclusive_key=key, slot=slot,
        **_starter(actor, principal))


@atomic_with_retry
def start(kind: str, *, actor=None, principal: str = "", subject: Model | None = None,
          params: dict | None = None, exclusive: bool = False, slot: str = "") -> Job:
    """Queue a job for the workers. With exclusive, a job of the same kind on the same
    subject that is still queued or running is returned instead of a second one. Raises
    IntegrityError for a schedule slot that was already started."""
    try:
        with transaction.atomic():
            job = _new(kind, actor=actor, principal=principal, subject=subject,
                       params=params or {}, exclusive=exclusive, slot=slot,
                       state=JobState.QUEUED)
    except IntegrityError:
        if not exclusive:
            raise
        subject_type, subject_id = subject_of(subject)
        return Job.objects.get(exclusive_key=f"{kind}:{subject_type}:{subject_id}",
                               state__in=ACTIVE_STATES)
    runner.enqueue(job)
    return job


def run_here(kind: str, *, actor=None, principal: str = "", subject: Model | None = None,
             params: dict | None = None, callback: Callback | None = None) -> Job:
    """Run a job in this process now (the command line's foreground mode), as a job with
    a lease like any other: if this process dies, a worker takes it over when the lease
    runs out. A failure is not retried here; the exception is raised after it is stored."""
    owner = owner_id()
    job = _new(kind, actor=actor, principal=principal, subject=subject, params=params or {},
               exclusive=False, slot="", state=JobState.RUNNING)
    now = timezone.now()
    Job.objects.filter(pk=job.pk).update(lease_owner=owner, lease_until=now + conf.lease(),
                                         attempts=1, started_at=now)
    job.refresh_from_db()
    return runner.execute(job, owner, callback=callback, retry=False, reraise=True)


def attach(job: Job | None, subject: Model) -> None:
    """Name what a running job works on, once it knows (an ingest after reading the SIP)."""
    if job is None:
        return
    job.subject_type, job.subject_id = subject_of(subject)
    Job.objects.filter(pk=job.pk).update(subject_type=job.subject_type,
                                         subject_id=job.subject_id)


@atomic_with_retry
def retry(actor, job: Job) -> Job:
    """Start a failed (or cancelled) job again from its first attempt. Administrators."""
    actors.require(actor, "jobs.retry", is_administrator,
                   _("Only administrators may retry jobs."))
    job = Job.objects.select_for_update().get(pk=job.pk)
    if job.state not in (JobState.FAILED, JobState.CANCELLED):
        raise ValidationError({"state": _("Only a failed or cancelled job can be retried.")})
    # Core sits below the audit app, so the retry is recorded on the job itself: who, when,
    # and the outcome it replaces.
    stamp = timezone.localtime().strftime("%Y-%m-%d %H:%M:%S")
    job.log = (job.log + f"{stamp} retried by {actor.get_username()} after {job.state} "
               f"({job.attempts} attempts): {job.error[:500]}\n")[-20000:]
    job.state, job.attempts, job.finished_at, job.result = JobState.QUEUED, 0, None, None
    job.done, job.message = 0, ""
    job.save(update_fields=["state", "attempts", "finished_at", "result", "done", "message",
                            "log", "updated_at"])
    runner.enqueue(job)
    return job
