"""Every write to the registry: one function per use case, transactional, audited.

Views, the API, the command line and tasks all call these; none writes a model itself."""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import BinaryIO

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from diarium.audit import services as audit
from diarium.core.transactions import atomic_with_retry
from diarium.documents.models import StoredFile
from diarium.documents.services import guess_mime_type, store_content
from diarium.organisation.models import Authority, Municipality, Unit, User
from diarium.organisation.selectors import REGISTERING_ROLES, REGISTRY_ROLES, access_for
from diarium.registry import disposal_dates, enforcement, indexing, selectors
from diarium.registry.identity import (
    InvalidIdentity,
    normalise_organisationsnummer,
    normalise_personnummer,
)
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
    InboxFile,
    InboxItem,
    InboxStatus,
    Party,
    PartyKind,
    format_diary_number,
)

MAX_NAME_LENGTH = 255


@dataclass
class Secrecy:
    """A secrecy marking as given by a user; empty provision means no marking."""

    provision: str = ""
    marked_on: dt.date | None = None
    withhold_title: bool = False
    withhold_parties: bool = False
    withhold_files: bool = False

    def apply(self, obj, authority: Authority) -> None:
        provision = self.provision.strip()
        obj.secrecy_provision = provision
        obj.secrecy_marked_on = (self.marked_on or timezone.localdate()) if provision else None
        obj.secrecy_authority = authority if provision else None
        obj.withhold_title = self.withhold_title and bool(provision)
        obj.withhold_parties = self.withhold_parties and bool(provision)
        obj.withhold_files = self.withhold_files and bool(provision)


@dataclass
class Upload:
    """A file as it arrives: a readable stream and the name the sender gave it."""

    stream: BinaryIO
    name: str
    content_type: str | None = None


@dataclass
class StoredUpload:
    content: StoredFile
    name: str
    mime_type: str


@dataclass
class CaseData:
    title: str
    public_title: str = ""
    classification_code: str = ""
    responsible_officer: User | None = None
    responsible_unit: Unit | None = None
    municipality: Municipality | None = None
    follow_up_date: dt.date | None = None
    secrecy: Secrecy = field(default_factory=Secrecy)


def _require(actor: User, authority_id, roles: Iterable[str]) -> None:
    if not access_for(actor).has(authority_id, roles):
        raise PermissionDenied(_("You lack the role needed for this in this authority."))


def _require_open(case: Case) -> None:
    if case.status == CaseStatus.VOID:
        raise ValidationError({"case": _("The case is voided.")})
    if case.status == CaseStatus.DISPOSED:
        raise ValidationError({"case": _("The case is disposed of.")})


def case_snapshot(case: Case) -> dict:
    return {
        "diary_number": case.diary_number,
        "title": case.title,
        "public_title": case.public_title,
        "classification_code": case.classification_code,
        "responsible_officer": case.responsible_officer_id,
        "responsible_unit": case.responsible_unit_id,
        "municipality": case.municipality_id,
        "status": case.status,
        "follow_up_date": case.follow_up_date,
        "secrecy_provision": case.secrecy_provision,
        "withhold": [case.withhold_title, case.withhold_parties, case.withhold_files],
        "closing_note": case.closing_note,
        "void_reason": case.void_reason,
    }


def document_snapshot(doc: Document) -> dict:
    return {
        "number": doc.number,
        "direction": doc.direction,
        "record_type": doc.rule.name if doc.rule_id else "",
        "plan_rule": doc.rule_id,
        "title": doc.title,
        "public_title": doc.public_title,
        "document_date": doc.document_date,
        "sender_recipient": doc.sender_recipient,
        "party": doc.party_id,
        "status": doc.status,
        "secrecy_provision": doc.secrecy_provision,
        "withhold": [doc.withhold_title, doc.withhold_parties, doc.withhold_files],
        "void_reason": doc.void_reason,
    }


