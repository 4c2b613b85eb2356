"""API of the innovation registry: the caller's innovations (keyset list with filters) and one
innovation with its effect indicators and competition entries. Read-only."""

import datetime as dt
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema
from pydantic import Field

from sinergi.api.auth import require_permission
from sinergi.api.pagination import KeysetQueryIn, page_schema, paginate
from sinergi.api.schemas import error_responses
from sinergi.innovations import selectors
from sinergi.innovations.permissions import VIEW

PREFIX = "innovations"
router = Router(tags=["innovations"])


class InnovationOut(Schema):
    id: int
    name: str
    acronym: str
    unit_code: str
    unit_name: str
    stage: str
    started_on: dt.date
    is_published: bool


class IndicatorOut(Schema):
    name: str
    before: Decimal
    after: Decimal
    unit_of_measure: str


class EntryOut(Schema):
    competition: str
    year: int
    stage_reached: str
    result: str


class InnovationDetailOut(InnovationOut):
    owner: str
    problem: str
    description: str
    indicators: list[IndicatorOut]
    entries: list[EntryOut]


def _item(i: Any) -> dict[str, Any]:
    return {
        "id": i.pk,
        "name": i.name,
        "acronym": i.acronym,
        "unit_code": i.unit.code,
        "unit_name": i.unit.name,
        "stage": i.stage.code,
        "started_on": i.started_on,
        "is_published": i.is_published,
    }


class InnovationQueryIn(KeysetQueryIn):
    unit: int | None = Field(None, description="Id of the unit.")
    stage: str = Field("", description="idea, trial, implemented or replicated.")
    year: int | None = Field(None, description="Started in this year.")
    q: str = Field("", max_length=100, description="Part of the name or acronym.")


@router.get(
    "/",
    response={200: page_schema(InnovationOut), **error_responses(400, 401, 403)},
    summary="Innovations",
)
def innovation_list(request: HttpRequest, query: Query[InnovationQueryIn]) -> Any:
    """Innovations of the units in the caller's scope, by name."""
    require_permission(request, VIEW)
    filters = selectors.Filters(
        unit=query.unit, stage=query.stage, year=query.year, q=query.q.strip()
    )
    return paginate(
        selectors.innovation_list(viewer=request.user, filters=filters),
        ordering=selectors.ORDERING,
        cursor=query.cursor,
        limit=query.limit,
        item=_item,
    )


@router.get(
    "/{innovation_id}",
    response={200: InnovationDetailOut, **error_responses(401, 403, 404)},
    summary="One innovation",
)
def innovation_detail(request: HttpRequest, innovation_id: int) -> Any:
    require_permission(request, VIEW)
    innovation = selectors.innovation_get(viewer=request.user, pk=innovation_id)
    parts = selectors.innovation_parts(innovation)
    return {
        **_item(innovation),
        "owner": innovation.owner,
        "problem": innovation.problem,
        "description": innovation.description,
        "indicators": [
            {
                "name": x.name,
                "before": x.before,
                "after": x.after,
                "unit_of_measure": x.unit_of_measure,
            }
            for x in parts["indicators"]
        ],
        "entries": [
            {
                "competition": e.competition,
                "year": e.year,
                "stage_reached": e.stage_reached.code,
                "result": e.result,
            }
            for e in parts["entries"]
        ],
    }
