"""The search interface and its two database backends.

Callers index text under a key with the case (or, for other kinds of entries, the owner
object) it belongs to and whether it is secret, and ask which cases (owners) match a query:
public entries and secret entries separately, so that the caller's permission layer can
decide who may find what."""

import contextlib
import functools
import re
import threading
import uuid
from collections.abc import Iterator
from dataclasses import dataclass

import snowballstemmer
from django.db import connection
from django.db.models import Aggregate, F, Lookup, Min, QuerySet
from django.db.models.expressions import RawSQL

from diarium.core.bulk import write_rows
from diarium.search import order
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
    opened_at: object = None  # the registry's: when the case was opened (search/order.py)


def words(text: str) -> list[str]:
    return [w.lower() for w in _WORD.findall(text)]


def _is_sqlite() -> bool:
    return connection.vendor == "sqlite"


def index_body(text: str) -> str:
    """What is stored: the stemmed words. Both engines index the output of the same
    Snowball stemmer, so a query finds the same cases on SQLite and PostgreSQL (PostgreSQL
    15's own `swedish` configuration is an older Snowball that keeps e.g. "bygglovet")."""
    return " ".join(_stem(w) for w in words(text))


def _row(e: Entry, pk: int | None = None) -> SearchEntry:
    return SearchEntry(id=pk, key=e.key, kind=e.kind, case_id=e.case_id, owner=e.owner,
                       secret=e.secret, authority_id=e.authority,
                       restricted=e.secret or e.case_secret, body=index_body(e.text))


_UPDATED = ["kind", "case_id", "owner", "secret", "authority_id", "restricted", "body"]


def _upsert(rows: list[SearchEntry]) -> None:
    SearchEntry.objects.bulk_create(rows, update_conflicts=True, unique_fields=["key"],
                                    update_fields=_UPDATED, batch_size=1000)


def index(entries: list[Entry], *, new_case: bool = False) -> None:
    """Insert or replace entries (by key). The registry's entries are numbered in their
    cases' order (search/order.py); new_case: the entries are a case's first ones (a
    case just opened: its registry entries or its public projection's), so nothing of it
    needs to be looked up and they are inserted, not upserted (a key found there all the
    same is written over). Inside `written_together` they wait for the block's end."""
    pending = getattr(_together, "entries", None)
    if pending is not None:
        pending.append((list(entries), new_case))
        return
    _write(entries, new_case=new_case)


_together = threading.local()  # per thread, as Django's connections are


@contextlib.contextmanager
def written_together() -> Iterator[None]:
    """Entries indexed inside the block are written at its end; those of cases just
    opened (new_case) in one INSERT together, whichever module indexed them (a case opened
    through the API: the registry's entry and the public projection's, written while the
    series' number is locked, docs/performance.md section 2). Not nested; on an error
    nothing is written (the transaction is rolled back anyway)."""
    if getattr(_together, "entries", None) is not None:
        raise RuntimeError("written_together is not nested")
    _together.entries = []
    try:
        yield
        batches = _together.entries
    finally:
        _together.entries = None
    if all(new for _, new in batches):
        _write([e for entries, _ in batches for e in entries], new_case=True)
    else:
        for entries, new in batches:
            _write(entries, new_case=new)


def _write(entries: list[Entry], *, new_case: bool) -> None:
    numbered = [e for e in entries if e.kind == REGISTRY and e.case_id is not None]
    others = [e for e in entries if not (e.kind == REGISTRY and e.case_id is not None)]
    if new_case:  # all new: one INSERT, the database numbering the others
        _index_numbered(numbered, new_case=True, others=others)
        return
    if others:
        _upsert([_row(e) for e in others])
    if numbered:
        _index_numbered(numbered, new_case=False)


_FRESH_COLUMNS = ("key", "kind", "case_id", "owner", "secret", "authority_id", "restricted",
                  "body")


def insert_fresh(entries: list[Entry]) -> None:
    """Insert entries whose keys are not in the index (an owner's entries just after
    remove_owned in the same writer): one plain insert of all of them (core/bulk.py), no
    upsert and no model instance per entry, which was most of indexing an archive package
    of small files (docs/performance.md, section 7). A key already there is an
    IntegrityError. Not for the registry's entries of a case: they are numbered (index)."""
    if any(e.kind == REGISTRY and e.case_id is not None for e in entries):
        raise ValueError("the registry's entries of a case are written by index()")
    fields = [SearchEntry._meta.get_field(name) for name in _FRESH_COLUMNS]
    # Each value as its column stores it (a UUID as 32 hex digits on SQLite).
    prepare = [functools.partial(f.get_db_prep_save, connection=connection) for f in fields]
    case, owner, authority = prepare[2], prepare[3], prepare[5]
    rows = ((e.key, e.kind, case(e.case_id), owner(e.owner), e.secret, authority(e.authority),
             e.secret or e.case_secret, index_body(e.text)) for e in entries)
    write_rows(SearchEntry._meta.db_table, [f.column for f in fields], rows)


