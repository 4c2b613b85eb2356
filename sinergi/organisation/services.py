"""Writes for the unit tree and the region codes.

Unit paths are recomputed for the whole subtree (one UPDATE) when a unit moves. Region codes are
loaded set-based from the vendored idn-area-data CSVs.
"""

import csv
import hashlib
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import connection, transaction
from django.db.models import F, Q, Value
from django.db.models.functions import Concat, Substr
from django.utils.translation import gettext as _

from sinergi.accounts.permissions import sees_everything, unit_in_scope
from sinergi.audit import services as audit
from sinergi.core.errors import ApplicationError
from sinergi.organisation.models import AuditAction, Region, Unit

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


# --- Units -----------------------------------------------------------------------------------


def _path_for(unit: Unit) -> tuple[str, int]:
    if unit.parent is None:
        return f"/{unit.pk}/", 0
    return f"{unit.parent.path}{unit.pk}/", unit.parent.depth + 1


def check_parent(unit: Unit, parent: Unit | None) -> None:
    """Refuse a parent that is the unit itself or lies in its own subtree (the tree would loop)."""
    if parent is not None and unit.pk is not None and parent.path.startswith(unit.path):
        raise ApplicationError(
            _(
                "A unit cannot be placed under itself or under one of its own sub-units. "
                "Choose a parent outside %(unit)s."
            )
            % {"unit": unit.name},
            field_errors={"parent": [_("Choose a parent outside this unit's subtree.")]},
        )


def _check_parent_in_scope(actor: Any, parent: Unit | None, current_parent_id: int | None) -> None:
    """A user who sees only a subtree may place units only inside that subtree."""
    if actor is None or sees_everything(actor):
        return
    if parent is not None and parent.pk == current_parent_id:
        return  # keeping the current parent is always allowed
    if parent is None or not unit_in_scope(actor, parent):
        raise ApplicationError(
            _(
                "You can only place units under your own unit or one of its sub-units. "
                "Choose a parent from the list."
            ),
            field_errors={"parent": [_("Choose a parent unit from your own part of the tree.")]},
        )


def _check_code_free(code: str, pk: int | None) -> None:
    if not code:
        return  # full_clean() reports the missing code
    others = Unit.objects.filter(code=code)
    taken = (others.exclude(pk=pk) if pk is not None else others).first()
    if taken is not None:
        raise ApplicationError(
            _(
                "The code %(code)s is already used by %(unit)s. Each unit needs its own code: "
                "choose another one, for example by adding the city name."
            )
            % {"code": code, "unit": taken.name},
            code="duplicate_code",
            field_errors={"code": [_("This code is already used by another unit.")]},
        )


def check_upt_type(unit: Unit) -> None:
    """Refuse a UPT type on a unit whose type is not a service unit."""
    if (
        unit.upt_type_id is not None
        and unit.unit_type_id is not None
        and not unit.unit_type.is_service_unit
    ):
        raise ApplicationError(
            _(
                "A UPT type applies only to service units (UPT). Clear the UPT type or "
                "choose a service unit type."
            ),
            field_errors={"upt_type": [_("Only service units (UPT) have a UPT type.")]},
        )


def _check_fields(fields: dict[str, Any]) -> None:
    unknown = set(fields) - set(UNIT_FIELDS)
    if unknown:
        raise TypeError(f"unknown unit fields: {sorted(unknown)}")


@transaction.atomic
def unit_create(*, actor: Any, **fields: Any) -> Unit:
    """Create a unit under `parent` (or a root) and give it its tree path."""
    _check_fields(fields)
    unit = Unit(**fields)
    _check_parent_in_scope(actor, unit.parent, None)
    _check_code_free(unit.code, None)
    check_upt_type(unit)
    unit.path = "/pending/"
    unit.full_clean()
    unit.save()
    unit.path, unit.depth = _path_for(unit)
    unit.save(update_fields=["path", "depth"])
    audit.record(
        actor=actor,
        action=AuditAction.UNIT_CREATED,
        target=unit,
        changes={k: [None, v] for k, v in audit.snapshot(unit, UNIT_FIELDS).items()},
    )
    return unit


