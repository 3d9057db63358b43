"""ingest_package: a delivered SIP becomes an archived AIP, or a rejected delivery with
its validation report as the receipt.

States: receiving -> validating -> rejected | storing -> archived, or failed (retryable).
Crash safety: the AIP is staged in every location, flushed, read back and verified, and
only then published (a rename on a local disk, a marker in object storage); the inventory
is committed before the first copy is published. A retry (same producer package id)
removes stale stagings and either starts again (no copy in place yet) or resumes from a
copy in place (verified first)."""

from __future__ import annotations

import concurrent.futures
import contextlib
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

from diarium.archive.aip.inventory import SipHead
from diarium.archive.aip.mets import InvalidMetadata
from diarium.archive.catalogue import after_ingest
from diarium.archive.event_text import Summary
from diarium.archive.models import EventType, Outcome, Package, PackageState
from diarium.archive.storage import AipStore, AlreadyStored, store_for, sync_locations
from diarium.archive.storage.replicate import CopyFailed
from diarium.archive.storage.verify import Expected, verify_copy
from diarium.archive.storage.writer import TreeWriter
from diarium.archive.validation import Report, validate_open_package
from diarium.archive.validation.fixity import PROGRESS
from diarium.archive.validation.package import Package as SourcePackage
from diarium.archive.validation.package import PackageUnreadable, open_package
from diarium.core import actors
from diarium.core.actors import Actor
from diarium.core.jobs.services import attach

from . import records
from .agreements import check_agreement, resolve_agreement, validation_event
from .claiming import claim, release, renew
from .completion import complete_copies, expected_files
from .progress import Callback, Progress
from .storing import (
    SourceChanged,
    agents_for,
    copy_submission,
    ingest_events,
    new_stagings,
    write_metadata,
)

EXPECTED_ERRORS = (OSError, CopyFailed, SourceChanged, InvalidMetadata, AlreadyStored)


def ingest_package(actor: Actor, path: str | Path, agreement=None, *,
                   progress: Callback | Progress | None = None) -> Package:
    """Ingest the package at `path` (folder, ZIP or TAR). `agreement`: a SubmissionAgreement,
    its id or reference, or None for the one the SIP names. `progress`: a callback, or the
    Progress of the job running the ingest (the job is then pointed at the package).
    Raises ValidationError (no or no valid agreement), PermissionDenied, IngestBusy;
    otherwise returns the Package in its final state: archived, rejected or failed."""
    actors.check(actor)
    source = Path(path)
    opened: SourcePackage | None = None
    unreadable = None
    try:
        opened = open_package(source)
    except PackageUnreadable as exc:
        unreadable = exc.finding
    try:
        head = SipHead.read(opened)
        found = resolve_agreement(actor, agreement, head)
        name = opened.name if opened is not None else source.name
        claimed = claim(actor, found, head, name)
        tracker = progress if isinstance(progress, Progress) else Progress(None, progress)
        attach(tracker.job, claimed.package)
        if not claimed.fresh:
            return claimed.package
        package = _run(actor, claimed.package, opened, unreadable, head, tracker)
    finally:
        if opened is not None:
            opened.close()
    after_ingest(package)  # the catalogue and the search index; never undoes the ingest
    return package


