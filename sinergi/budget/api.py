"""API of the budget: DPA lines, a line's cash plan, SP2D, absorption summaries and rankings.

The same selectors as the pages, scoped to the caller; reads need `budget.view_budgetline`.
"""

from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from pydantic import Field

from sinergi.api.auth import require_permission
from sinergi.api.errors import ApiError
from sinergi.api.pagination import KeysetQueryIn, page_schema, paginate
from sinergi.api.schemas import error_responses
from sinergi.budget import selectors
from sinergi.budget.models import FiscalYear

PREFIX = "budget"
router = Router(tags=["budget"])
PERMISSION = "budget.view_budgetline"


class YearQueryIn(Schema):
    year: int | None = Field(None, description="Fiscal year; the latest year when omitted.")
    month: int | None = Field(
        None, ge=1, le=12, description="Up to the end of this month; the month of the latest SP2D."
    )


def _year(query: Any) -> tuple[FiscalYear, int]:
    fiscal_year = selectors.fiscal_year_get(query.year)
    if fiscal_year is None:
        raise ApiError(
            404,
            "not_found",
            _(
                "No budget has been loaded for this year. Choose another year, or ask the finance "
                "staff to import the DPA."
            ),
        )
    month = getattr(query, "month", None) or selectors.latest_month(fiscal_year)
    return fiscal_year, month


class LineOut(Schema):
    id: int
    year: int
    program_code: str
    kegiatan_code: str
    sub_kegiatan_code: str
    sub_kegiatan_name: str
    account_code: str
    account_name: str
    unit_code: str
    pptk_name: str
    pagu: Decimal


def _line(line: Any) -> dict[str, Any]:
    sub = line.sub_kegiatan
    return {
        "id": line.pk,
        "year": line.fiscal_year.year,
        "program_code": sub.kegiatan.program.code,
        "kegiatan_code": sub.kegiatan.code,
        "sub_kegiatan_code": sub.code,
        "sub_kegiatan_name": sub.name,
        "account_code": line.account_code,
        "account_name": line.account_name,
        "unit_code": line.unit.code,
        "pptk_name": line.pptk_name,
        "pagu": line.pagu,
    }


class LineQueryIn(KeysetQueryIn):
    year: int | None = Field(None, description="Fiscal year; the latest year when omitted.")
    unit: int | None = Field(None, description="Id of the responsible unit.")


@router.get(
    "/lines",
    response={200: page_schema(LineOut), **error_responses(400, 401, 403, 404)},
    summary="DPA lines",
)
def line_list(request: HttpRequest, query: Query[LineQueryIn]) -> Any:
    """DPA lines of the year in the caller's scope, in code order."""
    require_permission(request, PERMISSION)
    fiscal_year, _month = _year(query)
    queryset = selectors.lines(
        viewer=request.user, fiscal_year=fiscal_year, unit=query.unit
    ).select_related("fiscal_year", "unit", "sub_kegiatan__kegiatan__program")
    return paginate(queryset, ordering=("pk",), cursor=query.cursor, limit=query.limit, item=_line)


class CashPlanMonthOut(Schema):
    month: int
    plan: Decimal
    realised: Decimal
    plan_cumulative: Decimal
    realised_cumulative: Decimal
    absorption: Decimal | None


class CashPlanOut(Schema):
    line: LineOut
    months: list[CashPlanMonthOut]
    plan_total: Decimal
    plan_matches_pagu: bool


@router.get(
    "/lines/{line_id}/cash-plan",
    response={200: CashPlanOut, **error_responses(401, 403, 404)},
    summary="Cash plan and realisation of a line",
)
def line_cash_plan(request: HttpRequest, line_id: int) -> Any:
    """The 12 months of a line's cash plan with what was realised each month."""
    require_permission(request, PERMISSION)
    line = selectors.line_get(viewer=request.user, pk=line_id)
    months = selectors.line_months(line)
    plan_total = sum((m["plan"] for m in months), Decimal(0))
    return {
        "line": _line(line),
        "months": months,
        "plan_total": plan_total,
        "plan_matches_pagu": plan_total == line.pagu,
    }


class RealisationOut(Schema):
    id: int
    sp2d_number: str
    paid_on: Any
    sp2d_type: str
    amount: Decimal


