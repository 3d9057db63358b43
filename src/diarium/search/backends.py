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
    """What is stored: the stemmed words. Both engines index the output of the same
    Snowball stemmer, so a query finds the same cases on SQLite and PostgreSQL (PostgreSQL
    15's own `swedish` configuration is an older Snowball that keeps e.g. "bygglovet")."""
    return " ".join(_stemmer.stemWords(words(text)))


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


def _stems(text: str) -> list[str]:
    return [t for t in _stemmer.stemWords(words(text)) if t]


def fts_query(text: str) -> str:
    """An FTS5 query: every stemmed word must occur (as a prefix)."""
    return " AND ".join(f'"{t}"*' for t in _stems(text))


def ts_query(text: str) -> str:
    """The same query for PostgreSQL's to_tsquery (stems are word characters only)."""
    return " & ".join(f"'{t}':*" for t in _stems(text))


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
        return RawSQL(sql, [fts_query(text), secret])  # noqa: S611 (parameters bound)
    sql = (
        f"SELECT case_id FROM {table} WHERE "  # noqa: S608
        "to_tsvector('simple'::regconfig, body) @@ to_tsquery('simple'::regconfig, %s)"
        " AND secret = %s"
    )
    return RawSQL(sql, [ts_query(text), secret])  # noqa: S611 (parameters bound)
