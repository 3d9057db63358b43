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
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.db.models import Prefetch
from django.utils import timezone

from diarium.core import prefetched
from diarium.core.rows import insert as insert_row
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


def _authority_rows(authority_ids: Iterable | None = None) -> None:
    """The boards' public rows (every board's when authority_ids is None), written only
    where one is missing or differs from the board's current code and name: one read of
    the boards with their public rows beside them, not a locked read and an UPDATE each.
    The boards are read here, not taken from the caller's objects, which may be older
    than a rename."""
    for pk, code, name, public_code, public_name in _boards_beside_public_rows(authority_ids):
        if public_code is None:
            # Two first registrations of a board may both get here: the second makes nothing.
            PublicAuthority.objects.bulk_create(
                [PublicAuthority(pk=pk, code=code, name=name)], ignore_conflicts=True)
        elif (public_code, public_name) != (code, name):
            PublicAuthority.objects.filter(pk=pk).update(code=code, name=name)


def _boards_beside_public_rows(authority_ids: Iterable | None) -> list[tuple]:
    """(id, code, name, public code, public name) of the boards; the public ones None
    where the board has no public row. Plain SQL: a LEFT JOIN on the shared id, which the
    ORM can only write as subqueries that cost more to build than the read (a case
    opened through the API makes it once, docs/performance.md)."""
    board, public = Authority._meta, PublicAuthority._meta
    quote = connection.ops.quote_name
    columns = ", ".join([f"a.{quote(board.pk.column)}", f"a.{quote('code')}",
                         f"a.{quote('name')}", f"p.{quote('code')}", f"p.{quote('name')}"])
    sql = (f"SELECT {columns} FROM {quote(board.db_table)} a "  # noqa: S608 (our names)
           f"LEFT JOIN {quote(public.db_table)} p "
           f"ON p.{quote(public.pk.column)} = a.{quote(board.pk.column)}")
    params: list = []
    if authority_ids is not None:
        ids = list(authority_ids)
        if not ids:
            return []
        sql += f" WHERE a.{quote(board.pk.column)} IN ({', '.join(['%s'] * len(ids))})"
        params = [board.pk.get_db_prep_value(i, connection) for i in ids]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    return [(board.pk.to_python(pk), *rest) for pk, *rest in rows]  # SQLite: UUIDs as text


def refresh_authorities() -> None:
    _authority_rows()


def _cases(case_ids: list):
    files = DocumentFile.objects.select_related("content").order_by("added_at", "pk")
    docs = (Document.objects.exclude(status=DocumentStatus.DRAFT)
            .select_related("party", "rule", "record_type", "osl_provision")
            .prefetch_related(Prefetch("files", queryset=files)))
    # Locked: two transactions refreshing the same case (a registration and a processing
    # job) take turns, so the second writes its rows after the first committed.
    return (Case.objects.filter(pk__in=case_ids).select_for_update(of=("self",))
            .select_related("authority", "osl_provision")
            .prefetch_related(Prefetch("documents", queryset=docs),
                              Prefetch("case_parties",
                                       queryset=CaseParty.objects.select_related("party"))))


def refresh_cases(case_ids: Iterable) -> None:
    """Bring the projection of these cases in line with the registry (in the caller's
    transaction): their rows are written anew, in bulk, a few queries per 500 cases."""
    ids = list(dict.fromkeys(case_ids))
    for start in range(0, len(ids), BATCH):
        # Its own commit when called outside a transaction; inside one no savepoint: a
        # failure here fails the registration, which rolls back whole.
        with transaction.atomic(savepoint=False):
            _refresh_batch(ids[start:start + BATCH])


def prepare_new_cases(authority_ids: Iterable) -> None:
    """Before cases are opened in these boards (registry/signals.opening, sent before
    their numbers are taken): their boards' public rows, so that project_new_cases
    writes nothing but the cases' own rows while the series' number is locked. A row
    written for a case that is then not opened is right all the same."""
    _authority_rows(authority_ids)


def project_new_cases(cases: Iterable[Case]) -> None:
    """The projection of cases opened in the caller's transaction, from the objects the
    registry saved (its signal hands them over, registry/signals.opened): they have no
    documents, parties nor projection rows yet, so their rows are only inserted, and
    nothing is read (their boards' public rows were written by prepare_new_cases;
    docs/performance.md, section 2). The rows are those refresh_cases writes
    (tests/public/test_projection.py)."""
    cases = list(cases)
    now = timezone.now()
    rows = _Rows()
    for case in cases:
        # A copy: the registry's object goes back to the caller, who may add documents.
        _case_rows(prefetched.with_empty(case, "documents", "case_parties"), now, {}, rows)
    for row in rows.cases:  # one case as a rule: its INSERT compiled once (core/rows)
        insert_row(row)
    backends.index(rows.entries, new_case=True)


BATCH = 500


@dataclass
class _Rows:
    cases: list = field(default_factory=list)
    documents: list = field(default_factory=list)
    files: list = field(default_factory=list)
    entries: list = field(default_factory=list)


