"""API of the innovation registry: the caller's innovations (keyset list with filters), one
innovation with its effect indicators and competition entries, and registering an innovation of
the caller's unit (the same services as the pages: validated, audited)."""

import datetime as dt
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from pydantic import Field

from sinergi.api.auth import require_permission
from sinergi.api.pagination import KeysetQueryIn, page_schema, paginate
from sinergi.api.schemas import error_responses
from sinergi.core.errors import ApplicationError
from sinergi.innovations import selectors, services
from sinergi.innovations.permissions import REGISTER, VIEW
from sinergi.organisation import selectors as organisation

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


def _stage(code: str) -> Any:
    """The stage with this code, or a 400 naming the codes that exist."""
    stages = {s.code: s for s in selectors.stages()}
    if code not in stages:
        message = _("Unknown stage. Use one of: %(values)s.") % {"values": ", ".join(stages)}
        raise ApplicationError(message, field_errors={"stage": [message]})
    return stages[code]


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
    if query.stage:
        _stage(query.stage)
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


class InnovationIn(Schema):
    name: str = Field(max_length=250)
    acronym: str = Field("", max_length=60)
    unit_id: int = Field(description="Id of a unit in the caller's scope.")
    owner: str = Field("", max_length=250, description="Innovator or team (never published).")
    problem: str = Field(max_length=10000)
    description: str = Field(max_length=10000)
    started_on: dt.date
    stage: str = Field(description="idea, trial, implemented or replicated.")


@router.post(
    "/",
    response={201: InnovationDetailOut, **error_responses(400, 401, 403, 404)},
    summary="Register an innovation",
)
def innovation_create(request: HttpRequest, payload: InnovationIn) -> Any:
    """Register an innovation of a unit in the caller's scope (not published yet)."""
    require_permission(request, REGISTER)
    unit = organisation.unit_get(viewer=request.user, pk=payload.unit_id)
    innovation = services.innovation_save(
        actor=request.user,
        name=payload.name,
        acronym=payload.acronym,
        unit=unit,
        owner=payload.owner,
        problem=payload.problem,
        description=payload.description,
        started_on=payload.started_on,
        stage=_stage(payload.stage),
    )
    return Status(201, _detail(selectors.innovation_get(viewer=request.user, pk=innovation.pk)))


@router.get(
    "/{innovation_id}",
    response={200: InnovationDetailOut, **error_responses(401, 403, 404)},
    summary="One innovation",
)
def innovation_detail(request: HttpRequest, innovation_id: int) -> Any:
    """One innovation of the caller's scope, with its effect indicators and entries."""
    require_permission(request, VIEW)
    return _detail(selectors.innovation_get(viewer=request.user, pk=innovation_id))


def _detail(innovation: Any) -> dict[str, Any]:
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
