"""Bringing registrations in from a former diarium with their original numbers
(docs/migrate-diary.md): cases with their documents, parties, secrecy markings and files,
each marked with the system it came from (`migrated_from`).

The invariants of a registration made in Diarium hold, written in bulk:
- numbers: a case keeps its number, which must be free in its series and year. The
  counter of the series and year moves up to it and remembers it (`migrated_last`), so
  Diarium's own numbers continue after the highest number brought in and never give one
  of them again (services/cases.py `_allocate_number`, and a check constraint on the
  counter). A number above numbers Diarium has already given of its own in that year is
  refused: it would come after them and leave them with a gap.
- audit: a `case.migrated` event per case and a `document.migrated` event per document in
  the authority's chain, naming the source; `party.created` for each new contact;
- search: the same index entries as a registration (registry/indexing.py);
- disposal: each document's outcome and date from its plan rule and the case's end
  (registry/disposal_dates.py), as when a case is closed in Diarium;
- idempotence: MigratedRecord keeps each case's id in its source with the hash of what was
  read, so the same export brought in again adds nothing.

`problems` (and `number_problems`) check without writing, so that a reader can check a
whole export before anything is written; `bring_in` checks again under the counters'
locks and refuses the whole batch on any problem."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from diarium.audit import services as audit
from diarium.core import actors
from diarium.core.actors import Actor
from diarium.core.transactions import atomic_with_retry
from diarium.documents.models import StoredFile
from diarium.organisation.models import Authority, User
from diarium.organisation.selectors import REGISTRY_ROLES
from diarium.plan import selectors as plan
from diarium.plan.models import PlanVersion, RecordTypeRule, VersionStatus
from diarium.registry import disposal_dates, indexing, signals
from diarium.registry.models import (
    Case,
    CaseParty,
    CaseStatus,
    DiaryCounter,
    DiarySeries,
    Direction,
    Document,
    DocumentFile,
    DocumentStatus,
    MigratedRecord,
    Party,
    PartyKind,
)
from diarium.registry.services._common import (
    Secrecy,
    _require,
    case_snapshot,
    document_snapshot,
)
from diarium.registry.services.parties import _normalise_identity

CASE, PARTY = "case", "party"
CASE_STATUSES = (CaseStatus.OPEN, CaseStatus.DORMANT, CaseStatus.CLOSED, CaseStatus.VOID)
DOCUMENT_STATUSES = (DocumentStatus.REGISTERED, DocumentStatus.VOID)
CONTACT_FIELDS = ("address", "postal_code", "city", "email", "phone")


@dataclass
class MigratedFile:
    """A file of a document, already stored (documents.services.store_content)."""

    content: StoredFile
    name: str
    mime_type: str


@dataclass
class MigratedParty:
    kind: str
    name: str
    identity_number: str = ""  # as written; normalised when brought in
    role: str = ""
    contact: dict[str, str] = field(default_factory=dict)  # address, postal_code, city, …
    source_id: str = ""  # the source's own id for the contact, when it has a register


@dataclass
class MigratedDocument:
    number: int
    direction: str
    title: str
    document_date: dt.date
    registered_at: dt.datetime
    public_title: str = ""
    record_type: str = ""  # a record type's name in the authority's plan, or ""
    sender_recipient: str = ""
    status: str = DocumentStatus.REGISTERED
    voided_at: dt.datetime | None = None
    void_reason: str = ""
    secrecy: Secrecy = field(default_factory=Secrecy)  # marked_on: the original date
    files: list[MigratedFile] = field(default_factory=list)


@dataclass
class MigratedCase:
    source: str  # the system it comes from, e.g. "Public 360"
    source_id: str  # its id there
    sha256: str  # of what was read, to notice a changed source
    where: str  # where in the source, for the history: "cases.csv:12"
    series: DiarySeries
    year: int
    number: int
    diary_number: str  # as the former diarium wrote it
    title: str
    opened_at: dt.datetime
    public_title: str = ""
    classification_code: str = ""
    status: str = CaseStatus.OPEN
    closed_at: dt.datetime | None = None
    closing_note: str = ""
    voided_at: dt.datetime | None = None
    void_reason: str = ""
    follow_up_date: dt.date | None = None
    responsible_officer: User | None = None
    secrecy: Secrecy = field(default_factory=Secrecy)
    documents: list[MigratedDocument] = field(default_factory=list)
    parties: list[MigratedParty] = field(default_factory=list)


@dataclass(frozen=True)
class Problem:
    """What is wrong with a case brought in: the field, and the document (its number) or
    party (its position) it belongs to when it is not the case's own."""

    field: str
    message: str
    document: int | None = None
    party: int | None = None


