"""Notifications for tests."""

import datetime as dt

from django.utils import timezone

from sinergi.notifications.models import Notification


def make_notification(recipient, *, title="Pemberitahuan", read=False, age_days=0, **extra):
    created_at = timezone.now() - dt.timedelta(days=age_days)
    return Notification.objects.create(
        recipient=recipient,
        title=title,
        created_at=created_at,
        read_at=created_at if read else None,
        **extra,
    )
