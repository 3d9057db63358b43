"""Stored role codes in English (the Swedish words stay as labels)."""

from django.db import migrations, models

# Frozen here as they were when this migration was written: old -> new.
ROLES = {"registrator": "registrar", "handlaggare": "officer", "namndsekreterare": "secretary",
         "arkivarie": "archivist", "lasare": "reader"}


def rename(apps, mapping: dict) -> None:
    assignments = apps.get_model("organisation", "RoleAssignment")
    for old, new in mapping.items():
        assignments.objects.filter(role=old).update(role=new)


def forwards(apps, schema_editor) -> None:
    rename(apps, ROLES)


def backwards(apps, schema_editor) -> None:
    rename(apps, {new: old for old, new in ROLES.items()})


class Migration(migrations.Migration):

    dependencies = [
        ('organisation', '0005_hash_existing_api_tokens'),
    ]

    operations = [
        migrations.RunPython(forwards, backwards),
        migrations.AlterField(
            model_name='roleassignment',
            name='role',
            field=models.CharField(choices=[('registrar', 'Registrar'), ('officer', 'Case officer'), ('secretary', 'Board secretary'), ('archivist', 'Archivist'), ('administrator', 'Administrator'), ('reader', 'Reader')], max_length=32),
        ),
    ]
