"""Demo data: unit types, UPT types and the Dinas Sosial Provinsi Jawa Timur unit tree."""

import csv
from pathlib import Path
from typing import Any

from django.core.management import call_command
from django.db import transaction

from sinergi.organisation import services
from sinergi.organisation.models import Region, Unit, UnitType, UptType

DATA = Path(__file__).parent / "data"


def _rows(name: str) -> list[dict[str, str]]:
    with (DATA / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@transaction.atomic
def load(stdout: Any) -> None:
    if not Region.objects.exists():
        call_command("load_regions", stdout=stdout)
    for row in _rows("unit_types.csv"):
        UnitType.objects.update_or_create(
            code=row["code"],
            defaults={
                "name": row["name"],
                "is_service_unit": row["is_service_unit"] == "true",
                "sort_order": int(row["sort_order"]),
            },
        )
    for row in _rows("upt_types.csv"):
        UptType.objects.update_or_create(
            code=row["code"],
            defaults={
                "name": row["name"],
                "client_group": row["client_group"],
                "source": row["source"],
            },
        )
    created = 0
    for row in _rows("units_jatim.csv"):
        if Unit.objects.filter(code=row["code"]).exists():
            continue
        services.unit_create(
            actor=None,
            code=row["code"],
            name=row["name"],
            short_name=row["short_name"],
            unit_type=UnitType.objects.get(code=row["unit_type"]),
            upt_type=UptType.objects.get(code=row["upt_type"]) if row["upt_type"] else None,
            parent=Unit.objects.get(code=row["parent_code"]) if row["parent_code"] else None,
            regency=Region.objects.filter(code=row["regency_code"]).first(),
            address=row["address"],
            capacity=int(row["capacity"]) if row["capacity"] else None,
        )
        created += 1
    stdout.write(f"  units: {created} created, {Unit.objects.count()} in all")
