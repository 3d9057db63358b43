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


def has_words(text: str) -> bool:
    return bool(backends.words(text))