def _refresh_batch(ids: list) -> None:
    now = timezone.now()
    cases = list(_cases(ids))
    _authority_rows({c.authority_id for c in cases})
    served = _served_contents(cases)
    rows = _Rows()
    for case in cases:
        _case_rows(case, now, served, rows)
    old_docs = set(PublicDocument.objects.filter(case_id__in=ids).values_list("pk", flat=True))
    PublicFile.objects.filter(document__case_id__in=ids).delete()
    PublicDocument.objects.filter(case_id__in=ids).delete()
    PublicCase.objects.filter(pk__in=ids).delete()
    PublicCase.objects.bulk_create(rows.cases)
    PublicDocument.objects.bulk_create(rows.documents)
    PublicFile.objects.bulk_create(rows.files)
    gone_docs = old_docs - {d.pk for d in rows.documents}
    gone_cases = set(ids) - {c.pk for c in rows.cases}
    backends.remove_keys([f"{PUBLIC_DOC}:{pk}" for pk in gone_docs]
                         + [f"{PUBLIC_CASE}:{pk}" for pk in gone_cases])
    backends.index(rows.entries)


def _case_rows(case: Case, now, served: dict, rows: _Rows) -> None:
    persons = _persons(case)
    row = _case_row(case, now, persons)
    rows.cases.append(row)
    rows.entries.append(case_entry(row))
    for doc in case.documents.all():
        drow = _document_row(doc, case, row, now, persons)
        rows.documents.append(drow)
        rows.entries.append(doc_entry(drow))
        if not drow.is_secret and _files_public(doc):
            rows.files += _file_rows(doc, drow, served)


def _persons(case: Case) -> list:
    people = [link.party for link in case.case_parties.all()
              if link.party.kind == PartyKind.PERSON]
    people += [doc.party for doc in case.documents.all()
               if doc.party_id and doc.party.kind == PartyKind.PERSON]
    return people


def _case_row(case: Case, now, persons: list) -> PublicCase:
    secret = case.is_secret
    organisations = "" if secret or case.withhold_parties else "; ".join(dict.fromkeys(
        link.party.name for link in case.case_parties.all()
        if link.party.kind == PartyKind.ORGANISATION))
    return PublicCase(
        pk=case.pk, authority_id=case.authority_id, diary_number=case.diary_number,
        year=case.year, number=case.number,
        public_title="" if secret else _scrub(case.public_title, persons),
        status="" if secret else case.status,
        opened_on=timezone.localdate(case.opened_at),
        closed_on=None if secret or not case.closed_at else timezone.localdate(case.closed_at),
        is_secret=secret, secrecy_ground=secrecy_ground(case) if secret else "",
        organisations=organisations, refreshed_at=now)


def _document_row(doc: Document, case: Case, case_row: PublicCase, now,
                  persons: list) -> PublicDocument:
    secret = doc.is_secret or case.is_secret
    marked = doc if doc.is_secret else case
    counterpart = ""
    if not secret and not doc.withhold_parties and doc.party_id \
            and doc.party.kind == PartyKind.ORGANISATION:
        counterpart = doc.party.name
    return PublicDocument(
        pk=doc.pk, case=case_row, authority_id=case.authority_id, number=doc.number,
        document_number=f"{case.diary_number}:{doc.number}",
        direction="" if secret else doc.direction,
        record_type="" if secret or not doc.rule_id else doc.rule.name,
        public_title="" if secret else _scrub(doc.public_title, persons),
        counterpart=counterpart,
        # A secret document shows the day it was registered, not the document's own date.
        document_date=timezone.localdate(doc.registered_at) if secret else doc.document_date,
        registered_at=doc.registered_at, status="" if secret else doc.status,
        is_secret=secret, secrecy_ground=secrecy_ground(marked) if secret else "",
        refreshed_at=now)


def _files_public(doc: Document) -> bool:
    return (doc.status == DocumentStatus.REGISTERED and not doc.withhold_files
            and doc.record_type_id is not None and doc.record_type.publishable)


def _served_contents(cases: list) -> dict:
    """For each original's hash, its checked PDF/A rendition (hash, size) where one was
    made and its content is kept."""
    sources = {f.content_id for c in cases for d in c.documents.all() for f in d.files.all()}
    renditions = dict(Rendition.objects.filter(
        source__in=sources, state=RenditionState.OK, content_removed_at__isnull=True)
        .values_list("source", "content"))
    sizes = dict(StoredFile.objects.filter(sha256__in=set(renditions.values()),
                                           content_removed_at__isnull=True)
                 .values_list("sha256", "size"))
    return {source: (content, sizes[content]) for source, content in renditions.items()
            if content in sizes}


def _file_rows(doc: Document, row: PublicDocument, served: dict) -> list[PublicFile]:
    """What the public downloads of each file: its PDF/A rendition when one was made,
    else the original; nothing when the content is gone."""
    out = []
    for position, item in enumerate(doc.files.all(), start=1):
        if item.content_id in served:
            content, size = served[item.content_id]
            out.append(PublicFile(pk=item.pk, document=row, position=position, content=content,
                                  mime_type="application/pdf", size=size, is_rendition=True))
        elif item.content.content_removed_at is None:
            out.append(PublicFile(pk=item.pk, document=row, position=position,
                                  content=item.content_id, mime_type=item.mime_type,
                                  size=item.size, is_rendition=False))
    return out


def refresh_record_types(record_type_ids: Iterable) -> None:
    """A record type's publishability changed: its documents' files follow at once."""
    refresh_cases(Document.objects.filter(record_type_id__in=list(record_type_ids))
                  .values_list("case_id", flat=True).distinct())


def rebuild() -> int:
    """Rebuild the whole projection (idempotent). Returns the number of cases."""
    refresh_authorities()
    ids = list(Case.objects.values_list("pk", flat=True))
    stale = set(PublicCase.objects.values_list("pk", flat=True)) - set(ids)
    refresh_cases([*ids, *stale])  # a stale row's case is gone: its rows are removed
    return len(ids)
