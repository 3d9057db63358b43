"""The fixity audit: read every file of every archived AIP in the chosen locations back from
disk, compare with the inventory, record a fixity check event per copy, and make a damaged
or missing copy again from a good one (verified after the repair, recorded as a repair).

Throttle with max_bytes_per_second (shared by all workers) so an audit can run beside the
day's work; workers > 1 verifies several copies at once (hashing releases the GIL)."""

from __future__ import annotations

import concurrent.futures
import time
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from diarium.archive import selectors
from diarium.archive.ingest import records
from diarium.archive.ingest.completion import expected_files, repair_copies
from diarium.archive.ingest.progress import Callback, Progress
from diarium.archive.models import (
    CopyState,
    EventType,
    IngestJob,
    JobStatus,
    Outcome,
    Package,
    PackageState,
    StorageCopy,
    StorageLocation,
)
from diarium.archive.storage import FilesystemStore, active_locations, store_for
from diarium.archive.storage.throttle import Throttle
from diarium.archive.storage.verify import Expected, Verdict, verify_tree
from diarium.core import actors
from diarium.core.actors import Actor


@dataclass
class AuditResult:
    copies: int = 0
    good: int = 0
    bytes_read: int = 0
    seconds: float = 0.0
    damaged: list[str] = field(default_factory=list)
    repaired: list[str] = field(default_factory=list)
    unrepaired: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.unrepaired

    @property
    def mb_per_second(self) -> float:
        return self.bytes_read / 1e6 / self.seconds if self.seconds else 0.0


def _chosen(location: str | None) -> list[StorageLocation]:
    rows = active_locations()
    if location is None:
        return rows
    chosen = [row for row in rows if row.name == location]
    if not chosen:
        raise ValidationError({"location": f"no configured storage location {location!r}"})
    return chosen


def _packages(package_id) -> Iterator[Package]:
    packages = Package.objects.filter(state=PackageState.ARCHIVED)
    if package_id:
        packages = packages.filter(pk=package_id)
    for pk in list(packages.order_by("created_at").values_list("pk", flat=True)):
        yield Package.objects.select_related("creator").get(pk=pk)


def audit(actor: Actor, *, location: str | None = None, package=None,
          max_bytes_per_second: float | None = None, workers: int = 1, repair: bool = True,
          progress: Callback | None = None) -> AuditResult:
    actors.require(actor, "archive.fixity",
                   lambda user: user.is_superuser or selectors.is_archivist(user),
                   _("Only archivists may audit and repair the archive copies."))
    locations = _chosen(location)
    stores = {row.pk: store_for(row) for row in active_locations()}
    archived = Package.objects.filter(state=PackageState.ARCHIVED)
    if package:
        archived = archived.filter(pk=package)
    total = (archived.aggregate(total=Sum("size"))["total"] or 0) * len(locations)
    job = IngestJob.objects.create(kind="verify", phase="verify", total=total,
                                   started_by=actors.user_of(actor))
    tracker = Progress(job, progress)
    tracker.phase("verify", total)
    throttle = Throttle(max_bytes_per_second)
    result = AuditResult()
    started = time.monotonic()
    bad: list[tuple[Package, StorageLocation, dict[str, Expected]]] = []
    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        pending: dict[concurrent.futures.Future, tuple] = {}
        for pkg in _packages(package):
            expected = expected_files(pkg)
            for row in locations:
                root = stores[row.pk].final_path(pkg.id)
                future = pool.submit(verify_tree, root, expected, tracker.advance, throttle)
                pending[future] = (pkg, row, expected)
            while len(pending) >= 2 * max(1, workers):
                _collect(pending, result, bad, actor, tracker)
        while pending:
            _collect(pending, result, bad, actor, tracker)
    if repair:
        for pkg, row, expected in bad:
            _repair(actor, pkg, row, expected, stores, result, throttle)
    else:
        result.unrepaired += [f"{p.objid or p.pk} @ {r.name}" for p, r, _e in bad]
    result.seconds = time.monotonic() - started
    tracker.finish()
    IngestJob.objects.filter(pk=job.pk).update(
        status=JobStatus.SUCCEEDED if result.ok else JobStatus.FAILED,
        finished_at=timezone.now(), error="; ".join(result.unrepaired)[:10000])
    return result


def _collect(pending: dict, result: AuditResult, bad: list, actor, tracker: Progress) -> None:
    done, _rest = concurrent.futures.wait(
        pending, timeout=0.5, return_when=concurrent.futures.FIRST_COMPLETED)
    tracker.flush()
    for future in done:
        pkg, row, expected = pending.pop(future)
        verdict: Verdict = future.result()
        result.copies += 1
        result.bytes_read += verdict.bytes_read
        _record(actor, pkg, row, verdict)
        if verdict.ok:
            result.good += 1
        else:
            result.damaged.append(f"{pkg.objid or pkg.pk} @ {row.name}: {verdict.summary()}")
            bad.append((pkg, row, expected))


def _record(actor, pkg: Package, row: StorageLocation, verdict: Verdict) -> None:
    if verdict.ok:
        StorageCopy.objects.filter(package=pkg, location=row).update(
            state=CopyState.VERIFIED, verified_at=timezone.now(), detail="")
        records.record_event(pkg, EventType.FIXITY_CHECK, Outcome.SUCCESS,
                             f"{row.name}: all files match the inventory (SHA-256)",
                             actor=actor, location=row)
        return
    state = CopyState.MISSING if verdict.gone else CopyState.DAMAGED
    records.copy_failed(actor, pkg, row, state, f"{row.name}: {verdict.summary()}",
                        event_type=EventType.FIXITY_CHECK)


def _repair(actor, pkg: Package, row: StorageLocation, expected: dict[str, Expected],
            stores: dict, result: AuditResult, throttle: Throttle) -> None:
    target = stores[row.pk]
    sources: list[FilesystemStore] = [
        store for pk, store in stores.items() if pk != row.pk and store.has_package(pkg.id)]
    problems = repair_copies(actor, pkg, expected, [(row, target)], sources,
                             throttle=throttle, event_type=EventType.REPAIR)
    name = f"{pkg.objid or pkg.pk} @ {row.name}"
    if problems:
        result.unrepaired.append(f"{name}: {'; '.join(problems)}")
    else:
        result.repaired.append(name)
