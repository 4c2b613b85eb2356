"""Who may do what with coordination meetings: reports are read by unit scope and written by the
unit itself; the planning officer creates meetings, compiles and sets follow-up actions."""

from typing import Any

from django.db.models import QuerySet

from sinergi.accounts.permissions import access_object, scope_queryset, unit_in_scope
from sinergi.meetings.models import FollowUp, Report

VIEW = "meetings.view_rakortek"
SUBMIT = "meetings.submit_rakortek"
MANAGE = "meetings.manage_rakortek"


def scope_reports(queryset: QuerySet[Report], viewer: Any) -> QuerySet[Report]:
    return scope_queryset(queryset, viewer, unit_path_field="unit__path")


def access_report(viewer: Any, **lookup: Any) -> Report:
    queryset = Report.objects.select_related("unit", "meeting", "submitted_by")
    return access_object(queryset, viewer, unit_path_field="unit__path", **lookup)


def scope_follow_ups(queryset: QuerySet[FollowUp], viewer: Any) -> QuerySet[FollowUp]:
    return scope_queryset(queryset, viewer, unit_path_field="owner_unit__path")


def can_write_report(actor: Any, report: Report) -> bool:
    """Only the unit itself writes its report, while it is not submitted."""
    if actor is None:
        return True
    return (
        actor.has_perm(SUBMIT)
        and getattr(actor, "unit_id", None) == report.unit_id
        and report.status != Report.Status.SUBMITTED
    )


def can_manage(actor: Any) -> bool:
    return actor is None or actor.has_perm(MANAGE)


def can_update_follow_up(actor: Any, follow_up: FollowUp) -> bool:
    if actor is None or actor.has_perm(MANAGE):
        return True
    return actor.has_perm(SUBMIT) and unit_in_scope(actor, follow_up.owner_unit)
