"""Casework writes: the intervention plan (drafted in the plan stage, approved with that stage by the
head of UPT, revised after approval), the service log (one client, or a group session for many
clients of a UPT at once), progress notes and case conferences.

Everything here is locked once the case is closed (aftercare follow-ups have their own service).
The plan carries an optimistic `version` like Case: a save over a newer version is refused.
"""

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from sinergi.accounts.permissions import unit_in_scope
from sinergi.audit import services as audit
from sinergi.core.errors import ApplicationError
from sinergi.rehabilitation.models import (
    Attendance,
    Case,
    CaseConference,
    CaseworkAuditAction,
    Frequency,
    GroupSession,
    InterventionPlan,
    PlanGoal,
    PlannedService,
    ProgressNote,
    ServiceEntry,
    ServiceType,
    Stage,
)
from sinergi.rehabilitation.permissions import can_change_case
from sinergi.rehabilitation.services.common import case_closed_error

MAX_DURATION_MINUTES = 600


class StalePlan(ApplicationError):
    def __init__(self) -> None:
        super().__init__(
            _(
                "Someone else changed this plan after you opened it. Reload the page to see the "
                "latest version, then make your change again."
            ),
            code="stale",
        )


def _writable(actor: Any, case: Case) -> None:
    """Refuse writes on a closed case, and by someone who may not change the case."""
    if not case.is_open:
        raise case_closed_error()
    if actor is not None and not can_change_case(actor, case):
        raise ApplicationError(
            _("Only the social worker assigned to this case, or the head of UPT, can change it."),
            code="not_assigned",
        )


def _check_day(day: dt.date, case: Case, field: str, what: str) -> None:
    if day > timezone.localdate():
        raise ApplicationError(
            _("The date of the %(what)s is in the future. Enter the day it took place.")
            % {"what": what},
            field_errors={field: [_("The date cannot be in the future.")]},
        )
    if day < case.admitted_on:
        raise ApplicationError(
            _("The date of the %(what)s is before the admission date. Check the date.")
            % {"what": what},
            field_errors={field: [_("The date is before the admission.")]},
        )


def _text(value: Any) -> str:
    return str(value or "").strip()


# --- Intervention plan ---------------------------------------------------------------------------


def plan_stage() -> Stage | None:
    """The stage in which the plan is drafted (the reference flag `records_plan`)."""
    return Stage.objects.in_order().filter(records_plan=True).first()


def _current_plan(case: Case, *, lock: bool = False) -> InterventionPlan | None:
    qs = InterventionPlan.objects.filter(case=case).exclude(
        status=InterventionPlan.Status.SUPERSEDED
    )
    if lock:
        qs = qs.select_for_update(of=("self",))
    return qs.order_by("-revision").first()


def _clean_goals(goals: Sequence[Mapping[str, Any]]) -> list[PlanGoal]:
    cleaned: list[PlanGoal] = []
    errors: dict[str, list[str]] = {}
    for index, goal in enumerate(goals, start=1):
        values = {k: _text(goal.get(k)) for k in ("problem", "goal", "indicator")}
        if not any(values.values()):
            continue  # an empty row of the form
        for name, value in values.items():
            if not value:
                errors.setdefault(f"goals.{index}.{name}", []).append(_("This field is required."))
        cleaned.append(PlanGoal(number=len(cleaned) + 1, **values))
    if errors:
        raise ApplicationError(
            _("Every goal needs the problem, the goal and the indicator of success."),
            code="goal_incomplete",
            field_errors=errors,
        )
    return cleaned


