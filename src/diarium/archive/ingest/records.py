"""The ingest's database side: every state change in its own short transaction with its
audit event and preservation events. Files are never written inside a transaction."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connection
from django.utils import timezone

from diarium.archive.aip.inventory import Entry, PlannedEvent, software_version
from diarium.archive.event_text import Summary
from diarium.archive.models import (
    AIPFile,
    CopyState,
    EventType,
    Outcome,
    Package,
    PackageState,
    PreservationEvent,
    StorageCopy,
    StorageLocation,
)
from diarium.audit import services as audit
from diarium.core.bulk import write_rows
from diarium.core.transactions import atomic_with_retry

from .claiming import chain


def agent_name() -> str:
    return f"Diarium {software_version()}"


def _user(actor):
    return actor if actor is not None and actor.is_authenticated else None


def record_event(package: Package, event_type: str, outcome: str, detail: str, *,
                 actor=None, location: StorageLocation | None = None,
                 planned: PlannedEvent | None = None,
                 summary: Summary | None = None) -> PreservationEvent:
    """detail: English (or a system's own error text); summary: the same as a code and
    figures, shown in the reader's language (archive/event_text.py); with summary, detail
    may be "" and is its English words."""
    extra = {"id": planned.id, "occurred_at": planned.at,
             "summary": planned.summary} if planned is not None else {}
    if summary is not None:
        detail = detail or summary.english()
        extra["summary"] = summary.stored()
    return PreservationEvent.objects.create(
        package=package, event_type=event_type, outcome=outcome, detail=detail[:10000],
        agent=agent_name(), actor=_user(actor), location=location, **extra)


@atomic_with_retry
def set_state(package: Package, state: str, **fields) -> None:
    package.state = state
    for name, value in fields.items():
        setattr(package, name, value)
    package.save(update_fields=["state", "updated_at", *fields])


@atomic_with_retry
def reject(actor, package: Package, report: dict, event: PlannedEvent) -> None:
    package.state, package.report, package.error = PackageState.REJECTED, report, ""
    package.lease_owner, package.lease_until = "", None
    package.profile = report.get("profile", "")[:8]
    package.size, package.file_count = 0, 0
    package.save(update_fields=["state", "report", "error", "lease_owner", "lease_until",
                                "profile", "size", "file_count", "updated_at"])
    # An inventory left by an earlier attempt describes an AIP that was never stored.
    package.files.all().delete()
    package.copies.all().delete()
    record_event(package, EventType.VALIDATION, Outcome.FAILURE, event.detail, actor=actor,
                 planned=event)
    audit.record(actor=actor, action="archive.package_rejected", obj=package,
                 chain=chain(package), after={"errors": _error_ids(report)})


def _error_ids(report: dict) -> list[str]:
    return sorted({f["requirement"] for f in report.get("findings", [])
                   if f.get("severity") == "ERROR"})


_FILE_COLUMNS = ("package_id", "path", "size", "sha256", "puid", "mime", "role")


def _insert_files(rows: list[tuple]) -> None:
    """The inventory's rows in one statement (core/bulk.py). Values are plain str and
    int, as the fields store them (the package's key as its field prepares it)."""
    if rows:
        names = [AIPFile._meta.get_field(n.removesuffix("_id")).column for n in _FILE_COLUMNS]
        write_rows(AIPFile._meta.db_table, names, rows)


@atomic_with_retry
def record_inventory(actor, package: Package, entries: Iterable[Entry],
                     locations: list[StorageLocation], events: list[PlannedEvent]) -> None:
    """The AIP is complete in staging: its inventory, copies-to-be and ingest events."""
    package.files.all().delete()
    key = AIPFile._meta.get_field("package").get_db_prep_save(package.pk, connection)
    rows = [(key, e.path, e.size, e.sha256, e.puid, e.mime[:127], e.role)
            for e in entries]
    _insert_files(rows)
    package.size = sum(row[2] for row in rows)
    package.file_count = len(rows)
    package.save(update_fields=["size", "file_count", "updated_at"])
    for location in locations:
        StorageCopy.objects.update_or_create(
            package=package, location=location,
            defaults={"state": CopyState.WRITING, "verified_at": None, "detail": ""})
    for event in events:
        record_event(package, event.event_type, event.outcome, event.detail, actor=actor,
                     planned=event)
    audit.record(actor=actor, action="archive.aip_created", obj=package, chain=chain(package),
                 after={"files": package.file_count, "size": package.size})


@atomic_with_retry
def copy_verified(actor, package: Package, location: StorageLocation, summary: Summary,
                  event_type: str = EventType.REPLICATION) -> None:
    state = CopyState.REPAIRED if event_type == EventType.REPAIR else CopyState.VERIFIED
    StorageCopy.objects.update_or_create(
        package=package, location=location,
        defaults={"state": state, "verified_at": timezone.now(), "detail": ""})
    record_event(package, event_type, Outcome.SUCCESS, "", actor=actor, location=location,
                 summary=summary)


@atomic_with_retry
def copy_failed(actor, package: Package, location: StorageLocation, state: str,
                detail: str, event_type: str = EventType.REPLICATION,
                summary: Summary | None = None) -> None:
    StorageCopy.objects.update_or_create(
        package=package, location=location, defaults={"state": state, "detail": detail})
    record_event(package, event_type, Outcome.FAILURE, detail, actor=actor, location=location,
                 summary=summary)


@atomic_with_retry
def archived(actor, package: Package) -> None:
    package.state, package.archived_at, package.error = (
        PackageState.ARCHIVED, timezone.now(), "")
    package.lease_owner, package.lease_until = "", None
    package.save(update_fields=["state", "archived_at", "error", "lease_owner", "lease_until",
                                "updated_at"])
    audit.record(actor=actor, action="archive.package_archived", obj=package,
                 chain=chain(package), after={"copies": package.copies.count()})


@atomic_with_retry
def failed(actor, package: Package, error: str) -> None:
    package.state, package.error = PackageState.FAILED, error[:10000]
    package.lease_owner, package.lease_until = "", None
    package.save(update_fields=["state", "error", "lease_owner", "lease_until", "updated_at"])
    record_event(package, EventType.INGESTION, Outcome.FAILURE, error, actor=actor)
    audit.record(actor=actor, action="archive.package_failed", obj=package,
                 chain=chain(package), after={"error": error[:500]})