def _index_numbered(entries: list[Entry], *, new_case: bool,
                    others: list[Entry] | None = None) -> None:
    """Entries already there keep their number (their case's slot); new ones take the
    next numbers of their case's slot, or of a slot found for a case that has none. Two
    writers may pick the same number at once (PostgreSQL): the insert skips a number
    already taken, and the entries it skipped are numbered again. others (new_case
    only): entries the database numbers, inserted by the first INSERT beside these."""
    existing, ends = {}, {}
    if not new_case:
        existing = dict(SearchEntry.objects.filter(key__in=[e.key for e in entries])
                        .values_list("key", "id"))
        ends = _case_ends(list({e.case_id for e in entries}))

    def in_place(e: Entry) -> bool:  # numbered in its case's slot (not moved elsewhere)
        pk = existing.get(e.key, 0)
        return pk < 0 and e.case_id in ends and order.slot_of(pk) == order.slot_of(
            ends[e.case_id])

    kept = [e for e in entries if in_place(e)]
    if kept:
        _upsert([_row(e, existing[e.key]) for e in kept])
    fresh = [e for e in entries if not in_place(e)]
    elsewhere = [e.key for e in fresh if e.key in existing]
    if elsewhere:
        remove_keys(elsewhere)
    unnumbered = list(others or [])
    for attempt in range(20):
        if not fresh and not unnumbered:
            return
        left = _insert_new(fresh + unnumbered, _numbers(fresh, ends, look=attempt > 0))
        unnumbered = []  # the database numbered them; a key already there was written over
        fresh = _whole_new_cases(fresh, left, ends)
        if fresh:  # another writer numbered in the same slot: go on after its last entry
            ends = _slot_ends(_case_ends(list({e.case_id for e in fresh})))
    raise RuntimeError("could not number search entries (too many concurrent writers)")


def _whole_new_cases(tried: list[Entry], left: list[Entry], ends: dict) -> list[Entry]:
    """What to write again: the entries left, and every entry of a case that had none
    before and lost some to another writer (its slot was taken meanwhile: the entries
    written there are taken back, so that a case's entries stay in a slot of its own)."""
    split = {e.case_id for e in left} - set(ends)
    if not split:
        return left
    again = [e for e in tried if e.case_id in split]
    remove_keys([e.key for e in again if e not in left])
    return [e for e in left if e.case_id not in split] + again


def _numbers(entries: list[Entry], ends: dict, look: bool) -> dict[str, int]:
    """Free entry ids for the entries: after their case's lowest (newest) entry id in
    ends, or from seq 0 of a free slot for a case that has none: its likely slot (no
    query: most are free, and an insert that finds it taken is numbered again), or with
    look, the first from there that the database shows free."""
    taken: set[int] = set()
    following: dict = {}  # case -> (slot, next seq)
    numbers = {}
    for e in entries:
        if e.case_id not in following:
            if e.case_id in ends:
                end = ends[e.case_id]
                following[e.case_id] = (order.slot_of(end), order.seq_of(end) + 1)
            else:
                slot = (_free_slot(e.opened_at, taken) if look
                        else order.free_slot(order.likely_slot(e.opened_at), taken))
                taken.add(slot)
                following[e.case_id] = (slot, 0)
        slot, seq = following[e.case_id]
        numbers[e.key] = order.entry_id(slot, seq)
        following[e.case_id] = (slot, seq + 1)
    return numbers


def _slot_ends(ends: dict) -> dict:
    """For each case, the lowest entry id in its slot, whichever case it is of."""
    lowest: dict[int, int] = {}
    for slot in {order.slot_of(end) for end in ends.values()}:
        low, high = order.block(slot, slot)
        lowest[slot] = SearchEntry.objects.filter(id__gte=low, id__lte=high).aggregate(
            low=Min("id"))["low"]
    return {case: lowest[order.slot_of(end)] for case, end in ends.items()}


def _case_ends(cases: list) -> dict:
    """Each case's lowest entry id (its newest entry), for the cases that have any."""
    rows = (SearchEntry.objects.filter(case_id__in=cases, kind=REGISTRY, id__lt=0)
            .values("case_id").annotate(low=Min("id")).values_list("case_id", "low"))
    return dict(rows)