def _clean_services(case: Case, services: Sequence[Mapping[str, Any]]) -> list[PlannedService]:
    cleaned: list[PlannedService] = []
    errors: dict[str, list[str]] = {}
    active = {t.pk: t for t in ServiceType.objects.filter(is_active=True)}
    for index, row in enumerate(services, start=1):
        service_type = row.get("service_type")
        type_id = getattr(service_type, "pk", service_type)
        if type_id in (None, ""):
            continue  # an empty row of the form
        prefix = f"services.{index}."
        if type_id not in active:
            errors.setdefault(f"{prefix}service_type", []).append(
                _("Choose one of the forms of rehabilitation.")
            )
        times = row.get("times") or 0
        if not isinstance(times, int) or times < 1 or times > 31:
            errors.setdefault(f"{prefix}times", []).append(_("Enter a number from 1 to 31."))
        period = row.get("period") or ""
        if period not in Frequency.values:
            errors.setdefault(f"{prefix}period", []).append(_("Choose per week or per month."))
        start_on, target_on = row.get("start_on"), row.get("target_on")
        if not isinstance(start_on, dt.date):
            errors.setdefault(f"{prefix}start_on", []).append(_("Enter the start date."))
        elif start_on < case.admitted_on:
            errors.setdefault(f"{prefix}start_on", []).append(
                _("The start is before the admission date.")
            )
        if not isinstance(target_on, dt.date):
            errors.setdefault(f"{prefix}target_on", []).append(_("Enter the target date."))
        elif isinstance(start_on, dt.date) and target_on < start_on:
            errors.setdefault(f"{prefix}target_on", []).append(
                _("The target date is before the start date.")
            )
        responsible = row.get("responsible")
        if responsible is not None and (
            not responsible.is_active or responsible.unit_id != case.unit_id
        ):
            errors.setdefault(f"{prefix}responsible", []).append(
                _("Choose an active member of staff of this UPT.")
            )
        if any(key.startswith(prefix) for key in errors):
            continue
        cleaned.append(
            PlannedService(
                service_type_id=type_id,
                times=times,
                period=period,
                responsible=responsible,
                start_on=start_on,  # type: ignore[misc]  # checked above
                target_on=target_on,
                notes=_text(row.get("notes"))[:255],
            )
        )
    if errors:
        raise ApplicationError(
            _(
                "Some planned services are not complete: each needs a form of rehabilitation, how "
                "often, and start and target dates. Correct the marked rows."
            ),
            code="service_incomplete",
            field_errors=errors,
        )
    return cleaned


