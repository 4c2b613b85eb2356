"""API writes and casework of social rehabilitation, added to the app's router (imported at the end
of `api/__init__.py`; one router, so GET and POST of the same path share it), under
/api/v1/rehabilitation/: client search (POST: NIK and names never travel in the address),
assessments, the service log (single and group), progress notes, the plan, aftercare follow-ups and
the stage advance. Same services, selectors and permissions as the pages."""

import datetime as dt
import uuid
from typing import Any, Literal

from django.contrib.auth import get_user_model
from django.http import HttpRequest
from ninja import Query, Schema, Status
from pydantic import Field

from sinergi.api.auth import require_permission
from sinergi.api.errors import ApiError, not_found_message, permission_denied_message
from sinergi.api.pagination import KeysetQueryIn, page_schema, paginate
from sinergi.api.schemas import error_responses
from sinergi.rehabilitation import selectors, services
from sinergi.rehabilitation.api import _assessment, _case, _client, router
from sinergi.rehabilitation.models import ServiceType, Stage, TerminationReason
from sinergi.rehabilitation.permissions import can_change_case
from sinergi.rehabilitation.schemas import AssessmentOut, CaseOut, ClientOut, CodeNameOut
from sinergi.rehabilitation.selectors import casework as casework_selectors

AttendanceCode = Literal["present", "absent", "excused"]


# --- Schemas -------------------------------------------------------------------------------------


class ClientSearchIn(Schema):
    nik: str = Field("", max_length=20, description="Exact NIK (16 digits).")
    name: str = Field("", max_length=100, description="Part of the name.")
    unit: int | None = Field(None, description="Id of a UPT.")
    category: str = Field("", max_length=40, description="PPKS category code, e.g. `LUT`.")
    stage: str = Field("", max_length=40, description="Stage code of an open case.")
    cursor: str = Field("", max_length=500, description="`next_cursor` of the previous page.")
    limit: int = Field(50, ge=1, le=200, description="Items per page (1-200).")


class ScoreIn(Schema):
    item: int = Field(ge=1, description="Item number of the instrument.")
    score: int = Field(ge=0, description="Score of one of the item's answers.")


class AssessmentIn(Schema):
    case_id: uuid.UUID
    instrument: str = Field("barthel", max_length=40, description="Instrument code.")
    assessed_on: dt.date
    scores: list[ScoreIn] = Field(description="One score per item of the instrument.")
    notes: str = Field("", max_length=5000)


class ServiceOut(Schema):
    id: int
    case_id: uuid.UUID
    service_type: CodeNameOut
    given_on: dt.date
    provider_id: int | None
    provider_name: str = Field(description="Name of the staff member or external provider.")
    attendance: str
    duration_minutes: int
    notes: str
    group_session_id: int | None


class ServiceIn(Schema):
    case_id: uuid.UUID
    service_type: str = Field(max_length=40, description="Code of one of the 11 forms.")
    given_on: dt.date
    provider_id: int | None = Field(None, description="Id of the staff member who gave it.")
    provider_name: str = Field("", max_length=150, description="External provider, if no staff.")
    attendance: AttendanceCode = "present"
    duration_minutes: int = Field(ge=1, le=600)
    notes: str = Field("", max_length=5000)


class ParticipantIn(Schema):
    case_id: uuid.UUID
    attendance: AttendanceCode = "present"


class GroupSessionIn(Schema):
    unit: int = Field(description="Id of the UPT where the session took place.")
    service_type: str = Field(max_length=40)
    given_on: dt.date
    topic: str = Field(max_length=200)
    provider_id: int | None = None
    provider_name: str = Field("", max_length=150)
    duration_minutes: int = Field(ge=1, le=600)
    notes: str = Field("", max_length=5000)
    participants: list[ParticipantIn] = Field(max_length=1000)


class GroupSessionOut(Schema):
    id: int
    unit_code: str
    service_type: CodeNameOut
    given_on: dt.date
    topic: str
    clients: int = Field(description="Service log entries written (one per participant).")


class NoteOut(Schema):
    id: int
    case_id: uuid.UUID
    written_on: dt.date
    author: str
    text: str


class NoteIn(Schema):
    case_id: uuid.UUID
    written_on: dt.date
    text: str = Field(max_length=20000)


class GoalOut(Schema):
    number: int
    problem: str
    goal: str
    indicator: str


class PlannedServiceOut(Schema):
    service_type: CodeNameOut
    times: int
    period: str = Field(description="`week` or `month`.")
    responsible: str | None = Field(description="Username of the responsible staff.")
    start_on: dt.date
    target_on: dt.date


