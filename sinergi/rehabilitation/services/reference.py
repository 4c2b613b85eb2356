"""Loading the reference lists and instruments from rehabilitation/data/ (idempotent upsert)."""

import csv
import datetime as dt
import json
from pathlib import Path
from typing import Any

from django.db import transaction

from sinergi.audit import services as audit
from sinergi.rehabilitation.caching import reference_changed
from sinergi.rehabilitation.models import (
    AftercareInterval,
    AuditAction,
    DisabilityType,
    Instrument,
    InstrumentBand,
    InstrumentItem,
    InstrumentOption,
    PpksCategory,
    ReferralSource,
    ServiceType,
    Stage,
    TerminationReason,
)

DATA = Path(__file__).resolve().parent.parent / "data"
LISTS: list[tuple[Any, str]] = [
    (PpksCategory, "ppks_categories.csv"),
    (DisabilityType, "disability_types.csv"),
    (ServiceType, "service_types.csv"),
    (TerminationReason, "termination_reasons.csv"),
    (ReferralSource, "referral_sources.csv"),
    (Stage, "stages.csv"),
    (AftercareInterval, "aftercare_intervals.csv"),
]


def _rows(name: str) -> list[dict[str, str]]:
    with (DATA / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _defaults(model: Any, row: dict[str, str]) -> dict[str, Any]:
    values: dict[str, Any] = {
        "number": int(row["number"]),
        "name": row["name"],
        "name_en": row["name_en"],
        "source": row["source"],
        "effective_from": dt.date.fromisoformat(row["effective_from"]),
    }
    if model is Stage:
        values["records"] = row["records"]
        values["requires_approval"] = row["requires_approval"] == "true"
        values["records_termination"] = row["records_termination"] == "true"
        values["schedules_aftercare"] = row["schedules_aftercare"] == "true"
        values["records_plan"] = row["records_plan"] == "true"
    if model is TerminationReason:
        values["goal_reached"] = row["goal_reached"] == "true"
    if model is AftercareInterval:
        values["months"] = int(row["months"])
    return values


def _load_instrument(spec: dict[str, Any]) -> bool:
    """Create an instrument version with its items, options and bands; an existing version is
    left alone (assessments point at its items: a changed instrument needs a new version)."""
    if Instrument.objects.filter(code=spec["code"], version=spec["version"]).exists():
        return False
    instrument = Instrument.objects.create(
        code=spec["code"],
        version=spec["version"],
        name=spec["name"],
        description=spec["description"],
        source=spec["source"],
        effective_from=dt.date.fromisoformat(spec["effective_from"]),
        reassess_every_days=spec.get("reassess_every_days"),
    )
    for item_spec in spec["items"]:
        item = InstrumentItem.objects.create(
            instrument=instrument, number=item_spec["number"], name=item_spec["name"]
        )
        InstrumentOption.objects.bulk_create(
            InstrumentOption(item=item, score=score, label=label)
            for score, label in item_spec["options"]
        )
    InstrumentBand.objects.bulk_create(
        InstrumentBand(instrument=instrument, min_score=low, max_score=high, label=label)
        for low, high, label in spec["bands"]
    )
    return True


@transaction.atomic
def reference_load(*, actor: Any) -> dict[str, int]:
    """Upsert every reference list and add new instrument versions; returns counts per list.
    One audit event with the counts (nothing is recorded when nothing changed)."""
    counts: dict[str, int] = {}
    changed = 0
    for model, filename in LISTS:
        created = updated = 0
        for row in _rows(filename):
            wanted = _defaults(model, row)
            current = model.objects.filter(code=row["code"]).first()
            if current is None:
                model.objects.create(code=row["code"], **wanted)
                created += 1
            elif any(getattr(current, k) != v for k, v in wanted.items()):
                model.objects.filter(pk=current.pk).update(**wanted)
                updated += 1
        counts[model._meta.model_name] = created + updated
        changed += created + updated
    specs = json.loads((DATA / "instruments.json").read_text(encoding="utf-8"))
    counts["instrument"] = sum(_load_instrument(spec) for spec in specs)
    changed += counts["instrument"]
    if changed:
        audit.record(actor=actor, action=AuditAction.REFERENCE_LOADED, extra={"changed": counts})
    # the cached stage and category lists: now (this transaction reads them again) and after
    # the commit (a request that cached the old rows meanwhile)
    reference_changed()
    transaction.on_commit(reference_changed)
    return counts
