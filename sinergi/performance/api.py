"""API of performance: the plan, indicators, targets, realisations (create, verify), achievements
and SPM. The same selectors and services as the pages, scoped to the caller."""

from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router, Schema, Status
from pydantic import Field

from sinergi.api.auth import require_permission
from sinergi.api.errors import ApiError
from sinergi.api.pagination import KeysetQueryIn, page_schema, paginate
from sinergi.api.schemas import error_responses
from sinergi.organisation import selectors as organisation
from sinergi.performance import selectors, services
from sinergi.performance.permissions import ENTER, MANAGE, VERIFY, VIEW

PREFIX = "performance"
router = Router(tags=["performance"])


def _figure(value: Decimal | None) -> Decimal | None:
    """A target or realisation with the four decimals it is stored with (on every database)."""
    return None if value is None else Decimal(value).quantize(Decimal("0.0001"))


def _year(year: int | None) -> int:
    return year or selectors.default_year(timezone.localdate().year)


class ObjectiveOut(Schema):
    id: int
    code: str
    statement: str


class GoalOut(Schema):
    id: int
    code: str
    statement: str
    objectives: list[ObjectiveOut]


class PlanOut(Schema):
    id: int
    name: str
    start_year: int
    end_year: int
    legal_basis: str
    goals: list[GoalOut]


class PlanQueryIn(Schema):
    year: int | None = Field(None, description="A year of the plan; this year when omitted.")


@router.get(
    "/plan",
    response={200: PlanOut, **error_responses(401, 403, 404)},
    summary="The Renstra covering a year",
)
def plan(request: HttpRequest, query: Query[PlanQueryIn]) -> Any:
    """The strategic plan (period, tujuan and sasaran) covering the year."""
    require_permission(request, VIEW)
    period = selectors.period_for_year(_year(query.year))
    if period is None:
        raise ApiError(404, "not_found", "No strategic plan covers this year.")
    tree, _loose = selectors.plan_tree(viewer=request.user, period=period)
    return {
        "id": period.pk,
        "name": period.name,
        "start_year": period.start_year,
        "end_year": period.end_year,
        "legal_basis": period.legal_basis,
        "goals": [
            {
                "id": g.goal.pk,
                "code": g.goal.code,
                "statement": g.goal.statement,
                "objectives": [
                    {
                        "id": o.objective.pk,
                        "code": o.objective.code,
                        "statement": o.objective.statement,
                    }
                    for o in g.objectives
                ],
            }
            for g in tree
        ],
    }


class IndicatorOut(Schema):
    id: int
    period_start_year: int
    code: str
    name: str
    level: str
    unit_id: int
    unit_code: str
    objective_id: int | None
    parent_id: int | None
    unit_of_measure: str
    polarity: str
    quarter_mode: str
    data_source: str
    formula: str
    automatic: bool
    metric_code: str
    is_active: bool


def _indicator(i: Any) -> dict[str, Any]:
    return {
        "id": i.pk,
        "period_start_year": i.period.start_year,
        "code": i.code,
        "name": i.name,
        "level": i.level,
        "unit_id": i.unit_id,
        "unit_code": i.unit.code,
        "objective_id": i.objective_id,
        "parent_id": i.parent_id,
        "unit_of_measure": i.unit_of_measure,
        "polarity": i.polarity,
        "quarter_mode": i.quarter_mode,
        "data_source": i.data_source,
        "formula": i.formula,
        "automatic": bool(i.metric_code),
        "metric_code": i.metric_code,
        "is_active": i.is_active,
    }


class IndicatorQueryIn(KeysetQueryIn):
    year: int | None = Field(None, description="Indicators of the plan covering this year.")
    unit: int | None = Field(None, description="Only the indicators of this unit (id).")


@router.get(
    "/indicators",
    response={200: page_schema(IndicatorOut), **error_responses(400, 401, 403)},
    summary="Indicators",
)
def indicator_list(request: HttpRequest, query: Query[IndicatorQueryIn]) -> Any:
    """Indicators in the caller's scope, in id order (keyset pages)."""
    require_permission(request, VIEW)
    qs = selectors.indicator_list(
        viewer=request.user, period=selectors.period_for_year(_year(query.year))
    )
    if query.unit:
        qs = qs.filter(unit_id=query.unit)
    return paginate(qs, ordering=("pk",), cursor=query.cursor, limit=query.limit, item=_indicator)


