"""Number the registry's search entries in their cases' order (search/order.py): every
case gets a slot from its opening second, its entries the ids -(slot * 2**18 + seq). The
cases are walked oldest first, each taking the lowest free slot of its second or above,
which is the rule indexing follows for a new case. Entries of cases that no longer
exist are removed (nothing could find them). On SQLite the FTS5 index follows its rowids,
so it is rebuilt once at the end instead of row by row through the update trigger.

The constants are copied here on purpose: a migration must keep doing what it did when
search/order.py changes. Backwards: the ids are made positive again (their order kept).

Time on a large installation (docs/performance.md): this reads every registry entry's id
and case once and rewrites every row; on PostgreSQL the table is then written again in
the new order (CLUSTER, which locks it meanwhile)."""

import datetime as dt
import importlib

from django.db import migrations

# The triggers as 0003 makes them again (one definition of them).
restore_triggers = importlib.import_module(
    "diarium.search.migrations.0003_entry_kinds").restore_triggers

SEQ_BITS, TIE_BITS = 18, 11
EPOCH = dt.datetime(1800, 1, 1, tzinfo=dt.UTC)
TABLE = "search_searchentry"


def _aware(moment) -> dt.datetime:
    if isinstance(moment, str):  # SQLite without a converter for the column
        moment = dt.datetime.fromisoformat(moment)
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def _slots(cursor) -> dict:
    """Each case's slot: oldest first, the lowest free slot from its second's first."""
    cursor.execute("SELECT id, opened_at FROM registry_case ORDER BY opened_at, id")
    slots, last = {}, 0
    for case_id, opened_at in cursor.fetchall():
        seconds = int((_aware(opened_at) - EPOCH).total_seconds())
        last = max(max(seconds, 1) << TIE_BITS, last + 1)
        slots[case_id] = last
    return slots


def _mapping(cursor, slots: dict) -> tuple[list[tuple[int, int]], list[int]]:
    """(old id, new id) of every numbered entry, and the ids of orphaned ones."""
    cursor.execute(f"SELECT id, case_id FROM {TABLE} "  # noqa: S608 (a constant)
                   "WHERE kind = 'registry' AND case_id IS NOT NULL ORDER BY id")
    seqs: dict = {}
    pairs, orphans = [], []
    for pk, case_id in cursor.fetchall():
        if case_id not in slots:
            orphans.append(pk)
            continue
        seq = seqs.get(case_id, 0)
        seqs[case_id] = seq + 1
        pairs.append((pk, -((slots[case_id] << SEQ_BITS) | seq)))
    return pairs, orphans


def _renumber(schema_editor, pairs: list[tuple[int, int]]) -> None:
    """Apply old -> new ids in one UPDATE from a temporary table."""
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        cursor.execute("CREATE TEMPORARY TABLE search_renumber "
                       "(old_id bigint PRIMARY KEY, new_id bigint NOT NULL)")
        for start in range(0, len(pairs), 10_000):
            chunk = pairs[start:start + 10_000]
            cursor.executemany("INSERT INTO search_renumber VALUES (%s, %s)", chunk)
        if connection.vendor == "postgresql":
            cursor.execute(f"UPDATE {TABLE} e SET id = r.new_id "  # noqa: S608
                           "FROM search_renumber r WHERE e.id = r.old_id")
            # Rows in the new order on disk: a search reads a case's entries together,
            # and the table is rid of the old rows the UPDATE left behind.
            cursor.execute(f"CLUSTER {TABLE} USING {TABLE}_pkey")
            cursor.execute(f"ANALYZE {TABLE}")
        else:
            cursor.execute(f"UPDATE {TABLE} SET id = (SELECT new_id FROM search_renumber "  # noqa: S608
                           f"WHERE old_id = {TABLE}.id) "
                           "WHERE id IN (SELECT old_id FROM search_renumber)")
        cursor.execute("DROP TABLE search_renumber")


def _without_fts_triggers(schema_editor, work) -> None:
    """Run work with SQLite's FTS5 triggers off and rebuild the index after it."""
    sqlite = schema_editor.connection.vendor == "sqlite"
    if sqlite:
        for name in ("search_fts_au", "search_fts_ad", "search_fts_ai"):
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {name}")
    work()
    if sqlite:
        schema_editor.execute("INSERT INTO search_fts(search_fts) VALUES ('rebuild')")
        restore_triggers(None, schema_editor)


def forward(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        pairs, orphans = _mapping(cursor, _slots(cursor))

    def work():
        with schema_editor.connection.cursor() as cursor:
            for start in range(0, len(orphans), 10_000):
                chunk = orphans[start:start + 10_000]
                marks = ", ".join(["%s"] * len(chunk))
                cursor.execute(f"DELETE FROM {TABLE} WHERE id IN ({marks})", chunk)  # noqa: S608
        _renumber(schema_editor, pairs)

    _without_fts_triggers(schema_editor, work)


def backward(apps, schema_editor):
    _without_fts_triggers(schema_editor, lambda: schema_editor.execute(
        f"UPDATE {TABLE} SET id = -id WHERE id < 0"))  # noqa: S608


class Migration(migrations.Migration):

    dependencies = [
        ("search", "0004_permission_columns"),
        ("registry", "0016_reminders_to_officers"),
    ]

    operations = [migrations.RunPython(forward, backward)]
