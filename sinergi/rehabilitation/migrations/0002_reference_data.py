"""Load the reference lists and the Barthel Index from rehabilitation/data/ (DOMAIN.md 1.2, 1.3,
2.2, 4.1). Later corrections go through `manage.py load_rehabilitation_reference`, which upserts
the same files; this migration reads only the columns that existed when it was written."""

import csv
import datetime as dt
import json
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "data"
LISTS = {
    "PpksCategory": "ppks_categories.csv",
    "DisabilityType": "disability_types.csv",
    "ServiceType": "service_types.csv",
    "TerminationReason": "termination_reasons.csv",
    "ReferralSource": "referral_sources.csv",
    "Stage": "stages.csv",
}
COMMON = ("number", "name", "name_en", "source")


def _rows(name):
    with (DATA / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def load(apps, schema_editor):
    for model_name, filename in LISTS.items():
        model = apps.get_model("rehabilitation", model_name)
        for row in _rows(filename):
            defaults = {key: row[key] for key in COMMON}
            defaults["effective_from"] = dt.date.fromisoformat(row["effective_from"])
            if model_name == "Stage":
                defaults["records"] = row["records"]
                defaults["requires_approval"] = row["requires_approval"] == "true"
                defaults["records_termination"] = row["records_termination"] == "true"
            model.objects.update_or_create(code=row["code"], defaults=defaults)
    instrument_model = apps.get_model("rehabilitation", "Instrument")
    item_model = apps.get_model("rehabilitation", "InstrumentItem")
    option_model = apps.get_model("rehabilitation", "InstrumentOption")
    band_model = apps.get_model("rehabilitation", "InstrumentBand")
    for spec in json.loads((DATA / "instruments.json").read_text(encoding="utf-8")):
        instrument, created = instrument_model.objects.get_or_create(
            code=spec["code"],
            version=spec["version"],
            defaults={
                "name": spec["name"],
                "description": spec["description"],
                "source": spec["source"],
                "effective_from": dt.date.fromisoformat(spec["effective_from"]),
                "reassess_every_days": spec["reassess_every_days"],
            },
        )
        if not created:
            continue
        for item_spec in spec["items"]:
            item = item_model.objects.create(
                instrument=instrument, number=item_spec["number"], name=item_spec["name"]
            )
            for score, label in item_spec["options"]:
                option_model.objects.create(item=item, score=score, label=label)
        for low, high, label in spec["bands"]:
            band_model.objects.create(
                instrument=instrument, min_score=low, max_score=high, label=label
            )


def unload(apps, schema_editor):
    apps.get_model("rehabilitation", "Instrument").objects.all().delete()
    for model_name in LISTS:
        apps.get_model("rehabilitation", model_name).objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("rehabilitation", "0001_clients_cases_assessments")]

    operations = [migrations.RunPython(load, unload)]
