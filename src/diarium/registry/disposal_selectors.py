"""Reads for disposal: holds, and the report of documents due for disposal.

Who: the report and the holds are the archivists' (and the administrators') of an
authority; another authority's cases and documents do not exist for these reads (404).

Due for disposal on a day: the plan gave the document a disposal date on or before that
day (outcome `date`), its case has ended (closed or voided; open and dormant cases hold
their documents), and no active hold is on the document or on its case. Voided documents
and documents of voided cases are included: voiding corrects the registry, it is no
disposal decision, and the plan still applies to them (the report shows their status).

The report streams: rows come from `.values()` through `.iterator(chunk_size=…)`, one
record type of one authority after the other, so memory stays flat however many rows."""

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace

from django.db.models import Count, Exists, Min, OuterRef, Q, QuerySet
from django.utils import timezone

from diarium.organisation.models import Authority, Role, User
from diarium.organisation.selectors import access_for
from diarium.plan.models import RecordTypeRule
from diarium.registry.models import (
    Case,
    CaseStatus,
    DisposalOutcome,
    Document,
    DocumentStatus,
    Hold,
)

REPORT_ROLES = frozenset({Role.ARCHIVIST, Role.ADMINISTRATOR})
ENDED = (CaseStatus.CLOSED, CaseStatus.VOID)
CHUNK_SIZE = 2000
ROW_VALUES = (
    "id", "rule_id", "case__authority_id", "case__diary_number", "number", "title",
    "public_title", "secrecy_provision", "case__secrecy_provision", "document_date",
    "disposal_date", "status", "case__status", "case_id", "record_type_id",
)


def report_authority_ids(user: User) -> set:
    """The authorities whose disposal report and holds the user handles."""
    if not user.is_authenticated:
        return set()
    return access_for(user).authorities_with(REPORT_ROLES)


def can_see_report(user: User) -> bool:
    return bool(report_authority_ids(user))


def can_hold(user: User, authority_id) -> bool:
    return user.is_authenticated and access_for(user).has(authority_id, REPORT_ROLES)


def holdable_cases(user: User) -> QuerySet[Case]:
    return Case.objects.select_related("authority", "series").filter(
        authority_id__in=report_authority_ids(user)
    )


def holdable_documents(user: User) -> QuerySet[Document]:
    return Document.objects.select_related("case", "case__authority").filter(
        case__authority_id__in=report_authority_ids(user)
    )


def holds(user: User) -> QuerySet[Hold]:
    """Holds of the authorities the user handles, newest first."""
    return Hold.objects.select_related(
        "authority", "case", "document", "document__case", "placed_by", "released_by"
    ).filter(authority_id__in=report_authority_ids(user)).order_by("-placed_at", "id")


def get_hold(user: User, hold_id) -> Hold:
    return holds(user).get(pk=hold_id)


def holds_on_case(case: Case) -> QuerySet[Hold]:
    """The case's holds and those on its documents."""
    return Hold.objects.filter(Q(case=case) | Q(document__case=case)).select_related(
        "document", "placed_by", "released_by"
    ).order_by("-placed_at")


def holds_on_document(document: Document) -> QuerySet[Hold]:
    """The document's holds and its case's."""
    return Hold.objects.filter(Q(document=document) | Q(case_id=document.case_id)).select_related(
        "placed_by", "released_by"
    ).order_by("-placed_at")


def _active_hold_on_document() -> Exists:
    return Exists(Hold.objects.filter(document_id=OuterRef("pk"), released_at__isnull=True))


def _active_hold_on_case(field: str = "case_id") -> Exists:
    return Exists(Hold.objects.filter(case_id=OuterRef(field), released_at__isnull=True))


def held_document_ids(documents: Iterable[Document]) -> set:
    """Of the documents, those that may not be disposed of whatever their date: their
    case is not ended, or a hold is on them or on their case."""
    docs = list(documents)
    held = {d.pk for d in docs if d.case.status not in ENDED}
    rest = [d.pk for d in docs if d.pk not in held]
    if rest:
        held |= set(
            Document.objects.filter(pk__in=rest)
            .filter(_active_hold_on_document() | _active_hold_on_case())
            .values_list("pk", flat=True)
        )
    return held


# --- the disposal report -------------------------------------------------------------


@dataclass(frozen=True)
class DueCriteria:
    """Documents that may be disposed of on `on`; authority_ids None means every
    authority the user handles (others are ignored)."""

    on: dt.date
    authority_ids: frozenset | None = None
    record_type_id: object = None

    @staticmethod
    def today() -> dt.date:
        return timezone.localdate()


def _dated(user: User, criteria: DueCriteria) -> QuerySet[Document]:
    """Documents of ended cases whose disposal date has come, not yet disposed of."""
    allowed = report_authority_ids(user)
    if criteria.authority_ids is not None:
        allowed &= set(criteria.authority_ids)
    qs = Document.objects.filter(
        disposal_outcome=DisposalOutcome.DATE, disposal_date__lte=criteria.on,
        case__authority_id__in=allowed, case__status__in=ENDED,
    ).exclude(status=DocumentStatus.DISPOSED)
    if criteria.record_type_id is not None:
        qs = qs.filter(record_type_id=criteria.record_type_id)
    return qs


def due_documents(user: User, criteria: DueCriteria) -> QuerySet[Document]:
    """The due documents, unordered (order or aggregate it)."""
    return _dated(user, criteria).filter(~_active_hold_on_document(), ~_active_hold_on_case())