@router.get(
    "/indicators/{indicator_id}",
    response={200: IndicatorOut, **error_responses(401, 403, 404)},
    summary="One indicator",
)
def indicator_detail(request: HttpRequest, indicator_id: int) -> Any:
    require_permission(request, VIEW)
    return _indicator(selectors.indicator_get(viewer=request.user, pk=indicator_id))


class TargetOut(Schema):
    year: int
    quarter: int
    value: Decimal | None
    low: Decimal | None
    high: Decimal | None


@router.get(
    "/indicators/{indicator_id}/targets",
    response={200: list[TargetOut], **error_responses(401, 403, 404)},
    summary="Targets of an indicator",
)
def target_list(request: HttpRequest, indicator_id: int) -> Any:
    """Every target of the indicator (quarter 0 = the year)."""
    require_permission(request, VIEW)
    indicator = selectors.indicator_get(viewer=request.user, pk=indicator_id)
    return [
        {"year": t.year, "quarter": t.quarter, "value": t.value, "low": t.low, "high": t.high}
        for t in sorted(selectors.targets_of(indicator).values(), key=lambda t: (t.year, t.quarter))
    ]


class TargetIn(Schema):
    year: int = Field(ge=2000, le=2100)
    quarter: int = Field(0, ge=0, le=4, description="0 for the whole year.")
    value: Decimal | None = None
    low: Decimal | None = None
    high: Decimal | None = None


@router.put(
    "/indicators/{indicator_id}/targets",
    response={200: TargetOut, **error_responses(400, 401, 403, 404)},
    summary="Set a target",
)
def target_set(request: HttpRequest, indicator_id: int, payload: TargetIn) -> Any:
    """Set the target of a year or a quarter (planning staff); a zero target of a ratio is refused."""
    require_permission(request, MANAGE)
    indicator = selectors.indicator_get(viewer=request.user, pk=indicator_id)
    t = services.target_set(actor=request.user, indicator=indicator, **payload.dict())
    return {"year": t.year, "quarter": t.quarter, "value": t.value, "low": t.low, "high": t.high}


class RealisationOut(Schema):
    id: int
    indicator_id: int
    year: int
    quarter: int
    value: Decimal
    evidence_text: str
    evidence_link: str
    has_evidence_file: bool
    automatic: bool
    verified: bool


def _realisation(r: Any) -> dict[str, Any]:
    return {
        "id": r.pk,
        "indicator_id": r.indicator_id,
        "year": r.year,
        "quarter": r.quarter,
        "value": r.value,
        "evidence_text": r.evidence_text,
        "evidence_link": r.evidence_link,
        "has_evidence_file": bool(r.evidence_file),
        "automatic": r.automatic,
        "verified": r.verified,
    }


class RealisationQueryIn(KeysetQueryIn):
    year: int | None = Field(None, description="Only this year.")
    verified: bool | None = Field(None, description="Only verified (true) or waiting (false).")


@router.get(
    "/realisations",
    response={200: page_schema(RealisationOut), **error_responses(400, 401, 403)},
    summary="Realisations",
)
def realisation_list(request: HttpRequest, query: Query[RealisationQueryIn]) -> Any:
    """Realisations of indicators in the caller's scope (keyset pages by id)."""
    require_permission(request, VIEW)
    qs = selectors.realisation_list(viewer=request.user, year=query.year, verified=query.verified)
    return paginate(qs, ordering=("pk",), cursor=query.cursor, limit=query.limit, item=_realisation)


class RealisationIn(Schema):
    indicator_id: int
    year: int = Field(ge=2000, le=2100)
    quarter: int = Field(ge=1, le=4)
    value: Decimal
    evidence_text: str = Field("", max_length=5000)
    evidence_link: str = Field("", max_length=500)


@router.post(
    "/realisations",
    response={201: RealisationOut, **error_responses(400, 401, 403, 404)},
    summary="Enter a realisation",
)
def realisation_create(request: HttpRequest, payload: RealisationIn) -> Any:
    """Enter (or correct, while unverified) a quarter's realisation of the caller's unit."""
    if not (request.user.has_perm(ENTER) or request.user.has_perm(MANAGE)):
        require_permission(request, ENTER)
    indicator = selectors.indicator_get(viewer=request.user, pk=payload.indicator_id)
    realisation = services.realisation_enter(
        actor=request.user,
        indicator=indicator,
        year=payload.year,
        quarter=payload.quarter,
        value=payload.value,
        evidence_text=payload.evidence_text,
        evidence_link=payload.evidence_link,
    )
    return Status(201, _realisation(realisation))


