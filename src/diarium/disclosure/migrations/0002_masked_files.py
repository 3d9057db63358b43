"""A document released with masking keeps a redacted copy per file (MaskedFile), and each
mask names its file's copy. The single copy an item kept before becomes the MaskedFile of
the file it was made from (the file itself, or the file whose PDF/A rendition it was)."""

import uuid

import django.db.models.deletion
from django.db import migrations, models


def copies_per_file(apps, schema_editor):
    RequestedItem = apps.get_model("disclosure", "RequestedItem")
    MaskedFile = apps.get_model("disclosure", "MaskedFile")
    Mask = apps.get_model("disclosure", "Mask")
    DocumentFile = apps.get_model("registry", "DocumentFile")
    Rendition = apps.get_model("documents", "Rendition")
    for item in RequestedItem.objects.filter(redacted__isnull=False).iterator():
        files = list(DocumentFile.objects.filter(document_id=item.document_id)
                     .order_by("added_at", "id"))
        renditions = dict(Rendition.objects.filter(
            source__in=[f.content_id for f in files], state="ok").values_list(
            "source", "content"))
        position, file = next(
            ((n, f) for n, f in enumerate(files, start=1)
             if item.source_id in (f.content_id, renditions.get(f.content_id))),
            (1, files[0] if files else None))
        if file is None:
            continue
        copy = MaskedFile.objects.create(
            item=item, file=file, position=position, source_id=item.source_id,
            redacted_id=item.redacted_id, pages=item.pages,
            made_at=item.reviewed_at or item.request.received_at,
            active=item.outcome == "masked")
        Mask.objects.filter(item=item, active=True).update(masked_file=copy)


class Migration(migrations.Migration):

    dependencies = [
        ('disclosure', '0001_requests'),
        ('documents', '0004_signatures'),
        ('registry', '0015_distribution_lists_and_dispatch'),
    ]

    operations = [
        migrations.AlterModelOptions(
            name='mask',
            options={'ordering': ['masked_file__position', 'page', 'top', 'left']},
        ),
        migrations.CreateModel(
            name='MaskedFile',
            fields=[
                ('id', models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                ('position', models.PositiveIntegerField(default=1)),
                ('pages', models.PositiveIntegerField(default=0)),
                ('made_at', models.DateTimeField()),
                ('active', models.BooleanField(default=True)),
                ('file', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='registry.documentfile')),
                ('item', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='masked_files', to='disclosure.requesteditem')),
                ('redacted', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='documents.storedfile')),
                ('source', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='documents.storedfile')),
            ],
            options={
                'ordering': ['item', 'position'],
            },
        ),
        migrations.AddField(
            model_name='mask',
            name='masked_file',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='masks', to='disclosure.maskedfile'),
        ),
        migrations.AlterField(
            model_name='requesteditem',
            name='provision',
            field=models.TextField(blank=True, verbose_name='secrecy provision'),
        ),
        migrations.RunPython(copies_per_file, migrations.RunPython.noop),
    ]
