"""Who may see and change what in the SAKIP evaluation: reads by unit scope, answers by the unit
evaluated (and the units above it), reviews and finalising by the planning officer."""

from typing import Any

from django.db.models import Q, QuerySet

from sinergi.accounts.permissions import (
    access_object,
    scope_queryset,
    sees_everything,
    unit_in_scope,
    viewer_unit_path,
)
from sinergi.sakip.models import Evaluation, Recommendation

VIEW = "sakip.view_sakip"
ANSWER = "sakip.answer_sakip"
MANAGE = "sakip.manage_sakip"


def scope_evaluations(queryset: QuerySet[Evaluation], viewer: Any) -> QuerySet[Evaluation]:
    return scope_queryset(queryset, viewer, unit_path_field="unit__path")


def access_evaluation(viewer: Any, pk: Any) -> Evaluation:
    """The evaluation `pk` if its unit lies in the viewer's scope, else Http404."""
    queryset = Evaluation.objects.select_related("template", "unit", "finalised_by")
    return access_object(queryset, viewer, unit_path_field="unit__path", pk=pk)


def scope_recommendations(
    queryset: QuerySet[Recommendation], viewer: Any
) -> QuerySet[Recommendation]:
    """Recommendations owned by a unit of the viewer's scope or made to an evaluated unit in it."""
    if not getattr(viewer, "is_authenticated", False) or not viewer.is_active:
        return queryset.none()
    if sees_everything(viewer):
        return queryset
    path = viewer_unit_path(viewer)
    if not path:
        return queryset.none()
    return queryset.filter(
        Q(owner_unit__path__startswith=path) | Q(evaluation__unit__path__startswith=path)
    )


def can_answer(actor: Any, evaluation: Evaluation) -> bool:
    """The unit evaluated (or a unit above it, or the planning officer) while it is open."""
    if actor is None:
        return True
    return (
        actor.has_perm(ANSWER) and not evaluation.is_final and unit_in_scope(actor, evaluation.unit)
    )


def can_manage(actor: Any) -> bool:
    return actor is None or actor.has_perm(MANAGE)


def can_follow_up(actor: Any, recommendation: Recommendation) -> bool:
    """The planning officer, or the responsible unit (and the units above it)."""
    if actor is None or actor.has_perm(MANAGE):
        return True
    return actor.has_perm(ANSWER) and unit_in_scope(actor, recommendation.owner_unit)
