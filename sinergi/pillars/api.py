"""API of the pillars app: members, schemes, cycles, entitlements and reconciliation.

The same selectors and services as the pages, scoped to the caller.
"""

import datetime as dt
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile
from pydantic import Field

from sinergi.api.auth import require_permission
from sinergi.api.errors import ApiError
from sinergi.api.pagination import KeysetQueryIn, page_schema, paginate
from sinergi.api.schemas import error_responses
from sinergi.audit import services as audit
from sinergi.pillars import selectors, services
from sinergi.pillars.models import AuditAction, MemberStatus
from sinergi.pillars.permissions import (
    ADD_CYCLE,
    APPROVE_BATCH,
    RECONCILE_BATCH,
    VIEW_CYCLE,
    VIEW_MEMBER,
    VIEW_SCHEME,
)

PREFIX = "pillars"
router = Router(tags=["pillars"])


class MemberOut(Schema):
    id: int
    pillar_type: str
    role: str
    name: str
    regency_code: str
    district_code: str | None
    status: str
    active_from: dt.date
    active_until: dt.date | None
    account_ready: bool


class MemberDetailOut(MemberOut):
    nik: str
    sex: str
    born_on: dt.date
    phone: str
    decree_number: str
    decree_on: dt.date | None
    bank_code: str | None
    account_number: str
    account_holder: str
    employee_nip: str | None = Field(
        None, description="NIP of the linked employee record (Jatim Social Care members)."
    )


def _member(m: Any, type_codes: dict[int, str]) -> dict[str, Any]:
    return {
        "id": m.pk,
        "pillar_type": type_codes.get(m.pillar_type_id, ""),
        "role": m.role,
        "name": m.name,
        "regency_code": m.regency_id,
        "district_code": m.district_id,
        "status": m.status,
        "active_from": m.active_from,
        "active_until": m.active_until,
        "account_ready": m.account_ready,
    }


class MemberQueryIn(KeysetQueryIn):
    pillar_type: str = Field("", description="Pillar type code, e.g. tksk.")
    regency: str = Field("", description="Regency/city code, e.g. 35.78.")
    district: str = Field("", description="Kecamatan code, e.g. 35.78.01.")
    status: str = Field("", description="active, suspended or ended.")


@router.get(
    "/members",
    response={200: page_schema(MemberOut), **error_responses(400, 401, 403)},
    summary="Pillar members",
)
def member_list(request: HttpRequest, query: Query[MemberQueryIn]) -> Any:
    """Members in the caller's scope, by name (search by name or NIK is done in the web pages).
    The cursor names a row by its id, so no name reaches an address or a log."""
    require_permission(request, VIEW_MEMBER)
    codes = _type_codes()
    type_id = next((pk for pk, code in codes.items() if code == query.pillar_type), None)
    if query.pillar_type and type_id is None:
        raise ApiError(
            400,
            "invalid",
            _("Unknown pillar type code."),
            {"pillar_type": [", ".join(sorted(codes.values()))]},
        )
    if query.status and query.status not in MemberStatus.values:
        raise ApiError(400, "invalid", _("Unknown status."), {"status": MemberStatus.values})
    filters = selectors.MemberFilters(
        pillar_type=type_id, regency=query.regency, district=query.district, status=query.status
    )
    page = selectors.member_page(
        viewer=request.user, filters=filters, cursor=query.cursor or None, size=query.limit
    )
    return {
        "items": [_member(m, codes) for m in page.items],
        "next_cursor": page.next_cursor,
    }


def _type_codes() -> dict[int, str]:
    return dict(selectors.pillar_types().values_list("pk", "code"))


