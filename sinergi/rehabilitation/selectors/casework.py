"""Casework reads: the plan of a case, its service log (keyset pages: a long stay has thousands of
rows), progress notes, conferences, the timeline items and the overdue items of the task list.

Functions taking a `case` expect it already access-checked (`selectors.case_get`); the others take
the `viewer` and scope themselves.
"""

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Case as When_
from django.db.models import (
    Count,
    DateField,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from sinergi.core.errors import ApplicationError
from sinergi.core.pagination import Page, decode_cursor, keyset_page
from sinergi.rehabilitation.models import (
    FREQUENCY_WINDOW_DAYS,
    Attendance,
    Case,
    CaseConference,
    FollowUp,
    Frequency,
    GroupSession,
    InterventionPlan,
    PlannedService,
    ProgressNote,
    ServiceEntry,
    ServiceType,
    Stage,
)
from sinergi.rehabilitation.permissions import scope_cases
from sinergi.rehabilitation.selectors import reference

SERVICE_ORDERING = ("-given_on", "-id")
NOTE_ORDERING = ("-written_on", "-id")
CASE_PAGE_SERVICES = 10
CASE_PAGE_NOTES = 5
CASE_PAGE_CONFERENCES = 5
TIMELINE_LIMIT = 100


def service_types() -> QuerySet[ServiceType]:
    return ServiceType.objects.filter(is_active=True).order_by("number")


def unit_staff(*, unit: Any) -> QuerySet[Any]:
    """Active users of `unit` (providers and responsible staff of its services)."""
    return (
        get_user_model()
        .objects.filter(unit=unit, is_active=True)
        .select_related("unit")
        .order_by("full_name", "username")
    )


# --- Plan ----------------------------------------------------------------------------------------


def plan_current(*, case: Case) -> InterventionPlan | None:
    """The current revision (draft or approved) with goals and planned services (3 queries)."""
    return (
        InterventionPlan.objects.filter(case=case)
        .exclude(status=InterventionPlan.Status.SUPERSEDED)
        .select_related("drafted_by", "approved_by")
        .prefetch_related(
            "goals",
            Prefetch(
                "planned_services",
                queryset=PlannedService.objects.select_related(
                    "service_type", "responsible"
                ).order_by("start_on", "id"),
            ),
        )
        .order_by("-revision")
        .first()
    )


def plan_revisions(*, case: Case) -> list[InterventionPlan]:
    """Every revision of the case's plan, newest first (without goals)."""
    return list(
        InterventionPlan.objects.filter(case=case)
        .select_related("approved_by")
        .order_by("-revision")
    )


# --- Service log, notes, conferences -------------------------------------------------------------


def service_page(*, case: Case, cursor: str | None, size: int = CASE_PAGE_SERVICES) -> Page:
    """One keyset page of the case's service log, newest first."""
    qs = ServiceEntry.objects.filter(case=case).select_related("service_type", "provider")
    if cursor:
        # the keyset's "(date, id) after the cursor" plus a plain bound on the date, which the
        # index (case, -given_on, -id) uses: a deep page of a long stay costs the first one's
        values, backwards = decode_cursor(cursor)
        try:
            given_on = dt.date.fromisoformat(str(values[0]))
        except (ValueError, IndexError) as exc:
            raise ApplicationError(
                _(
                    "The page link is invalid or out of date. Open the first page of the list again."
                ),
                code="invalid_cursor",
            ) from exc
        qs = qs.filter(given_on__gte=given_on) if backwards else qs.filter(given_on__lte=given_on)
    return keyset_page(qs, ordering=SERVICE_ORDERING, cursor=cursor, size=size)


def note_page(*, case: Case, cursor: str | None, size: int = CASE_PAGE_NOTES) -> Page:
    qs = ProgressNote.objects.filter(case=case).select_related("author")
    return keyset_page(qs, ordering=NOTE_ORDERING, cursor=cursor, size=size)


def conferences(*, case: Case, limit: int = CASE_PAGE_CONFERENCES) -> list[CaseConference]:
    return list(
        CaseConference.objects.filter(case=case)
        .select_related("recorded_by")
        .order_by("-held_on", "-id")[:limit]
    )


@dataclass(frozen=True)
class Casework:
    """What the case page shows of the casework."""

    plan: InterventionPlan | None
    revisions: int
    plan_stage: Stage | None
    services: Page
    notes: Page
    conferences: list[CaseConference]


def case_casework(*, case: Case, service_cursor: str | None = None) -> Casework:
    """The case page's casework section (a fixed number of queries, whatever the log size)."""
    plan = plan_current(case=case)
    return Casework(
        plan=plan,
        revisions=plan.revision if plan else 0,
        plan_stage=reference.plan_stage(),
        services=service_page(case=case, cursor=service_cursor),
        notes=note_page(case=case, cursor=None),
        conferences=conferences(case=case),
    )


def services_list(*, viewer: Any, case_id: Any = None) -> QuerySet[ServiceEntry]:
    """Service log entries of the cases in the viewer's scope, unordered (API lists)."""
    cases = scope_cases(Case.objects.all(), viewer)
    qs = ServiceEntry.objects.filter(case__in=cases.values("pk"))
    if case_id:
        qs = qs.filter(case_id=case_id)
    return qs.select_related("service_type", "provider")


def notes_list(*, viewer: Any, case_id: Any) -> QuerySet[ProgressNote]:
    cases = scope_cases(Case.objects.all(), viewer)
    return ProgressNote.objects.filter(case__in=cases.values("pk"), case_id=case_id).select_related(
        "author"
    )


def group_session_cases(*, unit: Any) -> list[Case]:
    """The open cases of a UPT (the residents a group session may include), by name."""
    return list(
        Case.objects.filter(unit=unit, status=Case.Status.OPEN)
        .select_related("client", "stage")
        .order_by("client__name", "id")[:500]
    )


def group_session_units(*, viewer: Any) -> list[Any]:
    """The UPT whose group sessions the viewer may record."""
    from sinergi.rehabilitation.selectors import service_units

    if not viewer.has_perm("rehabilitation.add_groupsession"):
        return []
    return list(service_units(viewer=viewer).select_related("unit_type"))


def recent_group_sessions(*, unit: Any, limit: int = 10) -> list[GroupSession]:
    return list(
        GroupSession.objects.filter(unit=unit)
        .select_related("service_type")
        .annotate(clients=Count("entries"))
        .order_by("-given_on", "-id")[:limit]
    )


# --- Timeline ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TimelineItem:
    at: dt.datetime
    kind: str
    title: str
    detail: str
    case_id: Any


def _noon(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(12)))