def _run(actor, package: Package, opened, unreadable, head: SipHead,
         tracker: Progress) -> Package:
    tracker.with_heartbeat(lambda: renew(package))
    stores: list[AipStore] = []
    try:
        locations = sync_locations()
        if not locations:
            raise ImproperlyConfigured("no archive storage location is configured")
        stores = [store_for(location) for location in locations]
        for store in stores:
            store.discard_stagings(package.id)
        in_place = [s for s in stores if s.has_package(package.id)]
        known = package.files.exists()
        if in_place and known:
            tracker.log(f"resuming: a copy is in place in {', '.join(s.name for s in in_place)}")
            complete_copies(actor, package, locations, stores, tracker)
        else:
            for store in in_place:  # a folder with no inventory behind it: set aside
                store.quarantine(package.id)
            if known:
                records.record_event(package, EventType.INGESTION, Outcome.FAILURE, "",
                                     actor=actor, summary=Summary("ingest.restarted"))
            if not _fresh(actor, package, opened, unreadable, head, locations, stores,
                          tracker):
                return _reloaded(package)
        records.archived(actor, package)
    except EXPECTED_ERRORS as exc:
        _discard(stores, package)
        records.failed(actor, package, f"{type(exc).__name__}: {exc}")
    except BaseException as exc:
        _discard(stores, package)
        records.failed(actor, package, f"{type(exc).__name__}: {exc}")
        raise
    finally:
        tracker.finish()
        release(package)
    return _reloaded(package)


def _reloaded(package: Package) -> Package:
    package.refresh_from_db()
    return package


def _discard(stores: list[AipStore], package: Package) -> None:
    for store in stores:
        with contextlib.suppress(OSError):
            store.discard_stagings(package.id)


def _validate(opened, unreadable, package: Package, tracker: Progress) -> Report:
    if opened is None:
        return Report(package=package.name, findings=[unreadable], unreadable=True)
    tracker.phase("validate", sum(m.size for m in opened.files.values()))
    token = PROGRESS.set(tracker.advance)
    try:
        return validate_open_package(opened, profile=package.agreement.profile,
                                     strict=package.agreement.strict_representations)
    finally:
        PROGRESS.reset(token)


def _fresh(actor, package: Package, opened, unreadable, head: SipHead, locations,
           stores: list[AipStore], tracker: Progress) -> bool:
    """Validate, then write and verify every copy. False when the package is rejected."""
    records.set_state(package, PackageState.VALIDATING, error="")
    report = _validate(opened, unreadable, package, tracker)
    check_agreement(report, package.agreement, head, opened)
    validated = validation_event(report)
    if not report.valid:
        records.reject(actor, package, report.to_dict(), validated)
        return False
    records.set_state(package, PackageState.STORING, report=report.to_dict(),
                      profile=report.profile[:8])
    stagings = new_stagings(stores, package)
    # One writer thread for all locations: the files are read and hashed here while it
    # creates them (a thread per location was slower on one disk: measured in
    # docs/performance.md, section 7).
    with TreeWriter(stagings, threads=1) as writer:
        entries = copy_submission(opened, report, writer, tracker)
        events = ingest_events(package, head, package.agreement, entries, validated)
        entries += write_metadata(writer, package=package, head=head,
                                  agreement=package.agreement, entries=entries,
                                  events=events, agents=agents_for(actor, package))
        writer.finish()
    records.record_inventory(actor, package, entries, locations, events)
    _verify_stagings(stores, stagings, expected_files(package), tracker)
    for location, store, staging in zip(locations, stores, stagings, strict=True):
        store.commit(staging)
        store.sync()
        records.copy_verified(actor, package, location, Summary("copy.written"))
    return True


def _verify_stagings(stores, stagings, expected: dict[str, Expected],
                     tracker: Progress) -> None:
    """Flush each location, then read every copy back (in parallel: hashing releases the
    GIL) and compare it with the inventory."""
    tracker.phase("verify", sum(e.size for e in expected.values()) * len(stagings))
    for store in stores:
        store.sync()
    with concurrent.futures.ThreadPoolExecutor(max_workers=len(stagings)) as pool:
        futures = {pool.submit(verify_copy, staging, expected, tracker.advance): store
                   for store, staging in zip(stores, stagings, strict=True)}
        pending = set(futures)
        while pending:
            _done, pending = concurrent.futures.wait(pending, timeout=0.5)
            tracker.flush()
    for future, store in futures.items():
        verdict = future.result()
        if not verdict.ok:
            raise CopyFailed(f"{store.name}: the copy does not verify: {verdict.summary()}")
