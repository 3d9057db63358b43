"""Executing one item of an approved disposal list, crash-safe and idempotent.

1. In one transaction: check the item again (a hold placed, a case reopened, a date
   changed since the list was frozen: then it is skipped), write its DisposalRecord, mark
   the document or package disposed of, take it out of the search index, and mark the
   stored content nothing else needs for removal.
2. After the commit: delete the bytes (the file store's content; every storage copy of a
   package, with a PREMIS "deletion" event per copy; DIPs of the package left on the server).
3. Mark the item disposed.

A crash after 1 leaves a record without a finished item: the next run finds the record
and does 2 and 3 again, which is safe to repeat."""

from __future__ import annotations

import uuid

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from diarium.archive.dip.builder import dip_dir
from diarium.archive.event_text import Summary
from diarium.archive.ingest import records
from diarium.archive.models import (
    AIPFile,
    CopyState,
    Delivery,
    DisposalItem,
    DisposalRecord,
    DisposalRun,
    EventType,
    ItemKind,
    ItemState,
    MaskedFile,
    Outcome,
    Package,
    PackageState,
    StorageCopy,
    StorageLocation,
)
from diarium.archive.storage import active_locations, store_for
from diarium.audit import services as audit
from diarium.core import actors
from diarium.core.actors import Actor
from diarium.core.transactions import atomic_with_retry
from diarium.documents import removal
from diarium.registry import disposal_selectors as registry_due
from diarium.registry import disposal_services
from diarium.registry.models import Document, DocumentFile, DocumentStatus, DocumentVersion
from diarium.search.backends import remove_owned

from . import access
from .due import package_due

ARCHIVE_KIND = "archive"  # the archive's entries in the search index
# References to stored content that no longer count once their holder is disposed of.
IGNORE = {
    "registry.documentfile": Q(document__status=DocumentStatus.DISPOSED),
    "registry.documentversion": Q(document__status=DocumentStatus.DISPOSED),
    "registry.inboxfile": Q(item__document__status=DocumentStatus.DISPOSED),
    "archive.maskedfile": Q(review__order__package__state=PackageState.DISPOSED),
}


def skip_text(code: str) -> str:
    return {
        "disposed": _("Already disposed of (by another list)."),
        "case_not_ended": _("The case has been reopened."),
        "held": _("A hold was placed after the list was drawn up."),
        "not_due": _("No longer due: the record type or the dates changed, or a case was "
                     "reopened."),
        "not_archived": _("The package is not archived."),
    }.get(code, code)


def process(actor: Actor, run: DisposalRun, item: DisposalItem) -> str:
    """Dispose of one item; returns its new state (disposed or skipped)."""
    actors.require(actor, "disposal.execute", lambda user: access.handles(user, run.authority_id))
    record = DisposalRecord.objects.filter(item=item).first()
    if record is None:
        dispose = _dispose_document if item.kind == ItemKind.DOCUMENT else _dispose_package
        record = dispose(actor, run, item)
        if record is None:
            return ItemState.SKIPPED
    removal.purge((f["sha256"] for f in record.files if f.get("content") == "removed"),
                  IGNORE)
    if item.kind == ItemKind.PACKAGE:
        _delete_copies(actor, run, item.package)
        _delete_dips(actor, run, item.package)
    mark(item, ItemState.DISPOSED)
    return ItemState.DISPOSED


def mark(item: DisposalItem, state: str, reason: str = "", held: bool | None = None) -> None:
    fields = {"state": state, "reason": reason[:10000], "processed_at": timezone.now()}
    if held is not None:
        fields["held"] = held
    DisposalItem.objects.filter(pk=item.pk).update(**fields)


def _new_record(actor: Actor, run: DisposalRun, item: DisposalItem) -> DisposalRecord:
    name = actors.name_of

    return DisposalRecord(
        id=uuid.uuid4(), run=run, item=item, authority_id=run.authority_id, kind=item.kind,
        document_id=item.document_id, package_id=item.package_id, identifier=item.identifier,
        case_diary_number=item.case_diary_number, title=item.title,
        record_type=item.record_type, rule_decision=item.decision,
        plan_version=item.plan_version, disposal_date=item.disposal_date,
        decision_reference=run.decision_reference, created_by=run.created_by,
        approved_by=run.decided_by, executed_by=actors.user_of(actor),
        created_by_name=name(run.created_by),
        approved_by_name=name(run.decided_by),
        executed_by_name=name(actor), approved_at=run.decided_at,
        disposed_at=timezone.now())