def held_due_documents(user: User, criteria: DueCriteria) -> QuerySet[Document]:
    """Documents that would be due but for an active hold on them or on their case, as
    ordered `.values()` rows (for a disposal list's held entries)."""
    return _dated(user, criteria).filter(
        _active_hold_on_document() | _active_hold_on_case()
    ).order_by("disposal_date", "case__diary_number", "number").values(*ROW_VALUES)


def blocking_reason(document_id, on: dt.date) -> str | None:
    """Why the document may not be disposed of on `on` now, or None when it may: checked
    again when a frozen disposal list is executed (the case may have been reopened, a
    hold placed or the record type changed since)."""
    doc = Document.objects.select_related("case").get(pk=document_id)
    if doc.status == DocumentStatus.DISPOSED:
        return "disposed"
    if doc.case.status not in ENDED:
        return "case_not_ended"
    if Hold.objects.filter(Q(document_id=doc.pk) | Q(case_id=doc.case_id),
                           released_at__isnull=True).exists():
        return "held"
    if doc.disposal_outcome != DisposalOutcome.DATE or doc.disposal_date is None \
            or doc.disposal_date > on:
        return "not_due"
    return None


@dataclass
class DueGroup:
    """One authority × record type of the report."""

    authority_id: object
    authority: str  # code
    authority_name: str
    record_type_id: object
    record_type: str  # the name in the latest plan version among the documents
    process: str
    count: int
    earliest: dt.date
    sort_key: tuple = ()


def due_summary(user: User, criteria: DueCriteria) -> list[DueGroup]:
    """Counts per authority and record type, ordered by authority code and process."""
    return _summary(user, criteria)[0]


def _summary(user: User, criteria: DueCriteria) -> tuple[list[DueGroup], "RuleLabels"]:
    rows = list(
        due_documents(user, criteria)
        .values("case__authority_id", "record_type_id", "rule_id")
        .annotate(count=Count("id"), earliest=Min("disposal_date"))
        .order_by()
    )
    rules = RuleLabels(
        (r.pk, r) for r in RecordTypeRule.objects.select_related("process", "version")
        .filter(pk__in={row["rule_id"] for row in rows})
    )
    authorities = {a.pk: a for a in Authority.objects.filter(
        pk__in={row["case__authority_id"] for row in rows})}
    groups: dict[tuple, DueGroup] = {}
    latest: dict[tuple, int] = {}
    for row in rows:
        key = (row["case__authority_id"], row["record_type_id"])
        rule, authority = rules[row["rule_id"]], authorities[row["case__authority_id"]]
        group = groups.get(key)
        if group is None:
            group = groups[key] = DueGroup(authority.pk, authority.code, authority.name,
                                           row["record_type_id"], "", "", 0, row["earliest"])
        group.count += row["count"]
        group.earliest = min(group.earliest, row["earliest"])
        if rule.version.number >= latest.get(key, 0):
            latest[key] = rule.version.number
            group.record_type, group.process = rule.name, rule.process.code
            group.sort_key = (authority.code, rule.process.sort_key, rule.name.casefold())
    return sorted(groups.values(), key=lambda g: g.sort_key), rules


class RuleLabels(dict):
    """Rule id -> the rule with its process and version, read once per rule."""

    def __missing__(self, rule_id) -> RecordTypeRule:
        rule = RecordTypeRule.objects.select_related("process", "version").get(pk=rule_id)
        self[rule_id] = rule
        return rule


def present(row: dict, labels: RuleLabels, authorities: dict) -> dict:
    """A report row. Secret documents show their public description only: the report is
    a list, and reading secret content is audited one record at a time elsewhere."""
    rule = labels[row["rule_id"]]
    secret = bool(row["secrecy_provision"] or row["case__secrecy_provision"])
    return {
        "authority": authorities[row["case__authority_id"]],
        "process": rule.process.code,
        "record_type": rule.name,
        "record_type_id": row["record_type_id"],
        "rule_id": row["rule_id"],
        "plan_version": rule.version.number,
        "plan_decision": rule.version.decision_reference,
        "decision": rule.legal_basis,
        "case_id": row["case_id"],
        "document_id": row["id"],
        "document_number": f"{row['case__diary_number']}:{row['number']}",
        "description": row["public_title"] if secret else row["title"],
        "is_secret": secret,
        "document_date": row["document_date"],
        "disposal_date": row["disposal_date"],
        "case_status": row["case__status"],
        "document_status": row["status"],
    }


def authority_codes() -> dict:
    return dict(Authority.objects.values_list("pk", "code"))


def due_rows(user: User, criteria: DueCriteria) -> QuerySet:
    """The due documents as ordered `.values()` rows, for paging (present each row)."""
    return due_documents(user, criteria).order_by(
        "case__authority__code", "record_type_id", "disposal_date", "case__diary_number",
        "number",
    ).values(*ROW_VALUES)


def stream_due(user: User, criteria: DueCriteria,
               chunk_size: int = CHUNK_SIZE) -> Iterator[dict]:
    """Every due document as a presented row, grouped by authority and record type in the
    order of due_summary, streamed from the database in chunks."""
    groups, labels = _summary(user, criteria)
    authorities = authority_codes()
    for group in groups:
        part = replace(criteria, authority_ids=frozenset({group.authority_id}),
                       record_type_id=group.record_type_id)
        rows = due_documents(user, part).order_by(
            "disposal_date", "case__diary_number", "number"
        ).values(*ROW_VALUES)
        for row in rows.iterator(chunk_size=chunk_size):
            yield present(row, labels, authorities)
