"""Object access for units: a unit outside the viewer's subtree is answered like a missing one."""

from typing import Any

from django.db.models import QuerySet

from sinergi.accounts.permissions import access_object, scope_queryset, unit_in_scope
from sinergi.organisation.models import Unit


def scope_units(queryset: QuerySet[Unit], viewer: Any) -> QuerySet[Unit]:
    """The units of `queryset` that lie in the viewer's subtree (all, for office-wide roles)."""
    return scope_queryset(queryset, viewer, unit_path_field="path")


def access_unit(viewer: Any, pk: Any, queryset: QuerySet[Unit] | None = None) -> Unit:
    """The unit `pk` if it lies in the viewer's scope, else Http404 (missing and forbidden alike)."""
    base = queryset if queryset is not None else Unit.objects.all()
    return access_object(base, viewer, unit_path_field="path", pk=pk)


def can_see_unit(viewer: Any, unit: Unit) -> bool:
    """Whether `unit` lies in the viewer's scope (e.g. to link to a parent unit or not)."""
    return unit_in_scope(viewer, unit)
