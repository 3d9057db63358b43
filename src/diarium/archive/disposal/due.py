"""Which archived packages are due for disposal on a day, and what holds them.

An AIP is write-once, so a package is disposed of whole, and only when everything in it
may go. Two sources say when:

1. **A registry case** (the package came from `export-cases`, an `ArchivedCase` row links
   them): the case has ended (closed or voided, or already disposed of in the registry) and
   every one of its documents has a disposal date on or before the day. A document that
   is kept, undetermined or without a record type keeps the package. The package's date is
   the latest of its documents' dates, its decisions theirs. Holds on the case or any of
   its documents hold the package.
2. **The ERMS metadata** (a package delivered by another system): every ERMS record names
   a record type that the authority's plan in force on the day has (matched by name,
   ignoring case), and that rule gives a date on or before the day, counting "after the
   case is closed" from the package's end date and "after the document's date" from the
   record's date. A package without records or with an unknown record type is never due.

An active archive hold (ArchiveHold) on the package always holds it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.db.models import Q

from diarium.archive.models import (
    ArchiveCreator,
    ArchivedCase,
    ArchiveHold,
    ArchiveRecord,
    Package,
    PackageDescription,
    PackageState,
    RecordKind,
)
from diarium.plan import selectors as plan
from diarium.plan.models import RecordTypeRule
from diarium.plan.retention import TriggerDates
from diarium.registry.models import (
    Case,
    CaseStatus,
    DisposalOutcome,
    Document,
    Hold,
)

ENDED = (CaseStatus.CLOSED, CaseStatus.VOID, CaseStatus.DISPOSED)


@dataclass
class PackageDue:
    """A package that may be disposed of, with what the list shows about it."""

    package: Package
    disposal_date: dt.date
    rules: list[RecordTypeRule] = field(default_factory=list)
    case_ids: list = field(default_factory=list)
    reference: str = ""  # the case's diary number, from the description
    title: str = ""
    is_secret: bool = False
    hold: str = ""  # why it is held, empty when it is not

    @property
    def record_type(self) -> str:
        return ", ".join(sorted({r.name for r in self.rules}))

    @property
    def decision(self) -> str:
        return "; ".join(sorted({r.legal_basis for r in self.rules if r.legal_basis}))

    @property
    def plan_version(self) -> str:
        return "; ".join(sorted({version_label(r) for r in self.rules}))

    @property
    def rule(self) -> RecordTypeRule | None:
        return self.rules[0] if len({r.pk for r in self.rules}) == 1 else None


def version_label(rule: RecordTypeRule) -> str:
    version = rule.version
    return f"{version.number} ({version.decision_reference})".strip()


class RuleNames(dict):
    """Per authority: the rules in force on a day by name (casefolded), read once."""

    def __init__(self, on: dt.date) -> None:
        super().__init__()
        self.on = on

    def __missing__(self, authority_id) -> dict[str, RecordTypeRule]:
        rules = plan.rules_in_force(authority_id, self.on).select_related("version")
        self[authority_id] = found = {r.name.casefold(): r for r in rules}
        return found


def packages_due(authority_id, on: dt.date, record_type_id=None) -> Iterator[PackageDue]:
    """The authority's archived packages due on `on` (held ones included, with `hold`)."""
    creator = ArchiveCreator.objects.filter(authority_id=authority_id).first()
    if creator is None:
        return
    names = RuleNames(on)
    ids = list(Package.objects.filter(creator=creator, state=PackageState.ARCHIVED)
               .order_by("archived_at", "pk").values_list("pk", flat=True))
    for package_id in ids:
        package = Package.objects.select_related("creator").get(pk=package_id)
        due = package_due(package, on, record_type_id, names)
        if due is not None:
            yield due


def package_due(package: Package, on: dt.date, record_type_id=None,
                names: RuleNames | None = None) -> PackageDue | None:
    """The package's disposal facts when it may be disposed of on `on`, else None."""
    case_ids = list(ArchivedCase.objects.filter(package=package).values_list(
        "case_id", flat=True).distinct())
    if case_ids:
        due = _from_cases(package, case_ids, on, record_type_id)
    else:
        due = _from_records(package, on, record_type_id, names or RuleNames(on))
    if due is None:
        return None
    _describe(due)
    hold = ArchiveHold.objects.filter(package=package, released_at__isnull=True).first()
    if hold is not None:
        due.hold = f"{hold.reason} {hold.reference}".strip()
    return due


def _from_cases(package: Package, case_ids: list, on: dt.date,
                record_type_id) -> PackageDue | None:
    if Case.objects.filter(pk__in=case_ids).exclude(status__in=ENDED).exists():
        return None  # reopened: an open case holds its documents
    docs = list(Document.objects.filter(case_id__in=case_ids).select_related("rule__version"))
    if not docs:
        return None
    for doc in docs:
        if doc.disposal_outcome != DisposalOutcome.DATE or doc.disposal_date > on:
            return None
        if record_type_id is not None and doc.record_type_id != record_type_id:
            return None
    due = PackageDue(package, max(d.disposal_date for d in docs),
                     rules=_distinct([d.rule for d in docs]), case_ids=case_ids)
    hold = Hold.objects.filter(Q(case_id__in=case_ids) | Q(document__case_id__in=case_ids),
                               released_at__isnull=True).first()
    if hold is not None:
        due.hold = f"{hold.get_kind_display()}: {hold.reason}"
    return due


def _from_records(package: Package, on: dt.date, record_type_id,
                  names: RuleNames) -> PackageDue | None:
    records = list(ArchiveRecord.objects.filter(package=package, kind=RecordKind.RECORD))
    if not records:
        return None
    description = PackageDescription.objects.filter(package=package).first()
    closed = description.end_date if description is not None else None
    rules_by_name = names[package.creator.authority_id]
    rules, dates = [], []
    for record in records:
        rule = rules_by_name.get(record.record_type.strip().casefold())
        if rule is None or (record_type_id is not None
                            and rule.record_type_id != record_type_id):
            return None
        result = plan.disposal_date(rule, TriggerDates(case_closed=closed,
                                                       document_date=record.date))
        if not isinstance(result, dt.date) or result > on:
            return None
        rules.append(rule)
        dates.append(result)
    return PackageDue(package, max(dates), rules=_distinct(rules))


def _distinct(rules: list) -> list:
    seen: dict = {}
    for rule in rules:
        seen.setdefault(rule.pk, rule)
    return list(seen.values())


def _describe(due: PackageDue) -> None:
    """Title and reference as the list may show them: a restricted package shows its
    case's public title (or nothing)."""
    description = PackageDescription.objects.filter(package=due.package).first()
    if description is None:
        due.title = due.package.label
        return
    due.reference = description.reference
    due.is_secret = description.restricted
    if not due.is_secret:
        due.title = description.title or due.package.label
        return
    aggregation = ArchiveRecord.objects.filter(package=due.package,
                                               kind=RecordKind.AGGREGATION).first()
    due.title = aggregation.public_title if aggregation is not None else ""