@router.get(
    "/members/{member_id}",
    response={200: MemberDetailOut, **error_responses(401, 403, 404)},
    summary="One pillar member (the read is logged)",
)
def member_detail(request: HttpRequest, member_id: int) -> Any:
    require_permission(request, VIEW_MEMBER)
    member = selectors.member_get(viewer=request.user, pk=member_id)
    audit.record_read(actor=request.user, action=AuditAction.MEMBER_VIEWED, target=member)
    return {
        **_member(member, {member.pillar_type_id: member.pillar_type.code}),
        "employee_nip": member.employee.nip if member.employee else None,
        "nik": member.nik,
        "sex": member.sex,
        "born_on": member.born_on,
        "phone": member.phone,
        "decree_number": member.decree_number,
        "decree_on": member.decree_on,
        "bank_code": member.bank.code if member.bank else None,
        "account_number": member.account_number,
        "account_holder": member.account_holder,
    }


class RateOut(Schema):
    pillar_type: str
    role: str
    amount: Decimal
    effective_from: dt.date
    source: str
    is_confirmed: bool


class SchemeOut(Schema):
    id: int
    code: str
    name: str
    is_active: bool
    rates: list[RateOut]


@router.get(
    "/schemes",
    response={200: list[SchemeOut], **error_responses(401, 403)},
    summary="Aid schemes and their rates",
)
def scheme_list(request: HttpRequest) -> Any:
    require_permission(request, VIEW_SCHEME)
    return [
        {
            "id": item["scheme"].pk,
            "code": item["scheme"].code,
            "name": item["scheme"].name,
            "is_active": item["scheme"].is_active,
            "rates": [
                {
                    "pillar_type": r.pillar_type.code,
                    "role": r.role,
                    "amount": r.amount,
                    "effective_from": r.effective_from,
                    "source": r.source,
                    "is_confirmed": r.is_confirmed,
                }
                for r in item["rates"]
            ],
        }
        for item in selectors.schemes_overview()
    ]


class BatchOut(Schema):
    id: int
    number: int
    status: str
    entitlement_count: int
    total_amount: Decimal
    approved_at: dt.datetime | None


class CycleOut(Schema):
    id: int
    scheme: str
    year: int
    quarter: int
    unit_code: str


class CycleDetailOut(CycleOut):
    batches: list[BatchOut]


def _cycle(c: Any) -> dict[str, Any]:
    return {
        "id": c.pk,
        "scheme": c.scheme.code,
        "year": c.year,
        "quarter": c.quarter,
        "unit_code": c.unit.code,
    }


def _batch(b: Any) -> dict[str, Any]:
    return {
        "id": b.pk,
        "number": b.number,
        "status": b.status,
        "entitlement_count": b.entitlement_count,
        "total_amount": b.total_amount,
        "approved_at": b.approved_at,
    }


@router.get(
    "/cycles",
    response={200: page_schema(CycleOut), **error_responses(400, 401, 403)},
    summary="Aid cycles",
)
def cycle_list(request: HttpRequest, query: Query[KeysetQueryIn]) -> Any:
    require_permission(request, VIEW_CYCLE)
    return paginate(
        selectors.cycle_list(viewer=request.user), ordering=("-year", "-quarter", "-id"),
        cursor=query.cursor, limit=query.limit, item=_cycle,
    )  # fmt: skip


class CycleIn(Schema):
    scheme: str = Field(description="Scheme code.")
    year: int = Field(ge=2000, le=2100)
    quarter: int = Field(ge=1, le=4)


@router.post(
    "/cycles",
    response={201: CycleDetailOut, **error_responses(400, 401, 403, 404, 409)},
    summary="Generate a quarter",
)
def cycle_create(request: HttpRequest, payload: CycleIn) -> Any:
    """Generate the quarter's entitlements for the caller's unit (batch 1, under review)."""
    require_permission(request, ADD_CYCLE)
    scheme = selectors.scheme_by_code(payload.scheme)
    if scheme is None:
        raise ApiError(404, "not_found", "scheme")
    cycle = services.cycle_generate(
        actor=request.user, scheme=scheme, year=payload.year, quarter=payload.quarter
    )
    return Status(
        201, {**_cycle(cycle), "batches": [_batch(b) for b in selectors.cycle_batches(cycle)]}
    )


