"""API of the residential side and transfers, scoped like the pages: occupancy per UPT, beds,
waiting list, movements of a UPT's residents, and transfers (list, create, acknowledge)."""

import datetime as dt
import uuid
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema, Status
from pydantic import Field

from sinergi.api.auth import require_permission
from sinergi.api.errors import ApiError, permission_denied_message
from sinergi.api.pagination import KeysetQueryIn, page_schema, paginate
from sinergi.api.schemas import error_responses
from sinergi.organisation.models import Unit
from sinergi.rehabilitation import selectors
from sinergi.rehabilitation.models import Bed, Residence, ResidenceEvent, Transfer
from sinergi.rehabilitation.permissions import can_change_case
from sinergi.rehabilitation.selectors import residential as res_selectors
from sinergi.rehabilitation.selectors import transfers as transfer_selectors
from sinergi.rehabilitation.services import transfers as transfer_services

router = Router(tags=["rehabilitation"])


class OccupancyOut(Schema):
    unit_id: int
    unit_code: str
    unit_name: str
    official_capacity: int | None = Field(description="The unit's capacity from the master data.")
    beds: int = Field(description="Active beds: the capacity used for admissions.")
    occupied: int
    away: int = Field(description="Occupying a bed but away (home leave, hospital).")
    free: int
    waiting: int


class OccupancyQueryIn(Schema):
    upt_type: str = Field("", max_length=20, description="UPT type code, e.g. `PSTW`.")
    regency: str = Field("", max_length=13, description="Regency code, e.g. `35.14`.")


class BedOut(Schema):
    id: int
    wisma: str
    room: str
    label: str
    is_active: bool
    occupied: bool
    case_id: uuid.UUID | None
    away: bool


class WaitingOut(Schema):
    id: int
    case_id: uuid.UUID
    client_name: str
    requested_on: dt.date
    priority: int
    note: str


class MovementOut(Schema):
    id: int
    case_id: uuid.UUID
    kind: str
    movement: str | None
    occurred_on: dt.date
    note: str


class MovementQueryIn(KeysetQueryIn):
    since: dt.date | None = Field(None, description="Only events on or after this date.")


class TransferOut(Schema):
    id: int
    case_id: uuid.UUID
    from_unit_code: str
    kind: str
    to_unit_code: str | None
    institution_name: str
    reason: str
    requested_on: dt.date
    status: str
    decline_reason: str
    new_case_id: uuid.UUID | None = Field(
        description="The receiving UPT's case; null for callers outside the receiving UPT."
    )


class TransferQueryIn(KeysetQueryIn):
    direction: str = Field("", pattern="^(|in|out)$", description="`in` or `out`.")
    status: str = Field("", max_length=10, description="pending, accepted, declined…")


class TransferCreateIn(Schema):
    case_id: uuid.UUID
    to_unit_id: int
    reason: str = Field(min_length=1, max_length=2000)
    requested_on: dt.date | None = None


class TransferAnswerIn(Schema):
    accept: bool
    decline_reason: str = ""
    accepted_on: dt.date | None = None


def _unit(request: HttpRequest, unit_id: int) -> Unit:
    return res_selectors.upt_unit_get(viewer=request.user, pk=unit_id)


@router.get(
    "/occupancy",
    response={200: list[OccupancyOut], **error_responses(401, 403)},
    summary="Occupancy per UPT",
)
def occupancy(request: HttpRequest, query: Query[OccupancyQueryIn]) -> Any:
    """Beds, occupied, away, free and waiting for each UPT of the caller's scope."""
    require_permission(request, "rehabilitation.view_residence")
    filters = res_selectors.OccupancyFilters(upt_type=query.upt_type, regency=query.regency)
    rows, _totals = res_selectors.occupancy_summary(viewer=request.user, filters=filters)
    return [
        {
            "unit_id": r.unit.pk,
            "unit_code": r.unit.code,
            "unit_name": r.unit.name,
            "official_capacity": r.official_capacity,
            "beds": r.beds,
            "occupied": r.occupied,
            "away": r.away,
            "free": r.free,
            "waiting": r.waiting,
        }
        for r in rows
    ]


@router.get(
    "/occupancy/{unit_id}/beds",
    response={200: list[BedOut], **error_responses(401, 403, 404)},
    summary="Beds of a UPT",
)
def beds(request: HttpRequest, unit_id: int) -> Any:
    """Every bed of the UPT with whether it is occupied (by which case) and whether away."""
    require_permission(request, "rehabilitation.view_residence")
    unit = _unit(request, unit_id)
    out = []
    for room in res_selectors.unit_rooms(unit=unit):
        for view in room.beds:
            residence: Residence | None = view.residence
            bed: Bed = view.bed
            out.append(
                {
                    "id": bed.pk,
                    "wisma": room.room.wisma,
                    "room": room.room.name,
                    "label": bed.label,
                    "is_active": bed.is_active,
                    "occupied": residence is not None,
                    "case_id": residence.case_id if residence else None,
                    "away": bool(residence and residence.is_away),
                }
            )
    return out