@transaction.atomic
def unit_update(*, actor: Any, unit: Unit, **fields: Any) -> Unit:
    """Change a unit; moving it re-paths its whole subtree. No-op changes write no audit event."""
    _check_fields(fields)
    unit = (
        Unit.objects.select_for_update(of=("self",))
        .select_related("parent", "unit_type")
        .get(pk=unit.pk)
    )
    before = audit.snapshot(unit, UNIT_FIELDS)
    old_path, old_depth = unit.path, unit.depth
    if "parent" in fields:
        check_parent(unit, fields["parent"])
        _check_parent_in_scope(actor, fields["parent"], unit.parent_id)
    if "code" in fields:
        _check_code_free(fields["code"], unit.pk)
    for name, value in fields.items():
        setattr(unit, name, value)
    check_upt_type(unit)
    unit.full_clean()
    unit.path, unit.depth = _path_for(unit)
    unit.save()
    if unit.path != old_path:
        # One set-based UPDATE for the whole subtree: swap the old path prefix for the new one.
        Unit.objects.filter(path__startswith=old_path).exclude(pk=unit.pk).update(
            path=Concat(Value(unit.path), Substr("path", len(old_path) + 1)),
            depth=F("depth") + (unit.depth - old_depth),
        )
    changes = audit.changes_between(before, audit.snapshot(unit, UNIT_FIELDS))
    if changes:
        audit.record(actor=actor, action=AuditAction.UNIT_UPDATED, target=unit, changes=changes)
    return unit


@transaction.atomic
def unit_deactivate(*, actor: Any, unit: Unit) -> Unit:
    """Mark a unit inactive (it stays in the tree and in history). Its sub-units must go first."""
    unit = Unit.objects.select_for_update().get(pk=unit.pk)
    if not unit.is_active:
        return unit
    active_children = list(
        Unit.objects.filter(parent=unit, is_active=True)
        .order_by("sort_order", "name")
        .values_list("name", flat=True)[:4]
    )
    if active_children:
        shown = ", ".join(active_children[:3]) + (", …" if len(active_children) > 3 else "")
        raise ApplicationError(
            _(
                "%(unit)s still has active sub-units (%(children)s). Deactivate or move those "
                "sub-units first, then deactivate this unit."
            )
            % {"unit": unit.name, "children": shown},
            code="active_children",
        )
    unit.is_active = False
    unit.save(update_fields=["is_active", "updated_at"])
    audit.record(
        actor=actor,
        action=AuditAction.UNIT_DEACTIVATED,
        target=unit,
        changes={"is_active": [True, False]},
    )
    return unit


@transaction.atomic
def unit_reactivate(*, actor: Any, unit: Unit) -> Unit:
    """Make an inactive unit active again; its parent unit must be active."""
    unit = Unit.objects.select_for_update(of=("self",)).select_related("parent").get(pk=unit.pk)
    if unit.is_active:
        return unit
    if unit.parent is not None and not unit.parent.is_active:
        raise ApplicationError(
            _(
                "The parent unit %(parent)s is inactive. Reactivate %(parent)s first, or move "
                "this unit under an active parent."
            )
            % {"parent": unit.parent.name},
            code="inactive_parent",
        )
    unit.is_active = True
    unit.save(update_fields=["is_active", "updated_at"])
    audit.record(
        actor=actor,
        action=AuditAction.UNIT_REACTIVATED,
        target=unit,
        changes={"is_active": [False, True]},
    )
    return unit


# --- Regions ---------------------------------------------------------------------------------

REGION_DATA = Path(__file__).parent / "data" / "idn-area-data"
# file, level, header of the parent-code column (None for provinces)
REGION_FILES = [
    ("provinces.csv", Region.Level.PROVINCE, None),
    ("regencies.csv", Region.Level.REGENCY, "province_code"),
    ("districts.csv", Region.Level.DISTRICT, "regency_code"),
    ("villages.csv", Region.Level.VILLAGE, "district_code"),
]

RegionRow = tuple[str, str, int, str | None]  # code, name, level, parent code


@dataclass(frozen=True)
class RegionLoadResult:
    inserted: int
    updated: int
    unchanged: int
    per_level: dict[int, int] = field(default_factory=dict)
    sha256: dict[str, str] = field(default_factory=dict)
    province: str | None = None

    @property
    def total(self) -> int:
        return self.inserted + self.updated + self.unchanged


def _read_region_files(
    folder: Path, province: str | None
) -> tuple[list[RegionRow], dict[str, str]]:
    rows: list[RegionRow] = []
    hashes: dict[str, str] = {}
    for filename, level, parent_column in REGION_FILES:
        raw = (folder / filename).read_bytes()
        hashes[filename] = hashlib.sha256(raw).hexdigest()
        reader = csv.DictReader(io.StringIO(raw.decode("utf-8-sig")))
        expected = {"code", "name"} | ({parent_column} if parent_column else set())
        if not expected <= set(reader.fieldnames or []):
            raise ApplicationError(
                _(
                    "The region file %(file)s does not have the columns %(columns)s. Restore the "
                    "vendored idn-area-data files and run the command again."
                )
                % {"file": filename, "columns": ", ".join(sorted(expected))}
            )
        for record in reader:
            code = record["code"].strip()
            if province and code != province and not code.startswith(f"{province}."):
                continue
            parent = record[parent_column].strip() if parent_column else None
            rows.append((code, record["name"].strip(), int(level), parent or None))
    if province and not any(level == Region.Level.PROVINCE for _c, _n, level, _p in rows):
        raise ApplicationError(
            _(
                "There is no province with code %(code)s in the region files. Use a two-digit "
                "Kemendagri code, for example 35 for Jawa Timur."
            )
            % {"code": province},
            code="unknown_province",
        )
    return rows, hashes


