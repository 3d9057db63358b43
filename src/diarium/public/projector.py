"""Writing the public projection from the registry: the one module of this app that reads
registry tables. It runs inside the registry's writing transaction (receivers.py), so a
registration is public, or stops being public, in the same commit; `diarium public
rebuild` runs it over everything (idempotent: rows are replaced, rows of records that
are gone from the public view are removed).

What is copied (docs/public.md): a case's number, year, dates, status, public title and
the organisations among its parties; a document's number, direction, record type, public
title, organisation counterpart, dates and status; files of publishable documents. A
secret case or document (a document in a secret case is secret) keeps its number, its
date and the legal ground in words, nothing else. Private persons are never copied, and
their names, identity numbers and addresses are scrubbed out of the public titles as a
second line of defence (a public title should hold none)."""

from __future__ import annotations

import re
from collections.abc import Iterable

from django.db.models import Prefetch
from django.utils import timezone

from diarium.documents.models import Rendition, RenditionState, StoredFile
from diarium.organisation.models import Authority
from diarium.public.models import PublicAuthority, PublicCase, PublicDocument, PublicFile
from diarium.public.search import PUBLIC_CASE, PUBLIC_DOC, case_entry, doc_entry
from diarium.registry.identity import mask_identity_numbers
from diarium.registry.models import (
    Case,
    CaseParty,
    Document,
    DocumentFile,
    DocumentStatus,
    PartyKind,
)
from diarium.registry.provisions import format_citation, parse_citation
from diarium.search import backends

SCRUBBED = "[…]"


def secrecy_ground(record) -> str:
    """The legal ground in words ("Sekretess enligt OSL 26 kap. 1 §"), built from the
    cited provision only: a marking's own text (e.g. brought in from a former diarium)
    is never shown as it stands."""
    if record.osl_provision_id:
        citation = record.osl_provision.citation
    else:
        cited = parse_citation(record.secrecy_provision)
        citation = format_citation(cited.chapter, cited.section, cited.paragraph) if cited \
            else "OSL"
    return f"Sekretess enligt {citation}"


def _scrub(text: str, persons: list) -> str:
    """The public text without the private persons' names, numbers and addresses."""
    for person in persons:
        for value in (person.name, person.identity_number, person.address, person.email,
                      person.phone):
            value = (value or "").strip()
            if len(value) >= 3:
                text = re.sub(re.escape(value), SCRUBBED, text, flags=re.IGNORECASE)
    return mask_identity_numbers(text)


def _authority_row(authority: Authority) -> PublicAuthority:
    row, _ = PublicAuthority.objects.update_or_create(
        pk=authority.pk, defaults={"code": authority.code, "name": authority.name})
    return row


def refresh_authorities() -> None:
    for authority in Authority.objects.all():
        _authority_row(authority)


def _cases(case_ids: list):
    files = DocumentFile.objects.select_related("content").order_by("added_at", "pk")
    docs = (Document.objects.exclude(status=DocumentStatus.DRAFT)
            .select_related("party", "rule", "record_type", "osl_provision")
            .prefetch_related(Prefetch("files", queryset=files)))
    return (Case.objects.filter(pk__in=case_ids)
            .select_related("authority", "osl_provision")
            .prefetch_related(Prefetch("documents", queryset=docs),
                              Prefetch("case_parties",
                                       queryset=CaseParty.objects.select_related("party"))))


def refresh_cases(case_ids: Iterable) -> None:
    """Bring the projection of these cases in line with the registry (in the caller's
    transaction)."""
    ids = list(case_ids)
    for start in range(0, len(ids), 500):
        _refresh_batch(ids[start:start + 500])


def _refresh_batch(ids: list) -> None:
    now = timezone.now()
    entries, keep_docs = [], set()
    seen_cases = set()
    authorities: dict = {}
    for case in _cases(ids):
        seen_cases.add(case.pk)
        if case.authority_id not in authorities:
            authorities[case.authority_id] = _authority_row(case.authority)
        row = _case_row(case, now)
        entries.append(case_entry(row))
        for doc in case.documents.all():
            drow = _document_row(doc, case, row, now)
            keep_docs.add(doc.pk)
            entries.append(doc_entry(drow))
    # Documents no longer public (a registration made a draft again cannot happen, but a
    # rebuild removes whatever the registry no longer shows) and cases gone altogether.
    gone_docs = list(PublicDocument.objects.filter(case_id__in=ids).exclude(pk__in=keep_docs)
                     .values_list("pk", flat=True))
    gone_cases = [c for c in ids if c not in seen_cases]
    _remove(gone_docs, gone_cases)
    backends.index(entries)


