"""The columns a search's permission filter reads from the entry itself (the case's
authority, and whether the entry counts only for the case's access group), filled from
the cases; on PostgreSQL a stored tsvector of `body` with its GIN index, replacing the
index on the expression (a match then reads the stored vector instead of parsing `body`
again for every candidate row).

On SQLite, adding a column with a default may rebuild the table, which drops the FTS5
triggers (see 0003): they are made again at the end."""

import importlib

from django.db import migrations, models

# The triggers as 0003 makes them again (one definition of them).
restore_triggers = importlib.import_module(
    "diarium.search.migrations.0003_entry_kinds").restore_triggers

FILL = (
    "UPDATE search_searchentry SET authority_id = ("
    "SELECT c.authority_id FROM registry_case c WHERE c.id = search_searchentry.case_id), "
    "restricted = (secret OR EXISTS (SELECT 1 FROM registry_case c "
    "WHERE c.id = search_searchentry.case_id AND c.secrecy_provision <> '')) "
    "WHERE case_id IS NOT NULL"
)
PG_FORWARD = [
    "ALTER TABLE search_searchentry ADD COLUMN body_tsv tsvector "
    "GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, body)) STORED",
    "CREATE INDEX search_entry_body_tsv ON search_searchentry USING gin (body_tsv)",
    "DROP INDEX IF EXISTS search_entry_body_fts",
]
PG_BACKWARD = [
    "CREATE INDEX search_entry_body_fts ON search_searchentry "
    "USING gin (to_tsvector('simple'::regconfig, body))",
    "DROP INDEX IF EXISTS search_entry_body_tsv",
    "ALTER TABLE search_searchentry DROP COLUMN IF EXISTS body_tsv",
]


def fill(apps, schema_editor):
    schema_editor.execute(FILL)
    if schema_editor.connection.vendor == "postgresql":
        for sql in PG_FORWARD:
            schema_editor.execute(sql)


def unfill(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for sql in PG_BACKWARD:
            schema_editor.execute(sql)


class Migration(migrations.Migration):

    dependencies = [
        ("search", "0003_entry_kinds"),
        ("registry", "0014_migrated_registrations"),
    ]

    operations = [
        migrations.RunPython(migrations.RunPython.noop, restore_triggers),
        migrations.AddField(
            model_name="searchentry",
            name="authority_id",
            field=models.UUIDField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="searchentry",
            name="restricted",
            field=models.BooleanField(default=False),
        ),
        migrations.RunPython(restore_triggers, migrations.RunPython.noop),
        migrations.RunPython(fill, unfill),
    ]
