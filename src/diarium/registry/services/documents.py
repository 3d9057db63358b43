"""Registering documents with their files, voiding them, and auditing what pages show of
secret records (for the visibility policy)."""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from diarium.audit import services as audit
from diarium.core import actors
from diarium.core.actors import Actor
from diarium.core.transactions import atomic_with_retry
from diarium.core.visibility import Shown
from diarium.documents.services import guess_mime_type, store_content
from diarium.organisation.selectors import REGISTERING_ROLES, REGISTRY_ROLES, access_for
from diarium.registry import disposal_dates, enforcement, indexing, naming, processing, signals
from diarium.registry.models import (
    Case,
    DiarySeries,
    Direction,
    Document,
    DocumentFile,
    DocumentStatus,
    Party,
)
from diarium.registry.services._common import (
    MAX_NAME_LENGTH,
    CaseData,
    Secrecy,
    StoredUpload,
    Upload,
    _chain,
    _locked_case,
    _require,
    _require_open,
    _require_visible_party,
    document_snapshot,
    require_may_add,
)
from diarium.registry.services.cases import _validate_case_data, open_case
from diarium.registry.services.parties import (
    PartyData,
    create_party_from,
    link_party,
    validate_party,
)
from diarium.registry.staging_model import StagedUpload

TITLE_LENGTH = Document._meta.get_field("title").max_length


def _use_staged(actor: Actor, files: list[StoredUpload]) -> None:
    """Use up the staged uploads the files came from, in the registration's transaction:
    a file kept on a form is registered once, and only by the user who chose it."""
    staged = {f.staged for f in files if f.staged is not None}
    if not staged:
        return
    used, _kinds = StagedUpload.objects.filter(
        pk__in=staged, user_id=getattr(actor, "pk", None)).delete()
    if used != len(staged):
        raise ValidationError({"files": _(
            "A file kept from before is no longer there (it was registered already or has "
            "expired): choose it again.")})


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


def store_uploads(actor: Actor, uploads: Iterable[Upload]) -> list[StoredUpload]:
    """Store file content before any transaction opens (content is write-once). The
    service that registers the files checks the actor's role in the authority."""
    actors.require(actor, "registry.store_files",
                   lambda user: access_for(user).is_staff_member)
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
    # A contact to create with the document (instead of party), in its transaction.
    new_party: PartyData | None = None
    # Also link the party to the case with this role (None: the document names it only).
    party_role: str | None = None


def default_secrecy(provision: str) -> Secrecy:
    """The marking a record type's default secrecy gives: everything withheld from the
    public until the officer decides otherwise (secrecy by construction)."""
    return Secrecy(
        provision=provision,
        from_plan=True,
        withhold_title=bool(provision),
        withhold_parties=bool(provision),
        withhold_files=bool(provision),
    )


def _validate_document(data: DocumentData, authority_id=None) -> None:
    errors, rule = {}, None
    if authority_id is not None:
        try:
            rule = enforcement.resolve_rule(authority_id, data.record_type, timezone.localdate())
        except ValidationError as exc:
            errors |= exc.message_dict
    if data.direction not in Direction.values:
        errors["direction"] = _("Unknown direction.")
    if not data.title.strip() and not (rule is not None and rule.naming_rule.strip()):
        errors["title"] = _("A document needs a description.")
    if data.document_date and data.document_date > timezone.localdate() + dt.timedelta(days=1):
        errors["document_date"] = _("The document date lies in the future.")
    if data.secrecy is not None:
        try:
            data.secrecy.check()
        except ValidationError as exc:
            errors |= exc.message_dict
    if data.new_party is not None:
        if data.party is not None:
            errors["party"] = _("Name a party from the register or a new one, not both.")
        try:
            validate_party(data.new_party)
        except ValidationError as exc:
            errors |= {f"new_party_{k}": v for k, v in exc.message_dict.items()}
    if errors:
        raise ValidationError(errors)


def register_document(
    actor: Actor, case: Case, data: DocumentData, uploads: Iterable[Upload] = ()
) -> Document:
    """Register a document in a case with its files (`KS 2026/42:3`)."""
    require_may_add(actor, case)
    _require_visible_party(actor, data.party)
    _validate_document(data, case.authority_id)
    return _register_stored(actor, case, data, store_uploads(actor, uploads))


def register_stored_document(
    actor: Actor, case: Case, data: DocumentData, files: list[StoredUpload]
) -> Document:
    """register_document for files already stored with store_uploads: for callers that
    wrap the registration in a transaction of their own (the API's idempotency record)
    and keep the streaming of file content outside it."""
    require_may_add(actor, case)
    _require_visible_party(actor, data.party)
    _validate_document(data, case.authority_id)
    return _register_stored(actor, case, data, files)


