"""API of staff records and SKP: employees, SKP with their RHK, monthly realisations (create and
submit) and compliance summaries. The same selectors and services as the pages, scoped to the
caller. Lists are ordered by id (a cursor never carries a name or a NIP into an address)."""

import datetime as dt
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from ninja import File, Form, Query, Router, Schema
from ninja.files import UploadedFile
from pydantic import Field

from sinergi.api.auth import require_permission
from sinergi.api.errors import ApiError
from sinergi.api.pagination import KeysetQueryIn, page_schema, paginate
from sinergi.api.schemas import error_responses
from sinergi.organisation import selectors as organisation
from sinergi.staff import selectors, services
from sinergi.staff.models import Skp
from sinergi.staff.permissions import scope_skps

PREFIX = "staff"
router = Router(tags=["staff"])


class EmployeeOut(Schema):
    id: int
    nip: str | None
    name: str
    employment_type: str
    rank: str | None
    position: str
    unit_id: int
    unit_code: str
    supervisor_id: int | None
    active_from: dt.date
    active_until: dt.date | None


def _employee(e: Any) -> dict[str, Any]:
    return {
        "id": e.pk,
        "nip": e.nip,
        "name": e.name,
        "employment_type": e.employment_type,
        "rank": e.rank.code if e.rank_id else None,
        "position": e.position,
        "unit_id": e.unit_id,
        "unit_code": e.unit.code,
        "supervisor_id": e.supervisor_id,
        "active_from": e.active_from,
        "active_until": e.active_until,
    }


class EmployeeQueryIn(KeysetQueryIn):
    unit: int | None = Field(None, description="Id of a unit: its employees and those below it.")
    employment_type: str = Field("", description="pns, pppk or non_asn.")
    status: str = Field("active", description="active, inactive or all.")


@router.get(
    "/employees",
    response={200: page_schema(EmployeeOut), **error_responses(400, 401, 403)},
    summary="Employees",
)
def employee_list(request: HttpRequest, query: Query[EmployeeQueryIn]) -> Any:
    """Employees the caller may see (self and the chain below; everyone for HR and the head)."""
    require_permission(request, "staff.view_employee")
    filters = selectors.EmployeeFilters(
        unit=query.unit, employment_type=query.employment_type, status=query.status
    )
    qs = selectors.employee_search(viewer=request.user, filters=filters).select_related(
        "unit", "rank"
    )
    return paginate(qs, ordering=("pk",), cursor=query.cursor, limit=query.limit, item=_employee)


@router.get(
    "/employees/{employee_id}",
    response={200: EmployeeOut, **error_responses(401, 403, 404)},
    summary="One employee",
)
def employee_get(request: HttpRequest, employee_id: int) -> Any:
    require_permission(request, "staff.view_employee")
    return _employee(selectors.employee_get(viewer=request.user, pk=employee_id))


class IndicatorOut(Schema):
    aspect: str
    description: str
    target: str


class RhkOut(Schema):
    id: int
    number: int
    kind: str
    title: str
    parent_id: int | None
    indicators: list[IndicatorOut]


class SkpOut(Schema):
    id: int
    employee_id: int
    year: int
    period_start: dt.date
    period_end: dt.date
    status: str
    revision: int
    approved_at: dt.datetime | None


class SkpDetailOut(SkpOut):
    rhks: list[RhkOut]


def _skp(skp: Skp) -> dict[str, Any]:
    return {
        "id": skp.pk,
        "employee_id": skp.employee_id,
        "year": skp.year,
        "period_start": skp.period_start,
        "period_end": skp.period_end,
        "status": skp.status,
        "revision": skp.revision,
        "approved_at": skp.approved_at,
    }


class SkpQueryIn(KeysetQueryIn):
    year: int | None = Field(None, description="Only the SKP of this year.")
    employee: int | None = Field(None, description="Only the SKP of this employee.")


