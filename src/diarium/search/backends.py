"""The search interface and its two database backends.

Callers index text under a key with the case (or, for other kinds of entries, the owner
object) it belongs to and whether it is secret, and ask which cases (owners) match a query:
public entries and secret entries separately, so that the caller's permission layer can
decide who may find what."""

import functools
import re
import uuid
from dataclasses import dataclass

import snowballstemmer
from django.db import connection
from django.db.models import F, Lookup, QuerySet
from django.db.models.expressions import RawSQL

from diarium.search.models import REGISTRY, SearchEntry

_WORD = re.compile(r"\w+", re.UNICODE)
_stemmer = snowballstemmer.stemmer("swedish")


@functools.lru_cache(maxsize=200_000)
def _stem(word: str) -> str:
    """One word's stem, remembered: the stemmer is pure Python and the same words recur
    (bulk indexing, such as bringing a former diarium in, spent most of its time here)."""
    return _stemmer.stemWord(word)


@dataclass(frozen=True)
class Entry:
    key: str
    case_id: object  # the registry's case; None for other kinds
    secret: bool
    text: str
    kind: str = REGISTRY
    owner: object = None  # what a non-registry entry belongs to (e.g. an archive package)
    authority: object = None  # the registry's: the case's authority
    case_secret: bool = False  # the registry's: the case is marked secret


def words(text: str) -> list[str]:
    return [w.lower() for w in _WORD.findall(text)]


def _is_sqlite() -> bool:
    return connection.vendor == "sqlite"


def index_body(text: str) -> str:
    """What is stored: the stemmed words. Both engines index the output of the same
    Snowball stemmer, so a query finds the same cases on SQLite and PostgreSQL (PostgreSQL
    15's own `swedish` configuration is an older Snowball that keeps e.g. "bygglovet")."""
    return " ".join(_stem(w) for w in words(text))


def index(entries: list[Entry]) -> None:
    """Insert or replace entries (by key)."""
    objs = [
        SearchEntry(key=e.key, kind=e.kind, case_id=e.case_id, owner=e.owner, secret=e.secret,
                    authority_id=e.authority, restricted=e.secret or e.case_secret,
                    body=index_body(e.text))
        for e in entries
    ]
    SearchEntry.objects.bulk_create(
        objs,
        update_conflicts=True,
        unique_fields=["key"],
        update_fields=["kind", "case_id", "owner", "secret", "authority_id", "restricted",
                       "body"],
        batch_size=1000,
    )


def mark_case(case_id, secret: bool) -> int:
    """Keep the entries of a case in step with its marking: every entry of a marked case
    is restricted, an unmarked case's entries as their own secrecy says. Touches only
    the entries that change (none when the marking did not)."""
    entries = SearchEntry.objects.filter(case_id=case_id)
    if secret:
        return entries.filter(restricted=False).update(restricted=True)
    return entries.exclude(restricted=F("secret")).update(restricted=F("secret"))


def remove_owned(kind: str, owner) -> int:
    """Remove every entry of this kind that belongs to owner (before indexing it anew)."""
    deleted, _ = SearchEntry.objects.filter(kind=kind, owner=owner).delete()
    return deleted


def remove_keys(keys: list[str]) -> int:
    """Remove the entries with these keys (e.g. of records disposed of)."""
    deleted, _ = SearchEntry.objects.filter(key__in=keys).delete()
    return deleted


def _stems(text: str) -> list[str]:
    return [t for t in map(_stem, words(text)) if t]


def fts_query(text: str) -> str:
    """An FTS5 query: every stemmed word must occur (as a prefix)."""
    return " AND ".join(f'"{t}"*' for t in _stems(text))


def ts_query(text: str) -> str:
    """The same query for PostgreSQL's to_tsquery (stems are word characters only)."""
    return " & ".join(f"'{t}':*" for t in _stems(text))


def _matching(column: str, text: str, where: str, params: list) -> tuple[str, list] | None:
    """SQL selecting `column` of the entries matching text that also satisfy `where`."""
    if not words(text):
        return None
    table = SearchEntry._meta.db_table
    if _is_sqlite():
        sql = (
            f"SELECT e.{column} FROM {table} e JOIN search_fts f ON f.rowid = e.id "  # noqa: S608
            f"WHERE search_fts MATCH %s AND {where}"
        )
        return sql, [fts_query(text), *params]
    sql = (
        f"SELECT e.{column} FROM {table} e WHERE "  # noqa: S608
        "e.body_tsv @@ to_tsquery('simple'::regconfig, %s)"
        f" AND {where}"
    )
    return sql, [ts_query(text), *params]


