"""Reads for notifications: always the viewer's own."""

from typing import Any

from django.db.models import Case, IntegerField, QuerySet, Value, When
from django.http import Http404

from sinergi.notifications.models import Notification

LIST_ORDERING = ("read_state", "-created_at", "-id")
BADGE_CAP = 99


def notification_list(*, viewer: Any, unread_only: bool = False) -> QuerySet[Notification]:
    """The viewer's notifications; sort with LIST_ORDERING (unread first, newest first)."""
    if not getattr(viewer, "is_authenticated", False):
        return Notification.objects.none()
    qs = Notification.objects.filter(recipient=viewer)
    if unread_only:
        qs = qs.filter(read_at__isnull=True)
    return qs.annotate(
        read_state=Case(
            When(read_at__isnull=True, then=Value(0)), default=Value(1), output_field=IntegerField()
        )
    )


def notification_get(*, viewer: Any, pk: Any) -> Notification:
    """One of the viewer's notifications, or Http404 (also for someone else's)."""
    try:
        return notification_list(viewer=viewer).get(pk=int(pk))
    except (Notification.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def unread_count(*, viewer: Any) -> int:
    """Unread notifications of the viewer, counted only up to BADGE_CAP + 1 (one cheap query)."""
    if not getattr(viewer, "is_authenticated", False):
        return 0
    return Notification.objects.filter(recipient_id=viewer.pk, read_at__isnull=True)[
        : BADGE_CAP + 1
    ].count()