@dataclass
class BroughtIn:
    cases: int = 0
    documents: int = 0
    parties: int = 0
    files: int = 0

    def add(self, other: BroughtIn) -> None:
        self.cases += other.cases
        self.documents += other.documents
        self.parties += other.parties
        self.files += other.files


class MigrationRefused(ValidationError):
    """bring_in found problems: nothing of the batch was written. `problems` maps the
    position of each case in the batch to its problems."""

    def __init__(self, problems: dict[int, list[Problem]]) -> None:
        self.problems = problems
        first = next(iter(problems.values()))[0]
        super().__init__(first.message)


def require_may_migrate(actor: Actor, authority: Authority) -> None:
    _require(actor, authority.pk, REGISTRY_ROLES, "registry.migrate")


# --- the plan's rules, for many documents ------------------------------------------------


class RuleFinder:
    """A document's plan rule by record type name: the plan in force on the day it was
    registered, else (registered before the authority adopted a plan in Diarium) the plan in
    force today. Cached for the many documents of an import."""

    def __init__(self) -> None:
        self._adopted: dict[object, list[tuple[dt.date, int, object]]] = {}
        self._names: dict[object, dict[str, list[uuid.UUID]]] = {}
        self._rules: dict[uuid.UUID, RecordTypeRule] = {}
        self.today = timezone.localdate()

    def _version(self, authority_id, on: dt.date):
        """plan.version_in_force, from the authority's adopted versions read once."""
        if authority_id not in self._adopted:
            self._adopted[authority_id] = sorted(
                PlanVersion.objects.filter(plan__authority_id=authority_id,
                                           status=VersionStatus.ADOPTED)
                .values_list("valid_from", "number", "pk"), reverse=True)
        return next((pk for valid_from, _n, pk in self._adopted[authority_id]
                     if valid_from <= on), None)

    def _named(self, version_id, name: str) -> list[uuid.UUID]:
        if version_id not in self._names:
            names: dict[str, list[uuid.UUID]] = {}
            for pk, rule_name in RecordTypeRule.objects.filter(version_id=version_id) \
                    .values_list("pk", "name"):
                names.setdefault(rule_name.casefold(), []).append(pk)
            self._names[version_id] = names
        return self._names[version_id].get(name.casefold(), [])

    def find(self, authority_id, name: str, on: dt.date) -> RecordTypeRule | None:
        """None for no record type; ValidationError (key record_type) when the plan has
        none or several of that name."""
        name = name.strip()
        if not name:
            return None
        found: list[uuid.UUID] = []
        for day in (on, self.today):
            version = self._version(authority_id, day)
            if version is not None:
                found = self._named(version, name)
                if found:
                    break
        if len(found) != 1:
            message = (_("The authority's document management plan has no record type "
                         "“%(value)s”.") if not found else
                       _("Several record types are named “%(value)s”.")) % {"value": name}
            raise ValidationError({"record_type": message})
        if found[0] not in self._rules:
            self._rules[found[0]] = plan.get_rule(found[0])
        return self._rules[found[0]]


# --- checks ----------------------------------------------------------------------------


def _when(value: dt.datetime | dt.date | None) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return timezone.localdate(value)
    return value


