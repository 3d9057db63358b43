"""Entries of other kinds than the registry's (the e-archive's packages, records and files):
`kind`, an `owner` instead of a case, and `case_id` optional.

On SQLite, Django rebuilds the table for these changes (a new table, the rows copied with
their ids, the old one dropped), which drops the triggers that keep the FTS5 index in step
with it. The rows keep their ids, so the FTS5 index stays right; the triggers are made again
afterwards (also when the migration is reversed)."""

from django.db import migrations, models

TRIGGERS = [
    "DROP TRIGGER IF EXISTS search_fts_ai",
    "DROP TRIGGER IF EXISTS search_fts_ad",
    "DROP TRIGGER IF EXISTS search_fts_au",
    "CREATE TRIGGER search_fts_ai AFTER INSERT ON search_searchentry BEGIN "
    "INSERT INTO search_fts(rowid, body) VALUES (new.id, new.body); END",
    "CREATE TRIGGER search_fts_ad AFTER DELETE ON search_searchentry BEGIN "
    "INSERT INTO search_fts(search_fts, rowid, body) VALUES ('delete', old.id, old.body); END",
    "CREATE TRIGGER search_fts_au AFTER UPDATE ON search_searchentry BEGIN "
    "INSERT INTO search_fts(search_fts, rowid, body) VALUES ('delete', old.id, old.body); "
    "INSERT INTO search_fts(rowid, body) VALUES (new.id, new.body); END",
]


def restore_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for sql in TRIGGERS:
            schema_editor.execute(sql)


class Migration(migrations.Migration):

    dependencies = [
        ("search", "0002_text_index"),
    ]

    operations = [
        # Reversed, the operations run from the bottom up: the triggers are made again
        # after the table was rebuilt back to its earlier shape.
        migrations.RunPython(migrations.RunPython.noop, restore_triggers),
        migrations.AddField(
            model_name="searchentry",
            name="kind",
            field=models.CharField(default="registry", max_length=16),
        ),
        migrations.AddField(
            model_name="searchentry",
            name="owner",
            field=models.UUIDField(blank=True, db_index=True, null=True),
        ),
        migrations.AlterField(
            model_name="searchentry",
            name="case_id",
            field=models.UUIDField(blank=True, db_index=True, null=True),
        ),
        migrations.RunPython(restore_triggers, migrations.RunPython.noop),
    ]
