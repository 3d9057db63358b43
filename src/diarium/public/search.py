"""The public text search: its own entries in the search index (kinds `public_case` and
`public_doc`), written from the projection's public fields only, never from the staff
entries. A secret record's entry holds its number alone, so a search finds it by number
and by nothing it hides."""

from __future__ import annotations

from django.db.models.expressions import RawSQL

from diarium.search import backends

PUBLIC_CASE = "public_case"
PUBLIC_DOC = "public_doc"
KINDS = (PUBLIC_CASE, PUBLIC_DOC)


def case_entry(row) -> backends.Entry:
    text = " ".join([row.diary_number, row.public_title, row.organisations])
    return backends.Entry(f"{PUBLIC_CASE}:{row.pk}", None, False, text, kind=PUBLIC_CASE,
                          owner=row.pk)


def doc_entry(row) -> backends.Entry:
    text = " ".join([row.document_number, row.public_title, row.record_type, row.counterpart])
    return backends.Entry(f"{PUBLIC_DOC}:{row.pk}", None, False, text, kind=PUBLIC_DOC,
                          owner=row.pk)


def matching(text: str, kind: str) -> RawSQL | None:
    """SQL for the ids of the projection's rows of this kind whose public text matches;
    None when the text holds no word."""
    return backends.matching_owner_ids(text, kind=kind, secret=False)


def matching_cases(text: str) -> RawSQL | None:
    """SQL for the ids of the public cases whose own public text, or the public text of
    one of whose documents, matches; None when the text holds no word.

    One list (a UNION), and the documents found are joined to their cases from the
    matching entries, not the other way round: written as `case in (cases of documents
    in (matching entries))`, PostgreSQL misjudged the matching entries as one row and
    walked every public document (seconds at a million documents; docs/public.md)."""
    cases = matching(text, PUBLIC_CASE)
    docs = matching(text, PUBLIC_DOC)
    if cases is None or docs is None:
        return None
    from diarium.public.models import PublicDocument

    table = PublicDocument._meta.db_table
    sql = (f"SELECT c.owner FROM ({cases.sql}) c UNION "  # noqa: S608 (our SQL, bound params)
           f"SELECT d.case_id FROM ({docs.sql}) m JOIN {table} d ON d.id = m.owner")
    return RawSQL(sql, (*cases.params, *docs.params))  # noqa: S611


def has_words(text: str) -> bool:
    return bool(backends.words(text))