def problems(case: MigratedCase, rules: RuleFinder) -> list[Problem]:
    """What keeps the case from being brought in, apart from its number (number_problems)."""
    found: list[Problem] = []
    today = timezone.localdate()

    def add(name: str, message: str, **where) -> None:
        found.append(Problem(name, message, **where))

    if not case.title.strip():
        add("title", _("A case needs a title."))
    if case.number < 1:
        add("number", _("A diary number's running number is 1 or more."))
    if not 1800 <= case.year <= today.year:
        add("year", _("The year %(year)s is not a year a case was opened in.") % {
            "year": case.year})
    if case.status not in CASE_STATUSES:
        add("status", _("Unknown case status “%(value)s”.") % {"value": case.status})
    if _when(case.opened_at) > today:
        add("opened", _("The case was opened in the future."))
    if case.status == CaseStatus.CLOSED and case.closed_at is None:
        add("closed", _("A closed case needs the date it was closed."))
    if case.closed_at is not None and case.closed_at < case.opened_at:
        add("closed", _("The case was closed before it was opened."))
    if case.status == CaseStatus.VOID:
        if case.voided_at is None:
            add("voided", _("A voided case needs the date it was voided."))
        if not case.void_reason.strip():
            add("void_reason", _("A voided case needs the reason it was voided."))
    numbers: set[int] = set()
    for doc in case.documents:
        found += _document_problems(case, doc, rules, numbers, today)
    for position, party in enumerate(case.parties):
        if party.kind not in PartyKind.values:
            add("kind", _("Unknown kind of party."), party=position)
        if not party.name.strip():
            add("name", _("A party needs a name."), party=position)
        try:
            _normalise_identity(party.kind, party.identity_number)
        except ValidationError as exc:
            add("identity_number", exc.message_dict["identity_number"][0], party=position)
    return found


def _document_problems(case: MigratedCase, doc: MigratedDocument, rules: RuleFinder,
                       numbers: set[int], today: dt.date) -> list[Problem]:
    found: list[Problem] = []

    def add(name: str, message: str) -> None:
        found.append(Problem(name, message, document=doc.number))

    if doc.number < 1:
        add("number", _("A document's number in its case is 1 or more."))
    elif doc.number in numbers:
        add("number", _("The case has two documents numbered %(n)s.") % {"n": doc.number})
    numbers.add(doc.number)
    if doc.direction not in Direction.values:
        add("direction", _("Unknown direction “%(value)s”.") % {"value": doc.direction})
    if not doc.title.strip():
        add("title", _("A document needs a description."))
    if doc.document_date > today + dt.timedelta(days=1):
        add("document_date", _("The document date lies in the future."))
    if _when(doc.registered_at) > today:
        add("registered", _("The document was registered in the future."))
    if doc.status not in DOCUMENT_STATUSES:
        add("status", _("Unknown document status “%(value)s”.") % {"value": doc.status})
    if doc.status == DocumentStatus.VOID and not doc.void_reason.strip():
        add("void_reason", _("A voided document needs the reason it was voided."))
    try:
        rules.find(case.series.authority_id, doc.record_type, _when(doc.registered_at))
    except ValidationError as exc:
        add("record_type", exc.message_dict["record_type"][0])
    return found


def counters(keys: Iterable[tuple]) -> dict[tuple, tuple[int, int]]:
    """(last number given, highest number brought in) per (series id, year); (0, 0) where
    no number was given yet."""
    keys = set(keys)
    found = dict.fromkeys(keys, (0, 0))
    if not keys:
        return found
    query = Q()
    for series_id, year in keys:
        query |= Q(series_id=series_id, year=year)
    for counter in DiaryCounter.objects.filter(query):
        found[(counter.series_id, counter.year)] = (counter.last_number, counter.migrated_last)
    return found


def taken_numbers(cases: list[MigratedCase]) -> set:
    """The numbers among the cases' that the registry holds: (series, year, number) and
    diary numbers as written."""
    if not cases:
        return set()
    rows = Case.objects.filter(
        Q(diary_number__in=[c.diary_number for c in cases])
        | Q(series_id__in={c.series.pk for c in cases}, year__in={c.year for c in cases},
            number__in={c.number for c in cases})
    ).values_list("series_id", "year", "number", "diary_number")
    taken: set = set()
    for series_id, year, number, diary_number in rows:
        taken.add((series_id, year, number))
        taken.add(diary_number)
    return taken


