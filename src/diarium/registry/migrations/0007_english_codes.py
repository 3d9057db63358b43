"""Stored codes in English: the Swedish codes of case and document status, document
direction and inbox status become English ones (the Swedish words stay as labels). The
audit log is not rewritten: its older events keep the old codes, which the history
translates (registry.models.LEGACY_CODES)."""

from django.db import migrations, models

# Frozen here as they were when this migration was written: (model, field, old -> new).
RENAMES = [
    ("Case", "status", {"oppet": "open", "vilande": "dormant", "avslutat": "closed",
                        "makulerat": "voided", "gallrat": "disposed"}),
    ("Document", "status", {"registrerad": "registered", "makulerad": "voided",
                            "gallrad": "disposed"}),
    ("Document", "direction", {"inkommande": "incoming", "utgaende": "outgoing",
                               "upprattad": "internal"}),
    ("InboxItem", "status", {"ny": "new", "placerad": "placed"}),
]


def rename(apps, renames: list) -> None:
    for model_name, field, mapping in renames:
        model = apps.get_model("registry", model_name)
        for old, new in mapping.items():
            model.objects.filter(**{field: old}).update(**{field: new})


def forwards(apps, schema_editor) -> None:
    rename(apps, RENAMES)


def backwards(apps, schema_editor) -> None:
    rename(apps, [(m, f, {new: old for old, new in mapping.items()})
                  for m, f, mapping in RENAMES])


class Migration(migrations.Migration):

    dependencies = [
        ('registry', '0006_party_created_by'),
    ]

    operations = [
        migrations.RunPython(forwards, backwards),
        migrations.AlterField(
            model_name='case',
            name='status',
            field=models.CharField(choices=[('open', 'Open'), ('dormant', 'Dormant'), ('closed', 'Closed'), ('voided', 'Voided'), ('disposed', 'Disposed of')], default='open', max_length=16),
        ),
        migrations.AlterField(
            model_name='document',
            name='direction',
            field=models.CharField(choices=[('incoming', 'Incoming'), ('outgoing', 'Outgoing'), ('internal', 'Drawn up')], max_length=16),
        ),
        migrations.AlterField(
            model_name='document',
            name='status',
            field=models.CharField(choices=[('registered', 'Registered'), ('voided', 'Voided'), ('disposed', 'Disposed of')], default='registered', max_length=16),
        ),
        migrations.AlterField(
            model_name='inboxitem',
            name='status',
            field=models.CharField(choices=[('new', 'New'), ('placed', 'Placed in a case')], default='new', max_length=16),
        ),
    ]
