import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("budget", "0005_physical_progress_units_filled")]

    operations = [
        migrations.AlterField(
            model_name="physicalprogress",
            name="unit",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="organisation.unit",
                verbose_name="responsible unit (KPA)",
            ),
        ),
    ]
