"""Who sees and changes what: members and cycles by the managing unit's subtree; approval by a
checker who is not the maker; reconciliation by finance."""

from typing import Any

from django.db.models import QuerySet

from sinergi.accounts.permissions import (
    access_object,
    scope_queryset,
    sees_everything,
    unit_in_scope,
    viewer_unit_path,
)
from sinergi.organisation.models import Unit
from sinergi.pillars.models import Batch, Cycle, Entitlement, Member

VIEW_MEMBER = "pillars.view_member"
ADD_MEMBER = "pillars.add_member"
CHANGE_MEMBER = "pillars.change_member"
IMPORT_MEMBER = "pillars.import_member"
VIEW_SCHEME = "pillars.view_aidscheme"
CHANGE_SCHEME = "pillars.change_aidscheme"
VIEW_CYCLE = "pillars.view_cycle"
ADD_CYCLE = "pillars.add_cycle"
APPROVE_BATCH = "pillars.approve_batch"
RECONCILE_BATCH = "pillars.reconcile_batch"
CHANGE_LAYOUT = "pillars.change_bankfilelayout"


def scope_members(queryset: QuerySet[Member], viewer: Any) -> QuerySet[Member]:
    """The unit subtree as a list of unit ids (not a join on the unit path), so a list ordered by
    name walks the (name, id) index and stops after one page instead of sorting every member."""
    active = getattr(viewer, "is_authenticated", False) and viewer.is_active
    path = viewer_unit_path(viewer) if active and not sees_everything(viewer) else ""
    if not path:
        return scope_queryset(queryset, viewer, unit_path_field="unit__path")
    units = Unit.objects.filter(path__startswith=path).values("pk")
    return queryset.filter(unit_id__in=units)


def access_member(viewer: Any, pk: Any, queryset: QuerySet[Member] | None = None) -> Member:
    base = queryset if queryset is not None else Member.objects.all()
    return access_object(base, viewer, unit_path_field="unit__path", pk=pk)


def scope_cycles(queryset: QuerySet[Cycle], viewer: Any) -> QuerySet[Cycle]:
    return scope_queryset(queryset, viewer, unit_path_field="unit__path")


def access_cycle(viewer: Any, pk: Any, queryset: QuerySet[Cycle] | None = None) -> Cycle:
    base = queryset if queryset is not None else Cycle.objects.all()
    return access_object(base, viewer, unit_path_field="unit__path", pk=pk)


def access_batch(viewer: Any, pk: Any, queryset: QuerySet[Batch] | None = None) -> Batch:
    base = queryset if queryset is not None else Batch.objects.all()
    return access_object(base, viewer, unit_path_field="cycle__unit__path", pk=pk)


def scope_entitlements(queryset: QuerySet[Entitlement], viewer: Any) -> QuerySet[Entitlement]:
    return scope_queryset(queryset, viewer, unit_path_field="cycle__unit__path")


def can_manage_unit(actor: Any, unit: Any, permission: str) -> bool:
    """The actor holds `permission` and `unit` lies in their scope (None actor: system jobs)."""
    if actor is None:
        return True
    return bool(
        getattr(actor, "is_authenticated", False)
        and actor.has_perm(permission)
        and unit_in_scope(actor, unit)
    )
