"""Documents written in the case: drafts, their versions, the check-out lock, and making
the current version final (fastställa).

Rules kept here:
- Every version is kept (content by SHA-256, who, when, a note); nothing is overwritten.
- A draft (utkast) is for the case's access group (the visibility policy); only its
  members write versions, check it out or make it final.
- One holder of the check-out lock at a time: a second check-out is refused (409), and
  while one person holds it nobody else adds a version. An administrator of the authority
  may break the lock with a reason, which is audited.
- "Fastställ" makes the newest version final: the registration points at that exact
  version (Document.final_version, and a file of the document that is that version), and
  its content never changes. A new version of a final needs an explicit reason; it becomes
  the new final, and both are audited.
Content is stored before the transaction opens (it is write-once); every change writes an
audit event in its transaction."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from diarium.audit import services as audit
from diarium.core.actors import Actor
from diarium.core.errors import Conflict
from diarium.core.transactions import atomic_with_retry
from diarium.organisation.models import Role
from diarium.registry import indexing, processing, signals
from diarium.registry.models import (
    Case,
    Document,
    DocumentFile,
    DocumentStatus,
    DocumentVersion,
)
from diarium.registry.services._common import (
    StoredUpload,
    Upload,
    _chain,
    _require,
    _require_open,
    _require_visible_party,
    require_may_add,
)
from diarium.registry.services.documents import (
    DocumentData,
    _register_stored,
    _validate_document,
    store_uploads,
)
from diarium.registry.visibility import policy_for

MAX_NOTE = 2000


@dataclass(frozen=True)
class VersionInput:
    """A new version as given: the file, a note, and (for a final) the reason."""

    upload: Upload
    note: str = ""
    reason: str = ""


def _require_writer(actor: Actor, doc: Document) -> None:
    """May write the document: add to its case, and read its content (for a draft or a
    secret document: the case's access group)."""
    require_may_add(actor, doc.case)
    if not policy_for(actor).document(doc).content:
        raise PermissionDenied(_("Only the case's access group may change this document."))


def _locked(doc: Document) -> Document:
    return (Document.objects.select_for_update()
            .select_related("case", "case__authority", "case__series").get(pk=doc.pk))


def _require_editable(doc: Document) -> None:
    _require_open(doc.case)
    if doc.status in (DocumentStatus.VOID, DocumentStatus.DISPOSED):
        raise ValidationError({"status": _("A voided or disposed of document cannot change.")})


def _require_not_held_by_other(actor: Actor, doc: Document) -> None:
    if doc.checked_out_by_id is not None and doc.checked_out_by_id != actor.pk:
        raise Conflict({"lock": _(
            "The document is checked out by %(holder)s since %(since)s."
        ) % {"holder": doc.checked_out_by.get_username(),
             "since": timezone.localtime(doc.checked_out_at).strftime("%Y-%m-%d %H:%M")}})


def _clean(text: str, field: str) -> str:
    text = text.strip()
    if len(text) > MAX_NOTE:
        raise ValidationError({field: _("At most %(n)d characters.") % {"n": MAX_NOTE}})
    return text


def _version_row(doc: Document, stored: StoredUpload, actor: Actor, note: str,
                 reason: str = "") -> DocumentVersion:
    last = doc.versions.order_by("-number").values_list("number", flat=True).first() or 0
    return DocumentVersion.objects.create(
        document=doc, number=last + 1, content=stored.content, original_name=stored.name,
        mime_type=stored.mime_type, size=stored.content.size, created_by=actor, note=note,
        reason=reason)


def _version_facts(version: DocumentVersion) -> dict:
    return {"version": version.number, "sha256": version.content_id,
            "name": version.original_name, "size": version.size}


def _one_upload(actor: Actor, upload: Upload) -> StoredUpload:
    return store_uploads(actor, [upload])[0]


# -- drafts -----------------------------------------------------------------------------

def create_draft(actor: Actor, case: Case, data: DocumentData, upload: Upload,
                 note: str = "") -> Document:
    """A new document in the case as a draft, numbered like any document (`KS 2026/42:4`),
    with the upload as its first version."""
    require_may_add(actor, case)
    if not policy_for(actor).in_group(case):
        raise PermissionDenied(_("Only the case's access group may write drafts in it."))
    _require_visible_party(actor, data.party)
    _validate_document(data, case.authority_id)
    note = _clean(note, "note")
    return _create_draft(actor, case, data, _one_upload(actor, upload), note)


@atomic_with_retry
def _create_draft(actor: Actor, case: Case, data: DocumentData, stored: StoredUpload,
                  note: str) -> Document:
    doc = _register_stored(actor, case, data, [], status=DocumentStatus.DRAFT)
    version = _version_row(doc, stored, actor, note)
    audit.record(actor=actor, action="document.version_added", obj=doc,
                 chain=_chain(doc.case), case_id=doc.case_id,
                 after=_version_facts(version) | {"note": note})
    return doc


# -- versions ---------------------------------------------------------------------------

def add_version(actor: Actor, doc: Document, given: VersionInput,
                check_in: bool = False) -> DocumentVersion:
    """The next version of a document. For a final document a reason is required and the
    version becomes the new final. check_in: also release the actor's check-out."""
    _require_writer(actor, doc)
    note = _clean(given.note, "note")
    reason = _clean(given.reason, "reason")
    if doc.status != DocumentStatus.DRAFT and not reason:
        raise Conflict({"reason": _(
            "The document is final: its content does not change. A new version needs a "
            "reason, which is recorded.")})
    stored = _one_upload(actor, given.upload)
    return _add_version(actor, doc, stored, note, reason, check_in)


@atomic_with_retry
def _add_version(actor: Actor, doc: Document, stored: StoredUpload, note: str, reason: str,
                 check_in: bool) -> DocumentVersion:
    doc = _locked(doc)
    _require_editable(doc)
    _require_not_held_by_other(actor, doc)
    if check_in and doc.checked_out_by_id != actor.pk:
        raise Conflict({"lock": _("You have not checked the document out.")})
    final = doc.status != DocumentStatus.DRAFT
    if final and not reason:
        raise Conflict({"reason": _("The document is final: a new version needs a reason.")})
    version = _version_row(doc, stored, actor, note, reason if final else "")
    facts = _version_facts(version) | {"note": note}
    if check_in:
        doc.checked_out_by, doc.checked_out_at = None, None
        doc.save(update_fields=["checked_out_by", "checked_out_at"])
        facts["checked_in"] = True
    if final:
        before = _finals_facts(doc)
        _make_final(actor, doc, version)
        audit.record(actor=actor, action="document.final_replaced", obj=doc,
                     chain=_chain(doc.case), case_id=doc.case_id, before=before,
                     after=facts | {"reason": reason})
    else:
        audit.record(actor=actor, action="document.version_added", obj=doc,
                     chain=_chain(doc.case), case_id=doc.case_id, after=facts)
    return version


def _finals_facts(doc: Document) -> dict:
    final = doc.final_version
    return {"final_version": final.number if final else None,
            "sha256": final.content_id if final else None}


# -- check-out / check-in ---------------------------------------------------------------

@atomic_with_retry
def check_out(actor: Actor, doc: Document) -> Document:
    """Take the lock: nobody else adds a version until it is checked in (or broken)."""
    _require_writer(actor, doc)
    doc = _locked(doc)
    _require_editable(doc)
    if doc.status != DocumentStatus.DRAFT:
        raise Conflict({"status": _("Only a draft can be checked out; a final document "
                                    "gets a new version only with a reason.")})
    if doc.checked_out_by_id == actor.pk:
        return doc
    _require_not_held_by_other(actor, doc)
    doc.checked_out_by, doc.checked_out_at = actor, timezone.now()
    doc.save(update_fields=["checked_out_by", "checked_out_at"])
    audit.record(actor=actor, action="document.checked_out", obj=doc, chain=_chain(doc.case),
                 case_id=doc.case_id, after={"since": doc.checked_out_at})
    return doc


def check_in(actor: Actor, doc: Document, given: VersionInput | None = None) -> Document:
    """Release the actor's lock, with a new version when one is given."""
    if given is not None:
        add_version(actor, doc, given, check_in=True)
        return Document.objects.get(pk=doc.pk)
    return _release(actor, doc)


@atomic_with_retry
def _release(actor: Actor, doc: Document) -> Document:
    _require_writer(actor, doc)
    doc = _locked(doc)
    if doc.checked_out_by_id != actor.pk:
        raise Conflict({"lock": _("You have not checked the document out.")})
    since = doc.checked_out_at
    doc.checked_out_by, doc.checked_out_at = None, None
    doc.save(update_fields=["checked_out_by", "checked_out_at"])
    audit.record(actor=actor, action="document.checked_in", obj=doc, chain=_chain(doc.case),
                 case_id=doc.case_id, after={"since": since, "new_version": False})
    return doc


@atomic_with_retry
def break_lock(actor: Actor, doc: Document, reason: str) -> Document:
    """An administrator of the authority releases someone else's check-out, with a reason
    (the holder and since when are kept in the audit event)."""
    _require(actor, doc.case.authority_id, {Role.ADMINISTRATOR}, "registry.break_lock")
    reason = _clean(reason, "reason")
    if not reason:
        raise ValidationError({"reason": _("Give a reason for breaking the lock.")})
    doc = _locked(doc)
    if doc.checked_out_by_id is None:
        raise Conflict({"lock": _("The document is not checked out.")})
    before = {"holder": doc.checked_out_by.get_username(), "since": doc.checked_out_at}
    doc.checked_out_by, doc.checked_out_at = None, None
    doc.save(update_fields=["checked_out_by", "checked_out_at"])
    audit.record(actor=actor, action="document.lock_broken", obj=doc, chain=_chain(doc.case),
                 case_id=doc.case_id, before=before, after={"reason": reason})
    return doc


# -- fastställa -------------------------------------------------------------------------

@atomic_with_retry
def finalise(actor: Actor, doc: Document) -> Document:
    """Make the newest version final (fastställ): the document becomes an official,
    registered document whose registration points at that exact version."""
    _require_writer(actor, doc)
    doc = _locked(doc)
    _require_editable(doc)
    if doc.status != DocumentStatus.DRAFT:
        raise Conflict({"status": _("The document is already final.")})
    _require_not_held_by_other(actor, doc)
    version = doc.versions.order_by("-number").first()
    if version is None:
        raise ValidationError({"version": _("The document has no version to make final.")})
    doc.status = DocumentStatus.REGISTERED
    doc.registered_at = timezone.now()
    doc.checked_out_by, doc.checked_out_at = None, None
    doc.save(update_fields=["status", "registered_at", "checked_out_by", "checked_out_at"])
    _make_final(actor, doc, version)
    audit.record(actor=actor, action="document.finalised", obj=doc, chain=_chain(doc.case),
                 case_id=doc.case_id, before={"status": DocumentStatus.DRAFT},
                 after={"status": doc.status} | _version_facts(version))
    return doc


def _make_final(actor: Actor, doc: Document, version: DocumentVersion) -> None:
    """Point the registration at the version and give the document its file."""
    doc.final_version, doc.finalised_at, doc.finalised_by = version, timezone.now(), actor
    doc.save(update_fields=["final_version", "finalised_at", "finalised_by"])
    DocumentFile.objects.create(
        document=doc, content=version.content, original_name=version.original_name,
        mime_type=version.mime_type, size=version.size, version=version)
    indexing.index_document(doc)
    signals.changed([doc.case_id])
    processing.after_files_added(actor, doc)


# -- processing of files ----------------------------------------------------------------

@atomic_with_retry
def process_again(actor: Actor, doc: Document) -> int:
    """Start the processing (rendition, text, preview) of the document's files once more
    where it failed or never ran; returns how many jobs were started."""
    _require_writer(actor, doc)
    files = processing.needs_again(doc)
    for file in files:
        processing.start(actor, file)
    return len(files)