@router.get(
    "/skp", response={200: page_schema(SkpOut), **error_responses(400, 401, 403)}, summary="SKP"
)
def skp_list(request: HttpRequest, query: Query[SkpQueryIn]) -> Any:
    """SKP of the employees the caller may see."""
    require_permission(request, "staff.view_skp")
    qs = scope_skps(Skp.objects.all(), request.user)
    if query.year:
        qs = qs.filter(year=query.year)
    if query.employee:
        qs = qs.filter(employee_id=query.employee)
    return paginate(qs, ordering=("pk",), cursor=query.cursor, limit=query.limit, item=_skp)


@router.get(
    "/skp/{skp_id}",
    response={200: SkpDetailOut, **error_responses(401, 403, 404)},
    summary="One SKP with its RHK",
)
def skp_get(request: HttpRequest, skp_id: int) -> Any:
    require_permission(request, "staff.view_skp")
    skp = selectors.skp_get(viewer=request.user, pk=skp_id)
    return {
        **_skp(skp),
        "rhks": [
            {
                "id": r.pk,
                "number": r.number,
                "kind": r.kind,
                "title": r.title,
                "parent_id": r.parent_id,
                "indicators": [
                    {"aspect": i.aspect, "description": i.description, "target": i.target}
                    for i in r.indicators.all()
                ],
            }
            for r in selectors.skp_rhks(skp)
        ],
    }


class RealisationOut(Schema):
    rhk_id: int
    rhk_number: int
    realisation: str | None
    evidence_text: str
    evidence_link: str
    has_file: bool


class MonthOut(Schema):
    skp_id: int
    year: int
    month: int
    status: str  # "not_reported", "draft" or "submitted"
    due_on: dt.date
    submitted_at: dt.datetime | None
    on_time: bool | None
    closed: bool
    realisations: list[RealisationOut]


def _month(skp: Skp, month: int) -> dict[str, Any]:
    detail = selectors.month_detail(skp, month)
    sub = detail.submission
    return {
        "skp_id": skp.pk,
        "year": skp.year,
        "month": month,
        "status": sub.status if sub else "not_reported",
        "due_on": sub.due_on if sub else services.due_on(skp.year, month),
        "submitted_at": sub.submitted_at if sub else None,
        "on_time": sub.on_time if sub else None,
        "closed": detail.closed,
        "realisations": [
            {
                "rhk_id": rhk.pk,
                "rhk_number": rhk.number,
                "realisation": real.realisation if real else None,
                "evidence_text": real.evidence_text if real else "",
                "evidence_link": real.evidence_link if real else "",
                "has_file": bool(real and real.evidence_file),
            }
            for rhk, real in detail.rows
        ],
    }


def _month_in_range(month: int) -> int:
    if not 1 <= month <= 12:
        raise ApiError(404, "not_found", "Bulan harus 1 sampai 12.")
    return month


@router.get(
    "/skp/{skp_id}/months/{month}",
    response={200: MonthOut, **error_responses(401, 403, 404)},
    summary="A month's realisation of an SKP",
)
def month_get(request: HttpRequest, skp_id: int, month: int) -> Any:
    require_permission(request, "staff.view_skp")
    skp = selectors.skp_get(viewer=request.user, pk=skp_id)
    return _month(skp, _month_in_range(month))


class RealisationIn(Schema):
    rhk_id: int
    realisation: str = Field(..., min_length=1, max_length=5000)
    evidence_text: str = Field("", max_length=5000)
    evidence_link: str = Field("", max_length=500)


def _save_realisation(
    request: HttpRequest,
    skp_id: int,
    month: int,
    data: RealisationIn,
    evidence_file: UploadedFile | None = None,
) -> dict[str, Any]:
    require_permission(request, "staff.add_monthlysubmission")
    skp = selectors.skp_get(viewer=request.user, pk=skp_id)
    rhk = skp.rhks.filter(pk=data.rhk_id).first()
    if rhk is None:
        raise ApiError(404, "not_found", "RHK tidak ditemukan pada SKP ini.")
    services.realisation_save(
        actor=request.user,
        skp=skp,
        month=_month_in_range(month),
        rhk=rhk,
        realisation=data.realisation,
        evidence_text=data.evidence_text,
        evidence_link=data.evidence_link,
        evidence_file=evidence_file,
    )
    return _month(skp, month)


