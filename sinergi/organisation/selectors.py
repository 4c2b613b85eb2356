"""Reads for units (scoped to the viewer) and regions (reference data every signed-in user may read)."""

import re
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet

from sinergi.core.pagination import Page, keyset_page
from sinergi.organisation.models import Region, Unit, UnitType, UptType
from sinergi.organisation.permissions import access_unit, scope_units

UNIT_STATUSES = ("active", "inactive", "all")
REGION_CODE = re.compile(r"^\d{2}(\.\d{2}(\.\d{2}(\.\d{4})?)?)?$")


# --- Units -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class UnitRow:
    """A unit in tree order, with its indentation relative to the shallowest unit shown."""

    unit: Unit
    indent: int


def unit_list(
    *,
    viewer: Any,
    search: str = "",
    include_inactive: bool = False,
    status: str = "",
    unit_type: str = "",
) -> QuerySet[Unit]:
    """Units of the viewer's subtree (all, for office-wide roles), in path order.

    `status` is "active" (default), "inactive" or "all"; `include_inactive=True` means "all".
    `unit_type` is a UnitType code.
    """
    status = status if status in UNIT_STATUSES else ("all" if include_inactive else "active")
    qs = scope_units(Unit.objects.all(), viewer)
    if status == "active":
        qs = qs.filter(is_active=True)
    elif status == "inactive":
        qs = qs.filter(is_active=False)
    if unit_type:
        qs = qs.filter(unit_type__code=unit_type)
    if search:
        qs = qs.filter(Q(name__icontains=search) | Q(short_name__icontains=search))
    return qs.select_related("unit_type", "upt_type", "parent", "regency").order_by("path")


def unit_tree(
    *, viewer: Any, search: str = "", status: str = "active", unit_type: str = ""
) -> list[UnitRow]:
    """The units of `unit_list` in tree order, one query. Siblings are ordered by their sort order,
    then by the order of their unit type (Sekretariat before Bidang before UPT), then by name.

    A unit whose parent is filtered out is shown as a root, so a search still reads as a tree.
    """
    units = list(unit_list(viewer=viewer, search=search, status=status, unit_type=unit_type))
    present = {u.pk for u in units}
    children: dict[int | None, list[Unit]] = {}
    for unit in units:
        key = unit.parent_id if unit.parent_id in present else None
        children.setdefault(key, []).append(unit)
    for siblings in children.values():
        siblings.sort(key=lambda u: (u.sort_order, u.unit_type.sort_order, u.name.casefold(), u.pk))
    rows: list[UnitRow] = []
    stack = [(u, 0) for u in reversed(children.get(None, []))]
    while stack:
        unit, indent = stack.pop()
        rows.append(UnitRow(unit, indent))
        stack.extend((child, indent + 1) for child in reversed(children.get(unit.pk, [])))
    return rows


def unit_get(*, viewer: Any, pk: Any) -> Unit:
    """One unit of the viewer's scope with its relations and `users_count` (active users), or 404."""
    qs = Unit.objects.select_related(
        "unit_type", "upt_type", "parent", "regency", "regency__parent"
    ).annotate(users_count=Count("users", filter=Q(users__is_active=True)))
    return access_unit(viewer, pk, queryset=qs)


def unit_children(*, viewer: Any, unit: Unit) -> list[Unit]:
    """The direct sub-units of `unit` that the viewer may see, active ones first."""
    qs = scope_units(Unit.objects.filter(parent=unit), viewer).select_related("unit_type")
    return list(qs.order_by("-is_active", "sort_order", "name", "pk"))


def unit_parent_choices(*, viewer: Any, unit: Unit | None = None) -> QuerySet[Unit]:
    """Units that may become the parent of `unit`: active, in the viewer's scope, outside its own
    subtree; the current parent always stays a choice (even when it lies above the viewer's unit)."""
    allowed = scope_units(Unit.objects.filter(is_active=True), viewer)
    if unit is not None and unit.pk is not None:
        allowed = allowed.exclude(path__startswith=unit.path)
        if unit.parent_id is not None:
            allowed = allowed | Unit.objects.filter(pk=unit.parent_id)
    return allowed.order_by("path")


def unit_types() -> QuerySet[UnitType]:
    return UnitType.objects.order_by("sort_order", "name")


