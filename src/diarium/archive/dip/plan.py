"""What a reviewed order delivers: every file of the selection whose records are released,
the masked copies of records released with masked parts, and the list of what is left out.

A record without a restriction is released. A restricted record needs a review: refused,
its metadata and files are left out; released with masked parts, its metadata is masked
and its files are replaced by the masked copies the reviewer made (none: left out). A file
in no record follows the package's aggregations (the case): their review decides it, as it
decides whether the ERMS metadata is delivered at all. A rendition follows its original."""

from __future__ import annotations

from dataclasses import dataclass, field

from diarium.archive.models import (
    AIPFile,
    ArchiveRecord,
    Decision,
    DipOrder,
    MaskedFile,
    RecordKind,
)

from .selection import data_files, owners, renditions, stem

_SEVERITY = {Decision.RELEASE: 0, Decision.MASK: 1, Decision.REFUSE: 2}


class NotReviewed(ValueError):
    """A restricted record of the order has no secrecy review yet."""


@dataclass
class DipPlan:
    files: list[AIPFile] = field(default_factory=list)
    masked_files: list[tuple[ArchiveRecord, MaskedFile]] = field(default_factory=list)
    records: list[ArchiveRecord] = field(default_factory=list)  # described in the excerpt
    masked: list[ArchiveRecord] = field(default_factory=list)
    refused: list[ArchiveRecord] = field(default_factory=list)
    withheld: list[str] = field(default_factory=list)  # AIP paths left out
    aggregation: str = Decision.RELEASE  # the decision on the case's own metadata

    @property
    def with_metadata(self) -> bool:
        return self.aggregation != Decision.REFUSE


def needing_review(order: DipOrder) -> list[ArchiveRecord]:
    return [r for r in order.records.all() if r.restricted]


def decisions(order: DipOrder) -> dict[int, str]:
    """record id -> decision, for every record of the order (unrestricted: release)."""
    reviewed = {r.record_id: r.decision for r in order.reviews.all()}
    found: dict[int, str] = {}
    for record in order.records.all():
        if not record.restricted:
            found[record.pk] = Decision.RELEASE
        elif record.pk in reviewed:
            found[record.pk] = reviewed[record.pk]
        else:
            raise NotReviewed(record.identifier)
    return found


def _worst(values: list[str]) -> str:
    return max(values, key=lambda d: _SEVERITY[d], default=Decision.RELEASE)


def plan_order(order: DipOrder) -> DipPlan:
    decided = decisions(order)
    records = list(order.records.order_by("position"))
    aggregations = [r for r in records if r.kind == RecordKind.AGGREGATION]
    plan = DipPlan(aggregation=_worst([decided[a.pk] for a in aggregations]))
    files = data_files(order.package)
    owned = owners(records)
    by_stem: dict[str, list[ArchiveRecord]] = {}
    for path, holders in owned.items():
        by_stem.setdefault(stem(path), []).extend(holders)
    for path in renditions(owned, order.paths):  # a rendition follows its original
        owned.setdefault(path, []).extend(by_stem.get(stem(path), []))
    for path in order.paths:
        holders = owned.get(path)
        verdict = _worst([decided[r.pk] for r in holders]) if holders else plan.aggregation
        if verdict == Decision.RELEASE and path in files:
            plan.files.append(files[path])
        else:
            plan.withheld.append(path)
    masked_files: dict[int, list[MaskedFile]] = {}
    for review in order.reviews.select_related("record").prefetch_related("masked_files"):
        if review.decision == Decision.MASK:
            masked_files[review.record_id] = list(review.masked_files.all())
    for record in records:
        decision = decided[record.pk]
        if decision == Decision.REFUSE:
            plan.refused.append(record)
            continue
        plan.records.append(record)
        if decision == Decision.MASK:
            plan.masked.append(record)
            plan.masked_files += [(record, m) for m in masked_files.get(record.pk, [])]
    return plan
