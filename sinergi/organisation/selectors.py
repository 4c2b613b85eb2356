"""Reads for units and regions."""

from typing import Any

from django.db.models import QuerySet

from sinergi.accounts.permissions import scope_queryset
from sinergi.organisation.models import Region, Unit


def unit_list(*, viewer: Any, search: str = "", include_inactive: bool = False) -> QuerySet[Unit]:
    """Units of the viewer's subtree (all, for office-wide roles), in tree order."""
    qs = scope_queryset(Unit.objects.all(), viewer, unit_path_field="path")
    if not include_inactive:
        qs = qs.filter(is_active=True)
    if search:
        qs = qs.filter(name__icontains=search)
    return qs.select_related("unit_type", "upt_type", "parent", "regency").order_by("path")


def unit_by_code(code: str) -> Unit | None:
    return Unit.objects.filter(code=code).first()


def region_exists(code: str, level: int | None = None) -> bool:
    qs = Region.objects.filter(code=code)
    if level is not None:
        qs = qs.filter(level=level)
    return qs.exists()
