"""The fixity audit: read every file of every archived AIP in the chosen locations back
from the medium (a disk with the page cache dropped, or an S3 server), compare with the
inventory, record a fixity check event per copy, and make a damaged or missing copy again
from a good one (verified after the repair, recorded as a repair).

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
from diarium.archive.event_text import Summary
from diarium.archive.ingest import records
from diarium.archive.ingest.completion import expected_files, repair_copies
from diarium.archive.ingest.progress import Callback, Progress
from diarium.archive.models import (
    CopyState,
    EventType,
    Outcome,
    Package,
    PackageState,
    StorageCopy,
    StorageLocation,
)
from diarium.archive.storage import AipStore, store_for, sync_locations
from diarium.archive.storage.verify import Expected, Verdict, verify_copy
from diarium.core import actors
from diarium.core.actors import Actor
from diarium.core.storage import Throttle


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


def _chosen(rows: list[StorageLocation], location: str | None) -> list[StorageLocation]:
    if location is None:
        return rows
    chosen = [row for row in rows if row.name == location]
    if not chosen:
        raise ValidationError({"location": f"no configured storage location {location!r}"})
    return chosen


def _verify_at(store: AipStore, package_id, expected: dict[str, Expected], advance,
               throttle: Throttle) -> Verdict:
    return verify_copy(store.copy(package_id), expected, advance, throttle)


def _packages(package_id) -> Iterator[Package]:
    packages = Package.objects.filter(state=PackageState.ARCHIVED)
    if package_id:
        packages = packages.filter(pk=package_id)
    for pk in list(packages.order_by("created_at").values_list("pk", flat=True)):
        yield Package.objects.select_related("creator").get(pk=pk)


def audit(actor: Actor, *, location: str | None = None, package=None,
          max_bytes_per_second: float | None = None, workers: int = 1, repair: bool = True,
          progress: Callback | Progress | None = None) -> AuditResult:
    """`progress`: a callback, or the Progress of the job running the audit."""
    actors.require(actor, "archive.fixity",
                   lambda user: user.is_superuser or selectors.is_archivist(user),
                   _("Only archivists may audit and repair the archive copies."))
    rows = sync_locations()
    locations = _chosen(rows, location)
    stores = {row.pk: store_for(row) for row in rows}
    archived = Package.objects.filter(state=PackageState.ARCHIVED)
    if package:
        archived = archived.filter(pk=package)
    total = (archived.aggregate(total=Sum("size"))["total"] or 0) * len(locations)
    tracker = progress if isinstance(progress, Progress) else Progress(None, progress)
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
                future = pool.submit(_verify_at, stores[row.pk], pkg.id, expected,
                                     tracker.advance, throttle)
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
        records.record_event(pkg, EventType.FIXITY_CHECK, Outcome.SUCCESS, "", actor=actor,
                             location=row, summary=Summary("fixity.ok", {"location": row.name}))
        return
    state = CopyState.MISSING if verdict.gone else CopyState.DAMAGED
    records.copy_failed(actor, pkg, row, state, f"{row.name}: {verdict.summary()}",
                        event_type=EventType.FIXITY_CHECK,
                        summary=Summary("copy.problems", verdict.figures(row.name)))


def _repair(actor, pkg: Package, row: StorageLocation, expected: dict[str, Expected],
            stores: dict, result: AuditResult, throttle: Throttle) -> None:
    target = stores[row.pk]
    sources: list[AipStore] = [
        store for pk, store in stores.items() if pk != row.pk and store.has_package(pkg.id)]
    problems = repair_copies(actor, pkg, expected, [(row, target)], sources,
                             throttle=throttle, event_type=EventType.REPAIR)
    name = f"{pkg.objid or pkg.pk} @ {row.name}"
    if problems:
        result.unrepaired.append(f"{name}: {'; '.join(problems)}")
    else:
        result.repaired.append(name)
