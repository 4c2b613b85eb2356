"""API of social rehabilitation: clients, cases and assessments, scoped like the pages; reading one
client's file is logged like the client page. The writes and the casework (client search, services,
notes, plan, follow-ups, stage advance) are in `api/casework.py`, added to this router."""

import uuid
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router

from sinergi.api.auth import require_permission
from sinergi.api.pagination import page_schema, paginate
from sinergi.api.schemas import error_responses
from sinergi.audit import services as audit
from sinergi.rehabilitation import selectors
from sinergi.rehabilitation.models import AuditAction
from sinergi.rehabilitation.schemas import (
    AssessmentOut,
    AssessmentQueryIn,
    CaseOut,
    CaseQueryIn,
    ClientDetailOut,
    ClientOut,
    ClientQueryIn,
)

PREFIX = "rehabilitation"
router = Router(tags=["rehabilitation"])


def _code_name(obj: Any) -> dict[str, str] | None:
    return {"code": obj.code, "name": obj.name} if obj is not None else None


def _case_brief(case: Any) -> dict[str, Any]:
    return {
        "id": case.pk,
        "unit_code": case.unit.code,
        "stage": _code_name(case.stage),
        "status": case.status,
        "admitted_on": case.admitted_on,
    }


def _client(client: Any, cases: list[Any]) -> dict[str, Any]:
    return {
        "id": client.pk,
        "name": client.name,
        "nik_masked": client.masked_nik,
        "sex": client.sex,
        "birth_on": client.birth_on,
        "ppks_category": _code_name(client.ppks_category),
        "cases": [_case_brief(c) for c in cases],
    }


def _case(case: Any) -> dict[str, Any]:
    return {
        "id": case.pk,
        "client_id": case.client_id,
        "unit_code": case.unit.code,
        "social_worker": case.social_worker.username if case.social_worker_id else None,
        "stage": _code_name(case.stage),
        "status": case.status,
        "admitted_on": case.admitted_on,
        "stage_entered_at": case.stage_entered_at,
        "stage_approved_at": case.stage_approved_at,
        "termination_reason": _code_name(case.termination_reason),
        "version": case.version,
    }


@router.get(
    "/clients",
    response={200: page_schema(ClientOut), **error_responses(400, 401, 403)},
    summary="Clients",
)
def client_list(request: HttpRequest, query: Query[ClientQueryIn]) -> Any:
    """Clients with a case in the caller's scope, by name; NIK masked. To search by NIK or name,
    use POST /clients/search (never in the address)."""
    require_permission(request, "rehabilitation.view_client")
    filters = selectors.ClientFilters(
        unit=query.unit,
        category=query.category,
        stage=query.stage,
    )
    page = selectors.client_search_page(
        viewer=request.user, filters=filters, cursor=query.cursor or None, size=query.limit
    )
    return {
        "items": [_client(c, c.visible_cases) for c in page.items],
        "next_cursor": page.next_cursor,
    }


@router.get(
    "/clients/{uuid:client_id}",  # a UUID: "/clients/search" (POST) is another route
    response={200: ClientDetailOut, **error_responses(401, 403, 404)},
    summary="One client",
)
def client_detail(request: HttpRequest, client_id: uuid.UUID) -> Any:
    """One client's file (404 when missing or outside the caller's scope). The read is logged."""
    require_permission(request, "rehabilitation.view_client")
    client = selectors.client_get(viewer=request.user, pk=client_id)
    audit.record_read(actor=request.user, action=AuditAction.CLIENT_VIEWED, target=client)
    cases = selectors.client_cases(viewer=request.user, client=client)
    return {
        **_client(client, cases),
        "nik": client.nik,
        "no_nik_reason": client.no_nik_reason,
        "kk_number": client.kk_number,
        "birth_place": client.birth_place,
        "address": client.address,
        "village_code": client.village_id,
        "disability_type": _code_name(client.disability_type),
        "referral_source": _code_name(client.referral_source),
        "guardian_name": client.guardian_name,
        "guardian_relationship": client.guardian_relationship,
        "guardian_phone": client.guardian_phone,
        "dtsen_desil": client.dtsen_desil,
    }


@router.get(
    "/cases",
    response={200: page_schema(CaseOut), **error_responses(400, 401, 403)},
    summary="Cases",
)
def case_list(request: HttpRequest, query: Query[CaseQueryIn]) -> Any:
    """Cases of the caller's scope, newest admission first."""
    require_permission(request, "rehabilitation.view_case")
    queryset = selectors.case_list(
        viewer=request.user, status=query.status, unit=query.unit
    ).select_related("termination_reason")
    return paginate(
        queryset,
        ordering=("-admitted_on", "id"),
        cursor=query.cursor,
        limit=query.limit,
        item=_case,
    )


@router.get(
    "/cases/{case_id}",
    response={200: CaseOut, **error_responses(401, 403, 404)},
    summary="One case",
)
def case_detail(request: HttpRequest, case_id: str) -> Any:
    """One case (404 when missing or outside the caller's scope)."""
    require_permission(request, "rehabilitation.view_case")
    case = selectors.case_get(viewer=request.user, pk=case_id)
    audit.record_read(actor=request.user, action=AuditAction.CASE_VIEWED, target=case)
    return _case(case)


def _assessment(assessment: Any) -> dict[str, Any]:
    return {
        "id": assessment.pk,
        "case_id": assessment.case_id,
        "instrument": assessment.instrument.code,
        "instrument_version": assessment.instrument.version,
        "assessed_on": assessment.assessed_on,
        "total_score": assessment.total_score,
        "band": assessment.band_label,
        "answers": [{"item": a.item.number, "score": a.score} for a in assessment.answers.all()],
    }


@router.get(
    "/assessments",
    response={200: page_schema(AssessmentOut), **error_responses(400, 401, 403)},
    summary="Assessments",
)
def assessment_list(request: HttpRequest, query: Query[AssessmentQueryIn]) -> Any:
    """Assessments of the cases in the caller's scope with every item score, newest first."""
    require_permission(request, "rehabilitation.view_assessment")
    queryset = selectors.assessment_list(viewer=request.user, case_id=query.case)
    return paginate(
        queryset,
        ordering=("-assessed_on", "-id"),
        cursor=query.cursor,
        limit=query.limit,
        item=_assessment,
    )


# The writes and casework endpoints, added to `router` (they use the helpers above).
from sinergi.rehabilitation.api import (  # noqa: E402
    casework,  # noqa: F401
    residential,  # beds, waiting list, movements, transfers
)

router.add_router("", residential.router)
