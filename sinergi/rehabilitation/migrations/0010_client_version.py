"""Clients can be changed after intake (e.g. the NIK obtained later from Dukcapil): a version for
optimistic locking, so two people editing the same client never overwrite each other silently."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("rehabilitation", "0009_speed")]

    operations = [
        migrations.AddField(
            model_name="client",
            name="version",
            field=models.PositiveIntegerField(default=1, verbose_name="version"),
        ),
    ]