class PlanOut(Schema):
    id: int
    case_id: uuid.UUID
    revision: int
    status: str = Field(description="`draft` or `approved`.")
    summary: str
    client_agreed: bool
    approved_at: dt.datetime | None
    version: int
    goals: list[GoalOut]
    services: list[PlannedServiceOut]


class FollowUpOut(Schema):
    id: int
    number: int
    months: int
    due_on: dt.date
    done_on: dt.date | None
    method: str
    condition: str
    problems: str
    action: str
    outcome: str


class FollowUpIn(Schema):
    done_on: dt.date
    method: Literal["visit", "phone", "other"]
    condition: str = Field(max_length=5000)
    problems: str = Field("", max_length=5000)
    action: str = Field("", max_length=5000)
    outcome: str = Field(max_length=5000)


class AdvanceIn(Schema):
    version: int = Field(description="The `version` of the case you read (optimistic lock).")
    to_stage: str = Field("", max_length=40, description="Stage code; empty for the next one.")
    reason: str = Field("", max_length=2000, description="Needed when a stage is skipped.")
    notes: str = Field("", max_length=2000)
    termination_reason: str = Field("", max_length=40, description="Code; for the termination.")
    termination_on: dt.date | None = None
    destination_address: str = Field("", max_length=255)


# --- Helpers -------------------------------------------------------------------------------------


def _code_name(obj: Any) -> dict[str, str]:
    return {"code": obj.code, "name": obj.name}


def _reference(model: Any, code: str, field: str) -> Any:
    found = model.objects.filter(code=code, is_active=True).first()
    if found is None:
        raise ApiError(
            400,
            "validation_error",
            _unknown_code_message(code),
            {field: [_unknown_code_message(code)]},
        )
    return found


def _unknown_code_message(code: str) -> str:
    from django.utils.translation import gettext as _

    return _("Unknown code %(code)s. Use one of the codes of the reference list.") % {"code": code}


def _changeable_case(request: HttpRequest, case_id: Any) -> Any:
    """The case (404 out of scope); 403 when the caller may not change it (closed cases pass, the
    service answers that they are locked)."""
    case = selectors.case_get(viewer=request.user, pk=case_id)
    if case.is_open and not can_change_case(request.user, case):
        raise ApiError(403, "permission_denied", permission_denied_message())
    return case


def _staff(user_id: int | None) -> Any:
    if user_id is None:
        return None
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        raise ApiError(
            400,
            "validation_error",
            not_found_message(),
            {"provider_id": [not_found_message()]},
        )
    return user


def _service(entry: Any) -> dict[str, Any]:
    return {
        "id": entry.pk,
        "case_id": entry.case_id,
        "service_type": _code_name(entry.service_type),
        "given_on": entry.given_on,
        "provider_id": entry.provider_id,
        "provider_name": entry.provider_label,
        "attendance": entry.attendance,
        "duration_minutes": entry.duration_minutes,
        "notes": entry.notes,
        "group_session_id": entry.group_session_id,
    }


def _note(note: Any) -> dict[str, Any]:
    return {
        "id": note.pk,
        "case_id": note.case_id,
        "written_on": note.written_on,
        "author": note.author.get_username(),
        "text": note.text,
    }


def _follow_up(follow_up: Any) -> dict[str, Any]:
    return {
        name: getattr(follow_up, name)
        for name in (
            "number",
            "months",
            "due_on",
            "done_on",
            "method",
            "condition",
            "problems",
            "action",
            "outcome",
        )
    } | {"id": follow_up.pk}


# --- Clients and assessments ---------------------------------------------------------------------


@router.post(
    "/clients/search",
    response={200: page_schema(ClientOut), **error_responses(400, 401, 403)},
    summary="Search clients (NIK, name, UPT, category, stage)",
)
def client_search(request: HttpRequest, payload: ClientSearchIn) -> Any:
    """Clients with a case in the caller's scope matching the filters, by name; NIK masked. A POST
    so that NIK and names never appear in addresses or server logs; page on with `cursor`."""
    require_permission(request, "rehabilitation.view_client")
    filters = selectors.ClientFilters(
        nik="".join(ch for ch in payload.nik if ch.isdigit()),
        name=payload.name.strip(),
        unit=payload.unit,
        category=payload.category,
        stage=payload.stage,
    )
    page = selectors.client_search_page(
        viewer=request.user, filters=filters, cursor=payload.cursor or None, size=payload.limit
    )
    return {
        "items": [_client(c, c.visible_cases) for c in page.items],
        "next_cursor": page.next_cursor,
    }