class RealisationQueryIn(KeysetQueryIn):
    year: int | None = Field(None, description="Fiscal year; the latest year when omitted.")


@router.get(
    "/realisations",
    response={200: page_schema(RealisationOut), **error_responses(400, 401, 403, 404)},
    summary="SP2D realisations",
)
def realisation_list(request: HttpRequest, query: Query[RealisationQueryIn]) -> Any:
    """SP2D of the year charging lines in the caller's scope, newest first."""
    require_permission(request, PERMISSION)
    fiscal_year, _month = _year(query)
    queryset = selectors.realisation_list(viewer=request.user, fiscal_year=fiscal_year)
    return paginate(
        queryset,
        ordering=("-paid_on", "-id"),
        cursor=query.cursor,
        limit=query.limit,
        item=lambda r: {
            "id": r.pk,
            "sp2d_number": r.sp2d_number,
            "paid_on": r.paid_on,
            "sp2d_type": r.sp2d_type,
            "amount": r.amount,
        },
    )


class AbsorptionOut(Schema):
    key: str | None
    code: str
    name: str
    pagu: Decimal
    plan: Decimal
    realised: Decimal
    absorption: Decimal | None
    plan_percent: Decimal | None
    deviation: Decimal | None
    light: str
    rank: int | None = None
    change: Decimal | None = None


def _absorption(row: Any) -> dict[str, Any]:
    return {
        "key": None if row.key is None else str(row.key),
        "code": row.code,
        "name": row.label,
        "pagu": row.pagu,
        "plan": row.plan,
        "realised": row.realised,
        "absorption": row.absorption,
        "plan_percent": row.plan_percent,
        "deviation": row.deviation,
        "light": row.light,
        "rank": row.rank,
        "change": row.change,
    }


class SummaryQueryIn(YearQueryIn):
    group: str = Field(
        "unit",
        pattern="^(unit|program|kegiatan|sub_kegiatan|account_class|line)$",
        description="unit, program, kegiatan, sub_kegiatan, account_class or line.",
    )


class SummaryOut(Schema):
    year: int
    month: int
    total: AbsorptionOut
    rows: list[AbsorptionOut]


@router.get(
    "/absorption",
    response={200: SummaryOut, **error_responses(400, 401, 403, 404)},
    summary="Absorption summary",
)
def absorption(request: HttpRequest, query: Query[SummaryQueryIn]) -> Any:
    """Absorption at the end of the month, in total and per group, within the caller's scope."""
    require_permission(request, PERMISSION)
    fiscal_year, month = _year(query)
    total = selectors.office_absorption(viewer=request.user, fiscal_year=fiscal_year, month=month)
    rows = selectors.absorption_by(
        viewer=request.user, fiscal_year=fiscal_year, month=month, group=query.group
    )
    return {
        "year": fiscal_year.year,
        "month": month,
        "total": _absorption(total),
        "rows": [_absorption(r) for r in rows],
    }


class ProvincialOut(Schema):
    rank: int
    office_name: str
    absorption: Decimal | None
    is_own_office: bool


class RankingsOut(Schema):
    year: int
    month: int
    units: list[AbsorptionOut]
    provincial_month: int | None
    provincial_rank: int | None
    provincial_total: int
    provincial: list[ProvincialOut]


@router.get(
    "/rankings",
    response={200: RankingsOut, **error_responses(400, 401, 403, 404)},
    summary="League table of units and the provincial ranking",
)
def rankings(request: HttpRequest, query: Query[YearQueryIn]) -> Any:
    """Units ranked by absorption (ties: smaller deviation) and the office among provincial offices."""
    require_permission(request, PERMISSION)
    fiscal_year, month = _year(query)
    table = selectors.league_table(viewer=request.user, fiscal_year=fiscal_year, month=month)
    ranking = selectors.provincial_ranking(fiscal_year=fiscal_year, month=month)
    return {
        "year": fiscal_year.year,
        "month": month,
        "units": [_absorption(r) for r in table],
        "provincial_month": ranking.month,
        "provincial_rank": ranking.rank,
        "provincial_total": ranking.total,
        "provincial": [
            {
                "rank": r.rank,  # type: ignore[attr-defined]
                "office_name": r.office_name,
                "absorption": r.absorption,  # type: ignore[attr-defined]
                "is_own_office": r.is_own_office,
            }
            for r in ranking.rows
        ],
    }