def _free_slot(opened_at, taken: set[int]) -> int:
    """The lowest slot from the case's likely one (search/order.py) that no entry holds."""
    start = order.likely_slot(opened_at)
    while True:
        low, high = order.block(start, start + SLOT_WINDOW - 1)
        held = {order.slot_of(pk) for pk in SearchEntry.objects.filter(
            id__gte=low, id__lte=high).values_list("id", flat=True)}
        slot = order.free_slot(start, held | taken)
        if slot < start + SLOT_WINDOW:
            return slot
        start += SLOT_WINDOW


SLOT_WINDOW = 1 << order.TIE_BITS


def _insert_new(entries: list[Entry], numbers: dict[str, int]) -> list[Entry]:
    """Insert entries under the given numbers (the database numbers an entry that has
    none), skipping a number or key another writer holds; a key already there is written
    over. Returns the numbered entries still to be written (their number was taken)."""
    rows = [_row(e, numbers.get(e.key)) for e in entries]
    fields = [SearchEntry._meta.get_field(name) for name in ("id", "key", *_UPDATED)]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    marks = ", ".join(["%s"] * (len(fields) - 1))
    # No number: PostgreSQL takes the column's default, SQLite numbers a NULL rowid.
    own_id = "DEFAULT" if connection.vendor == "postgresql" else "NULL"
    table = connection.ops.quote_name(SearchEntry._meta.db_table)
    written: set[str] = set()
    with connection.cursor() as cursor:
        for start in range(0, len(rows), 500):
            chunk = rows[start:start + 500]
            values = ", ".join(f"(%s, {marks})" if r.id is not None else f"({own_id}, {marks})"
                               for r in chunk)
            params = [f.get_db_prep_save(getattr(r, f.attname), connection)
                      for r in chunk for f in fields if r.id is not None or f.name != "id"]
            cursor.execute(
                f"INSERT INTO {table} ({columns}) VALUES "  # noqa: S608 (names, marks)
                f"{values} ON CONFLICT DO NOTHING RETURNING key", params)
            written.update(key for (key,) in cursor.fetchall())
    missing = [e for e in entries if e.key not in written]
    if not missing:
        return []
    # A key another writer wrote meanwhile is there: write ours over it.
    there = dict(SearchEntry.objects.filter(key__in=[e.key for e in missing])
                 .values_list("key", "id"))
    if there:
        _upsert([_row(e, there[e.key]) for e in missing if e.key in there])
    return [e for e in missing if e.key not in there and e.key in numbers]


def place_case(case_id, opened_at) -> int:
    """Move a case's entries to a slot of its opening second when it was opened at
    another moment than when its slot was found (a changed opening date); returns the
    number of entries moved. The new block is free, so no number meets another."""
    ends = _case_ends([case_id])
    if case_id not in ends or order.fits(order.slot_of(ends[case_id]), opened_at):
        return 0
    shift = (order.slot_of(ends[case_id]) - _free_slot(opened_at, set())) << order.SEQ_BITS
    return SearchEntry.objects.filter(case_id=case_id, kind=REGISTRY, id__lt=0).update(
        id=F("id") + shift)


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


# Words that join others ("beslut om bygglov", "tillsyn av …"): almost every entry holds
# some of them, so in a query with other words they narrow nothing and cost the longest
# posting lists of the index. Left out there; a query of only such words is matched as
# typed. Still indexed.
JOINING = frozenset({"och", "att", "i", "en", "ett", "som", "på", "den", "det", "med",
                     "för", "till", "av", "om", "från", "vid", "hos", "samt", "eller", "är"})


def _terms(text: str) -> list[tuple[str, bool]]:
    """The stems a query asks for, each with whether it is matched as the start of
    words: only the last word (the one being typed; the others are whole words, which
    their stems already widen to their forms), and never a word of one or two letters
    ("om", "i"), which as a prefix would match thousands of other words ("område").
    A prefix costs the index a scan of every word it starts (docs/performance.md)."""
    typed = words(text)
    kept = [w for w in typed if w not in JOINING] or typed
    stems = [t for t in map(_stem, kept) if t]
    return [(t, n == len(stems) - 1 and _as_prefix(t)) for n, t in enumerate(stems)]


def _as_prefix(stem: str) -> bool:
    return len(stem) > 2 or not stem.isalpha()


def fts_query(text: str) -> str:
    """An FTS5 query: every term must occur (see _terms)."""
    return " AND ".join(f'"{t}"' + ("*" if prefix else "") for t, prefix in _terms(text))


def ts_query(text: str) -> str:
    """The same query for PostgreSQL's to_tsquery (stems are word characters only)."""
    return " & ".join(f"'{t}'" + (":*" if prefix else "") for t, prefix in _terms(text))


