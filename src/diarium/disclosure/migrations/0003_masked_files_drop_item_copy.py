"""The item's single copy is kept per file since 0002 (MaskedFile): its columns go, in a
migration of their own (PostgreSQL alters no table with the data step's pending checks)."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('disclosure', '0002_masked_files'),
    ]

    operations = [
        migrations.RemoveField(
            model_name='requesteditem',
            name='redacted',
        ),
        migrations.RemoveField(
            model_name='requesteditem',
            name='source',
        ),
    ]
