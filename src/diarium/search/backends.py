"""The search interface and its two database backends.

Callers index text under a key with the case it belongs to and whether it is secret, and ask
which cases match a query: public entries and secret entries separately, so that the
registry's permission layer can decide who may find what."""

import re
from dataclasses import dataclass

import snowballstemmer
from django.db import connection
from django.db.models.expressions import RawSQL

from diarium.search.models import SearchEntry

_WORD = re.compile(r"\w+", re.UNICODE)
_stemmer = snowballstemmer.stemmer("swedish")


@dataclass(frozen=True)
class Entry:
    key: str
    case_id: object
    secret: bool
    text: str


def words(text: str) -> list[str]:
    return [w.lower() for w in _WORD.findall(text)]


def _is_sqlite() -> bool:
    return connection.vendor == "sqlite"


def index_body(text: str) -> str:
    """What is stored: stemmed words on SQLite (FTS5 has no Swedish stemmer), the text as
    it is on PostgreSQL (its `swedish` configuration stems)."""
    if _is_sqlite():
        return " ".join(_stemmer.stemWords(words(text)))
    return text


def index(entries: list[Entry]) -> None:
    """Insert or replace entries (by key)."""
    objs = [
        SearchEntry(key=e.key, case_id=e.case_id, secret=e.secret, body=index_body(e.text))
        for e in entries
    ]
    SearchEntry.objects.bulk_create(
        objs,
        update_conflicts=True,
        unique_fields=["key"],
        update_fields=["case_id", "secret", "body"],
        batch_size=1000,
    )


def fts_query(text: str) -> str:
    """An FTS5 query: every stemmed word must occur (as a prefix)."""
    terms = _stemmer.stemWords(words(text))
    return " AND ".join(f'"{t}"*' for t in terms if t)


def matching_case_ids(text: str, *, secret: bool) -> RawSQL | None:
    """SQL for the ids of cases with an entry matching text, public or secret ones."""
    if not words(text):
        return None
    table = SearchEntry._meta.db_table
    if _is_sqlite():
        sql = (
            f"SELECT e.case_id FROM {table} e JOIN search_fts f ON f.rowid = e.id "  # noqa: S608
            "WHERE search_fts MATCH %s AND e.secret = %s"
        )
        return RawSQL(sql, [fts_query(text), secret])
    sql = (
        f"SELECT case_id FROM {table} WHERE "  # noqa: S608
        "to_tsvector('swedish'::regconfig, body) @@ websearch_to_tsquery('swedish'::regconfig, %s)"
        " AND secret = %s"
    )
    return RawSQL(sql, [text, secret])