def upt_types() -> QuerySet[UptType]:
    return UptType.objects.order_by("code")


def unit_by_code(code: str) -> Unit | None:
    return Unit.objects.filter(code=code).first()


# --- Regions ---------------------------------------------------------------------------------


def region_level_of(code: str) -> int:
    """The level a well-formed code has: 35 -> 1, 35.78 -> 2, 35.78.01 -> 3, 35.78.01.1001 -> 4."""
    return code.count(".") + 1


def region_code_is_valid(code: str) -> bool:
    return bool(REGION_CODE.match(code))


def region_ancestor_codes(code: str) -> list[str]:
    """The codes from the province down to `code` itself (codes carry their hierarchy)."""
    parts = code.split(".")
    return [".".join(parts[: i + 1]) for i in range(len(parts))]


def region_exists(code: str, level: int | None = None) -> bool:
    qs = Region.objects.filter(code=code)
    if level is not None:
        qs = qs.filter(level=level)
    return qs.exists()


def region_get(code: str) -> Region | None:
    """The region with this code (with its parent), or None."""
    if not region_code_is_valid(code):
        return None
    return Region.objects.select_related("parent").filter(code=code).first()


def region_ancestors(code: str) -> list[Region]:
    """The region `code` and its ancestors, province first (one query)."""
    if not region_code_is_valid(code):
        return []
    return list(Region.objects.filter(code__in=region_ancestor_codes(code)).order_by("level"))


def _name_or_code(q: str) -> Q:
    return Q(name__icontains=q) | Q(code__startswith=q)


def region_list(*, parent: str = "", level: int | None = None, q: str = "") -> QuerySet[Region]:
    """Regions filtered by parent code, level and name/code text, unordered (for keyset pages)."""
    qs = Region.objects.all()
    if parent:
        qs = qs.filter(parent_id=parent)
    if level is not None:
        qs = qs.filter(level=level)
    if q:
        qs = qs.filter(_name_or_code(q))
    return qs


def region_children(
    *, parent_code: str | None, q: str = "", level: int | None = None, limit: int = 500
) -> list[Region]:
    """The regions directly under `parent_code` (provinces when None), by name, optionally filtered."""
    if parent_code:
        qs = Region.objects.filter(parent_id=parent_code)
    else:
        qs = Region.objects.filter(parent__isnull=True)
    if level is not None:
        qs = qs.filter(level=level)
    if q:
        qs = qs.filter(_name_or_code(q))
    return list(qs.order_by("name", "code")[:limit])


def region_search(
    *, q: str, level: int | None = None, within: str = "", limit: int = 20
) -> list[Region]:
    """Regions whose name contains `q` (or whose code starts with it), below `within`, shallow first."""
    q = q.strip()
    if not q:
        return []
    qs = Region.objects.filter(_name_or_code(q))
    if within:
        qs = qs.filter(code__startswith=f"{within}.")
    if level is not None:
        qs = qs.filter(level=level)
    return list(qs.select_related("parent").order_by("level", "name", "code")[:limit])


def region_browse_page(*, parent_code: str | None, cursor: str | None, size: int = 50) -> Page:
    """One keyset page of the regions under `parent_code` (provinces when None), by code, each
    with `children_count` unless they are villages (which have none)."""
    if parent_code:
        qs = Region.objects.filter(parent_id=parent_code)
        child_level = region_level_of(parent_code) + 1
    else:
        qs = Region.objects.filter(level=Region.Level.PROVINCE)
        child_level = Region.Level.PROVINCE
    if child_level < Region.Level.VILLAGE:
        qs = qs.annotate(children_count=Count("children"))
    return keyset_page(qs, ordering=("code",), cursor=cursor, size=size)


def region_picker_options(codes: list[str], max_level: int) -> dict[int, list[Region]]:
    """The options of each select of a cascading picker whose chosen chain is `codes`, one query:
    the provinces, then the children of each chosen region down to `max_level`."""
    parents = [c for c in codes[: max_level - 1] if c]
    qs = Region.objects.filter(Q(level=Region.Level.PROVINCE) | Q(parent_id__in=parents))
    options: dict[int, list[Region]] = {level: [] for level in range(1, max_level + 1)}
    for region in qs.filter(level__lte=max_level).order_by("name", "code"):
        options[region.level].append(region)
    return options
