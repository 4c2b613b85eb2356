"""API of the audit trail (auditors and system administrators): GET /api/v1/audit/events."""

import datetime as dt
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Query, Router
from pydantic import Field

from sinergi.api.auth import require_permission
from sinergi.api.pagination import KeysetQueryIn, page_schema, paginate
from sinergi.api.schemas import error_responses
from sinergi.audit import selectors
from sinergi.audit.schemas import AuditEventOut

PREFIX = "audit"
PERMISSION = "audit.view_auditevent"
router = Router(tags=["audit"])


class AuditEventQueryIn(KeysetQueryIn):
    date_from: dt.date | None = Field(None, description="From this day (inclusive, WIB).")
    date_to: dt.date | None = Field(None, description="Up to this day (inclusive, WIB).")
    actor: str = Field("", max_length=150, description="Exact username.")
    action: str = Field("", max_length=100, description="Beginning of the action.")
    kind: Literal["change", "read", "security"] | None = None
    target_type: str = Field("", max_length=100, description="e.g. `organisation.unit`.")
    target_id: str = Field("", max_length=64)
    request_id: str = Field("", max_length=64)


@router.get(
    "/events",
    response={200: page_schema(AuditEventOut), **error_responses(400, 401, 403)},
    summary="Audit events",
)
def event_list(request: HttpRequest, query: Query[AuditEventQueryIn]) -> Any:
    """The audit trail, newest first, with the filters of the auditor page."""
    require_permission(request, PERMISSION)
    filters = selectors.EventFilters(
        date_from=query.date_from,
        date_to=query.date_to,
        actor=query.actor,
        action=query.action,
        kind=query.kind or "",
        target_type=query.target_type,
        target_id=query.target_id,
        request_id=query.request_id,
    )
    queryset = selectors.event_list(viewer=request.user, filters=filters)
    return paginate(queryset, ordering=selectors.ORDERING, cursor=query.cursor, limit=query.limit)


@router.get(
    "/events/{event_id}",
    response={200: AuditEventOut, **error_responses(401, 403, 404)},
    summary="One audit event",
)
def event_detail(request: HttpRequest, event_id: int) -> Any:
    """One event (404 when missing or outside the caller's scope)."""
    require_permission(request, PERMISSION)
    return selectors.event_get(viewer=request.user, event_id=event_id)