def _existing_regions(province: str | None) -> dict[str, tuple[str, int, str | None]]:
    qs = Region.objects.all()
    if province:
        qs = qs.filter(Q(code=province) | Q(code__startswith=f"{province}."))
    rows = qs.values_list("code", "name", "level", "parent_id").order_by()
    return {code: (name, level, parent) for code, name, level, parent in rows}


def _upsert_postgresql(rows: list[RegionRow]) -> tuple[int, int]:
    """COPY into a temporary table, count, then one INSERT ... ON CONFLICT DO UPDATE WHERE changed."""
    table = connection.ops.quote_name(Region._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS pg_temp.sinergi_region_load")
        cursor.execute(
            "CREATE TEMPORARY TABLE sinergi_region_load (code varchar(13) PRIMARY KEY, "
            "name varchar(120) NOT NULL, level smallint NOT NULL, parent_id varchar(13)) "
            "ON COMMIT DROP"
        )
        raw: Any = cursor.cursor  # the psycopg 3 cursor under Django's wrapper
        with raw.copy("COPY sinergi_region_load (code, name, level, parent_id) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        cursor.execute(
            "SELECT count(*) FILTER (WHERE r.code IS NULL), "  # noqa: S608 - table name is ours
            "count(*) FILTER (WHERE r.code IS NOT NULL AND (r.name, r.level, r.parent_id) "
            "IS DISTINCT FROM (l.name, l.level, l.parent_id)) "
            f"FROM sinergi_region_load l LEFT JOIN {table} r ON r.code = l.code"
        )
        inserted, updated = cursor.fetchone()
        cursor.execute(
            f"INSERT INTO {table} (code, name, level, parent_id) "  # noqa: S608
            "SELECT code, name, level, parent_id FROM sinergi_region_load ORDER BY level, code "
            "ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name, level = EXCLUDED.level, "
            "parent_id = EXCLUDED.parent_id "
            f"WHERE ({table}.name, {table}.level, {table}.parent_id) "
            "IS DISTINCT FROM (EXCLUDED.name, EXCLUDED.level, EXCLUDED.parent_id)"
        )
        cursor.execute("DROP TABLE sinergi_region_load")
    return int(inserted), int(updated)


def _upsert_generic(rows: list[RegionRow], province: str | None) -> tuple[int, int]:
    """Compare with the stored rows in memory, then executemany an upsert of the changed ones."""
    existing = _existing_regions(province)
    inserted = updated = 0
    changed: list[RegionRow] = []
    for code, name, level, parent in rows:
        stored = existing.get(code)
        if stored is None:
            inserted += 1
            changed.append((code, name, level, parent))
        elif stored != (name, level, parent):
            updated += 1
            changed.append((code, name, level, parent))
    if changed:
        table = connection.ops.quote_name(Region._meta.db_table)
        with connection.cursor() as cursor:
            cursor.executemany(
                f"INSERT INTO {table} (code, name, level, parent_id) VALUES (%s, %s, %s, %s) "  # noqa: S608
                "ON CONFLICT (code) DO UPDATE SET name = excluded.name, level = excluded.level, "
                "parent_id = excluded.parent_id",
                changed,
            )
    return inserted, updated


@transaction.atomic
def regions_load(
    *, actor: Any, province: str | None = None, folder: Path = REGION_DATA
) -> RegionLoadResult:
    """Insert or update the Kemendagri region codes from the CSVs; a second run changes nothing.

    One transaction and one audit event with the counts and the files' sha256. Codes missing from
    the files are kept (units and clients may still point to them).
    """
    province = (province or "").strip() or None
    rows, hashes = _read_region_files(folder, province)
    if connection.vendor == "postgresql":
        inserted, updated = _upsert_postgresql(rows)
    else:
        inserted, updated = _upsert_generic(rows, province)
    per_level: dict[int, int] = {}
    for _code, _name, level, _parent in rows:
        per_level[level] = per_level.get(level, 0) + 1
    result = RegionLoadResult(
        inserted=inserted,
        updated=updated,
        unchanged=len(rows) - inserted - updated,
        per_level=per_level,
        sha256=hashes,
        province=province,
    )
    audit.record(
        actor=actor,
        action=AuditAction.REGIONS_LOADED,
        extra={
            "inserted": result.inserted,
            "updated": result.updated,
            "unchanged": result.unchanged,
            "rows_per_level": {str(k): v for k, v in sorted(per_level.items())},
            "province": province or "",
            "source": "idn-area-data 4.0.1",
            "sha256": hashes,
        },
    )
    return result