class VerifyIn(Schema):
    note: str = Field("", max_length=500)


@router.post(
    "/realisations/{realisation_id}/verify",
    response={200: RealisationOut, **error_responses(400, 401, 403, 404)},
    summary="Verify a realisation",
)
def realisation_verify(request: HttpRequest, realisation_id: int, payload: VerifyIn) -> Any:
    """Verify (and so lock) a realisation (planning staff)."""
    require_permission(request, VERIFY)
    realisation = selectors.realisation_get(viewer=request.user, pk=realisation_id)
    return _realisation(
        services.realisation_verify(actor=request.user, realisation=realisation, note=payload.note)
    )


class UnlockIn(Schema):
    reason: str = Field(min_length=1, max_length=500, description="Why it is unlocked (audited).")


@router.post(
    "/realisations/{realisation_id}/unlock",
    response={200: RealisationOut, **error_responses(400, 401, 403, 404)},
    summary="Unlock a verified realisation",
)
def realisation_unlock(request: HttpRequest, realisation_id: int, payload: UnlockIn) -> Any:
    """Unlock a verified realisation so the unit can correct it (planning staff; the reason is
    kept in the audit log). Refused while its quarter is closed for reporting."""
    require_permission(request, VERIFY)
    realisation = selectors.realisation_get(viewer=request.user, pk=realisation_id)
    return _realisation(
        services.realisation_unlock(
            actor=request.user, realisation=realisation, reason=payload.reason
        )
    )


class AchievementOut(Schema):
    indicator_id: int
    code: str
    name: str
    unit_id: int
    unit_of_measure: str
    polarity: str
    target: Decimal | None
    target_low: Decimal | None
    target_high: Decimal | None
    realisation: Decimal | None
    achievement: Decimal | None
    band: str | None
    automatic: bool
    verified: bool


class AchievementQueryIn(Schema):
    year: int | None = Field(None, description="This year when omitted.")
    quarter: int | None = Field(None, ge=1, le=4, description="A quarter; the year when omitted.")
    unit: int | None = Field(None, description="Only the indicators of this unit (id).")
    level: str | None = Field(None, pattern="^(iku|unit)$", description="iku or unit.")


@router.get(
    "/achievements",
    response={200: list[AchievementOut], **error_responses(400, 401, 403, 404)},
    summary="Achievement per indicator",
)
def achievements(request: HttpRequest, query: Query[AchievementQueryIn]) -> Any:
    """Target, realisation, achievement (DOMAIN 5.4) and band of the caller's indicators."""
    require_permission(request, VIEW)
    year = _year(query.year)
    qs = selectors.indicators_of_year(viewer=request.user, year=year)
    if query.unit:
        organisation.unit_get(viewer=request.user, pk=query.unit)  # 404 outside the scope
        qs = qs.filter(unit_id=query.unit)
    if query.level:
        qs = qs.filter(level=query.level)
    return [
        {
            **d.row.__dict__,
            "target": _figure(d.row.target),
            "realisation": _figure(d.row.realisation),
            "unit_id": d.unit_id,
            "target_low": _figure(d.target_low),
            "target_high": _figure(d.target_high),
        }
        for d in selectors.achievement_details(qs, year=year, quarter=query.quarter)
    ]


class SpmOut(Schema):
    service_code: str
    service: str
    year: int
    needing: int | None
    served: int | None
    served_automatic: bool
    percent: Decimal | None
    band: str | None


class SpmQueryIn(Schema):
    year: int | None = Field(None, description="This year when omitted.")


@router.get(
    "/spm",
    response={200: list[SpmOut], **error_responses(401, 403)},
    summary="SPM achievement",
)
def spm(request: HttpRequest, query: Query[SpmQueryIn]) -> Any:
    """Per provincial SPM service: people needing it, served, the percentage and the band."""
    require_permission(request, VIEW)
    year = _year(query.year)
    return [
        {
            "service_code": r.service.code,
            "service": r.service.name,
            "year": year,
            "needing": r.figure.needing if r.figure else None,
            "served": r.figure.served if r.figure else None,
            "served_automatic": bool(r.figure and r.figure.served_automatic),
            "percent": r.percent,
            "band": r.band.label if r.band else None,
        }
        for r in selectors.spm_rows(year=year)
    ]