@atomic_with_retry
def _register_stored(
    actor: Actor, case: Case, data: DocumentData, files: list[StoredUpload],
    status: str = DocumentStatus.REGISTERED,
) -> Document:
    """Number and store the document. A draft gets no files here: its content is its
    versions (services/versions.py adds the first in the same transaction)."""
    case = _locked_case(case)
    _require_open(case)
    rule = enforcement.resolve_rule(case.authority_id, data.record_type, timezone.localdate())
    party = data.party
    if data.new_party is not None:
        party = create_party_from(actor, data.new_party)
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
        sender_recipient=data.sender_recipient.strip() or (party.name if party else ""),
        party=party,
        created_by=actor,
        status=status,
    )
    secrecy = data.secrecy or default_secrecy(enforcement.rule_secrecy(rule))
    secrecy.apply(doc, case.authority)
    disposal_dates.apply(doc, case)
    proposal = naming.proposed_title(doc)  # the record type's naming rule, if it has one
    doc.title = doc.title or proposal[:TITLE_LENGTH]
    doc.save(force_insert=True)
    if status == DocumentStatus.DRAFT:
        files = []
    _use_staged(actor, files)
    DocumentFile.objects.bulk_create(
        [
            DocumentFile(
                document=doc,
                content=f.content,
                original_name=f.name,
                mime_type=f.mime_type,
                size=f.content.size,
            )
            for f in files
        ]
    )
    after = document_snapshot(doc) | {"files": [[f.name, f.content.sha256] for f in files]}
    if proposal and proposal != doc.title:
        after["proposed_title"] = proposal  # the registrator chose another title
    warnings = enforcement.warnings_for(rule, case.series, direction=doc.direction)
    if warnings:
        after["plan_warnings"] = [w.code for w in warnings]  # registered despite them
    audit.record(
        actor=actor,
        action="document.drafted" if status == DocumentStatus.DRAFT else "document.registered",
        obj=doc,
        chain=_chain(case),
        case_id=case.id,
        after=after,
    )
    indexing.index_document(doc)
    signals.changed([case.pk])
    if party is not None and data.party_role is not None:
        link_party(actor, case, party, data.party_role)
    if files:
        processing.after_files_added(actor, doc)
    return doc


@atomic_with_retry
def void_document(actor: Actor, document: Document, reason: str) -> Document:
    doc = Document.objects.select_for_update().select_related("case").get(pk=document.pk)
    _require(actor, doc.case.authority_id, REGISTRY_ROLES)
    if not reason.strip():
        raise ValidationError({"reason": _("Give a reason for voiding.")})
    if doc.status == DocumentStatus.VOID:
        raise ValidationError({"status": _("The document is already voided.")})
    if doc.status == DocumentStatus.DISPOSED:
        raise ValidationError({"status": _("The document is disposed of.")})
    before = doc.status
    doc.status, doc.voided_at, doc.void_reason = DocumentStatus.VOID, timezone.now(), reason.strip()
    doc.save(update_fields=["status", "voided_at", "void_reason"])
    audit.record(
        actor=actor,
        action="document.voided",
        obj=doc,
        chain=_chain(doc.case),
        case_id=doc.case_id,
        before={"status": before},
        after={"status": doc.status, "void_reason": doc.void_reason},
    )
    signals.changed([doc.case_id])
    return doc


@atomic_with_retry
def note_shown(actor: Actor, view: str, shown: list[Shown]) -> None:
    """Audit what one page view showed of secret records: one `secret.read` event per
    audit chain (authority), listing the records. Called by the visibility policy when a
    page is done, never by a presenter. An event about a single record (or the records of
    one case) names it, so it appears in that case's history."""
    actors.check(actor)
    by_chain: dict[str, list[Shown]] = {}
    for item in shown:
        by_chain.setdefault(item.chain, []).append(item)
    for chain, items in sorted(by_chain.items()):
        single = items[0] if len(items) == 1 else None
        cases = {item.case_id for item in items}
        audit.record(
            actor=actor,
            action="secret.read",
            object_type=single.object_type if single else "view",
            object_id=single.object_id if single else view[:64],
            chain=chain,
            case_id=cases.pop() if len(cases) == 1 else None,
            after={"view": view, "shown": [[i.object_type, i.object_id] for i in items]},
        )


def register_in_new_case(
    actor: Actor,
    series: DiarySeries,
    case_data: CaseData,
    data: DocumentData,
    uploads: Iterable[Upload] = (),
) -> Document:
    """Open a case and register its first document in one transaction, so that a failed
    registration never leaves an empty case behind. Files are stored before the number
    is taken."""
    _require(actor, series.authority_id, REGISTERING_ROLES)
    _require_visible_party(actor, data.party)
    _validate_new_case(series, case_data, data)
    return _open_and_register(actor, series, case_data, data, store_uploads(actor, uploads))


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
    actor: Actor,
    series: DiarySeries,
    case_data: CaseData,
    data: DocumentData,
    files: list[StoredUpload],
) -> Document:
    """register_in_new_case for files already stored with store_uploads."""
    _require(actor, series.authority_id, REGISTERING_ROLES)
    _require_visible_party(actor, data.party)
    _validate_new_case(series, case_data, data)
    return _open_and_register(actor, series, case_data, data, files)


@atomic_with_retry
def _open_and_register(
    actor: Actor,
    series: DiarySeries,
    case_data: CaseData,
    data: DocumentData,
    files: list[StoredUpload],
) -> Document:
    case = open_case(actor, series, case_data)
    return _register_stored(actor, case, data, files)
