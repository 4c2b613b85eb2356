"""Reads of the audit trail, scoped to the viewer (office-wide roles see every event)."""

import datetime as dt
from dataclasses import asdict, dataclass
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from sinergi.accounts.permissions import access_object, scope_queryset
from sinergi.audit.models import AuditEvent

ORDERING = ("-occurred_at", "-id")
# An export larger than this is refused with a request to narrow the filter.
EXPORT_MAX_ROWS = 100_000


@dataclass(frozen=True)
class EventFilters:
    """The filters of the auditor page and of GET /api/v1/audit/events (all optional)."""

    date_from: dt.date | None = None  # inclusive, in Asia/Jakarta
    date_to: dt.date | None = None  # inclusive, in Asia/Jakarta
    actor: str = ""  # exact username
    action: str = ""  # prefix: "accounts." matches every accounts action
    kind: str = ""
    target_type: str = ""  # "app_label.model", e.g. "organisation.unit"
    target_id: str = ""
    request_id: str = ""

    def as_dict(self) -> dict[str, str]:
        """The filters that are set, as text (for the audit of an export and for links)."""
        return {
            key: value.isoformat() if isinstance(value, dt.date) else str(value)
            for key, value in asdict(self).items()
            if value not in (None, "")
        }


def _start_of_day(day: dt.date) -> dt.datetime:
    return timezone.make_aware(
        dt.datetime.combine(day, dt.time.min), timezone.get_default_timezone()
    )


def _base(viewer: Any) -> QuerySet[AuditEvent]:
    # Unit-scoped viewers see the events of actors in their subtree; system events have no unit.
    return scope_queryset(AuditEvent.objects.all(), viewer, unit_path_field="actor_unit_path")


def event_list(*, viewer: Any, filters: EventFilters | None = None) -> QuerySet[AuditEvent]:
    """Events the viewer may see that match `filters`, newest first."""
    filters = filters or EventFilters()
    qs = _base(viewer)
    if filters.date_from:
        qs = qs.filter(occurred_at__gte=_start_of_day(filters.date_from))
    if filters.date_to:
        qs = qs.filter(occurred_at__lt=_start_of_day(filters.date_to + dt.timedelta(days=1)))
    if filters.actor:
        qs = qs.filter(actor_username=filters.actor.strip())
    if filters.action:
        qs = qs.filter(action__startswith=filters.action.strip())
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.target_type:
        qs = qs.filter(target_type=filters.target_type.strip().lower())
    if filters.target_id:
        qs = qs.filter(target_id=filters.target_id.strip())
    if filters.request_id:
        qs = qs.filter(request_id=filters.request_id.strip())
    return qs.order_by(*ORDERING)


def event_get(*, viewer: Any, event_id: Any) -> AuditEvent:
    """One event of the viewer's scope, or Http404 (the same answer for missing and forbidden)."""
    return access_object(
        AuditEvent.objects.all(), viewer, unit_path_field="actor_unit_path", pk=event_id
    )


def exceeds(queryset: QuerySet[Any], limit: int) -> bool:
    """Whether `queryset` has more than `limit` rows, without counting them all."""
    return queryset[limit : limit + 1].exists()
