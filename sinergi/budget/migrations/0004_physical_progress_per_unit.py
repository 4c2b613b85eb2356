"""Physical progress is reported per unit: several Bidang/UPT carry the same sub kegiatan code."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("budget", "0003_sp2d_list_index"),
        ("organisation", "0002_region_name_trigram_index"),
    ]

    operations = [
        migrations.AddField(
            model_name="physicalprogress",
            name="unit",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="organisation.unit",
                verbose_name="responsible unit (KPA)",
            ),
        ),
        migrations.RemoveConstraint(
            model_name="physicalprogress",
            name="budget_progress_month_uniq",
        ),
        migrations.AlterModelOptions(
            name="physicalprogress",
            options={
                "ordering": ["sub_kegiatan", "unit", "month"],
                "verbose_name": "physical progress",
                "verbose_name_plural": "physical progress",
            },
        ),
        migrations.AddConstraint(
            model_name="physicalprogress",
            constraint=models.UniqueConstraint(
                fields=("sub_kegiatan", "unit", "month"), name="budget_progress_unit_month_uniq"
            ),
        ),
    ]