def _matching(column: str, text: str, where: str, params: list,
              ids: tuple[str, str, list] | None = None) -> tuple[str, list] | None:
    """SQL selecting `column` of the entries matching text that also satisfy `where`,
    and whose ids lie between the two SQL expressions of `ids` (with their parameters)
    if given: FTS5 then reads only that range of rowids."""
    if not words(text):
        return None
    table = SearchEntry._meta.db_table
    low, high, bounds = ids if ids is not None else ("", "", [])
    if _is_sqlite():
        inside = f" AND f.rowid BETWEEN {low} AND {high}" if ids is not None else ""
        sql = (
            f"SELECT e.{column} FROM {table} e JOIN search_fts f ON f.rowid = e.id "  # noqa: S608
            f"WHERE search_fts MATCH %s{inside} AND {where}"
        )
        return sql, [fts_query(text), *bounds, *params]
    if ids is not None:
        where += f" AND e.id BETWEEN {low} AND {high}"
        params = [*params, *bounds]
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
    # The cases' entries lie in their slots (search/order.py): only that range is read,
    # not every match of a common word.
    table = SearchEntry._meta.db_table
    owners = [_owner_param(c) for c in case_ids]
    span = (f"(SELECT MIN(id) FROM {table} WHERE case_id IN ({marks}))",  # noqa: S608
            f"(SELECT MAX(id) FROM {table} WHERE case_id IN ({marks}))",  # noqa: S608
            [*owners, *owners])
    found = _matching("key, e.case_id", text, where, params, span)
    if found is None:
        return []
    with connection.cursor() as cursor:
        cursor.execute(*found)
        return [(key, _owner_value(case_id)) for key, case_id in cursor.fetchall()]


def query_stems(text: str) -> set[str]:
    return {t for t, _prefix in _terms(text)}


def stem(word: str) -> str:
    return _stemmer.stemWord(word.lower())


def numbered_chunk(text: str, after: int | None, limit: int) -> tuple[str, list] | None:
    """SQL for the ids (column `id`) of the registry's entries matching text, in id
    order (newest case first, search/order.py), from after (exclusive), at most limit
    of them; None when text has no words. FTS5 hands its matches over in rowid order
    and stops at the limit. PostgreSQL walks the primary key testing each entry's
    tsvector or sorts the GIN index's matches, whichever it estimates cheaper."""
    if not words(text):
        return None
    start = order.LOWEST if after is None else after
    if _is_sqlite():
        return ("SELECT rowid AS id FROM search_fts WHERE search_fts MATCH %s "
                "AND rowid > %s AND rowid < 0 ORDER BY rowid LIMIT %s",
                [fts_query(text), start, limit])
    table = SearchEntry._meta.db_table
    return (f"SELECT id FROM {table} WHERE body_tsv @@ to_tsquery('simple'::regconfig, %s) "  # noqa: S608
            "AND id > %s AND id < 0 ORDER BY id LIMIT %s", [ts_query(text), start, limit])


def some_matches(text: str, limit: int) -> QuerySet[SearchEntry]:
    """`limit` of the registry's entries matching text (all of them when fewer match), as
    a queryset to aggregate over; for a capped count, which needs as many matches as
    it may count, not the first ones. SQLite: numbered_chunk's, the first in id order
    (FTS5 hands rowids over in order at no cost). PostgreSQL: in no order, so that the
    GIN index's bitmap is read up to the limit in the table's order; in id order the
    primary-key walk tests every entry's tsvector, 25 times as many rows for a common
    word (docs/performance.md, section 6)."""
    if _is_sqlite():
        return SearchEntry.objects.filter(id__in=RawSQL(*numbered_chunk(text, None, limit)))  # noqa: S611
    return SearchEntry.objects.filter(body__stored_match=ts_query(text), id__lt=0)[:limit]


def in_id_order(value) -> Aggregate | None:
    """An aggregate of `value` over the entries in id order (newest case first), as a
    list, on PostgreSQL; None on SQLite. A capped count that read every match on
    PostgreSQL hands its pages their order too, instead of the pages finding those
    matches again (on SQLite FTS5 reads them in order at no cost)."""
    if _is_sqlite():
        return None
    from django.contrib.postgres.aggregates import ArrayAgg

    return ArrayAgg(value, order_by=("id",))


def numbered_matches(text: str, after: int | None, limit: int) -> list[int]:
    """The ids numbered_chunk selects."""
    chunk = numbered_chunk(text, after, limit)
    if chunk is None:
        return []
    with connection.cursor() as cursor:
        cursor.execute(*chunk)
        return [pk for (pk,) in cursor.fetchall()]
