"""Mark the aftercare stage and load the follow-up intervals (1, 3, 6, 12 months: practice,
configurable) from rehabilitation/data/aftercare_intervals.csv."""

import csv
import datetime as dt
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "data"


def load(apps, schema_editor):
    stage_model = apps.get_model("rehabilitation", "Stage")
    stage_model.objects.filter(code="bimbingan-lanjut").update(schedules_aftercare=True)
    interval_model = apps.get_model("rehabilitation", "AftercareInterval")
    with (DATA / "aftercare_intervals.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            interval_model.objects.update_or_create(
                code=row["code"],
                defaults={
                    "number": int(row["number"]),
                    "name": row["name"],
                    "name_en": row["name_en"],
                    "months": int(row["months"]),
                    "source": row["source"],
                    "effective_from": dt.date.fromisoformat(row["effective_from"]),
                },
            )


def unload(apps, schema_editor):
    apps.get_model("rehabilitation", "AftercareInterval").objects.all().delete()
    apps.get_model("rehabilitation", "Stage").objects.update(schedules_aftercare=False)


class Migration(migrations.Migration):
    dependencies = [("rehabilitation", "0003_termination_and_aftercare")]

    operations = [migrations.RunPython(load, unload)]