def timeline_items(*, case_ids: list[Any], limit: int = TIMELINE_LIMIT) -> list[TimelineItem]:
    """Plan revisions, services (the latest `limit`), progress notes, conferences and recorded
    follow-ups of already-scoped cases (five queries)."""
    items: list[TimelineItem] = []
    for plan in InterventionPlan.objects.filter(case_id__in=case_ids).order_by("-revision"):
        title = _("Intervention plan, revision %(revision)s: %(status)s") % {
            "revision": plan.revision,
            "status": plan.get_status_display(),
        }
        items.append(
            TimelineItem(plan.approved_at or plan.created_at, "plan", title, "", plan.case_id)
        )
    services = (
        ServiceEntry.objects.filter(case_id__in=case_ids)
        .select_related("service_type")
        .order_by(*SERVICE_ORDERING)[:limit]
    )
    for entry in services:
        title = f"{entry.service_type.name} ({entry.get_attendance_display()})"
        items.append(
            TimelineItem(_noon(entry.given_on), "service", title, entry.notes, entry.case_id)
        )
    notes = ProgressNote.objects.filter(case_id__in=case_ids).order_by(*NOTE_ORDERING)[:limit]
    for note in notes:
        items.append(
            TimelineItem(
                _noon(note.written_on), "note", _("Progress note"), note.text, note.case_id
            )
        )
    for conference in CaseConference.objects.filter(case_id__in=case_ids)[:limit]:
        items.append(
            TimelineItem(
                _noon(conference.held_on),
                "conference",
                _("Case conference"),
                conference.decisions,
                conference.case_id,
            )
        )
    for follow_up in FollowUp.objects.filter(case_id__in=case_ids, done_on__isnull=False):
        title = _("Aftercare follow-up (%(months)s months): %(method)s") % {
            "months": follow_up.months,
            "method": follow_up.get_method_display(),
        }
        items.append(
            TimelineItem(
                _noon(follow_up.done_on),  # type: ignore[arg-type]
                "follow_up",
                title,
                follow_up.outcome,
                follow_up.case_id,
            )
        )
    return items