def _validate_case_data(data: CaseData, authority: Authority, current_code: str = "") -> None:
    """current_code: the case's classification so far, which stays valid even when the
    plan has moved on; a new code must be a process of the plan in force."""
    errors = {}
    if not data.title.strip():
        errors["title"] = _("A case needs a title.")
    code = data.classification_code.strip()
    if code != current_code:
        wrong = enforcement.check_classification(authority.pk, code, timezone.localdate())
        if wrong:
            errors["classification_code"] = wrong
    officer = data.responsible_officer
    if officer is not None and not access_for(officer).has_any_role(authority.pk):
        errors["responsible_officer"] = _("The officer holds no role in this authority.")
    members = authority.member_municipalities
    outside = data.municipality and not members.filter(pk=data.municipality.pk).exists()
    if outside and members.exists():
        errors["municipality"] = _("The municipality is not a member of this joint board.")
    if errors:
        raise ValidationError(errors)


def _allocate_number(series: DiarySeries, year: int) -> int:
    """The next number in the series and year. The counter row stays locked until the
    calling transaction commits, which is what makes the numbers gap-free."""
    DiaryCounter.objects.bulk_create(
        [DiaryCounter(series=series, year=year, last_number=0)], ignore_conflicts=True
    )
    counter = DiaryCounter.objects.select_for_update().get(series=series, year=year)
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    return counter.last_number


@atomic_with_retry
def open_case(actor: User, series: DiarySeries, data: CaseData) -> Case:
    """Open a case in a diary series and give it the next diarienummer."""
    _require(actor, series.authority_id, REGISTERING_ROLES)
    if not series.active:
        raise ValidationError({"series": _("The diary series is closed.")})
    _validate_case_data(data, series.authority)
    now = timezone.now()
    year = timezone.localtime(now).year
    case = Case(
        series=series,
        authority_id=series.authority_id,
        year=year,
        title=data.title.strip(),
        public_title=data.public_title.strip(),
        classification_code=data.classification_code.strip(),
        responsible_officer=data.responsible_officer,
        responsible_unit=data.responsible_unit,
        municipality=data.municipality,
        follow_up_date=data.follow_up_date,
        opened_at=now,
        created_by=actor,
    )
    data.secrecy.apply(case, series.authority)
    # Everything else is checked; the number is taken last so its lock is held briefly.
    case.number = _allocate_number(series, year)
    case.diary_number = format_diary_number(series.code, year, case.number)
    case.save(force_insert=True)
    audit.record(
        actor=actor, action="case.opened", obj=case, chain=_chain(case), case_id=case.id,
        after=case_snapshot(case),
    )
    indexing.index_case(case)
    return case


def _chain(case: Case) -> str:
    return f"authority:{case.authority_id}"


def _locked_case(case: Case) -> Case:
    return Case.objects.select_for_update().select_related("authority", "series").get(pk=case.pk)


def _may_manage(actor: User, case: Case) -> bool:
    return selectors.can_manage_case(actor, case)


def _change_case(actor: User, case: Case, action: str, mutate) -> Case:
    case = _locked_case(case)
    if not _may_manage(actor, case):
        raise PermissionDenied(_("Only the registry or the responsible officer may do this."))
    before = case_snapshot(case)
    mutate(case)
    case.save()
    changed_before, changed_after = audit.diff(before, case_snapshot(case))
    audit.record(
        actor=actor, action=action, obj=case, chain=_chain(case), case_id=case.id,
        before=changed_before, after=changed_after,
    )
    indexing.index_case(case)
    return case


@atomic_with_retry
def update_case(actor: User, case: Case, data: CaseData) -> Case:
    def mutate(c: Case) -> None:
        _require_open(c)
        _validate_case_data(data, c.authority, c.classification_code)
        c.title = data.title.strip()
        c.public_title = data.public_title.strip()
        c.classification_code = data.classification_code.strip()
        c.responsible_officer = data.responsible_officer
        c.responsible_unit = data.responsible_unit
        c.municipality = data.municipality
        c.follow_up_date = data.follow_up_date
        data.secrecy.apply(c, c.authority)

    return _change_case(actor, case, "case.updated", mutate)


