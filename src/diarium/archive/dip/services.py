"""Every write of access to the archive: ordering a DIP, the secrecy review, masked copies,
building and delivering it, and downloads. Only archivists of the package's archive creator
may do any of it; every step is audited in the authority's chain."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import BinaryIO

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from diarium.archive import selectors
from diarium.archive.event_text import Summary
from diarium.archive.ingest.records import record_event
from diarium.archive.models import (
    ArchiveRecord,
    Decision,
    Delivery,
    DipOrder,
    EventType,
    MaskedFile,
    OrderState,
    Outcome,
    Package,
    PackageState,
    SecrecyReview,
)
from diarium.audit import services as audit
from diarium.core import actors
from diarium.core.actors import Actor
from diarium.core.transactions import atomic_with_retry
from diarium.documents.services import guess_mime_type, store_content

from .builder import write_dip
from .plan import needing_review, plan_order
from .selection import select


@dataclass
class ReviewItem:
    record: ArchiveRecord
    decision: str
    note: str = ""


def _chain(package: Package) -> str:
    return f"authority:{package.creator.authority_id}"


def _require(actor: Actor, package: Package) -> None:
    actors.require(actor, "archive.access",
                   lambda user: selectors.may_ingest(user, package.creator),
                   _("Only an archivist of the archive creator may do this."))


@atomic_with_retry
def order_dip(actor: Actor, package: Package, *, recipient: str, purpose: str = "",
              records: Iterable[ArchiveRecord] = (), paths: Iterable[str] = ()) -> DipOrder:
    """Order the whole package (nothing chosen) or chosen records and files."""
    _require(actor, package)
    records, paths = list(records), list(paths)
    errors = {}
    if package.state != PackageState.ARCHIVED:
        errors["package"] = _("Only an archived package can be delivered.")
    if not recipient.strip():
        errors["recipient"] = _("Name the recipient.")
    if any(r.package_id != package.pk for r in records):
        errors["records"] = _("The records must belong to the package.")
    chosen = select(package, records, paths)
    if chosen.unknown:
        errors["paths"] = _("Not in the package: %(paths)s") % {
            "paths": ", ".join(chosen.unknown[:10])}
    if not errors and not chosen.paths and not chosen.records:
        errors["records"] = _("The order holds nothing to deliver.")
    if errors:
        raise ValidationError(errors)
    order = DipOrder.objects.create(
        package=package, recipient=recipient.strip(), purpose=purpose.strip(),
        whole_package=not records and not paths, paths=chosen.paths, ordered_by=actor)
    order.records.set(chosen.records)
    restricted = [r for r in chosen.records if r.restricted]
    order.state = OrderState.REVIEW if restricted else OrderState.READY
    order.save(update_fields=["state"])
    audit.record(actor=actor, action="archive.dip_ordered", obj=order, chain=_chain(package),
                 after={"package": str(package.pk), "recipient": order.recipient,
                        "records": len(chosen.records), "files": len(chosen.paths),
                        "to_review": len(restricted)})
    return order


def _locked(order: DipOrder) -> DipOrder:
    return DipOrder.objects.select_for_update().select_related(
        "package", "package__creator").get(pk=order.pk)


@atomic_with_retry
def review(actor: Actor, order: DipOrder, items: Iterable[ReviewItem]) -> DipOrder:
    """Record the secrecy review of restricted records of the order (a later review of
    the same record replaces the earlier one until the order is delivered)."""
    order = _locked(order)
    _require(actor, order.package)
    if order.state == OrderState.DELIVERED:
        raise ValidationError({"order": _("The order is already delivered.")})
    pending = {r.pk: r for r in needing_review(order)}
    items = list(items)
    errors = [item.record.identifier for item in items if item.record.pk not in pending]
    if errors:
        raise ValidationError({"records": _("Not restricted records of this order: "
                                            "%(records)s") % {"records": ", ".join(errors)}})
    bad = [i.record.identifier for i in items if i.decision not in Decision.values]
    if bad:
        raise ValidationError({"decision": _("Unknown decision for %(records)s") % {
            "records": ", ".join(bad)}})
    for item in items:
        SecrecyReview.objects.update_or_create(order=order, record=item.record, defaults={
            "decision": item.decision, "note": item.note.strip(), "reviewer": actor,
            "reviewed_at": timezone.now()})
    reviewed = set(order.reviews.values_list("record_id", flat=True))
    order.state = OrderState.READY if set(pending) <= reviewed else OrderState.REVIEW
    order.save(update_fields=["state"])
    audit.record(actor=actor, action="archive.dip_reviewed", obj=order,
                 chain=_chain(order.package),
                 after={"decisions": {i.record.identifier: i.decision for i in items}})
    return order


@atomic_with_retry
def add_masked_file(actor: Actor, order: DipOrder, record: ArchiveRecord, stream: BinaryIO,
                    name: str, content_type: str | None = None) -> MaskedFile:
    """A masked copy of one of the record's files, for a record released with masked
    parts; delivered instead of the record's own files."""
    order = _locked(order)
    _require(actor, order.package)
    found = order.reviews.filter(record=record).first()
    if found is None or found.decision != Decision.MASK:
        raise ValidationError({"record": _("Review the record as released with masked parts "
                                           "first.")})
    if order.state == OrderState.DELIVERED:
        raise ValidationError({"order": _("The order is already delivered.")})
    mime = guess_mime_type(name, content_type)
    content = store_content(stream, mime_type=mime)
    masked = MaskedFile.objects.create(review=found, content=content, name=name[:255],
                                       mime_type=mime[:127])
    audit.record(actor=actor, action="archive.dip_masked_file", obj=order,
                 chain=_chain(order.package),
                 after={"record": record.identifier, "sha256": content.sha256})
    return masked


