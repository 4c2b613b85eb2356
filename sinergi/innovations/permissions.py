"""Who may see and change innovations: reads by unit scope, registering by the unit's staff,
publishing by the planning officer. The public pages show published innovations to everyone."""

from typing import Any

from django.db.models import Model, QuerySet

from sinergi.accounts.permissions import access_object, scope_queryset, unit_in_scope
from sinergi.innovations.models import Innovation

VIEW = "innovations.view_innovation"
REGISTER = "innovations.register_innovation"
PUBLISH = "innovations.publish_innovation"


def scope_innovations(queryset: QuerySet[Innovation], viewer: Any) -> QuerySet[Innovation]:
    return scope_queryset(queryset, viewer, unit_path_field="unit__path")


def access_innovation(viewer: Any, pk: Any) -> Innovation:
    queryset = Innovation.objects.select_related("unit", "stage")
    return access_object(queryset, viewer, unit_path_field="unit__path", pk=pk)


def access_part[M: Model](model: type[M], viewer: Any, pk: Any) -> M:
    """An indicator, evidence or entry of an innovation in the viewer's scope, else Http404."""
    queryset = model._default_manager.select_related("innovation__unit")
    return access_object(queryset, viewer, unit_path_field="innovation__unit__path", pk=pk)


def can_edit(actor: Any, innovation: Innovation | None = None, unit: Any = None) -> bool:
    """Staff holding the register permission, for innovations of units in their scope."""
    if actor is None:
        return True
    target = unit if unit is not None else (innovation.unit if innovation else None)
    return actor.has_perm(REGISTER) and target is not None and unit_in_scope(actor, target)


def can_publish(actor: Any) -> bool:
    return actor is None or actor.has_perm(PUBLISH)