@router.post(
    "/assessments",
    response={201: AssessmentOut, **error_responses(400, 401, 403, 404)},
    summary="Record an assessment",
)
def assessment_create(request: HttpRequest, payload: AssessmentIn) -> Any:
    """Record an assessment of a case with the active version of an instrument; every item
    answered (a missing item is refused and nothing is saved)."""
    require_permission(request, "rehabilitation.add_assessment")
    case = _changeable_case(request, payload.case_id)
    if not case.is_open:
        raise services.case_closed_error()
    instrument = selectors.instrument_current(payload.instrument)
    if instrument is None:
        raise ApiError(
            400,
            "validation_error",
            _unknown_code_message(payload.instrument),
            {"instrument": [_unknown_code_message(payload.instrument)]},
        )
    assessment = services.assessment_record(
        actor=request.user,
        case=case,
        instrument=instrument,
        assessed_on=payload.assessed_on,
        scores={s.item: s.score for s in payload.scores},
        notes=payload.notes,
    )
    assessment = (
        selectors.assessment_list(viewer=request.user, case_id=case.pk)
        .filter(pk=assessment.pk)
        .get()
    )
    return Status(201, _assessment(assessment))


# --- Service log ---------------------------------------------------------------------------------


@router.get(
    "/cases/{case_id}/services",
    response={200: page_schema(ServiceOut), **error_responses(400, 401, 403, 404)},
    summary="Service log of a case",
)
def service_list(request: HttpRequest, case_id: str, query: Query[KeysetQueryIn]) -> Any:
    """The services given to the client of a case, newest first."""
    require_permission(request, "rehabilitation.view_case")
    case = selectors.case_get(viewer=request.user, pk=case_id)
    queryset = casework_selectors.services_list(viewer=request.user, case_id=case.pk)
    return paginate(
        queryset,
        ordering=casework_selectors.SERVICE_ORDERING,
        cursor=query.cursor,
        limit=query.limit,
        item=_service,
    )


@router.post(
    "/services",
    response={201: ServiceOut, **error_responses(400, 401, 403, 404)},
    summary="Record a service",
)
def service_create(request: HttpRequest, payload: ServiceIn) -> Any:
    """Log one service given to the client of a case (staff `provider_id` or `provider_name`)."""
    require_permission(request, "rehabilitation.add_serviceentry")
    case = _changeable_case(request, payload.case_id)
    entry = services.service_record(
        actor=request.user,
        case=case,
        service_type=_reference(ServiceType, payload.service_type, "service_type"),
        given_on=payload.given_on,
        provider=_staff(payload.provider_id),
        provider_name=payload.provider_name,
        attendance=payload.attendance,
        duration_minutes=payload.duration_minutes,
        notes=payload.notes,
    )
    return Status(201, _service(entry))


@router.post(
    "/services/group",
    response={201: GroupSessionOut, **error_responses(400, 401, 403, 404)},
    summary="Record a group session",
)
def group_session_create(request: HttpRequest, payload: GroupSessionIn) -> Any:
    """One service for many clients of a UPT at once: one log entry per participant (each an open
    case of that UPT), written in one go; all or nothing."""
    require_permission(request, "rehabilitation.add_groupsession")
    unit = next(
        (
            u
            for u in casework_selectors.group_session_units(viewer=request.user)
            if u.pk == payload.unit
        ),
        None,
    )
    if unit is None:
        raise ApiError(404, "not_found", not_found_message())
    session = services.group_session_record(
        actor=request.user,
        unit=unit,
        service_type=_reference(ServiceType, payload.service_type, "service_type"),
        given_on=payload.given_on,
        topic=payload.topic,
        provider=_staff(payload.provider_id),
        provider_name=payload.provider_name,
        duration_minutes=payload.duration_minutes,
        notes=payload.notes,
        attendance={str(p.case_id): p.attendance for p in payload.participants},
    )
    return Status(
        201,
        {
            "id": session.pk,
            "unit_code": unit.code,
            "service_type": _code_name(session.service_type),
            "given_on": session.given_on,
            "topic": session.topic,
            "clients": len({p.case_id for p in payload.participants}),
        },
    )


# --- Progress notes ------------------------------------------------------------------------------


@router.get(
    "/cases/{case_id}/progress-notes",
    response={200: page_schema(NoteOut), **error_responses(400, 401, 403, 404)},
    summary="Progress notes of a case",
)
def note_list(request: HttpRequest, case_id: str, query: Query[KeysetQueryIn]) -> Any:
    """The progress notes of a case, newest first."""
    require_permission(request, "rehabilitation.view_case")
    case = selectors.case_get(viewer=request.user, pk=case_id)
    return paginate(
        casework_selectors.notes_list(viewer=request.user, case_id=case.pk),
        ordering=casework_selectors.NOTE_ORDERING,
        cursor=query.cursor,
        limit=query.limit,
        item=_note,
    )


