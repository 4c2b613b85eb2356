"""Load the reference data of the registry from `pillars/data/` (DOMAIN.md 8): pillar types, banks
and the bank-file layouts, each with its source. Types and banks are brought up to date with the
files; a layout is only added when missing, so a layout finance adjusted in the app is kept."""

import csv
import json
from pathlib import Path
from typing import Any

from django.db import transaction

from sinergi.audit import services as audit
from sinergi.pillars.models import AuditAction, Bank, BankFileLayout, PillarType

DATA = Path(__file__).resolve().parent.parent / "data"


def _rows(name: str) -> list[dict[str, str]]:
    with (DATA / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@transaction.atomic
def reference_load(*, actor: Any = None) -> dict[str, int]:
    """Upsert the types and banks, add missing layouts; one audit event with the counts."""
    counts = {"pillar_types": 0, "banks": 0, "layouts_added": 0}
    for row in _rows("pillar_types.csv"):
        PillarType.objects.update_or_create(
            code=row["code"],
            defaults={
                "name": row["name"],
                "description": row["description"],
                "regulation": row["regulation"],
                "one_per_district": row["one_per_district"] == "true",
                "requires_district": row["requires_district"] == "true",
                "from_staff": row.get("from_staff") == "true",
                "sort_order": int(row["sort_order"]),
                "source": row["source"],
            },
        )
        counts["pillar_types"] += 1
    for row in _rows("banks.csv"):
        Bank.objects.update_or_create(
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
        counts["banks"] += 1
    for spec in json.loads((DATA / "bank_layouts.json").read_text(encoding="utf-8")):
        spec = dict(spec)
        code, bank = spec.pop("code"), Bank.objects.get(code=spec.pop("bank"))
        if BankFileLayout.objects.filter(code=code).exists():
            continue
        if spec.get("is_default") and BankFileLayout.objects.filter(is_default=True).exists():
            spec["is_default"] = False
        BankFileLayout.objects.create(code=code, bank=bank, **spec)
        counts["layouts_added"] += 1
    audit.record(actor=actor, action=AuditAction.REFERENCE_LOADED, extra=counts)
    return counts
