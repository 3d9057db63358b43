# The minutes are signed through the registry's signing workflow (SignatureRequest and
# SignatureStep hold who signed and when; the audit log keeps the earlier sign-offs as
# board.minutes_signed), and the board's documents are sent through the registry's
# dispatch (registry.Dispatch): the board's own SignOff and Dispatch rows go. An item's
# extract may go to a distribution list of the registry.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('board', '0001_initial'),
        ('registry', '0015_distribution_lists_and_dispatch'),
    ]

    operations = [
        migrations.AddField(
            model_name='agendaitem',
            name='recipient_list',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='registry.distributionlist', verbose_name='distribution list of the extract'),
        ),
        migrations.DeleteModel(
            name='Dispatch',
        ),
        migrations.DeleteModel(
            name='SignOff',
        ),
    ]
