"""Writes for the unit tree. Paths are recomputed for the whole subtree when a unit moves."""

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from sinergi.audit import services as audit
from sinergi.core.errors import ApplicationError
from sinergi.organisation.models import Unit

UNIT_FIELDS = [
    "code",
    "name",
    "short_name",
    "unit_type",
    "upt_type",
    "parent",
    "regency",
    "address",
    "phone",
    "email",
    "capacity",
    "is_active",
    "sort_order",
]


def _path_for(unit: Unit) -> tuple[str, int]:
    if unit.parent is None:
        return f"/{unit.pk}/", 0
    return f"{unit.parent.path}{unit.pk}/", unit.parent.depth + 1


def _check_parent(unit: Unit, parent: Unit | None) -> None:
    if parent is not None and unit.pk is not None and parent.path.startswith(unit.path):
        raise ApplicationError(
            _(
                "A unit cannot be placed under itself or under one of its own sub-units. "
                "Choose a parent outside %(unit)s."
            )
            % {"unit": unit.name},
            field_errors={"parent": [_("Choose a parent outside this unit's subtree.")]},
        )


@transaction.atomic
def unit_create(*, actor: Any, **fields: Any) -> Unit:
    """Create a unit under `parent` (or a root) and give it its tree path."""
    unknown = set(fields) - set(UNIT_FIELDS)
    if unknown:
        raise TypeError(f"unknown unit fields: {sorted(unknown)}")
    unit = Unit(**fields)
    unit.path = "/pending/"
    unit.full_clean()
    unit.save()
    unit.path, unit.depth = _path_for(unit)
    unit.save(update_fields=["path", "depth"])
    audit.record(
        actor=actor,
        action="organisation.unit_created",
        target=unit,
        changes={k: [None, v] for k, v in audit.snapshot(unit, UNIT_FIELDS).items()},
    )
    return unit


@transaction.atomic
def unit_update(*, actor: Any, unit: Unit, **fields: Any) -> Unit:
    """Change a unit; moving it re-paths its whole subtree. No-op changes write no audit event."""
    unknown = set(fields) - set(UNIT_FIELDS)
    if unknown:
        raise TypeError(f"unknown unit fields: {sorted(unknown)}")
    unit = Unit.objects.select_for_update().get(pk=unit.pk)
    before = audit.snapshot(unit, UNIT_FIELDS)
    old_path = unit.path
    if "parent" in fields:
        _check_parent(unit, fields["parent"])
    for name, value in fields.items():
        setattr(unit, name, value)
    unit.full_clean()
    unit.path, unit.depth = _path_for(unit)
    unit.save()
    if unit.path != old_path:
        for child in Unit.objects.filter(path__startswith=old_path).exclude(pk=unit.pk):
            child.path = unit.path + child.path[len(old_path) :]
            child.depth = child.path.count("/") - 2
            child.save(update_fields=["path", "depth"])
    changes = audit.changes_between(before, audit.snapshot(unit, UNIT_FIELDS))
    if changes:
        audit.record(actor=actor, action="organisation.unit_updated", target=unit, changes=changes)
    return unit
