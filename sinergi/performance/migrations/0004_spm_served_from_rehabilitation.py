"""The number served of the four in-panti SPM services comes from the rehabilitation records (the
clients served in the UPT of each service's lead types), as performance/data/spm_services.csv
says; the disaster service stays entered by hand. The planning staff can change either choice."""

import csv
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "data" / "spm_services.csv"


def _metric_codes():
    with DATA.open(encoding="utf-8", newline="") as handle:
        return {row["code"]: row["metric_code"] for row in csv.DictReader(handle)}


def forwards(apps, schema_editor):
    service_model = apps.get_model("performance", "SpmService")
    for code, metric_code in _metric_codes().items():
        service_model.objects.filter(code=code, metric_code="").update(metric_code=metric_code)


def backwards(apps, schema_editor):
    service_model = apps.get_model("performance", "SpmService")
    for code, metric_code in _metric_codes().items():
        if metric_code:
            service_model.objects.filter(code=code, metric_code=metric_code).update(metric_code="")


class Migration(migrations.Migration):
    dependencies = [("performance", "0003_achievement_summary")]

    operations = [migrations.RunPython(forwards, backwards)]
