"""Who may see and enter what in the budget: reads by unit scope, entries by the KPA's own unit."""

from typing import Any

from django.db.models import QuerySet

from sinergi.accounts.permissions import access_object, scope_queryset, sees_everything
from sinergi.budget.models import AbsorptionSummary, BudgetLine


def scope_lines(queryset: QuerySet[BudgetLine], viewer: Any) -> QuerySet[BudgetLine]:
    """Lines of units in the viewer's subtree (all lines for office-wide roles)."""
    return scope_queryset(queryset, viewer, unit_path_field="unit__path")


def scope_summaries(
    queryset: QuerySet[AbsorptionSummary], viewer: Any
) -> QuerySet[AbsorptionSummary]:
    """Summary rows of units in the viewer's subtree (all rows for office-wide roles)."""
    return scope_queryset(queryset, viewer, unit_path_field="unit__path")


def access_line(viewer: Any, pk: Any, queryset: QuerySet[BudgetLine] | None = None) -> BudgetLine:
    """The line `pk` if its unit lies in the viewer's scope, else Http404."""
    base = queryset if queryset is not None else BudgetLine.objects.all()
    return access_object(base, viewer, unit_path_field="unit__path", pk=pk)


def _enters_for_unit(actor: Any, unit_id: int, permission: str) -> bool:
    """Finance staff (office-wide) for every unit; a KPA head only for their own unit."""
    if actor is None:
        return True  # system jobs and imports already checked by the caller
    if not getattr(actor, "is_authenticated", False) or not actor.has_perm(permission):
        return False
    if sees_everything(actor):
        return True
    return getattr(actor, "unit_id", None) == unit_id


def can_enter_realisation(actor: Any, line: BudgetLine) -> bool:
    """Finance staff (office-wide) for every line; a KPA head only for the lines of their own unit."""
    return _enters_for_unit(actor, line.unit_id, "budget.add_realisation")


def can_report_progress(actor: Any, unit_id: int) -> bool:
    """Finance staff for every unit; a KPA head for the sub kegiatan of their own unit."""
    return _enters_for_unit(actor, unit_id, "budget.add_physicalprogress")