class StoredMatch(Lookup):
    """`body__stored_match=<tsquery text>` (PostgreSQL): the entry's stored tsvector
    (`body_tsv`, search/migrations/0004) matches, tested on the row itself wherever the
    ORM aliases the table, so the GIN index finds the rows and nothing is parsed again."""

    lookup_name = "stored_match"

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        if not lhs.endswith('"body"'):  # not the body column as the ORM writes it
            raise ValueError(f"stored_match works on SearchEntry.body only, not {lhs}")
        column = lhs.removesuffix('"body"') + '"body_tsv"'
        return f"{column} @@ to_tsquery('simple'::regconfig, {rhs})", [*lhs_params,
                                                                       *rhs_params]


SearchEntry._meta.get_field("body").register_lookup(StoredMatch)


def matching_entries(text: str) -> QuerySet[SearchEntry] | None:
    """The registry's entries matching text, as a queryset the caller's permission layer
    narrows further (on the entries' own columns); None when text has no words."""
    if not words(text):
        return None
    if _is_sqlite():
        # FTS5 is a table of its own: the matching entries as a set of rowids.
        ids = RawSQL("SELECT rowid FROM search_fts WHERE search_fts MATCH %s",
                     [fts_query(text)])
        return SearchEntry.objects.filter(id__in=ids, kind=REGISTRY)
    return SearchEntry.objects.filter(body__stored_match=ts_query(text), kind=REGISTRY)


def matching_case_ids(text: str, *, secret: bool) -> RawSQL | None:
    """SQL for the ids of cases with an entry matching text, public or secret ones."""
    found = _matching("case_id", text, "e.kind = %s AND e.secret = %s", [REGISTRY, secret])
    return RawSQL(*found) if found else None  # noqa: S611 (parameters bound)


def matching_owner_ids(text: str, *, kind: str, secret: bool) -> RawSQL | None:
    """SQL for the owners of entries of this kind matching text, public or secret ones."""
    found = _matching("owner", text, "e.kind = %s AND e.secret = %s", [kind, secret])
    return RawSQL(*found) if found else None  # noqa: S611 (parameters bound)


def matching_keys(text: str, *, kind: str, owners: list, secret: bool,
                  prefix: str = "") -> list[tuple[str, object]]:
    """(key, owner) of the entries of this kind and these owners that match text; with
    secret=False only public entries, with secret=True public and secret ones."""
    if not owners:
        return []
    marks = ", ".join(["%s"] * len(owners))
    where = f"e.kind = %s AND e.owner IN ({marks}) AND e.key LIKE %s"
    params: list = [kind, *[_owner_param(o) for o in owners], f"{prefix}%"]
    if not secret:
        where += " AND e.secret = %s"
        params.append(False)
    found = _matching("key, e.owner", text, where, params)
    if found is None:
        return []
    with connection.cursor() as cursor:
        cursor.execute(*found)
        return [(key, _owner_value(owner)) for key, owner in cursor.fetchall()]


def _owner_param(owner) -> object:
    """UUIDs are stored as 32 hex digits on SQLite and as uuid on PostgreSQL."""
    return owner.hex if _is_sqlite() and hasattr(owner, "hex") else owner


def _owner_value(value) -> uuid.UUID | None:
    return uuid.UUID(str(value)) if value is not None else None


def matching_keys_in_cases(text: str, case_ids: list, prefix: str) -> list[tuple[str, object]]:
    """(key, case id) of the registry entries of these cases whose key starts with prefix
    and that match text, secret or not: the caller's permission layer decides which of
    them it may show."""
    if not case_ids:
        return []
    marks = ", ".join(["%s"] * len(case_ids))
    where = f"e.kind = %s AND e.case_id IN ({marks}) AND e.key LIKE %s"
    params: list = [REGISTRY, *[_owner_param(c) for c in case_ids], f"{prefix}%"]
    found = _matching("key, e.case_id", text, where, params)
    if found is None:
        return []
    with connection.cursor() as cursor:
        cursor.execute(*found)
        return [(key, _owner_value(case_id)) for key, case_id in cursor.fetchall()]


def query_stems(text: str) -> set[str]:
    return set(_stems(text))


def stem(word: str) -> str:
    return _stemmer.stemWord(word.lower())
