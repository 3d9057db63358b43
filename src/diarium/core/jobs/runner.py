"""Running a job exactly once: take it, run its handler under a lease, write its outcome.

The queue itself is django-tasks' database backend (a `DBTaskResult` row per delivery of
`run_job`). Its worker claims a row with SELECT … FOR UPDATE SKIP LOCKED, but it has no
lease: a row whose worker was killed stays "RUNNING" for ever, and nothing is retried.
So the lease, the attempts and the outcome live on the Job row:

- take: QUEUED -> RUNNING with this owner's lease and one more attempt, one conditional
  UPDATE (in the same transaction as the claim of the queue row, by the worker), so that
  of two deliveries of the same job only one runs it.
- while it runs the lease is renewed (a heartbeat thread in a worker; the progress saves
  otherwise); an outcome is written only while the lease is still this owner's.
- reap: a RUNNING job whose lease ran out (its worker died) goes back to QUEUED with a new
  queue row, or to FAILED after max_attempts; one transaction, SKIP LOCKED on PostgreSQL
  and BEGIN IMMEDIATE on SQLite, so two reapers never re-queue it twice.
- a handler that raises is retried after a growing delay, up to max_attempts; a permanent
  error (kinds.PERMANENT) fails the job at once."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import logging
from typing import Any

from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.db.models import F
from django.db.models.functions import Coalesce
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from diarium.core.transactions import atomic_with_retry

from . import conf, kinds
from .lease import Heartbeat, owner_id
from .models import Job, JobState
from .progress import Callback, LeaseLost, Progress

log = logging.getLogger(__name__)
ERROR_LIMIT = 10000
WORKER_LOST = "diarium.core.jobs.runner.WorkerLost"


def enqueue(job: Job, delay_seconds: float = 0.0) -> None:
    """Put a delivery of the job on the queue (in the caller's transaction)."""
    from diarium.core.tasks import run_job

    task = run_job
    if delay_seconds > 0:
        task = run_job.using(run_after=timezone.now() + dt.timedelta(seconds=delay_seconds))
    result = task.enqueue(str(job.pk))
    job.task_id = str(result.id)
    Job.objects.filter(pk=job.pk).update(task_id=job.task_id)


def take(job_id: Any, owner: str) -> bool:
    """Claim the job for owner: True when it is now (or already was) owner's to run."""
    now = timezone.now()
    taken = Job.objects.filter(pk=job_id, state=JobState.QUEUED).update(
        state=JobState.RUNNING, lease_owner=owner, lease_until=now + conf.lease(),
        attempts=F("attempts") + 1, started_at=Coalesce(F("started_at"), now),
        updated_at=now)
    if taken:
        return True
    return Job.objects.filter(pk=job_id, state=JobState.RUNNING, lease_owner=owner).exists()


def renew(job_id: Any, owner: str) -> bool:
    return bool(Job.objects.filter(pk=job_id, state=JobState.RUNNING, lease_owner=owner)
                .update(lease_until=timezone.now() + conf.lease()))


def run(job_id: Any, *, callback: Callback | None = None) -> Job | None:
    """Take the job and run it here; None when it is not ours to run (finished, cancelled,
    or running under another live lease)."""
    owner = owner_id()
    with transaction.atomic():
        if not take(job_id, owner):
            return None
    return execute(Job.objects.select_related("started_by").get(pk=job_id), owner,
                   callback=callback)


def execute(job: Job, owner: str, *, callback: Callback | None = None, retry: bool = True,
            reraise: bool = False) -> Job:
    """Run the handler of a job that owner holds, and write the outcome."""
    tracker = Progress(job, callback)
    lost = False

    def beat() -> None:
        nonlocal lost
        lost = lost or not renew(job.pk, owner)

    # In a worker a thread renews the lease. Inside a transaction (a test's) another
    # connection could not see the job row, so the progress saves renew it instead.
    threaded = not connection.in_atomic_block
    heartbeat = Heartbeat(lambda: renew(job.pk, owner), conf.lease().total_seconds() / 3)
    tracker.lost = heartbeat.lost.is_set if threaded else (lambda: lost)
    if not threaded:
        tracker.with_heartbeat(beat)
    try:
        kind = kinds.get(job.kind)
    except kinds.UnknownKind as exc:
        _fail(job, owner, f"unknown kind of job: {exc}")
        job.refresh_from_db()
        return job
    try:
        with heartbeat if threaded else contextlib.nullcontext():
            try:
                result = kind.handler(job, tracker)
            finally:
                tracker.finish()
    except LeaseLost:
        log.warning("job %s: the lease was lost; another worker has it", job.pk)
    except Exception as exc:
        _failed_attempt(job, owner, exc, retry=retry and not isinstance(exc, kind.permanent))
        if reraise and not isinstance(exc, kinds.JobFailed):
            raise
    except BaseException as exc:  # stopped (a second SIGTERM, Ctrl-C): hand it back
        _release(job, owner, f"stopped: {type(exc).__name__}")
        raise
    else:
        _succeed(job, owner, result)
    job.refresh_from_db()
    return job


def error_text(exc: BaseException) -> str:
    if isinstance(exc, ValidationError):
        return "; ".join(exc.messages)
    if isinstance(exc, kinds.JobError):
        return str(exc)
    return f"{type(exc).__name__}: {exc}"


def _jsonable(value: Any) -> Any:
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder)) if value is not None else None