def number_problem(case: MigratedCase, counter: tuple[int, int], taken: set) -> Problem | None:
    """Why the case's number cannot be brought in: taken, or after Diarium's own numbers of
    the year. counter: (last number given, highest number brought in) of its series and
    year."""
    last, migrated = counter
    if (case.series.pk, case.year, case.number) in taken or case.diary_number in taken:
        return Problem("diary_number", _(
            "The diary number %(number)s is already in the registry.") % {
            "number": case.diary_number})
    if last > migrated and case.number > migrated:
        return Problem("diary_number", _(
            "Diarium has already given numbers of its own in %(series)s %(year)s, up to "
            "%(last)s; a number brought in must lie below them.") % {
            "series": case.series.code, "year": case.year, "last": last})
    return None


# --- writing ---------------------------------------------------------------------------


@atomic_with_retry
def bring_in(actor: Actor, cases: list[MigratedCase], *, run: uuid.UUID,
             rules: RuleFinder | None = None) -> BroughtIn:
    """Write a batch of cases with their documents, parties and files, in one transaction.
    Raises MigrationRefused (nothing written) when any case has a problem, and
    PermissionDenied unless the actor may bring cases in to every authority involved."""
    rules = rules or RuleFinder()
    authorities = {c.series.authority_id: c.series.authority for c in cases}
    for authority in authorities.values():
        require_may_migrate(actor, authority)
    counters = _locked_counters(cases)
    taken = taken_numbers(cases)
    found: dict[int, list[Problem]] = {}
    claimed: set = set()
    for position, case in enumerate(cases):
        key = (case.series.pk, case.year, case.number)
        listed = problems(case, rules)
        counter = counters[key[:2]]
        number = number_problem(case, (counter.last_number, counter.migrated_last), taken)
        if number is None and key in claimed:
            number = Problem("diary_number", _(
                "The diary number %(number)s comes twice in what is brought in.") % {
                "number": case.diary_number})
        claimed.add(key)
        if number is not None:
            listed.append(number)
        if listed:
            found[position] = listed
    if found:
        raise MigrationRefused(found)
    for case in cases:
        counter = counters[(case.series.pk, case.year)]
        counter.migrated_last = max(counter.migrated_last, case.number)
        counter.last_number = max(counter.last_number, counter.migrated_last)
    DiaryCounter.objects.bulk_update(list(counters.values()), ["last_number", "migrated_last"])
    return _write(actor, cases, run, rules)


def _locked_counters(cases: list[MigratedCase]) -> dict[tuple, DiaryCounter]:
    """The counters of the batch's series and years, locked in a fixed order (the same
    order as two batches would lock them) until the transaction ends."""
    keys = sorted({(c.series.pk, c.year) for c in cases}, key=lambda k: (str(k[0]), k[1]))
    DiaryCounter.objects.bulk_create(
        [DiaryCounter(series_id=s, year=y) for s, y in keys], ignore_conflicts=True)
    query = Q()
    for series_id, year in keys:
        query |= Q(series_id=series_id, year=year)
    locked = DiaryCounter.objects.select_for_update().filter(query).order_by("series_id",
                                                                            "year")
    return {(c.series_id, c.year): c for c in locked}


@dataclass
class _Batch:
    """What one batch writes, gathered before the inserts."""

    cases: list[Case] = field(default_factory=list)
    documents: list[Document] = field(default_factory=list)
    files: list[DocumentFile] = field(default_factory=list)
    links: list[CaseParty] = field(default_factory=list)
    new_parties: list[Party] = field(default_factory=list)
    records: list[MigratedRecord] = field(default_factory=list)
    events: list[audit.Pending] = field(default_factory=list)
    party_names: dict[uuid.UUID, list[str]] = field(default_factory=dict)