@atomic_with_retry
def close_case(actor: User, case: Case, note: str = "") -> Case:
    def mutate(c: Case) -> None:
        if c.status not in (CaseStatus.OPEN, CaseStatus.DORMANT):
            raise ValidationError({"status": _("Only an open or dormant case can be closed.")})
        c.status, c.closed_at, c.closing_note = CaseStatus.CLOSED, timezone.now(), note.strip()
        disposal_dates.recompute_case(c)

    return _change_case(actor, case, "case.closed", mutate)


@atomic_with_retry
def reopen_case(actor: User, case: Case) -> Case:
    def mutate(c: Case) -> None:
        if c.status not in (CaseStatus.CLOSED, CaseStatus.DORMANT):
            raise ValidationError({"status": _("Only a closed or dormant case can be reopened.")})
        c.status, c.closed_at = CaseStatus.OPEN, None
        disposal_dates.recompute_case(c)

    return _change_case(actor, case, "case.reopened", mutate)


@atomic_with_retry
def set_dormant(actor: User, case: Case) -> Case:
    def mutate(c: Case) -> None:
        if c.status != CaseStatus.OPEN:
            raise ValidationError({"status": _("Only an open case can be set dormant.")})
        c.status = CaseStatus.DORMANT

    return _change_case(actor, case, "case.dormant", mutate)


@atomic_with_retry
def void_case(actor: User, case: Case, reason: str) -> Case:
    """Void a case. It stays visible as voided and its number is never given again."""
    _require(actor, case.authority_id, REGISTRY_ROLES)
    if not reason.strip():
        raise ValidationError({"reason": _("Give a reason for voiding.")})

    def mutate(c: Case) -> None:
        if c.status == CaseStatus.VOID:
            raise ValidationError({"status": _("The case is already voided.")})
        if c.status == CaseStatus.DISPOSED:
            raise ValidationError({"status": _("The case is disposed of.")})
        c.status, c.voided_at, c.void_reason = CaseStatus.VOID, timezone.now(), reason.strip()
        disposal_dates.recompute_case(c)

    return _change_case(actor, case, "case.voided", mutate)


@atomic_with_retry
def relate_cases(actor: User, case: Case, other: Case) -> None:
    if case.pk == other.pk:
        raise ValidationError({"related": _("A case cannot be related to itself.")})
    _change_case(actor, case, "case.related", lambda c: c.related_cases.add(other))


@atomic_with_retry
def grant_case_access(actor: User, case: Case, user: User) -> None:
    """Add a user to the case's access group (who may read its secret content)."""
    if not access_for(user).has_any_role(case.authority_id):
        raise ValidationError({"user": _("The user holds no role in the case's authority.")})
    case = _locked_case(case)
    if not _may_manage(actor, case):
        raise PermissionDenied(_("Only the registry or the responsible officer may do this."))
    case.access_group.add(user)
    audit.record(
        actor=actor, action="case.access_granted", obj=case, chain=_chain(case),
        case_id=case.id, after={"user": user.get_username()},
    )


# --- parties -------------------------------------------------------------------------


def _normalise_identity(kind: str, identity: str) -> str:
    if not identity.strip():
        return ""
    try:
        if kind == PartyKind.PERSON:
            return normalise_personnummer(identity)
        return normalise_organisationsnummer(identity)
    except InvalidIdentity as exc:
        raise ValidationError({"identity_number": str(exc)}) from exc