def _remove(doc_ids: list, case_ids: list) -> None:
    if doc_ids:
        backends.remove_keys([f"{PUBLIC_DOC}:{pk}" for pk in doc_ids])
        PublicDocument.objects.filter(pk__in=doc_ids).delete()
    if case_ids:
        doc_ids = list(PublicDocument.objects.filter(case_id__in=case_ids)
                       .values_list("pk", flat=True))
        backends.remove_keys([f"{PUBLIC_DOC}:{pk}" for pk in doc_ids]
                             + [f"{PUBLIC_CASE}:{pk}" for pk in case_ids])
        PublicCase.objects.filter(pk__in=case_ids).delete()


def _persons(case: Case) -> list:
    people = [link.party for link in case.case_parties.all()
              if link.party.kind == PartyKind.PERSON]
    people += [doc.party for doc in case.documents.all()
               if doc.party_id and doc.party.kind == PartyKind.PERSON]
    return people


def _case_row(case: Case, now) -> PublicCase:
    secret = case.is_secret
    organisations = "" if secret or case.withhold_parties else "; ".join(dict.fromkeys(
        link.party.name for link in case.case_parties.all()
        if link.party.kind == PartyKind.ORGANISATION))
    values = {
        "authority_id": case.authority_id, "diary_number": case.diary_number,
        "year": case.year, "number": case.number,
        "public_title": "" if secret else _scrub(case.public_title, _persons(case)),
        "status": "" if secret else case.status,
        "opened_on": timezone.localdate(case.opened_at),
        "closed_on": None if secret or not case.closed_at else timezone.localdate(case.closed_at),
        "is_secret": secret, "secrecy_ground": secrecy_ground(case) if secret else "",
        "organisations": organisations, "refreshed_at": now,
    }
    row, _ = PublicCase.objects.update_or_create(pk=case.pk, defaults=values)
    return row


def _document_row(doc: Document, case: Case, case_row: PublicCase, now) -> PublicDocument:
    secret = doc.is_secret or case.is_secret
    marked = doc if doc.is_secret else case
    counterpart = ""
    if not secret and not doc.withhold_parties and doc.party_id \
            and doc.party.kind == PartyKind.ORGANISATION:
        counterpart = doc.party.name
    values = {
        "case": case_row, "authority_id": case.authority_id, "number": doc.number,
        "document_number": f"{case.diary_number}:{doc.number}",
        "direction": "" if secret else doc.direction,
        "record_type": "" if secret or not doc.rule_id else doc.rule.name,
        "public_title": "" if secret else _scrub(doc.public_title, _persons(case)),
        "counterpart": counterpart,
        "document_date": doc.document_date if not secret else timezone.localdate(
            doc.registered_at),
        "registered_at": doc.registered_at, "status": "" if secret else doc.status,
        "is_secret": secret, "secrecy_ground": secrecy_ground(marked) if secret else "",
        "refreshed_at": now,
    }
    row, _ = PublicDocument.objects.update_or_create(pk=doc.pk, defaults=values)
    _refresh_files(doc, row, publishable=not secret and _files_public(doc))
    return row


def _files_public(doc: Document) -> bool:
    return (doc.status == DocumentStatus.REGISTERED and not doc.withhold_files
            and doc.record_type_id is not None and doc.record_type.publishable)


def _refresh_files(doc: Document, row: PublicDocument, *, publishable: bool) -> None:
    wanted: dict = {}
    if publishable:
        for position, item in enumerate(doc.files.all(), start=1):
            served = _served(item)
            if served is not None:
                content, mime, size, rendition = served
                wanted[item.pk] = {"document": row, "position": position, "content": content,
                                   "mime_type": mime, "size": size, "is_rendition": rendition}
    PublicFile.objects.filter(document=row).exclude(pk__in=list(wanted)).delete()
    for pk, values in wanted.items():
        PublicFile.objects.update_or_create(pk=pk, defaults=values)


def _served(item: DocumentFile) -> tuple[str, str, int, bool] | None:
    """What the public downloads of a file: its PDF/A rendition when one was made, else
    the original; None when the content is gone."""
    rendition = Rendition.objects.filter(source=item.content_id, state=RenditionState.OK,
                                         content_removed_at__isnull=True).first()
    if rendition is not None:
        stored = StoredFile.objects.filter(sha256=rendition.content,
                                           content_removed_at__isnull=True).first()
        if stored is not None:
            return stored.sha256, "application/pdf", stored.size, True
    if item.content.content_removed_at is not None:
        return None
    return item.content_id, item.mime_type, item.size, False


def refresh_record_types(record_type_ids: Iterable) -> None:
    """A record type's publishability changed: its documents' files follow at once."""
    refresh_cases(Document.objects.filter(record_type_id__in=list(record_type_ids))
                  .values_list("case_id", flat=True).distinct())


def rebuild() -> int:
    """Rebuild the whole projection (idempotent). Returns the number of cases."""
    refresh_authorities()
    ids = list(Case.objects.values_list("pk", flat=True))
    refresh_cases(ids)
    stale = set(PublicCase.objects.values_list("pk", flat=True)) - set(ids)
    _remove([], list(stale))
    return len(ids)
