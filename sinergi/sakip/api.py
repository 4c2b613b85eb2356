"""API of the SAKIP evaluation: evaluations (summary with score, grade and last year), one
evaluation's worksheet, and recommendations. Read-only; the same selectors as the pages."""

import datetime as dt
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema
from pydantic import Field

from sinergi.api.auth import require_permission
from sinergi.api.pagination import KeysetQueryIn, page_schema, paginate
from sinergi.api.schemas import error_responses
from sinergi.sakip import selectors
from sinergi.sakip.permissions import VIEW

PREFIX = "performance/sakip"
router = Router(tags=["sakip"])


class EvaluationOut(Schema):
    id: int
    year: int
    unit_code: str
    unit_name: str
    status: str
    score: Decimal | None
    grade: str
    previous_score: Decimal | None


class EvaluationQueryIn(KeysetQueryIn):
    year: int | None = Field(None, description="Only the evaluations of this year.")


@router.get(
    "/evaluations",
    response={200: page_schema(EvaluationOut), **error_responses(400, 401, 403)},
    summary="SAKIP evaluations",
)
def evaluation_list(request: HttpRequest, query: Query[EvaluationQueryIn]) -> Any:
    """Evaluations of the units in the caller's scope, newest year first."""
    require_permission(request, VIEW)
    queryset = selectors.evaluation_list(viewer=request.user, year=query.year)

    def item(e: Any) -> dict[str, Any]:
        return {
            "id": e.pk,
            "year": e.year,
            "unit_code": e.unit.code,
            "unit_name": e.unit.name,
            "status": e.status,
            "score": e.score,
            "grade": e.grade,
            "previous_score": e.previous_score,
        }

    return paginate(
        queryset, ordering=("-year", "id"), cursor=query.cursor, limit=query.limit, item=item
    )


class CriterionOut(Schema):
    code: str
    text: str
    points: Decimal
    answer: str | None
    reviewed_answer: str | None
    accepted: bool | None
    earned: Decimal


class ComponentOut(Schema):
    code: str
    name: str
    weight: Decimal
    answered: int
    total: int
    score: Decimal
    criteria: list[CriterionOut]


class WorksheetOut(Schema):
    evaluation: EvaluationOut
    score: Decimal
    grade: str
    answered: int
    total: int
    components: list[ComponentOut]


@router.get(
    "/evaluations/{evaluation_id}",
    response={200: WorksheetOut, **error_responses(401, 403, 404)},
    summary="One evaluation's worksheet",
)
def evaluation_detail(request: HttpRequest, evaluation_id: int) -> Any:
    """The LKE by component with the answers, points, provisional or final score and grade."""
    require_permission(request, VIEW)
    evaluation = selectors.evaluation_get(viewer=request.user, pk=evaluation_id)
    sheet = selectors.worksheet(evaluation)
    q = Decimal("0.01")
    return {
        "evaluation": {
            "id": evaluation.pk,
            "year": evaluation.year,
            "unit_code": evaluation.unit.code,
            "unit_name": evaluation.unit.name,
            "status": evaluation.status,
            "score": evaluation.score,
            "grade": evaluation.grade,
            "previous_score": sheet.previous_score,
        },
        "score": sheet.score,
        "grade": sheet.grade,
        "answered": sheet.answered,
        "total": sheet.total,
        "components": [
            {
                "code": b.component.code,
                "name": b.component.name,
                "weight": b.component.weight,
                "answered": b.answered,
                "total": b.total,
                "score": b.score,
                "criteria": [
                    {
                        "code": r.criterion.code,
                        "text": r.criterion.text,
                        "points": r.points.quantize(q),
                        "answer": r.answer.option.code if r.answer else None,
                        "reviewed_answer": (
                            r.answer.reviewed_option.code
                            if r.answer and r.answer.reviewed_option
                            else None
                        ),
                        "accepted": r.answer.accepted if r.answer else None,
                        "earned": r.earned.quantize(q),
                    }
                    for r in b.criteria
                ],
            }
            for b in sheet.blocks
        ],
    }


class RecommendationOut(Schema):
    id: int
    evaluation_id: int
    year: int
    evaluated_unit_code: str
    owner_unit_code: str
    text: str
    due_on: dt.date
    status: str
    follow_up: str


class RecommendationQueryIn(KeysetQueryIn):
    status: str = Field("", description="open, in_progress or done; all when empty.")
    year: int | None = Field(None, description="Year of the evaluation.")


@router.get(
    "/recommendations",
    response={200: page_schema(RecommendationOut), **error_responses(400, 401, 403)},
    summary="Recommendations to follow up",
)
def recommendation_list(request: HttpRequest, query: Query[RecommendationQueryIn]) -> Any:
    """Recommendations owned by (or made to) units in the caller's scope, by due date."""
    require_permission(request, VIEW)
    queryset = selectors.recommendation_list(
        viewer=request.user, status=query.status, year=query.year
    )

    def item(r: Any) -> dict[str, Any]:
        return {
            "id": r.pk,
            "evaluation_id": r.evaluation_id,
            "year": r.evaluation.year,
            "evaluated_unit_code": r.evaluation.unit.code,
            "owner_unit_code": r.owner_unit.code,
            "text": r.text,
            "due_on": r.due_on,
            "status": r.status,
            "follow_up": r.follow_up,
        }

    return paginate(
        queryset,
        ordering=selectors.RECOMMENDATION_ORDERING,
        cursor=query.cursor,
        limit=query.limit,
        item=item,
    )
