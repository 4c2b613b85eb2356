"""Load the pillar types, banks and the default bank file layout from pillars/data/ (DOMAIN.md 8).

Several facts are not confirmed (account lengths, the Bank Jatim layout): they are marked in the
files and stay editable; `manage.py load_pillars_reference` upserts the same files later."""

import csv
import json
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "data"


def _rows(name):
    with (DATA / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def load(apps, schema_editor):
    pillar_type = apps.get_model("pillars", "PillarType")
    bank_model = apps.get_model("pillars", "Bank")
    layout_model = apps.get_model("pillars", "BankFileLayout")
    for row in _rows("pillar_types.csv"):
        pillar_type.objects.update_or_create(
            code=row["code"],
            defaults={
                "name": row["name"],
                "description": row["description"],
                "regulation": row["regulation"],
                "one_per_district": row["one_per_district"] == "true",
                "requires_district": row["requires_district"] == "true",
                "sort_order": int(row["sort_order"]),
                "source": row["source"],
            },
        )
    for row in _rows("banks.csv"):
        bank_model.objects.update_or_create(
            code=row["code"],
            defaults={
                "name": row["name"],
                "short_name": row["short_name"],
                "account_length_min": int(row["account_length_min"]),
                "account_length_max": int(row["account_length_max"]),
                "is_confirmed": row["is_confirmed"] == "true",
                "source": row["source"],
            },
        )
    for spec in json.loads((DATA / "bank_layouts.json").read_text(encoding="utf-8")):
        spec = dict(spec)
        bank = bank_model.objects.get(code=spec.pop("bank"))
        layout_model.objects.update_or_create(
            code=spec.pop("code"), defaults={**spec, "bank": bank}
        )


def unload(apps, schema_editor):
    apps.get_model("pillars", "BankFileLayout").objects.all().delete()
    apps.get_model("pillars", "Bank").objects.all().delete()
    apps.get_model("pillars", "PillarType").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("pillars", "0001_registry_and_aid")]

    operations = [migrations.RunPython(load, unload)]
