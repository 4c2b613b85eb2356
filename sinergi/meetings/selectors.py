"""Reads of the coordination meetings, scoped to the viewer: meetings, the status of each unit's
report, the figures a report is prefilled with (indicator achievements from `performance`, budget
absorption from `budget`), the data of the compiled PDF, follow-up actions and compilations."""

from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import pgettext_lazy

from sinergi.budget import selectors as budget
from sinergi.core.pagination import Page, keyset_page
from sinergi.meetings.models import Compilation, FollowUp, FollowUpUpdate, Meeting, Report
from sinergi.meetings.permissions import access_report, scope_follow_ups, scope_reports
from sinergi.performance import selectors as performance


def meeting_list() -> QuerySet[Meeting]:
    """Meetings are office-wide: every reader sees the list (the reports stay scoped)."""
    return Meeting.objects.all()


def meeting_page(*, cursor: str | None) -> Page:
    return keyset_page(meeting_list(), ordering=("-held_on", "-id"), cursor=cursor, size=25)


def meeting_get(pk: Any) -> Meeting:
    try:
        return Meeting.objects.get(pk=pk)
    except (Meeting.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def report_queryset(*, viewer: Any, meeting: Meeting) -> QuerySet[Report]:
    """The reports of the meeting in the viewer's scope, with their unit and meeting."""
    return scope_reports(Report.objects.filter(meeting=meeting), viewer).select_related(
        "unit", "meeting"
    )


def report_list(*, viewer: Any, meeting: Meeting) -> list[Report]:
    """The reports of the meeting in the viewer's scope, by unit (1 query)."""
    return list(report_queryset(viewer=viewer, meeting=meeting).order_by("unit__path", "id"))


def report_counts(reports: list[Report]) -> dict[str, int]:
    counts = dict.fromkeys(Report.Status.values, 0)
    for report in reports:
        counts[report.status] += 1
    counts["late"] = sum(1 for r in reports if r.is_late)
    return counts


def report_get(*, viewer: Any, meeting: Meeting, unit_id: Any) -> Report:
    report = access_report(viewer, meeting=meeting, unit_id=unit_id)
    report.meeting = meeting
    return report


def _decimal(value: Any) -> str | None:
    return None if value is None else str(value)


def prefill(
    *, viewer: Any, meeting: Meeting, unit: Any
) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """The unit's indicator achievements for the meeting's period and its budget absorption at
    the end of the period, as plain data (what the report keeps as its snapshot)."""
    rows = performance.unit_achievements(
        viewer=viewer, unit_id=unit.pk, year=meeting.year, quarter=meeting.period_quarter
    )
    achievements = [
        {
            "code": r.code,
            "name": r.name,
            "unit_of_measure": r.unit_of_measure,
            "target": _decimal(r.target),
            "realisation": _decimal(r.realisation),
            "achievement": _decimal(r.achievement),
            "band": r.band or "",
            "automatic": r.automatic,
            "verified": r.verified,
        }
        for r in rows
    ]
    absorption: dict[str, Any] = {}
    fiscal_year = budget.fiscal_year_get(meeting.year)
    if fiscal_year is not None and fiscal_year.year == meeting.year:
        month = meeting.period_month
        total = budget.office_absorption(
            viewer=viewer, fiscal_year=fiscal_year, month=month, unit=unit.pk
        )
        programs = budget.absorption_by(
            viewer=viewer, fiscal_year=fiscal_year, month=month, group="program", unit=unit.pk
        )
        absorption = {
            "month": month,
            "pagu": _decimal(total.pagu),
            "plan": _decimal(total.plan),
            "realised": _decimal(total.realised),
            "absorption": _decimal(total.absorption),
            "plan_percent": _decimal(total.plan_percent),
            "programs": [
                {
                    "code": p.code,
                    "name": p.label,
                    "pagu": _decimal(p.pagu),
                    "realised": _decimal(p.realised),
                    "absorption": _decimal(p.absorption),
                }
                for p in programs
            ],
        }
    return achievements, absorption


def report_figures(*, viewer: Any, report: Report) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """A submitted report shows what it was submitted with; a draft shows today's figures."""
    if report.status == Report.Status.SUBMITTED:
        return report.achievements, report.absorption
    return prefill(viewer=viewer, meeting=report.meeting, unit=report.unit)


# --- Compilation --------------------------------------------------------------------------------


def compilation_list(meeting: Meeting) -> list[Compilation]:
    return list(meeting.compilations.order_by("-created_at")[:5])


def compilation_get(*, viewer: Any, pk: Any) -> Compilation:
    """A compilation of a meeting; only readers with the manage permission, or who asked for it."""
    try:
        compilation = Compilation.objects.select_related("meeting").get(pk=pk)
    except (Compilation.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc
    if compilation.requested_by_id != viewer.pk and not viewer.has_perm("meetings.manage_rakortek"):
        raise Http404
    return compilation


# --- Follow-up actions --------------------------------------------------------------------------

FOLLOW_UP_ORDERING = ("due_on", "id")
OVERDUE = "overdue"  # a filter beside the statuses: not done and past its due date


def follow_up_statuses() -> list[tuple[str, Any]]:
    """The choices of the status filter: every status, then the overdue actions."""
    return [*FollowUp.Status.choices, (OVERDUE, pgettext_lazy("follow-up action", "Overdue"))]


def follow_up_list(
    *, viewer: Any, meeting: Meeting | None = None, status: str = ""
) -> QuerySet[FollowUp]:
    """Actions owned by units in the viewer's scope; `status` is a status or "overdue"."""
    queryset = scope_follow_ups(FollowUp.objects.all(), viewer).select_related(
        "owner_unit", "meeting"
    )
    if meeting is not None:
        queryset = queryset.filter(meeting=meeting)
    if status == OVERDUE:
        queryset = queryset.exclude(status=FollowUp.Status.DONE).filter(
            due_on__lt=timezone.localdate()
        )
    elif status:
        queryset = queryset.filter(status=status)
    return queryset


def follow_up_page(*, viewer: Any, status: str, cursor: str | None) -> Page:
    return keyset_page(
        follow_up_list(viewer=viewer, status=status), ordering=FOLLOW_UP_ORDERING, cursor=cursor
    )


def follow_up_get(*, viewer: Any, pk: Any) -> FollowUp:
    try:
        return follow_up_list(viewer=viewer).get(pk=pk)
    except (FollowUp.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def follow_up_history(follow_up: FollowUp) -> list[FollowUpUpdate]:
    """The status changes of an action, newest first, with who made them (1 query)."""
    return list(follow_up.updates.select_related("updated_by"))