@atomic_with_retry
def _dispose_document(actor: Actor, run: DisposalRun,
                      item: DisposalItem) -> DisposalRecord | None:
    doc = Document.objects.select_for_update(of=("self",)).get(pk=item.document_id)
    reason = registry_due.blocking_reason(doc.pk, run.due_on)
    if reason is not None:
        mark(item, ItemState.SKIPPED, skip_text(reason), held=reason == "held")
        return None
    record = _new_record(actor, run, item)
    disposal_services.dispose_document(actor, doc, decision=run.decision_reference,
                                       record_id=record.id)
    files = list(DocumentFile.objects.filter(document=doc).order_by("added_at").values(
        "original_name", "content_id", "size", "mime_type"))
    # The versions of a document written in the case go with it (the final one is a file).
    listed = {f["content_id"] for f in files}
    files += [v for v in DocumentVersion.objects.filter(document=doc).order_by("number").values(
        "original_name", "content_id", "size", "mime_type") if v["content_id"] not in listed]
    removed, _kept = removal.release([f["content_id"] for f in files], IGNORE)
    record.files = [{"name": f["original_name"], "sha256": f["content_id"], "size": f["size"],
                     "mime_type": f["mime_type"],
                     "content": "removed" if f["content_id"] in removed else "kept"}
                    for f in files]
    record.save(force_insert=True)
    return record


@atomic_with_retry
def _dispose_package(actor: Actor, run: DisposalRun,
                     item: DisposalItem) -> DisposalRecord | None:
    package = Package.objects.select_for_update(of=("self",)).select_related("creator").get(
        pk=item.package_id)
    if package.state != PackageState.ARCHIVED:
        code = "disposed" if package.state == PackageState.DISPOSED else "not_archived"
        mark(item, ItemState.SKIPPED, skip_text(code))
        return None
    due = package_due(package, run.due_on, run.record_type_id)
    if due is None or due.hold:
        code = "held" if due is not None else "not_due"
        mark(item, ItemState.SKIPPED, skip_text(code) + (f" {due.hold}" if due else ""),
             held=due is not None)
        return None
    record = _new_record(actor, run, item)
    package.state = PackageState.DISPOSED
    package.save(update_fields=["state", "updated_at"])
    remove_owned(ARCHIVE_KIND, package.pk)
    masked = list(MaskedFile.objects.filter(review__order__package=package).values(
        "name", "content_id", "content__size", "mime_type"))
    removed, _kept = removal.release([m["content_id"] for m in masked], IGNORE)
    record.files = [
        {"name": path, "sha256": sha, "size": size, "content": "deleted"}
        for path, sha, size in AIPFile.objects.filter(package=package).order_by(
            "path").values_list("path", "sha256", "size")
    ] + [{"name": m["name"], "sha256": m["content_id"], "size": m["content__size"],
          "mime_type": m["mime_type"], "role": "masked copy",
          "content": "removed" if m["content_id"] in removed else "kept"} for m in masked]
    record.save(force_insert=True)
    audit.record(actor=actor, action="archive.package_disposed", obj=package,
                 chain=f"authority:{package.creator.authority_id}",
                 after={"list": run.label, "decision": run.decision_reference,
                        "disposal_record": record.id, "files": package.file_count,
                        "size": package.size})
    return record


def _delete_copies(actor: Actor, run: DisposalRun, package: Package) -> None:
    """Delete the package from every location that has, or may have, a copy."""
    copies = {c.location_id: c for c in StorageCopy.objects.filter(package=package)}
    locations = {row.pk: row for row in active_locations()}
    locations |= {row.pk: row for row in StorageLocation.objects.filter(pk__in=list(copies))}
    for location in sorted(locations.values(), key=lambda row: row.name):
        copy = copies.get(location.pk)
        if copy is not None and copy.state == CopyState.DELETED:
            continue
        try:
            removed = store_for(location).dispose(
                package.id, reason=f"disposal list {run.label} under {run.decision_reference}")
        except OSError as exc:
            records.record_event(package, EventType.DELETION, Outcome.FAILURE,
                                 f"{location.name}: {exc}", actor=actor, location=location)
            raise
        if copy is None and not removed:
            continue
        _copy_deleted(actor, run, package, location, removed)


@atomic_with_retry
def _copy_deleted(actor, run: DisposalRun, package: Package, location: StorageLocation,
                  removed: list) -> None:
    StorageCopy.objects.update_or_create(
        package=package, location=location,
        defaults={"state": CopyState.DELETED, "detail": f"disposal list {run.label}"})
    records.record_event(
        package, EventType.DELETION, Outcome.SUCCESS, "", actor=actor, location=location,
        summary=Summary("deletion.copy", {
            "location": location.name, "decision": run.decision_reference,
            "list": run.label, "removed": [str(p) for p in removed]}))


def _delete_dips(actor, run: DisposalRun, package: Package) -> None:
    """DIPs delivered from the package and still on the server hold its content too."""
    for delivery in Delivery.objects.filter(package=package):
        path = dip_dir() / delivery.file_name
        if path.is_file():
            path.unlink()
            records.record_event(
                package, EventType.DELETION, Outcome.SUCCESS, "", actor=actor,
                summary=Summary("deletion.dip", {"file": delivery.file_name,
                                                 "list": run.label}))
