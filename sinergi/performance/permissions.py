"""Who may see and enter what: reads by unit scope; a unit enters the realisation of its own
indicators; the planning staff (office-wide) manage the plan and verify."""

from typing import Any

from django.db.models import QuerySet

from sinergi.accounts.permissions import access_object, scope_queryset, sees_everything
from sinergi.performance.models import Indicator

VIEW = "performance.view_performance"
MANAGE = "performance.manage_plan"
VERIFY = "performance.verify_realisation"
ENTER = "performance.enter_realisation"


def scope_indicators(queryset: QuerySet[Indicator], viewer: Any) -> QuerySet[Indicator]:
    """Indicators of units in the viewer's subtree (all of them for office-wide roles)."""
    return scope_queryset(queryset, viewer, unit_path_field="unit__path")


def access_indicator(
    viewer: Any, pk: Any, queryset: QuerySet[Indicator] | None = None
) -> Indicator:
    """The indicator `pk` if its unit lies in the viewer's scope, else Http404."""
    base = queryset if queryset is not None else Indicator.objects.all()
    return access_object(base, viewer, unit_path_field="unit__path", pk=pk)


def can_enter_realisation(actor: Any, indicator: Indicator) -> bool:
    """The unit itself (its head) for its own indicators; planning staff for every indicator."""
    if actor is None:
        return True  # system jobs (metric fills) are checked by the caller
    if not getattr(actor, "is_authenticated", False):
        return False
    if actor.has_perm(MANAGE) and sees_everything(actor):
        return True
    if not actor.has_perm(ENTER):
        return False
    return getattr(actor, "unit_id", None) == indicator.unit_id


def can_verify(actor: Any) -> bool:
    return actor is None or (
        bool(getattr(actor, "is_authenticated", False)) and actor.has_perm(VERIFY)
    )


def can_manage(actor: Any) -> bool:
    return actor is None or (
        bool(getattr(actor, "is_authenticated", False)) and actor.has_perm(MANAGE)
    )
