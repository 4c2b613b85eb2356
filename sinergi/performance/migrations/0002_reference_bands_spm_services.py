"""Load the achievement and SPM bands and the provincial SPM services from performance/data/
(DOMAIN.md 3.2, 3.4, 5.4). The bands are defaults with their source noted; the office edits them
(the SPM bands are unconfirmed)."""

import csv
from decimal import Decimal
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "data"


def _rows(name):
    with (DATA / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def load(apps, schema_editor):
    band_model = apps.get_model("performance", "Band")
    for row in _rows("bands.csv"):
        band_model.objects.update_or_create(
            scheme=row["scheme"],
            label=row["label"],
            defaults={
                "minimum": Decimal(row["minimum"]) if row["minimum"] else None,
                "inclusive": row["inclusive"] == "true",
                "colour": row["colour"],
                "needs_attention": row["needs_attention"] == "true",
                "source": row["source"],
            },
        )
    service_model = apps.get_model("performance", "SpmService")
    for row in _rows("spm_services.csv"):
        service_model.objects.update_or_create(
            code=row["code"],
            defaults={
                "sort_order": int(row["sort_order"]),
                "name": row["name"],
                "target_group": row["target_group"],
                "lead_unit_types": row["lead_unit_types"],
                "source": row["source"],
            },
        )


def unload(apps, schema_editor):
    apps.get_model("performance", "Band").objects.all().delete()
    apps.get_model("performance", "SpmService").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("performance", "0001_plan_targets_realisation_spm")]

    operations = [migrations.RunPython(load, unload)]