def check_deliverable(actor: Actor, order: DipOrder) -> None:
    """Raise PermissionDenied or ValidationError when the order cannot be delivered now
    (so that a request is refused before the build is queued)."""
    _require(actor, order.package)
    if order.state != OrderState.READY:
        raise ValidationError({"order": _("Every restricted record must be reviewed before "
                                          "the order is delivered.")})


def deliver(actor: Actor, order: DipOrder) -> Delivery:
    """Build the DIP of a reviewed order and log the delivery. An order is delivered once;
    asking again returns the same delivery."""
    order = DipOrder.objects.select_related("package", "package__creator",
                                            "package__creator__authority__municipality",
                                            "ordered_by").get(pk=order.pk)
    existing = Delivery.objects.filter(order=order).first()
    if existing is not None:
        _require(actor, order.package)
        return existing
    check_deliverable(actor, order)
    plan = plan_order(order)
    built = write_dip(order, plan)
    with transaction.atomic():
        order = _locked(order)
        existing = Delivery.objects.filter(order=order).first()
        if existing is not None:
            return existing
        delivery = Delivery.objects.create(
            order=order, package=order.package, objid=f"dip-{order.pk}",
            recipient=order.recipient, delivered_by=actor, file_name=built.path.name,
            size=built.size, sha256=built.sha256, files=built.files,
            refused=[r.identifier for r in plan.refused],
            masked=[r.identifier for r in plan.masked], withheld=plan.withheld)
        order.state = OrderState.DELIVERED
        order.save(update_fields=["state"])
        record_event(order.package, EventType.DISSEMINATION, Outcome.SUCCESS, "", actor=actor,
                     summary=Summary("dissemination", {
                         "objid": delivery.objid, "recipient": order.recipient,
                         "files": len(built.files), "refused": len(plan.refused),
                         "masked": len(plan.masked), "sha256": built.sha256}))
        audit.record(actor=actor, action="archive.dip_delivered", obj=delivery,
                     chain=_chain(order.package),
                     after={"order": str(order.pk), "recipient": order.recipient,
                            "files": len(built.files), "sha256": built.sha256,
                            "refused": delivery.refused, "masked": delivery.masked})
    return delivery


@atomic_with_retry
def note_download(actor: Actor, delivery: Delivery) -> None:
    package = delivery.package
    _require(actor, package)
    audit.record(actor=actor, action="archive.dip_downloaded", obj=delivery,
                 chain=_chain(package), after={"sha256": delivery.sha256})