@router.get(
    "/occupancy/{unit_id}/waiting",
    response={200: list[WaitingOut], **error_responses(401, 403, 404)},
    summary="Waiting list of a UPT",
)
def waiting(request: HttpRequest, unit_id: int) -> Any:
    """The waiting cases of the UPT, most urgent and oldest first."""
    require_permission(request, "rehabilitation.view_residence")
    unit = _unit(request, unit_id)
    return [
        {
            "id": e.pk,
            "case_id": e.case_id,
            "client_name": e.case.client.name,
            "requested_on": e.requested_on,
            "priority": e.priority,
            "note": e.note,
        }
        for e in res_selectors.waiting_list(unit=unit)
    ]


@router.get(
    "/occupancy/{unit_id}/movements",
    response={200: page_schema(MovementOut), **error_responses(400, 401, 403, 404)},
    summary="Movements of a UPT's residents",
)
def movements(request: HttpRequest, unit_id: int, query: Query[MovementQueryIn]) -> Any:
    """Admissions, bed moves, movements and departures in the UPT, newest first."""
    require_permission(request, "rehabilitation.view_residence")
    unit = _unit(request, unit_id)
    qs = ResidenceEvent.objects.filter(residence__unit=unit).select_related(
        "residence", "movement_type"
    )
    if query.since:
        qs = qs.filter(occurred_on__gte=query.since)
    return paginate(
        qs,
        ordering=("-occurred_on", "-id"),
        cursor=query.cursor,
        limit=query.limit,
        item=lambda e: {
            "id": e.pk,
            "case_id": e.residence.case_id,
            "kind": e.kind,
            "movement": e.movement_type.code if e.movement_type_id else None,
            "occurred_on": e.occurred_on,
            "note": e.note,
        },
    )


def _transfer(request: HttpRequest, t: Transfer) -> dict[str, Any]:
    new_case = transfer_selectors.new_case_for(request.user, t)
    return {
        "id": t.pk,
        "case_id": t.case_id,
        "from_unit_code": t.from_unit.code,
        "kind": t.kind,
        "to_unit_code": t.to_unit.code if t.to_unit else None,
        "institution_name": t.institution_name,
        "reason": t.reason,
        "requested_on": t.requested_on,
        "status": t.status,
        "decline_reason": t.decline_reason,
        "new_case_id": new_case.pk if new_case else None,
    }


@router.get(
    "/transfers",
    response={200: page_schema(TransferOut), **error_responses(400, 401, 403)},
    summary="Transfers",
)
def transfer_list(request: HttpRequest, query: Query[TransferQueryIn]) -> Any:
    """Transfers sent from or to a UPT of the caller's scope, newest first."""
    require_permission(request, "rehabilitation.view_transfer")
    qs = transfer_selectors.transfer_list(
        viewer=request.user, direction=query.direction, status=query.status
    )
    return paginate(
        qs,
        ordering=transfer_selectors.TRANSFER_ORDERING,
        cursor=query.cursor,
        limit=query.limit,
        item=lambda t: _transfer(request, t),
    )


@router.post(
    "/transfers",
    response={201: TransferOut, **error_responses(400, 401, 403, 404)},
    summary="Request a transfer to another UPT",
)
def transfer_create(request: HttpRequest, payload: TransferCreateIn) -> Any:
    """The assigned social worker or the head of UPT asks another UPT to take over a case."""
    require_permission(request, "rehabilitation.add_transfer")
    case = selectors.case_get(viewer=request.user, pk=payload.case_id)
    if not can_change_case(request.user, case):
        raise ApiError(403, "permission_denied", permission_denied_message())
    to_unit = Unit.objects.filter(pk=payload.to_unit_id).first()
    transfer = transfer_services.transfer_request(
        actor=request.user,
        case=case,
        to_unit=to_unit,
        reason=payload.reason,
        requested_on=payload.requested_on,
    )
    transfer = transfer_selectors.transfer_get(viewer=request.user, pk=transfer.pk)
    return Status(201, _transfer(request, transfer))


@router.post(
    "/transfers/{transfer_id}/answer",
    response={200: TransferOut, **error_responses(400, 401, 403, 404)},
    summary="Accept or decline a transfer",
)
def transfer_answer(request: HttpRequest, transfer_id: int, payload: TransferAnswerIn) -> Any:
    """The head of the receiving UPT accepts (a new case opens there) or declines with a reason."""
    require_permission(request, "rehabilitation.acknowledge_transfer")
    transfer = transfer_selectors.transfer_get(viewer=request.user, pk=transfer_id)
    if not transfer_selectors.is_receiver(request.user, transfer):  # as the page: 403
        raise ApiError(403, "permission_denied", permission_denied_message())
    if payload.accept:
        transfer_services.transfer_accept(
            actor=request.user, transfer=transfer, accepted_on=payload.accepted_on
        )
    else:
        transfer_services.transfer_decline(
            actor=request.user, transfer=transfer, reason=payload.decline_reason
        )
    return _transfer(request, transfer_selectors.transfer_get(viewer=request.user, pk=transfer_id))
