"""Executing an approved disposal list: every pending (or earlier failed) item in turn,
with progress (the job of kind "archive.dispose" that runs it, archive/tasks.py), under a
lease on the run so that two workers never execute the same list at once. A run
interrupted by a crash is executed again from where it stopped; when no item is left
pending or failed the certificate is made and the run is completed."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.db import DatabaseError
from django.utils import timezone
from django.utils.translation import gettext as _

from diarium.archive.ingest.claiming import LEASE
from diarium.archive.models import DisposalItem, DisposalRun, ItemState, RunState
from diarium.audit import services as audit
from diarium.core import actors
from diarium.core.actors import Actor
from diarium.core.jobs.lease import owner_alive, owner_id
from diarium.core.jobs.progress import Progress
from diarium.core.transactions import atomic_with_retry

from . import access, certificate, items

log = logging.getLogger(__name__)
Callback = Callable[[int, int], None]  # items done, items in all
SAVE_EVERY = 1.0
OPEN_STATES = (ItemState.PENDING, ItemState.FAILED)


class DisposalBusy(Exception):
    """Another worker is executing this list right now."""


def execute(actor: Actor, run: DisposalRun,
            progress: Callback | Progress | None = None) -> DisposalRun:
    """Execute (or finish executing) an approved list: by an archivist or administrator
    of the authority, or by the principal system:disposal.
    `progress`: a callback (items done, items in all) or the running job's Progress."""
    run = _claim(actor, run)
    ids = list(run.items.filter(state__in=OPEN_STATES).order_by("position")
               .values_list("pk", flat=True))
    tracker = progress if isinstance(progress, Progress) else None
    if tracker is not None:
        tracker.set(0, len(ids), "dispose")
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
                _renew(run)
            if tracker is not None:
                tracker.set(done)
            elif progress is not None:
                progress(done, len(ids))
        if run.items.filter(state__in=OPEN_STATES).exists():
            error = _("%(n)d item(s) could not be disposed of; execute the list again.") % {
                "n": failed}
            _stop(run, error)
        else:
            certificate.complete(actor, DisposalRun.objects.get(pk=run.pk))
            _stop(run, "")
    except BaseException as exc:
        _stop(run, f"{type(exc).__name__}: {exc}")
        raise
    return DisposalRun.objects.select_related("authority").get(pk=run.pk)


def check_executable(actor: Actor, run: DisposalRun) -> None:
    """Raise PermissionDenied or ValidationError when actor may not execute run now (so
    that a request is refused before the execution is queued)."""
    actors.require(actor, "disposal.execute", lambda user: access.handles(user, run.authority_id),
                   _("Only the authority's archivists and administrators may execute "
                     "disposal lists."))
    if run.state not in (RunState.APPROVED, RunState.EXECUTING):
        raise ValidationError({"state": _("Only an approved list can be executed.")})


@atomic_with_retry
def _claim(actor: Actor, run: DisposalRun) -> DisposalRun:
    run = DisposalRun.objects.select_for_update(of=("self",)).select_related(
        "authority", "created_by", "decided_by").get(pk=run.pk)
    check_executable(actor, run)
    now = timezone.now()
    busy = (run.lease_owner and run.lease_until and run.lease_until > now
            and owner_alive(run.lease_owner) and run.lease_owner != owner_id())
    if busy:
        raise DisposalBusy(_("The list is being executed by %(owner)s.") % {
            "owner": run.lease_owner})
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


def _stop(run: DisposalRun, error: str) -> None:
    DisposalRun.objects.filter(pk=run.pk, lease_owner=owner_id()).update(
        lease_owner="", lease_until=None, error=error[:10000])