@atomic_with_retry
def create_party(
    actor: User, *, kind: str, name: str, identity_number: str = "", **contact
) -> Party:
    if not access_for(actor).is_staff_member:
        raise PermissionDenied(_("Only staff may add contacts."))
    if kind not in PartyKind.values:
        raise ValidationError({"kind": _("Unknown kind of party.")})
    if not name.strip():
        raise ValidationError({"name": _("A party needs a name.")})
    party = Party(
        kind=kind, name=name.strip(),
        identity_number=_normalise_identity(kind, identity_number), **contact,
    )
    party.full_clean()
    party.save()
    audit.record(actor=actor, action="party.created", obj=party, after={"name": party.name})
    return party


@atomic_with_retry
def add_party(actor: User, case: Case, party: Party, role: str = "") -> CaseParty:
    case = _locked_case(case)
    _require(actor, case.authority_id, REGISTERING_ROLES)
    _require_open(case)
    if not selectors.can_read_case_content(actor, case):
        raise PermissionDenied(_("Only the case's access group may change a secret case."))
    link, _created = CaseParty.objects.get_or_create(case=case, party=party, role=role.strip())
    audit.record(
        actor=actor, action="case.party_added", obj=case, chain=_chain(case), case_id=case.id,
        after={"party": party.pk, "role": link.role},
    )
    indexing.index_case(case)
    return link


# --- documents -----------------------------------------------------------------------


def safe_file_name(name: str) -> str:
    """The last path component of a sender's file name, without control characters,
    shortened to fit while keeping its extension."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    base = "".join(ch for ch in base if ch.isprintable()).strip().lstrip(".") or "fil"
    if len(base) > MAX_NAME_LENGTH:
        stem, dot, ext = base.rpartition(".")
        ext = ext[:20] if dot else ""
        keep = MAX_NAME_LENGTH - len(ext) - 1
        base = (stem if dot else base)[:keep] + (f".{ext}" if ext else "")
    return base


def store_uploads(uploads: Iterable[Upload]) -> list[StoredUpload]:
    """Store file content before any transaction opens (content is write-once)."""
    result = []
    for upload in uploads:
        name = safe_file_name(upload.name)
        mime = guess_mime_type(name, upload.content_type)
        result.append(StoredUpload(store_content(upload.stream, mime_type=mime), name, mime))
    return result


@dataclass
class DocumentData:
    """record_type: a plan RecordType, its id or its name, or None. secrecy None means
    the record type's default secrecy from the plan (no marking when it has none)."""

    direction: str
    title: str
    document_date: dt.date
    public_title: str = ""
    record_type: object = None
    sender_recipient: str = ""
    party: Party | None = None
    secrecy: Secrecy | None = None


def default_secrecy(provision: str) -> Secrecy:
    """The marking a record type's default secrecy gives: everything withheld from the
    public until the officer decides otherwise (secrecy by construction)."""
    return Secrecy(provision=provision, withhold_title=bool(provision),
                   withhold_parties=bool(provision), withhold_files=bool(provision))


def _validate_document(data: DocumentData, authority_id=None) -> None:
    errors = {}
    if authority_id is not None:
        try:
            enforcement.resolve_rule(authority_id, data.record_type, timezone.localdate())
        except ValidationError as exc:
            errors |= exc.message_dict
    if data.direction not in Direction.values:
        errors["direction"] = _("Unknown direction.")
    if not data.title.strip():
        errors["title"] = _("A document needs a description.")
    if data.document_date and data.document_date > timezone.localdate() + dt.timedelta(days=1):
        errors["document_date"] = _("The document date lies in the future.")
    if errors:
        raise ValidationError(errors)


def register_document(
    actor: User, case: Case, data: DocumentData, uploads: Iterable[Upload] = ()
) -> Document:
    """Register a document in a case with its files (`KS 2026/42:3`)."""
    _require(actor, case.authority_id, REGISTERING_ROLES)
    _validate_document(data, case.authority_id)
    return _register_stored(actor, case, data, store_uploads(uploads))


