"""Mark the pillar types whose members come from the UPT staff (pillars/data/pillar_types.csv,
column from_staff: Jatim Social Care) and build the summary rows of the batches already made."""

import csv
from pathlib import Path

from django.db import migrations
from django.db.models import Count, Sum

DATA = Path(__file__).resolve().parent.parent / "data"


def forwards(apps, schema_editor):
    pillar_type = apps.get_model("pillars", "PillarType")
    with (DATA / "pillar_types.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            pillar_type.objects.filter(code=row["code"]).update(
                from_staff=row.get("from_staff") == "true"
            )
    entitlement = apps.get_model("pillars", "Entitlement")
    summary = apps.get_model("pillars", "BatchSummary")
    groups = (
        entitlement.objects.values("batch_id", "pillar_type_id", "regency_id", "status")
        .annotate(n=Count("*"), total=Sum("amount"))
        .order_by()
    )
    summary.objects.bulk_create(
        [
            summary(
                batch_id=g["batch_id"],
                pillar_type_id=g["pillar_type_id"],
                regency_id=g["regency_id"],
                status=g["status"],
                count=g["n"],
                amount=g["total"],
            )
            for g in groups.iterator()
        ],
        batch_size=1000,
    )


def backwards(apps, schema_editor):
    apps.get_model("pillars", "BatchSummary").objects.all().delete()
    apps.get_model("pillars", "PillarType").objects.update(from_staff=False)


class Migration(migrations.Migration):
    dependencies = [("pillars", "0004_batch_summary_and_staff_link")]

    operations = [migrations.RunPython(forwards, backwards)]
