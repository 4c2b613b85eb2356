"""API of the coordination meetings: meetings, the reports of one meeting in the caller's scope
(with status, late flag and the figures they were submitted with) and follow-up actions."""

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from pydantic import Field

from sinergi.api.auth import require_permission
from sinergi.api.pagination import KeysetQueryIn, page_schema, paginate
from sinergi.api.schemas import error_responses
from sinergi.core.errors import ApplicationError
from sinergi.meetings import selectors
from sinergi.meetings.permissions import VIEW

PREFIX = "performance/rakortek"
router = Router(tags=["rakortek"])


class MeetingOut(Schema):
    id: int
    title: str
    year: int
    quarter: int | None
    month: int | None
    held_on: dt.date
    place: str
    deadline_on: dt.date


@router.get(
    "/meetings",
    response={200: page_schema(MeetingOut), **error_responses(400, 401, 403)},
    summary="Coordination meetings",
)
def meeting_list(request: HttpRequest, query: Query[KeysetQueryIn]) -> Any:
    require_permission(request, VIEW)
    return paginate(
        selectors.meeting_list(),
        ordering=("-held_on", "-id"),
        cursor=query.cursor,
        limit=query.limit,
        item=lambda m: {
            "id": m.pk,
            "title": m.title,
            "year": m.year,
            "quarter": m.quarter,
            "month": m.month,
            "held_on": m.held_on,
            "place": m.place,
            "deadline_on": m.deadline_on,
        },
    )


class ReportOut(Schema):
    id: int
    unit_code: str
    unit_name: str
    status: str
    late: bool
    submitted_at: dt.datetime | None
    progress: str
    problems: str
    follow_up_needed: str
    achievements: list[dict[str, Any]]
    absorption: dict[str, Any]


@router.get(
    "/meetings/{meeting_id}/reports",
    response={200: page_schema(ReportOut), **error_responses(400, 401, 403, 404)},
    summary="The reports of a meeting",
)
def report_list(request: HttpRequest, meeting_id: int, query: Query[KeysetQueryIn]) -> Any:
    """The reports of the units in the caller's scope."""
    require_permission(request, VIEW)
    meeting = selectors.meeting_get(meeting_id)
    return paginate(
        selectors.report_queryset(viewer=request.user, meeting=meeting),
        ordering=("id",),
        cursor=query.cursor,
        limit=query.limit,
        item=lambda r: {
            "id": r.pk,
            "unit_code": r.unit.code,
            "unit_name": r.unit.name,
            "status": r.status,
            "late": r.is_late,
            "submitted_at": r.submitted_at,
            "progress": r.progress,
            "problems": r.problems,
            "follow_up_needed": r.follow_up_needed,
            "achievements": r.achievements,
            "absorption": r.absorption,
        },
    )


class FollowUpOut(Schema):
    id: int
    meeting_id: int
    owner_unit_code: str
    description: str
    due_on: dt.date
    status: str
    overdue: bool
    note: str


class FollowUpQueryIn(KeysetQueryIn):
    status: str = Field(
        "",
        description="open, in_progress, done, or overdue (not done and past its due date); "
        "all when empty.",
    )


@router.get(
    "/follow-ups",
    response={200: page_schema(FollowUpOut), **error_responses(400, 401, 403)},
    summary="Follow-up actions",
)
def follow_up_list(request: HttpRequest, query: Query[FollowUpQueryIn]) -> Any:
    """Actions owned by units in the caller's scope, by due date."""
    require_permission(request, VIEW)
    allowed = [value for value, _label in selectors.follow_up_statuses()]
    if query.status and query.status not in allowed:
        message = _("Unknown status. Use one of: %(values)s.") % {"values": ", ".join(allowed)}
        raise ApplicationError(message, field_errors={"status": [message]})
    return paginate(
        selectors.follow_up_list(viewer=request.user, status=query.status),
        ordering=selectors.FOLLOW_UP_ORDERING,
        cursor=query.cursor,
        limit=query.limit,
        item=lambda f: {
            "id": f.pk,
            "meeting_id": f.meeting_id,
            "owner_unit_code": f.owner_unit.code,
            "description": f.description,
            "due_on": f.due_on,
            "status": f.status,
            "overdue": f.is_overdue,
            "note": f.note,
        },
    )