def register_stored_document(
    actor: User, case: Case, data: DocumentData, files: list[StoredUpload]
) -> Document:
    """register_document for files already stored with store_uploads: for callers that
    wrap the registration in a transaction of their own (the API's idempotency record)
    and keep the streaming of file content outside it."""
    _require(actor, case.authority_id, REGISTERING_ROLES)
    _validate_document(data, case.authority_id)
    return _register_stored(actor, case, data, files)


@atomic_with_retry
def _register_stored(
    actor: User, case: Case, data: DocumentData, files: list[StoredUpload]
) -> Document:
    case = _locked_case(case)
    _require_open(case)
    rule = enforcement.resolve_rule(case.authority_id, data.record_type, timezone.localdate())
    case.document_count += 1
    case.save(update_fields=["document_count"])
    doc = Document(
        case=case,
        number=case.document_count,
        direction=data.direction,
        record_type_id=rule.record_type_id if rule else None,
        rule=rule,
        title=data.title.strip(),
        public_title=data.public_title.strip(),
        document_date=data.document_date,
        registered_at=timezone.now(),
        sender_recipient=data.sender_recipient.strip(),
        party=data.party,
        created_by=actor,
    )
    secrecy = data.secrecy or default_secrecy(enforcement.rule_secrecy(rule))
    secrecy.apply(doc, case.authority)
    disposal_dates.apply(doc, case)
    doc.save(force_insert=True)
    DocumentFile.objects.bulk_create(
        [
            DocumentFile(
                document=doc, content=f.content, original_name=f.name,
                mime_type=f.mime_type, size=f.content.size,
            )
            for f in files
        ]
    )
    after = document_snapshot(doc) | {"files": [[f.name, f.content.sha256] for f in files]}
    warnings = enforcement.warnings_for(rule, case.series)
    if warnings:
        after["plan_warnings"] = [w.code for w in warnings]  # registered despite them
    audit.record(
        actor=actor, action="document.registered", obj=doc, chain=_chain(case),
        case_id=case.id, after=after,
    )
    indexing.index_document(doc)
    return doc


@atomic_with_retry
def void_document(actor: User, document: Document, reason: str) -> Document:
    doc = Document.objects.select_for_update().select_related("case").get(pk=document.pk)
    _require(actor, doc.case.authority_id, REGISTRY_ROLES)
    if not reason.strip():
        raise ValidationError({"reason": _("Give a reason for voiding.")})
    if doc.status == DocumentStatus.VOID:
        raise ValidationError({"status": _("The document is already voided.")})
    if doc.status == DocumentStatus.DISPOSED:
        raise ValidationError({"status": _("The document is disposed of.")})
    doc.status, doc.voided_at, doc.void_reason = DocumentStatus.VOID, timezone.now(), reason.strip()
    doc.save(update_fields=["status", "voided_at", "void_reason"])
    audit.record(
        actor=actor, action="document.voided", obj=doc, chain=_chain(doc.case),
        case_id=doc.case_id, before={"status": DocumentStatus.REGISTERED},
        after={"status": doc.status, "void_reason": doc.void_reason},
    )
    return doc


@atomic_with_retry
def note_secret_read(actor: User, obj: Case | Document) -> None:
    """Audit that a user read a secret record's content."""
    case = obj if isinstance(obj, Case) else obj.case
    audit.record(
        actor=actor, action="secret.read", obj=obj, chain=_chain(case), case_id=case.id,
    )


@atomic_with_retry
def note_secret_reads(actor: User, objs: Iterable[Case | Document]) -> None:
    """note_secret_read for each of a page of records, in one transaction."""
    for obj in objs:
        note_secret_read(actor, obj)


def register_in_new_case(
    actor: User, series: DiarySeries, case_data: CaseData, data: DocumentData,
    uploads: Iterable[Upload] = (),
) -> Document:
    """Open a case and register its first document in one transaction, so that a failed
    registration never leaves an empty case behind. Files are stored before the number
    is taken."""
    _require(actor, series.authority_id, REGISTERING_ROLES)
    _validate_new_case(series, case_data, data)
    return _open_and_register(actor, series, case_data, data, store_uploads(uploads))