@router.post(
    "/skp/{skp_id}/months/{month}/realisations",
    response={200: MonthOut, **error_responses(400, 401, 403, 404)},
    summary="Save the realisation of one RHK for a month",
)
def realisation_save(request: HttpRequest, skp_id: int, month: int, data: RealisationIn) -> Any:
    """The employee's own SKP only; refused outside the SKP period, for a closed month or once the
    month is submitted. JSON; to attach an evidence file use the multipart endpoint
    `.../realisations/with-file`."""
    return _save_realisation(request, skp_id, month, data)


@router.post(
    "/skp/{skp_id}/months/{month}/realisations/with-file",
    response={200: MonthOut, **error_responses(400, 401, 403, 404)},
    summary="Save the realisation of one RHK for a month with an evidence file (multipart)",
)
def realisation_save_with_file(
    request: HttpRequest,
    skp_id: int,
    month: int,
    data: Form[RealisationIn],
    evidence_file: File[UploadedFile],
) -> Any:
    """As the JSON endpoint, as multipart/form-data with the file in `evidence_file`: the same
    checks as the page (PDF, JPG, PNG, DOCX or XLSX whose content matches its type, at most
    SINERGI["SKP_EVIDENCE_MAX_MB"] MB); a refused file leaves nothing saved."""
    return _save_realisation(request, skp_id, month, data, evidence_file)


@router.post(
    "/skp/{skp_id}/months/{month}/submit",
    response={200: MonthOut, **error_responses(400, 401, 403, 404)},
    summary="Submit a month",
)
def month_submit(request: HttpRequest, skp_id: int, month: int) -> Any:
    """Submit the month (every RHK needs its realisation); records the time and on_time."""
    require_permission(request, "staff.add_monthlysubmission")
    skp = selectors.skp_get(viewer=request.user, pk=skp_id)
    services.month_submit(actor=request.user, skp=skp, month=_month_in_range(month))
    return _month(skp, month)


class ComplianceRowOut(Schema):
    unit_id: int | None
    label: str
    expected: int
    on_time: int
    late: int
    missing: int
    on_time_percent: Decimal | None


class ComplianceOut(Schema):
    year: int
    month: int
    due_on: dt.date
    total: ComplianceRowOut
    units: list[ComplianceRowOut]


class ComplianceQueryIn(Schema):
    year: int = Field(..., ge=2000, le=2100)
    month: int = Field(..., ge=1, le=12)
    unit: int | None = Field(None, description="Id of a unit: it and the units below it.")


def _row(r: Any) -> dict[str, Any]:
    return {
        "unit_id": r.key,
        "label": r.label,
        "expected": r.expected,
        "on_time": r.on_time,
        "late": r.late,
        "missing": r.missing,
        "on_time_percent": r.on_time_percent,
    }


@router.get(
    "/compliance",
    response={200: ComplianceOut, **error_responses(400, 401, 403, 404)},
    summary="Monthly SKP compliance per unit",
)
def compliance(request: HttpRequest, query: Query[ComplianceQueryIn]) -> Any:
    require_permission(request, "staff.view_compliance")
    unit = organisation.unit_get(viewer=request.user, pk=query.unit) if query.unit else None
    rows = selectors.compliance_by_unit(
        viewer=request.user, year=query.year, month=query.month, unit=unit
    )
    return {
        "year": query.year,
        "month": query.month,
        "due_on": services.due_on(query.year, query.month),
        "total": _row(selectors.compliance_total(rows, "")),
        "units": [_row(r) for r in rows],
    }


class TrendQueryIn(Schema):
    year: int = Field(..., ge=2000, le=2100)
    unit: int | None = Field(None, description="Id of a unit: it and the units below it.")


@router.get(
    "/compliance/trend",
    response={200: list[ComplianceRowOut], **error_responses(400, 401, 403, 404)},
    summary="Monthly SKP compliance over a year",
)
def compliance_trend(request: HttpRequest, query: Query[TrendQueryIn]) -> Any:
    require_permission(request, "staff.view_compliance")
    unit = organisation.unit_get(viewer=request.user, pk=query.unit) if query.unit else None
    rows = selectors.compliance_trend(viewer=request.user, year=query.year, unit=unit)
    return [_row(r) for r in rows]