@router.get(
    "/cycles/{cycle_id}",
    response={200: CycleDetailOut, **error_responses(401, 403, 404)},
    summary="One cycle and its batches",
)
def cycle_detail(request: HttpRequest, cycle_id: int) -> Any:
    require_permission(request, VIEW_CYCLE)
    cycle = selectors.cycle_get(viewer=request.user, pk=cycle_id)
    return {**_cycle(cycle), "batches": [_batch(b) for b in selectors.cycle_batches(cycle)]}


@router.post(
    "/batches/{batch_id}/approve",
    response={200: BatchOut, **error_responses(400, 401, 403, 404, 409)},
    summary="Approve a batch (checker)",
)
def batch_approve(request: HttpRequest, batch_id: int) -> Any:
    require_permission(request, APPROVE_BATCH)
    batch = selectors.batch_get(viewer=request.user, pk=batch_id)
    return _batch(services.batch_approve(actor=request.user, batch=batch))


class EntitlementOut(Schema):
    id: int
    reference: str
    member_id: int
    pillar_type: str
    regency_code: str
    amount: Decimal
    status: str
    paid_on: dt.date | None
    failure_reason: str


class EntitlementQueryIn(KeysetQueryIn):
    status: str = Field("", description="pending, paid, failed or excluded.")


@router.get(
    "/batches/{batch_id}/entitlements",
    response={200: page_schema(EntitlementOut), **error_responses(400, 401, 403, 404)},
    summary="Entitlements of a batch",
)
def entitlement_list(request: HttpRequest, batch_id: int, query: Query[EntitlementQueryIn]) -> Any:
    require_permission(request, VIEW_CYCLE)
    batch = selectors.batch_get(viewer=request.user, pk=batch_id)
    queryset = selectors.entitlement_list(
        viewer=request.user, batch=batch, status=query.status or None
    ).select_related("pillar_type")
    return paginate(
        queryset, ordering=selectors.ENTITLEMENT_ORDERING, cursor=query.cursor, limit=query.limit,
        item=lambda e: {
            "id": e.pk, "reference": e.reference, "member_id": e.member_id,
            "pillar_type": e.pillar_type.code, "regency_code": e.regency_id, "amount": e.amount,
            "status": e.status, "paid_on": e.paid_on, "failure_reason": e.failure_reason,
        },
    )  # fmt: skip


class ReconciliationOut(Schema):
    paid_count: int
    failed_count: int
    paid_amount: Decimal
    realisation_id: int | None


class ReconciliationIn(Schema):
    paid_on: dt.date
    sp2d_number: str = ""


@router.post(
    "/batches/{batch_id}/reconciliation",
    response={200: ReconciliationOut, **error_responses(400, 401, 403, 404)},
    summary="Apply the bank's result file",
)
def reconciliation(
    request: HttpRequest, batch_id: int, data: Form[ReconciliationIn], file: File[UploadedFile]
) -> Any:
    """Multipart upload (`file`, `paid_on`, `sp2d_number`). A file with any bad row is refused as
    a whole; the row problems are in `fields` as "row N"."""
    require_permission(request, RECONCILE_BATCH)
    batch = selectors.batch_get(viewer=request.user, pk=batch_id)
    try:
        result = services.result_apply(
            actor=request.user, batch=batch, content=file.read(), filename=file.name or "hasil.csv",
            paid_on=data.paid_on, sp2d_number=data.sp2d_number,
        )  # fmt: skip
    except services.ResultFileRejected as error:
        fields: dict[str, list[str]] = {}
        for problem in error.problems[:500]:
            fields.setdefault(f"row {problem.row}", []).append(problem.message)
        raise ApiError(400, error.code, error.message, fields) from error
    return {
        "paid_count": result.paid_count,
        "failed_count": result.failed_count,
        "paid_amount": result.paid_amount,
        "realisation_id": result.realisation_id,
    }