def _write(actor: Actor, cases: list[MigratedCase], run: uuid.UUID,
           rules: RuleFinder) -> BroughtIn:
    batch, now = _Batch(), timezone.now()
    parties = _Parties(actor, cases, batch, run, now)
    for item in cases:
        case = _case(actor, item)
        batch.cases.append(case)
        names, linked = [], set()
        for party in item.parties:
            contact, role = parties.contact(item, party), party.role.strip()
            if (contact.pk, role) not in linked:  # the same party twice in the same role
                linked.add((contact.pk, role))
                batch.links.append(CaseParty(case=case, party=contact, role=role))
                names.append(contact.name)
        batch.party_names[case.pk] = names
        for doc in item.documents:
            _document(actor, item, case, doc, rules, batch)
        batch.records.append(MigratedRecord(
            source=item.source, kind=CASE, source_id=item.source_id, sha256=item.sha256,
            object_id=case.pk, run=run, imported_at=now))
        batch.events.append(audit.Pending(
            action="case.migrated", obj=case, chain=f"authority:{case.authority_id}",
            case_id=case.pk, after=case_snapshot(case) | {
                "migrated_from": f"{item.source}: {item.where}",
                "opened_at": case.opened_at, "closed_at": case.closed_at,
                "voided_at": case.voided_at,
                "parties": [[p.name, p.role] for p in item.parties]}))
    # Documents' events after their case's, in the order they were read.
    batch.events.sort(key=lambda e: e.action != "case.migrated")
    Party.objects.bulk_create(batch.new_parties, batch_size=500)
    Case.objects.bulk_create(batch.cases, batch_size=500)
    CaseParty.objects.bulk_create(batch.links, batch_size=500)
    Document.objects.bulk_create(batch.documents, batch_size=500)
    DocumentFile.objects.bulk_create(batch.files, batch_size=500)
    MigratedRecord.objects.bulk_create(batch.records, batch_size=500)
    audit.record_many(actor=actor, events=batch.events)
    indexing.index_many([(c, batch.party_names[c.pk]) for c in batch.cases], batch.documents)
    signals.changed(c.pk for c in batch.cases)
    return BroughtIn(cases=len(batch.cases), documents=len(batch.documents),
                     parties=len(batch.new_parties), files=len(batch.files))


def _case(actor: Actor, item: MigratedCase) -> Case:
    series = item.series
    case = Case(
        series=series, authority_id=series.authority_id, year=item.year, number=item.number,
        diary_number=item.diary_number, title=item.title.strip(),
        public_title=item.public_title.strip(),
        classification_code=item.classification_code.strip(),
        responsible_officer=item.responsible_officer, follow_up_date=item.follow_up_date,
        status=item.status, opened_at=item.opened_at,
        closed_at=item.closed_at if item.status == CaseStatus.CLOSED else None,
        closing_note=item.closing_note.strip(),
        voided_at=item.voided_at if item.status == CaseStatus.VOID else None,
        void_reason=item.void_reason.strip() if item.status == CaseStatus.VOID else "",
        document_count=max((d.number for d in item.documents), default=0),
        created_by=actors.user_of(actor), migrated_from=item.source,
    )
    _mark(case, item.secrecy, series.authority, _when(item.opened_at))
    return case


def _mark(obj, secrecy: Secrecy, authority: Authority, default_day: dt.date | None) -> None:
    """The source's own marking, with its own date (else the day of the record)."""
    dated = Secrecy(secrecy.provision, secrecy.marked_on or default_day,
                    secrecy.withhold_title, secrecy.withhold_parties, secrecy.withhold_files,
                    brought_in=True)
    dated.apply(obj, authority)