@router.post(
    "/progress-notes",
    response={201: NoteOut, **error_responses(400, 401, 403, 404)},
    summary="Write a progress note",
)
def note_create(request: HttpRequest, payload: NoteIn) -> Any:
    require_permission(request, "rehabilitation.add_progressnote")
    case = _changeable_case(request, payload.case_id)
    note = services.progress_note_add(
        actor=request.user, case=case, written_on=payload.written_on, text=payload.text
    )
    return Status(201, _note(note))


# --- Plan ----------------------------------------------------------------------------------------


@router.get(
    "/cases/{case_id}/plan",
    response={200: PlanOut, **error_responses(401, 403, 404)},
    summary="Intervention plan of a case",
)
def plan_detail(request: HttpRequest, case_id: str) -> Any:
    """The current revision of the plan (404 when the case has no plan yet)."""
    require_permission(request, "rehabilitation.view_case")
    case = selectors.case_get(viewer=request.user, pk=case_id)
    plan = casework_selectors.plan_current(case=case)
    if plan is None:
        raise ApiError(404, "not_found", not_found_message())
    return {
        "id": plan.pk,
        "case_id": plan.case_id,
        "revision": plan.revision,
        "status": plan.status,
        "summary": plan.summary,
        "client_agreed": plan.client_agreed,
        "approved_at": plan.approved_at,
        "version": plan.version,
        "goals": [
            {"number": g.number, "problem": g.problem, "goal": g.goal, "indicator": g.indicator}
            for g in plan.goals.all()
        ],
        "services": [
            {
                "service_type": _code_name(s.service_type),
                "times": s.times,
                "period": s.period,
                "responsible": s.responsible.get_username() if s.responsible else None,
                "start_on": s.start_on,
                "target_on": s.target_on,
            }
            for s in plan.planned_services.all()
        ],
    }


# --- Aftercare follow-ups ------------------------------------------------------------------------


@router.get(
    "/cases/{case_id}/follow-ups",
    response={200: page_schema(FollowUpOut), **error_responses(400, 401, 403, 404)},
    summary="Aftercare follow-ups of a case",
)
def follow_up_list(request: HttpRequest, case_id: str, query: Query[KeysetQueryIn]) -> Any:
    """The scheduled follow-ups of a case in order, with what was found when done."""
    require_permission(request, "rehabilitation.view_case")
    case = selectors.case_get(viewer=request.user, pk=case_id)
    return paginate(
        case.follow_ups.all(),
        ordering=("number", "id"),
        cursor=query.cursor,
        limit=query.limit,
        item=_follow_up,
    )


@router.post(
    "/cases/{case_id}/follow-ups/{number}",
    response={200: FollowUpOut, **error_responses(400, 401, 403, 404)},
    summary="Record an aftercare follow-up",
)
def follow_up_record(request: HttpRequest, case_id: str, number: int, payload: FollowUpIn) -> Any:
    """Record what follow-up `number` found (recording it again replaces the record)."""
    require_permission(request, "rehabilitation.change_case")
    case = _changeable_case(request, case_id)
    follow_up = case.follow_ups.filter(number=number).first()
    if follow_up is None:
        raise ApiError(404, "not_found", not_found_message())
    follow_up = services.follow_up_record(actor=request.user, follow_up=follow_up, **payload.dict())
    return _follow_up(follow_up)


# --- Stage advance -------------------------------------------------------------------------------


@router.post(
    "/cases/{case_id}/advance",
    response={200: CaseOut, **error_responses(400, 401, 403, 404, 409)},
    summary="Move a case to the next (or a later) stage",
)
def case_advance(request: HttpRequest, case_id: str, payload: AdvanceIn) -> Any:
    """The same rules as the case page: skipping needs a reason, a stage needing approval must be
    approved, entering the termination needs reason, date and destination. `version` must be the
    case's current version; a stale one answers 409 (read the case again)."""
    require_permission(request, "rehabilitation.change_case")
    case = _changeable_case(request, case_id)
    try:
        case = services.case_advance(
            actor=request.user,
            case=case,
            expected_version=payload.version,
            to_stage=_reference(Stage, payload.to_stage, "to_stage") if payload.to_stage else None,
            reason=payload.reason,
            notes=payload.notes,
            termination_reason=(
                _reference(TerminationReason, payload.termination_reason, "termination_reason")
                if payload.termination_reason
                else None
            ),
            termination_on=payload.termination_on,
            destination_address=payload.destination_address,
        )
    except services.StaleCase as error:
        raise ApiError(409, "stale", error.message) from error
    return _case(selectors.case_get(viewer=request.user, pk=case.pk))