# --- Task list: overdue casework -----------------------------------------------------------------


@dataclass(frozen=True)
class OverdueService:
    planned: PlannedService
    given: int  # sessions given (client present) in the current window
    window_days: int


def _window_start(today: dt.date) -> Any:
    whens = [
        When(period=period, then=Value(today - dt.timedelta(days=days)))
        for period, days in FREQUENCY_WINDOW_DAYS.items()
    ]
    return When_(*whens, output_field=DateField())


def overdue_services(
    *, viewer: Any, today: dt.date | None = None, limit: int = 200
) -> list[OverdueService]:
    """Services of the approved current plans of the viewer's open cases that were given fewer
    times than planned in their last window (7 days for "per week", 30 for "per month"), counted
    once the service has run a full window and until its target date (one query)."""
    today = today or timezone.localdate()
    given = (
        ServiceEntry.objects.filter(
            case_id=OuterRef("plan__case_id"),
            service_type_id=OuterRef("service_type_id"),
            attendance=Attendance.PRESENT,
            given_on__gt=OuterRef("window_start"),
            given_on__lte=today,
        )
        .order_by()
        .values("case_id")
        .annotate(n=Count("*"))
        .values("n")
    )
    rows = (
        PlannedService.objects.filter(
            plan__status=InterventionPlan.Status.APPROVED,
            plan__case__status=Case.Status.OPEN,
            plan__case__social_worker=viewer,
            target_on__gte=today,
        )
        .annotate(window_start=_window_start(today))
        .filter(start_on__lte=F("window_start"))
        .annotate(given=Coalesce(Subquery(given, output_field=IntegerField()), 0))
        .filter(given__lt=F("times"))
        .select_related("service_type", "plan__case__client")
        .order_by("target_on", "id")[:limit]
    )
    return [
        OverdueService(
            planned=row,
            given=row.given,
            window_days=FREQUENCY_WINDOW_DAYS[Frequency(row.period)],
        )
        for row in rows
    ]


def plan_targets_passed(
    *, viewer: Any, today: dt.date | None = None, limit: int = 200
) -> list[PlannedService]:
    """Planned services of the current plans of the viewer's open cases whose target date has
    passed while the case has not reached termination yet (one query)."""
    today = today or timezone.localdate()
    reached_termination = Stage.objects.filter(
        Q(records_termination=True) | Q(schedules_aftercare=True),
        is_active=True,
        number__lte=OuterRef("plan__case__stage__number"),
    )
    return list(
        PlannedService.objects.filter(
            plan__case__status=Case.Status.OPEN,
            plan__case__social_worker=viewer,
            target_on__lt=today,
        )
        .exclude(plan__status=InterventionPlan.Status.SUPERSEDED)
        .filter(~Exists(reached_termination))
        .select_related("service_type", "plan__case__client")
        .order_by("target_on", "id")[:limit]
    )


@dataclass(frozen=True)
class OverdueCasework:
    """The casework items of the worker's task list."""

    services: list[OverdueService]
    targets_passed: list[PlannedService]

    def __bool__(self) -> bool:
        return bool(self.services or self.targets_passed)


def overdue_casework(*, viewer: Any, today: dt.date | None = None) -> OverdueCasework:
    return OverdueCasework(
        services=overdue_services(viewer=viewer, today=today),
        targets_passed=plan_targets_passed(viewer=viewer, today=today),
    )
