"""Every read of requests, for staff and for the public.

Staff: a request is seen by those who hold a registering role (registrator, handläggare,
nämndsekreterare, administratör) in its authority. What a request asks for is shown
through the visibility policy: a secret document's content, files and masks are for the
case's access group only; everyone else sees its number.

The public: the request form names a document only by what the public projection shows
(number, date, public title); a secret document's internal title, parties and file names
never reach it."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from diarium.core.visibility import Projection, policy_for
from diarium.disclosure.models import (
    Delivery,
    DisclosureRequest,
    DisclosureSettings,
    MaskedFile,
    RequestedItem,
)
from diarium.documents.models import StoredFile
from diarium.organisation.models import Authority, User
from diarium.organisation.selectors import REGISTERING_ROLES, REGISTRY_ROLES, access_for
from diarium.registry import selectors as registry
from diarium.registry.models import Document, DocumentFile, DocumentStatus


def handling_authorities(user: User) -> list:
    """Ids of the authorities whose requests the user handles."""
    if not getattr(user, "is_authenticated", False):
        return []
    if user.is_superuser:
        return list(Authority.objects.values_list("pk", flat=True))
    return list(access_for(user).authorities_with(REGISTERING_ROLES))


def visible_requests(user: User) -> QuerySet[DisclosureRequest]:
    return DisclosureRequest.objects.filter(
        authority_id__in=handling_authorities(user)).select_related("authority", "case")


def get_request(user: User, request_id) -> DisclosureRequest:
    return visible_requests(user).get(pk=request_id)


def request_items(request: DisclosureRequest) -> list[RequestedItem]:
    return list(request.items.select_related("document__case")
                .prefetch_related("masks", "masked_files__redacted"))


def get_item(user: User, item_id) -> RequestedItem:
    item = RequestedItem.objects.select_related("request", "document__case").get(pk=item_id)
    if item.request.authority_id not in handling_authorities(user):
        raise RequestedItem.DoesNotExist
    return item


def may_read_document(user: User, document: Document | None) -> bool:
    """Whether the user may review the document: its content (the access group's, for a
    secret one)."""
    return document is None or policy_for(user).document(document).content


def settable_authorities(user) -> list:
    """The ids of the authorities whose request settings the user may change: those where
    the user has one of the registry's roles."""
    return list(access_for(user).authorities_with(REGISTRY_ROLES))


def settings_for(authority_id) -> DisclosureSettings:
    found = DisclosureSettings.objects.filter(authority_id=authority_id).first()
    return found or DisclosureSettings(authority_id=authority_id)


def document_files(document: Document) -> list[DocumentFile]:
    """A document's files in their order (the order their positions count)."""
    return list(registry.document_files(document).order_by("added_at", "id"))


def document_file(document: Document, file_id) -> DocumentFile | None:
    """One of the document's files by its id (None for another document's or garbage)."""
    return next((f for f in document_files(document) if str(f.pk) == str(file_id)), None)


def masked_files(item: RequestedItem) -> list[MaskedFile]:
    """The redacted copies an item is handed out as (the active ones), in file order."""
    return list(item.masked_files.filter(active=True).select_related("redacted", "file")
                .prefetch_related("masks").order_by("position"))


def pdf_of(file: DocumentFile) -> StoredFile | None:
    """The PDF to mask: the file itself when it is one, else its PDF/A rendition."""
    if file.mime_type == "application/pdf":
        return file.content
    return registry.rendition_content(file)


def document_pages(document: Document) -> int:
    """Pages of a document's files, for the fee: each file's PDF/A rendition's count, or
    the PDF's own when no rendition is made yet (0 for what has neither)."""
    import contextlib
    import tempfile
    from pathlib import Path

    from diarium.disclosure.redaction import RedactionFailed, page_count
    from diarium.documents.models import Rendition
    from diarium.documents.services import open_content

    total = 0
    for file in registry.document_files(document):
        rendition = Rendition.objects.filter(source=file.content_id, state="ok").first()
        if rendition is not None and rendition.pages:
            total += rendition.pages
        elif file.mime_type == "application/pdf":
            with tempfile.TemporaryDirectory() as tmp, open_content(file.content) as stream:
                path = Path(tmp) / "f.pdf"
                path.write_bytes(stream.read())
                with contextlib.suppress(RedactionFailed):  # not a readable PDF: no pages
                    total += page_count(path)
    return total


def delivery_by_token(digest: str) -> Delivery:
    return Delivery.objects.select_related("request").get(token_digest=digest)


# --- the public side ------------------------------------------------------------------

@dataclass(frozen=True)
class PublicEntry:
    """What the public may see of a document asked for: the public projection's fields."""

    id: uuid.UUID
    number: str
    date: dt.date
    title: str
    authority_id: uuid.UUID
    authority: str


@dataclass(frozen=True)
class Unavailable:
    """A document id that cannot be asked for, and why (shown to the requester)."""

    value: str
    reason: str


def public_title(document: Document) -> str:
    """The title the public sees: the public title, else the title of a record that is
    not marked, else a neutral text (never the internal title of a secret record)."""
    if document.public_title.strip():
        return document.public_title
    if not document.is_secret and not document.case.is_secret:
        return document.title
    return _("Document with a secrecy marking")


def public_documents(values: list[str]) -> list[PublicEntry | Unavailable]:
    """The documents the public form was given (as ?document=<uuid>), each either as the
    public sees it or with the reason it cannot be asked for."""
    policy = policy_for(_anonymous(), Projection.PUBLIC)
    result: list[PublicEntry | Unavailable] = []
    for value in values:
        try:
            pk = uuid.UUID(str(value).strip())
            doc = policy.filter_documents(
                Document.objects.select_related("case__authority")).get(pk=pk)
        except (ValueError, ObjectDoesNotExist):
            result.append(Unavailable(value[:64], _("There is no such document in the "
                                                    "public diary.")))
            continue
        if doc.status == DocumentStatus.VOID or doc.case.status == "voided":
            result.append(Unavailable(value[:64], _("%(number)s is voided and cannot be "
                                                    "requested.") % {"number": doc}))
            continue
        authority = doc.case.authority
        result.append(PublicEntry(doc.pk, doc.document_number, doc.document_date,
                                  public_title(doc), authority.pk, authority.name))
    return result


def documents_by_number(user: User, text: str) -> tuple[list, list[str]]:
    """Document numbers written by staff ("KS 2026/42:3", one a line or comma-separated)
    as the public projection's entries, and the numbers not found (or not requestable)."""
    found, missing = [], []
    for number in [n.strip() for n in text.replace(",", "\n").splitlines() if n.strip()]:
        case_number, _colon, doc_number = number.rpartition(":")
        try:
            case = registry.get_case_by_number(user, case_number)
            doc = registry.visible_documents(user).get(case=case, number=int(doc_number))
        except (ObjectDoesNotExist, ValueError):
            missing.append(number[:64])
            continue
        entry = public_documents([str(doc.pk)])[0]
        (found if isinstance(entry, PublicEntry) else missing).append(
            entry if isinstance(entry, PublicEntry) else number[:64])
    return found, missing


def public_authorities() -> QuerySet[Authority]:
    return Authority.objects.order_by("name")


def _anonymous():
    from django.contrib.auth.models import AnonymousUser

    return AnonymousUser()
