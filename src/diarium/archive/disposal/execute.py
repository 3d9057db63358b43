"""Executing an approved disposal list: every pending (or earlier failed) item in turn, as
a persisted job with progress (an IngestJob of kind "dispose"), under a lease on the run
so that two workers never execute the same list at once. A run interrupted by a crash is
executed again from where it stopped; when no item is left pending or failed the
certificate is made and the run is completed."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.db import DatabaseError
from django.utils import timezone
from django.utils.translation import gettext as _

from diarium.archive.ingest.claiming import LEASE, owner_alive, owner_id
from diarium.archive.models import (
    DisposalItem,
    DisposalRun,
    IngestJob,
    ItemState,
    JobStatus,
    RunState,
)
from diarium.audit import services as audit
from diarium.core import actors
from diarium.core.actors import Actor
from diarium.core.transactions import atomic_with_retry

from . import access, certificate, items

log = logging.getLogger(__name__)
Callback = Callable[[int, int], None]  # items done, items in all
SAVE_EVERY = 1.0
OPEN_STATES = (ItemState.PENDING, ItemState.FAILED)


class DisposalBusy(Exception):
    """Another worker is executing this list right now."""


def execute(actor: Actor, run: DisposalRun,
            progress: Callback | None = None) -> DisposalRun:
    """Execute (or finish executing) an approved list: by an archivist or administrator
    of the authority, or by the principal system:disposal."""
    run = _claim(actor, run)
    ids = list(run.items.filter(state__in=OPEN_STATES).order_by("position")
               .values_list("pk", flat=True))
    job = IngestJob.objects.create(
        kind=access.JOB_KIND, source=access.job_source(run), phase="dispose",
        total=len(ids), started_by=actors.user_of(actor))
    failed = 0
    saved = time.monotonic()
    try:
        for done, item_id in enumerate(ids, start=1):
            item = DisposalItem.objects.select_related("package").get(pk=item_id)
            try:
                items.process(actor, run, item)
            except (OSError, DatabaseError, ValueError) as exc:
                log.exception("disposal of %s in list %s failed", item.identifier, run.label)
                failed += 1
                items.mark(item, ItemState.FAILED, f"{type(exc).__name__}: {exc}")
            if time.monotonic() - saved >= SAVE_EVERY or done == len(ids):
                saved = time.monotonic()
                IngestJob.objects.filter(pk=job.pk).update(done=done)
                _renew(run)
            if progress is not None:
                progress(done, len(ids))
        if run.items.filter(state__in=OPEN_STATES).exists():
            error = _("%(n)d item(s) could not be disposed of; execute the list again.") % {
                "n": failed}
            _stop(run, job, JobStatus.FAILED, error)
        else:
            certificate.complete(actor, DisposalRun.objects.get(pk=run.pk))
            _stop(run, job, JobStatus.SUCCEEDED, "")
    except BaseException as exc:
        _stop(run, job, JobStatus.FAILED, f"{type(exc).__name__}: {exc}")
        raise
    return DisposalRun.objects.select_related("authority").get(pk=run.pk)


@atomic_with_retry
def _claim(actor: Actor, run: DisposalRun) -> DisposalRun:
    run = DisposalRun.objects.select_for_update(of=("self",)).select_related(
        "authority", "created_by", "decided_by").get(pk=run.pk)
    actors.require(actor, "disposal.execute", lambda user: access.handles(user, run.authority_id),
                   _("Only the authority's archivists and administrators may execute "
                     "disposal lists."))
    if run.state not in (RunState.APPROVED, RunState.EXECUTING):
        raise ValidationError({"state": _("Only an approved list can be executed.")})
    now = timezone.now()
    busy = (run.lease_owner and run.lease_until and run.lease_until > now
            and owner_alive(run.lease_owner) and run.lease_owner != owner_id())
    if busy:
        raise DisposalBusy(_("The list is being executed by %(owner)s.") % {
            "owner": run.lease_owner})
    IngestJob.objects.filter(kind=access.JOB_KIND, source=access.job_source(run),
                             status=JobStatus.RUNNING).update(
        status=JobStatus.INTERRUPTED, finished_at=now,
        error="The worker stopped before it finished.")
    first = run.state == RunState.APPROVED
    run.state, run.lease_owner, run.lease_until = RunState.EXECUTING, owner_id(), now + LEASE
    if first:
        run.executed_by, run.execution_started_at = actors.user_of(actor), now
    run.save(update_fields=["state", "lease_owner", "lease_until", "executed_by",
                            "execution_started_at"])
    audit.record(actor=actor, action="archive.disposal_started" if first
                 else "archive.disposal_resumed", obj=run,
                 chain=f"authority:{run.authority_id}",
                 after={"list": run.label, "decision": run.decision_reference,
                        "open_items": run.items.filter(state__in=OPEN_STATES).count()})
    return run


def _renew(run: DisposalRun) -> None:
    DisposalRun.objects.filter(pk=run.pk, lease_owner=owner_id()).update(
        lease_until=timezone.now() + LEASE)


def _stop(run: DisposalRun, job: IngestJob, status: str, error: str) -> None:
    DisposalRun.objects.filter(pk=run.pk, lease_owner=owner_id()).update(
        lease_owner="", lease_until=None, error=error[:10000])
    IngestJob.objects.filter(pk=job.pk, status=JobStatus.RUNNING).update(
        status=status, error=error[:10000], finished_at=timezone.now())