@transaction.atomic
def plan_save(
    *,
    actor: Any,
    case: Case,
    expected_version: int | None,
    goals: Sequence[Mapping[str, Any]],
    services: Sequence[Mapping[str, Any]],
    summary: str = "",
    client_agreed: bool = False,
) -> InterventionPlan:
    """Save the plan of `case` with these goals and planned services (they replace the previous
    ones). The first save creates revision 1 (`expected_version` None). Saving over an approved
    revision keeps it (superseded) and creates the next revision as a draft that needs approval
    again. Drafting starts in the plan stage; a goal-less draft may be saved, not approved."""
    case = (
        Case.objects.select_for_update(of=("self",)).select_related("stage", "unit").get(pk=case.pk)
    )
    _writable(actor, case)
    stage = plan_stage()
    if stage is not None and case.stage.number < stage.number:
        raise ApplicationError(
            _(
                'The intervention plan is drafted in the stage "%(stage)s". Move the case there first.'
            )
            % {"stage": stage.name},
            code="plan_too_early",
        )
    current = _current_plan(case, lock=True)
    if (current.version if current else None) != expected_version:
        raise StalePlan()
    new_goals = _clean_goals(goals)
    new_services = _clean_services(case, services)
    summary = _text(summary)
    action = CaseworkAuditAction.PLAN_SAVED
    before: dict[str, Any] = {"revision": None, "goals": 0, "services": 0, "status": None}
    if current is not None:
        before = {
            "revision": current.revision,
            "goals": current.goals.count(),
            "services": current.planned_services.count(),
            "status": current.status,
        }
    if current is None or current.is_approved:
        if current is not None:
            InterventionPlan.objects.filter(pk=current.pk).update(
                status=InterventionPlan.Status.SUPERSEDED, updated_at=timezone.now()
            )
            action = CaseworkAuditAction.PLAN_REVISED
            _reopen_plan_stage_approval(actor, case)
        plan = InterventionPlan.objects.create(
            case=case,
            revision=(current.revision + 1) if current else 1,
            summary=summary,
            client_agreed=client_agreed,
            drafted_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
    else:
        plan = current
        plan.goals.all().delete()
        plan.planned_services.all().delete()
        InterventionPlan.objects.filter(pk=plan.pk).update(
            summary=summary,
            client_agreed=client_agreed,
            version=F("version") + 1,
            updated_at=timezone.now(),
        )
        plan.refresh_from_db()
    for goal in new_goals:
        goal.plan = plan
    for service in new_services:
        service.plan = plan
    PlanGoal.objects.bulk_create(new_goals)
    PlannedService.objects.bulk_create(new_services)
    audit.record(
        actor=actor,
        action=action,
        target=case,
        changes=audit.changes_between(
            before,
            {
                "revision": plan.revision,
                "goals": len(new_goals),
                "services": len(new_services),
                "status": plan.status,
            },
        ),
        extra={"plan": plan.pk, "version": plan.version},
    )
    return plan


def _reopen_plan_stage_approval(actor: Any, case: Case) -> None:
    """A new revision made while the case is still in the plan stage withdraws the stage's
    approval: the case moves on only after the head of UPT approves the new revision."""
    if case.stage.records_plan and case.stage_approved_at is not None:
        Case.objects.filter(pk=case.pk).update(
            stage_approved_at=None,
            stage_approved_by=None,
            version=F("version") + 1,
            updated_at=timezone.now(),
        )


def _approve(actor: Any, plan: InterventionPlan, now: dt.datetime) -> InterventionPlan:
    if not plan.goals.exists():
        raise ApplicationError(
            _(
                "The intervention plan has no goals yet. The social worker adds at least one goal "
                "(problem, goal, indicator), then the plan can be approved."
            ),
            code="plan_without_goals",
        )
    InterventionPlan.objects.filter(pk=plan.pk).update(
        status=InterventionPlan.Status.APPROVED,
        approved_at=now,
        approved_by=actor if getattr(actor, "is_authenticated", False) else None,
        version=F("version") + 1,
        updated_at=now,
    )
    plan.refresh_from_db()
    audit.record(
        actor=actor,
        action=CaseworkAuditAction.PLAN_APPROVED,
        target=plan.case,
        changes={"status": [InterventionPlan.Status.DRAFT, InterventionPlan.Status.APPROVED]},
        extra={"plan": plan.pk, "revision": plan.revision},
    )
    return plan


def plan_approve_with_stage(*, actor: Any, case: Case, now: dt.datetime) -> None:
    """Called by `case_approve_stage` when the stage records the plan: the approval of the stage
    is the approval of the plan, refused when there is no plan or it has no goals."""
    plan = _current_plan(case, lock=True)
    if plan is None:
        raise ApplicationError(
            _(
                "There is no intervention plan yet. The social worker drafts the plan (goals and "
                "services) before the head of UPT approves this stage."
            ),
            code="plan_missing",
        )
    if plan.status == InterventionPlan.Status.DRAFT:
        plan.case = case
        _approve(actor, plan, now)


@transaction.atomic
def plan_approve(*, actor: Any, plan: InterventionPlan, expected_version: int) -> InterventionPlan:
    """The head of UPT approves the current draft revision. In the plan stage this is the approval
    of the stage itself (`case_approve_stage`); later revisions are approved on their own."""
    from sinergi.rehabilitation.permissions import can_approve_case
    from sinergi.rehabilitation.services.cases import case_approve_stage

    case = Case.objects.select_related("stage", "unit").get(pk=plan.case_id)
    if not case.is_open:
        raise case_closed_error()
    if actor is not None and not can_approve_case(actor, case):
        raise ApplicationError(
            _("Only the head of this UPT can approve the plan."), code="not_approver"
        )
    current = _current_plan(case, lock=True)
    if current is None or current.pk != plan.pk or current.version != expected_version:
        raise StalePlan()
    if current.status != InterventionPlan.Status.DRAFT:
        raise ApplicationError(
            _("This plan is already approved. Reload the page to see the latest state."),
            code="already_approved",
        )
    if case.stage.records_plan and case.stage_approved_at is None:
        case_approve_stage(actor=actor, case=case, expected_version=case.version)
        current.refresh_from_db()
        return current
    current.case = case
    return _approve(actor, current, timezone.now())


# --- Service log ---------------------------------------------------------------------------------


def _check_service(
    *,
    service_type: ServiceType,
    provider: Any,
    provider_name: str,
    attendance: str,
    duration_minutes: int,
    unit_id: int,
) -> None:
    errors: dict[str, list[str]] = {}
    if not service_type.is_active:
        errors["service_type"] = [_("Choose one of the forms of rehabilitation.")]
    if provider is None and not provider_name:
        errors["provider"] = [_("Choose the member of staff, or write the external provider.")]
    if provider is not None and provider.unit_id != unit_id:
        errors["provider"] = [_("Choose a member of staff of this UPT.")]
    if attendance not in Attendance.values:
        errors["attendance"] = [_("Choose present, absent or excused.")]
    if not 1 <= duration_minutes <= MAX_DURATION_MINUTES:
        errors["duration_minutes"] = [
            _("Enter a duration from 1 to %(max)s minutes.") % {"max": MAX_DURATION_MINUTES}
        ]
    if errors:
        raise ApplicationError(
            _("The service is not complete: %(errors)s Correct it and save again.")
            % {"errors": " ".join(m for msgs in errors.values() for m in msgs)},
            field_errors=errors,
        )


@transaction.atomic
def service_record(
    *,
    actor: Any,
    case: Case,
    service_type: ServiceType,
    given_on: dt.date,
    duration_minutes: int,
    provider: Any = None,
    provider_name: str = "",
    attendance: str = Attendance.PRESENT,
    notes: str = "",
) -> ServiceEntry:
    """Log one service given to the client of `case` (provider: staff user or external name)."""
    _writable(actor, case)
    provider_name = _text(provider_name)
    _check_service(
        service_type=service_type,
        provider=provider,
        provider_name=provider_name,
        attendance=attendance,
        duration_minutes=duration_minutes,
        unit_id=case.unit_id,
    )
    _check_day(given_on, case, "given_on", _("service"))
    entry = ServiceEntry.objects.create(
        case=case,
        service_type=service_type,
        given_on=given_on,
        provider=provider,
        provider_name="" if provider is not None else provider_name,
        attendance=attendance,
        duration_minutes=duration_minutes,
        notes=_text(notes),
        recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
        recorded_at=timezone.now(),
    )
    audit.record(
        actor=actor,
        action=CaseworkAuditAction.SERVICE_RECORDED,
        target=case,
        extra={
            "service": entry.pk,
            "service_type": service_type.code,
            "given_on": given_on.isoformat(),
            "attendance": attendance,
        },
    )
    return entry


def can_record_group_session(viewer: Any, unit: Any) -> bool:
    """Staff of a UPT (in scope) with the permission record group sessions for its residents."""
    return bool(
        viewer.has_perm("rehabilitation.add_groupsession")
        and unit is not None
        and unit.unit_type.is_service_unit
        and unit_in_scope(viewer, unit)
    )


@transaction.atomic
def group_session_record(
    *,
    actor: Any,
    unit: Any,
    service_type: ServiceType,
    given_on: dt.date,
    topic: str,
    duration_minutes: int,
    attendance: Mapping[Any, str],
    provider: Any = None,
    provider_name: str = "",
    notes: str = "",
) -> GroupSession:
    """One service for many clients of `unit` at once: `attendance` maps the id of each open case
    of the UPT that took part to present/absent/excused. One log entry per client (set-based) and
    one audit event for the session."""
    if actor is not None and not can_record_group_session(actor, unit):
        raise ApplicationError(
            _("Only the staff of this UPT can record its group sessions."), code="not_in_unit"
        )
    attendance = {str(case_id): value for case_id, value in attendance.items()}
    topic = _text(topic)
    provider_name = _text(provider_name)
    if not topic:
        raise ApplicationError(
            _("Write the topic of the session."), field_errors={"topic": [_("Write the topic.")]}
        )
    if not attendance:
        raise ApplicationError(
            _("Choose at least one client who took part in the session."),
            code="no_participants",
            field_errors={"attendance": [_("Choose the clients.")]},
        )
    _check_service(
        service_type=service_type,
        provider=provider,
        provider_name=provider_name,
        attendance=Attendance.PRESENT,
        duration_minutes=duration_minutes,
        unit_id=unit.pk,
    )
    if any(value not in Attendance.values for value in attendance.values()):
        raise ApplicationError(
            _("Choose present, absent or excused for every client."),
            field_errors={"attendance": [_("Choose present, absent or excused.")]},
        )
    if given_on > timezone.localdate():
        raise ApplicationError(
            _("The date of the session is in the future. Enter the day it took place."),
            field_errors={"given_on": [_("The date cannot be in the future.")]},
        )
    wanted = set(attendance)
    cases = {
        str(pk): admitted_on
        for pk, admitted_on in Case.objects.filter(
            pk__in=list(wanted), unit=unit, status=Case.Status.OPEN
        ).values_list("pk", "admitted_on")
    }
    if len(cases) != len(wanted):
        raise ApplicationError(
            _(
                "%(count)s of the chosen clients have no open case in this UPT (closed or moved in "
                "the meantime). Reload the page and choose again."
            )
            % {"count": len(wanted) - len(cases)},
            code="cases_not_open",
        )
    late = [pk for pk, admitted_on in cases.items() if admitted_on > given_on]
    if late:
        raise ApplicationError(
            _(
                "%(count)s of the chosen clients were admitted after the date of the session. "
                "Remove them or check the date."
            )
            % {"count": len(late)},
            code="admitted_after_session",
            field_errors={"given_on": [_("Some clients were admitted after this date.")]},
        )
    recorder = actor if getattr(actor, "is_authenticated", False) else None
    now = timezone.now()
    session = GroupSession.objects.create(
        unit=unit,
        service_type=service_type,
        given_on=given_on,
        topic=topic,
        provider=provider,
        provider_name="" if provider is not None else provider_name,
        duration_minutes=duration_minutes,
        notes=_text(notes),
        recorded_by=recorder,
    )
    ServiceEntry.objects.bulk_create(
        [
            ServiceEntry(
                case_id=case_id,
                service_type=service_type,
                given_on=given_on,
                provider=provider,
                provider_name=session.provider_name,
                attendance=attendance[case_id],
                duration_minutes=duration_minutes,
                notes=topic,
                group_session=session,
                recorded_by=recorder,
                recorded_at=now,
            )
            for case_id in sorted(cases)
        ],
        batch_size=1000,
    )
    counts = dict.fromkeys(Attendance.values, 0)
    for value in attendance.values():
        counts[value] += 1
    audit.record(
        actor=actor,
        action=CaseworkAuditAction.GROUP_SESSION_RECORDED,
        target=session,
        extra={
            "unit": unit.code,
            "service_type": service_type.code,
            "given_on": given_on.isoformat(),
            "clients": len(cases),
            "attendance": counts,
        },
    )
    return session


# --- Progress notes and case conferences ---------------------------------------------------------


@transaction.atomic
def progress_note_add(*, actor: Any, case: Case, written_on: dt.date, text: str) -> ProgressNote:
    """A dated narrative of the client's progress, by `actor`."""
    _writable(actor, case)
    text = _text(text)
    if not text:
        raise ApplicationError(
            _("Write the note before saving."), field_errors={"text": [_("Write the note.")]}
        )
    _check_day(written_on, case, "written_on", _("note"))
    note = ProgressNote.objects.create(case=case, written_on=written_on, author=actor, text=text)
    audit.record(
        actor=actor,
        action=CaseworkAuditAction.PROGRESS_NOTE_ADDED,
        target=case,
        extra={"note": note.pk, "written_on": written_on.isoformat()},
    )
    return note


@transaction.atomic
def conference_record(
    *,
    actor: Any,
    case: Case,
    held_on: dt.date,
    participants: str,
    discussion: str,
    decisions: str,
    next_steps: str = "",
) -> CaseConference:
    """A case conference: date, who took part, what was discussed and decided, next steps."""
    _writable(actor, case)
    values = {
        "participants": _text(participants),
        "discussion": _text(discussion),
        "decisions": _text(decisions),
    }
    missing = {k: [_("This field is required.")] for k, v in values.items() if not v}
    if missing:
        raise ApplicationError(
            _("Fill in the participants, the discussion and the decisions, then save again."),
            field_errors=missing,
        )
    _check_day(held_on, case, "held_on", _("case conference"))
    conference = CaseConference.objects.create(
        case=case,
        held_on=held_on,
        next_steps=_text(next_steps),
        recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
        **values,
    )
    audit.record(
        actor=actor,
        action=CaseworkAuditAction.CONFERENCE_RECORDED,
        target=case,
        extra={"conference": conference.pk, "held_on": held_on.isoformat()},
    )
    return conference


__all__ = [
    "StalePlan",
    "can_record_group_session",
    "case_closed_error",
    "conference_record",
    "group_session_record",
    "plan_approve",
    "plan_save",
    "plan_stage",
    "progress_note_add",
    "service_record",
]