def _finish(job: Job, owner: str, **fields) -> bool:
    done = Job.objects.filter(pk=job.pk, state=JobState.RUNNING, lease_owner=owner).update(
        lease_owner="", lease_until=None, finished_at=timezone.now(),
        updated_at=timezone.now(), **fields)
    if not done:
        log.warning("job %s: not finished by %s, whose lease was lost", job.pk, owner)
    return bool(done)


@atomic_with_retry
def _succeed(job: Job, owner: str, result: Any) -> None:
    _finish(job, owner, state=JobState.SUCCEEDED, result=_jsonable(result), error="")


@atomic_with_retry
def _fail(job: Job, owner: str, error: str, result: Any = None) -> None:
    _finish(job, owner, state=JobState.FAILED, error=error[:ERROR_LIMIT],
            result=_jsonable(result))


def _failed_attempt(job: Job, owner: str, exc: Exception, *, retry: bool) -> None:
    error = error_text(exc)
    log.warning("job %s (%s) attempt failed: %s", job.pk, job.kind, error,
                exc_info=not isinstance(exc, kinds.PERMANENT))
    _append_log(job, f"attempt failed: {error}")
    attempts = Job.objects.filter(pk=job.pk).values_list("attempts", flat=True).first() or 0
    if retry and attempts < job.max_attempts:
        _requeue(job, owner, error, conf.retry_delay(attempts).total_seconds())
    else:
        _fail(job, owner, error, getattr(exc, "result", None))


@atomic_with_retry
def _requeue(job: Job, owner: str, error: str, delay: float) -> None:
    back = Job.objects.filter(pk=job.pk, state=JobState.RUNNING, lease_owner=owner).update(
        state=JobState.QUEUED, lease_owner="", lease_until=None, error=error[:ERROR_LIMIT],
        updated_at=timezone.now())
    if back:
        enqueue(job, delay)


@atomic_with_retry
def _release(job: Job, owner: str, why: str) -> None:
    """Give an interrupted attempt back to the queue without counting it."""
    back = Job.objects.filter(pk=job.pk, state=JobState.RUNNING, lease_owner=owner).update(
        state=JobState.QUEUED, lease_owner="", lease_until=None,
        attempts=F("attempts") - 1, updated_at=timezone.now())
    if back:
        _append_log(job, why)
        enqueue(job)


def _append_log(job: Job, line: str) -> None:
    stamp = timezone.localtime().strftime("%H:%M:%S")
    current = Job.objects.filter(pk=job.pk).values_list("log", flat=True).first() or ""
    Job.objects.filter(pk=job.pk).update(log=(current + f"{stamp} {line}\n")[-20000:])


def expired() -> list:
    """Ids of running jobs whose lease ran out."""
    return list(Job.objects.filter(state=JobState.RUNNING, lease_until__lt=timezone.now())
                .values_list("pk", flat=True)[:100])


def reap() -> int:
    """Take back every job whose worker stopped renewing its lease. Returns how many."""
    return sum(1 for job_id in expired() if _reap_one(job_id))


@atomic_with_retry
def _reap_one(job_id: Any) -> bool:
    job = (Job.objects.select_for_update(skip_locked=True)
           .filter(pk=job_id, state=JobState.RUNNING, lease_until__lt=timezone.now()).first())
    if job is None:
        return False
    now = timezone.now()
    DBTaskResult.objects.filter(pk=job.task_id or None, status="RUNNING").update(
        status="FAILED", finished_at=now, exception_class_path=WORKER_LOST,
        traceback=f"the worker {job.lease_owner} stopped renewing the lease")
    line = f"{timezone.localtime(now):%H:%M:%S} the worker {job.lease_owner} stopped " \
           f"(attempt {job.attempts}); its lease ran out\n"
    job.log = (job.log + line)[-20000:]
    if job.attempts >= job.max_attempts:
        job.state, job.finished_at = JobState.FAILED, now
        job.error = (f"The worker stopped before it finished, {job.attempts} times. "
                     + job.error)[:ERROR_LIMIT]
    else:
        job.state = JobState.QUEUED
    job.lease_owner, job.lease_until = "", None
    job.save(update_fields=["state", "finished_at", "error", "log", "lease_owner",
                            "lease_until", "updated_at"])
    if job.state == JobState.QUEUED:
        enqueue(job)
    return True