def _document(actor: Actor, item: MigratedCase, case: Case, doc: MigratedDocument,
              rules: RuleFinder, batch: _Batch) -> None:
    rule = rules.find(case.authority_id, doc.record_type, _when(doc.registered_at))
    voided = doc.status == DocumentStatus.VOID
    document = Document(
        case=case, number=doc.number, direction=doc.direction,
        record_type_id=rule.record_type_id if rule else None, rule=rule,
        title=doc.title.strip(), public_title=doc.public_title.strip(),
        document_date=doc.document_date, registered_at=doc.registered_at,
        sender_recipient=doc.sender_recipient.strip(), status=doc.status,
        voided_at=(doc.voided_at or doc.registered_at) if voided else None,
        void_reason=doc.void_reason.strip() if voided else "",
        created_by=actors.user_of(actor), migrated_from=item.source,
    )
    _mark(document, doc.secrecy, item.series.authority, doc.document_date)
    disposal_dates.apply(document, case)
    batch.documents.append(document)
    for file in doc.files:
        batch.files.append(DocumentFile(document=document, content=file.content,
                                        original_name=file.name, mime_type=file.mime_type,
                                        size=file.content.size))
    batch.events.append(audit.Pending(
        action="document.migrated", obj=document, chain=f"authority:{case.authority_id}",
        case_id=case.pk, after=document_snapshot(document) | {
            "files": [[f.name, f.content.sha256] for f in doc.files],
            "migrated_from": f"{item.source}: {item.where}",
            "registered_at": document.registered_at}))


class _Parties:
    """Contacts for the batch's parties: one contact per identity number (the register's,
    when it has one), one per contact id of the source, else one per party."""

    def __init__(self, actor: Actor, cases: list[MigratedCase], batch: _Batch,
                 run: uuid.UUID, now: dt.datetime) -> None:
        self.actor, self.batch, self.run, self.now = actor, batch, run, now
        numbers = {_normalise_identity(p.kind, p.identity_number)
                   for c in cases for p in c.parties if p.identity_number.strip()}
        self.by_number: dict[str, Party] = {}
        for party in Party.objects.filter(identity_number__in=numbers).order_by("-created_at"):
            self.by_number[party.identity_number] = party  # the oldest wins
        sources = {(c.source, p.source_id) for c in cases for p in c.parties if p.source_id}
        self.by_source: dict[tuple, Party] = {}
        if sources:
            known = MigratedRecord.objects.filter(
                kind=PARTY, source__in={s for s, _i in sources},
                source_id__in={i for _s, i in sources})
            ids = {(r.source, r.source_id): r.object_id for r in known}
            found = Party.objects.in_bulk(list(ids.values()))
            self.by_source = {key: found[pk] for key, pk in ids.items() if pk in found}

    def contact(self, item: MigratedCase, party: MigratedParty) -> Party:
        number = _normalise_identity(party.kind, party.identity_number)
        key = (item.source, party.source_id) if party.source_id else None
        found = (self.by_number.get(number) if number else None) or (
            self.by_source.get(key) if key else None)
        if found is None:
            found = self._create(item, party, number)
        if number:
            self.by_number.setdefault(number, found)
        if key and key not in self.by_source:
            self.by_source[key] = found
            self.batch.records.append(MigratedRecord(
                source=item.source, kind=PARTY, source_id=party.source_id, sha256="",
                object_id=found.pk, run=self.run, imported_at=self.now))
        return found

    def _create(self, item: MigratedCase, party: MigratedParty, number: str) -> Party:
        contact = {k: v.strip() for k, v in party.contact.items() if k in CONTACT_FIELDS}
        made = Party(kind=party.kind, name=party.name.strip(), identity_number=number,
                     created_by=actors.user_of(self.actor), **contact)
        made.created_at = self.now
        self.batch.new_parties.append(made)
        self.batch.events.append(audit.Pending(
            action="party.created", obj=made,
            after={"name": made.name, "migrated_from": f"{item.source}: {item.where}"}))
        return made


def imported(source: str, source_ids: Iterable[str]) -> dict[str, str]:
    """The cases of a source already brought in, among these ids: source id -> hash."""
    return dict(MigratedRecord.objects.filter(
        source=source, kind=CASE, source_id__in=list(source_ids)).values_list(
        "source_id", "sha256"))
