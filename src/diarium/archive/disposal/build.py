"""Drawing up a disposal list (gallringslista): everything of one authority due on a day,
frozen into items when the list is created.

Registry documents come from the registry's streamed disposal report
(`disposal_selectors.stream_due`), read in chunks so memory stays flat; documents due but
held are listed as skipped with the hold's reason. Archived packages come from `due.py`.
The list is one transaction: it exists complete or not at all."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from itertools import islice

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from diarium.archive.models import DisposalItem, DisposalRun, ItemKind, ItemState
from diarium.audit import services as audit
from diarium.core import actors
from diarium.core.actors import Actor
from diarium.organisation.models import Authority, User
from diarium.plan.models import RecordType
from diarium.registry import disposal_selectors as registry_due
from diarium.registry.models import DocumentFile, Hold

from . import access
from .due import packages_due

CHUNK = 1000


def create_run(actor: Actor, authority: Authority, *, due_on: dt.date | None = None,
               record_type: RecordType | None = None) -> DisposalRun:
    """Freeze the authority's disposal list for `due_on` (default today). A person draws
    it up, and another person decides on it (the four-eyes rule)."""
    actors.require_person(actor, _("A disposal list is drawn up by a person."))
    actors.require(actor, "disposal.propose", lambda user: access.handles(user, authority.pk),
                   _("Only the authority's archivists and administrators may draw up "
                     "disposal lists."))
    today = timezone.localdate()
    due_on = due_on or today
    if due_on > today:
        raise ValidationError({"due_on": _("A disposal list cannot be drawn up for a future "
                                           "day: nothing may be disposed of before its date.")})
    for _attempt in range(5):
        try:
            with transaction.atomic():
                return _create(actor, authority, due_on, record_type)
        except IntegrityError:  # two lists numbered at once: number again
            continue
    raise ValidationError(_("The list could not be numbered; try again."))


def _create(actor: User, authority: Authority, due_on: dt.date,
            record_type: RecordType | None) -> DisposalRun:
    now = timezone.now()
    year = timezone.localdate(now).year
    last = DisposalRun.objects.filter(authority=authority, year=year).aggregate(
        n=Max("number"))["n"] or 0
    run = DisposalRun.objects.create(
        authority=authority, year=year, number=last + 1, due_on=due_on,
        record_type=record_type, created_by=actor, created_at=now)
    criteria = registry_due.DueCriteria(
        on=due_on, authority_ids=frozenset({authority.pk}),
        record_type_id=record_type.pk if record_type else None)
    position = 0
    rows = registry_due.stream_due(actor, criteria, chunk_size=CHUNK)
    for chunk in _chunks(rows):
        position = _add_documents(run, chunk, position)
    held = _held_rows(actor, criteria)
    for chunk in _chunks(held):
        position = _add_documents(run, chunk, position, held=True)
    packages = []
    for due in packages_due(authority.pk, due_on, criteria.record_type_id):
        position += 1
        packages.append(_package_item(run, due, position))
    DisposalItem.objects.bulk_create(packages, batch_size=CHUNK)
    pending = run.items.filter(state=ItemState.PENDING).count()
    if not pending:
        raise ValidationError(_("Nothing of the authority is due for disposal then."))
    run.item_count = position
    run.save(update_fields=["item_count"])
    audit.record(actor=actor, action="archive.disposal_proposed", obj=run,
                 chain=f"authority:{authority.pk}",
                 after={"list": run.label, "due_on": due_on, "items": position,
                        "pending": pending,
                        "record_type": record_type.pk if record_type else None})
    return run


def _chunks(rows: Iterable[dict]) -> Iterator[list[dict]]:
    iterator = iter(rows)
    while chunk := list(islice(iterator, CHUNK)):
        yield chunk


def _held_rows(actor: User, criteria: registry_due.DueCriteria) -> Iterator[dict]:
    labels, codes = registry_due.RuleLabels(), registry_due.authority_codes()
    for row in registry_due.held_due_documents(actor, criteria).iterator(chunk_size=CHUNK):
        yield registry_due.present(row, labels, codes)


def _add_documents(run: DisposalRun, rows: list[dict], position: int,
                   held: bool = False) -> int:
    ids = [row["document_id"] for row in rows]
    files: dict = {}
    for f in DocumentFile.objects.filter(document_id__in=ids).order_by("added_at").values(
            "document_id", "original_name", "content_id", "size", "mime_type"):
        files.setdefault(f["document_id"], []).append(
            {"name": f["original_name"], "sha256": f["content_id"], "size": f["size"],
             "mime_type": f["mime_type"]})
    reasons = _hold_reasons(rows) if held else {}
    items = []
    for row in rows:
        position += 1
        own = files.get(row["document_id"], [])
        items.append(DisposalItem(
            run=run, position=position, kind=ItemKind.DOCUMENT, document_id=row["document_id"],
            identifier=row["document_number"], case_id=row["case_id"],
            case_diary_number=row["document_number"].rsplit(":", 1)[0],
            title=row["description"][:1000], is_secret=row["is_secret"],
            record_type=row["record_type"], rule_id=row["rule_id"],
            decision=row["decision"], plan_version=_version(row),
            disposal_date=row["disposal_date"], files=own, file_count=len(own),
            size=sum(f["size"] for f in own),
            state=ItemState.SKIPPED if held else ItemState.PENDING, held=held,
            reason=reasons.get(row["document_id"], "")))
    DisposalItem.objects.bulk_create(items, batch_size=CHUNK)
    return position


def _version(row: dict) -> str:
    return f"{row['plan_version']} ({row['plan_decision']})".strip()


def _hold_reasons(rows: list[dict]) -> dict:
    """Document id -> the text of an active hold on it or on its case."""
    ids = [row["document_id"] for row in rows]
    case_of = {row["document_id"]: row["case_id"] for row in rows}
    by_document, by_case = {}, {}
    holds = Hold.objects.filter(released_at__isnull=True).filter(
        Q(document_id__in=ids) | Q(case_id__in=set(case_of.values())))
    for hold in holds:
        text = f"{hold.get_kind_display()}: {hold.reason}"
        if hold.document_id:
            by_document.setdefault(hold.document_id, text)
        else:
            by_case.setdefault(hold.case_id, text)
    return {doc: by_document.get(doc) or by_case.get(case_of[doc], "") for doc in ids}


def _package_item(run: DisposalRun, due, position: int) -> DisposalItem:
    package = due.package
    return DisposalItem(
        run=run, position=position, kind=ItemKind.PACKAGE, package=package,
        identifier=package.objid or str(package.pk),
        case_id=due.case_ids[0] if len(due.case_ids) == 1 else None,
        case_diary_number=due.reference[:64], title=due.title[:1000],
        is_secret=due.is_secret, record_type=due.record_type[:500],
        rule=due.rule, decision=due.decision[:500], plan_version=due.plan_version[:300],
        disposal_date=due.disposal_date, file_count=package.file_count, size=package.size,
        state=ItemState.SKIPPED if due.hold else ItemState.PENDING, held=bool(due.hold),
        reason=due.hold)