def _validate_new_case(series: DiarySeries, case_data: CaseData, data: DocumentData) -> None:
    """Check the case and the document together; the case's errors get a "case_" prefix."""
    errors: dict = {}
    try:
        _validate_case_data(case_data, series.authority)
    except ValidationError as exc:
        errors |= {f"case_{k}": v for k, v in exc.message_dict.items()}
    try:
        _validate_document(data, series.authority_id)
    except ValidationError as exc:
        errors |= exc.message_dict
    if errors:
        raise ValidationError(errors)


def register_stored_in_new_case(
    actor: User, series: DiarySeries, case_data: CaseData, data: DocumentData,
    files: list[StoredUpload],
) -> Document:
    """register_in_new_case for files already stored with store_uploads."""
    _require(actor, series.authority_id, REGISTERING_ROLES)
    _validate_new_case(series, case_data, data)
    return _open_and_register(actor, series, case_data, data, files)


@atomic_with_retry
def _open_and_register(
    actor: User, series: DiarySeries, case_data: CaseData, data: DocumentData,
    files: list[StoredUpload],
) -> Document:
    case = open_case(actor, series, case_data)
    return _register_stored(actor, case, data, files)


# --- inbox ---------------------------------------------------------------------------


def receive_mail(
    authority: Authority, *, sender: str, subject: str, body: str = "",
    uploads: Iterable[Upload] = (), received_at: dt.datetime | None = None,
) -> InboxItem:
    """Put incoming mail in the authority's inbox (from an e-mail gateway or e-service)."""
    if not subject.strip():
        raise ValidationError({"subject": _("Mail needs a subject.")})
    return _store_mail(authority, sender, subject, body, store_uploads(uploads), received_at)


@atomic_with_retry
def _store_mail(authority, sender, subject, body, files, received_at) -> InboxItem:
    item = InboxItem.objects.create(
        authority=authority, sender=sender.strip(), subject=subject.strip(), body=body,
        received_at=received_at or timezone.now(),
    )
    InboxFile.objects.bulk_create(
        [
            InboxFile(item=item, content=f.content, original_name=f.name,
                      mime_type=f.mime_type, size=f.content.size)
            for f in files
        ]
    )
    audit.record(
        actor=None, action="inbox.received", obj=item, chain=f"authority:{authority.pk}",
        after={"sender": item.sender, "subject": item.subject},
    )
    return item


@atomic_with_retry
def place_inbox_item(actor: User, item: InboxItem, case: Case, data: DocumentData) -> Document:
    """Register inbox mail as an incoming document in a case."""
    item = InboxItem.objects.select_for_update().get(pk=item.pk)
    _require(actor, item.authority_id, REGISTERING_ROLES)
    if item.status != InboxStatus.NEW:
        raise ValidationError({"item": _("The mail has already been placed.")})
    if case.authority_id != item.authority_id:
        raise ValidationError({"case": _("The case belongs to another authority.")})
    _validate_document(data, case.authority_id)
    files = [
        StoredUpload(f.content, f.original_name, f.mime_type)
        for f in InboxFile.objects.filter(item=item).select_related("content")
    ]
    doc = _register_stored(actor, case, data, files)
    item.status, item.document = InboxStatus.PLACED, doc
    item.save(update_fields=["status", "document"])
    return doc


@atomic_with_retry
def place_inbox_item_in_new_case(
    actor: User, item: InboxItem, series: DiarySeries, case_data: CaseData, data: DocumentData
) -> Document:
    """Open a case in series and register the inbox mail as its first document."""
    if series.authority_id != item.authority_id:
        raise ValidationError({"series": _("The diary series belongs to another authority.")})
    _validate_new_case(series, case_data, data)
    case = open_case(actor, series, case_data)
    return place_inbox_item(actor, item, case, data)
