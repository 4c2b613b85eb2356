"""Writes for notifications: notify a user, mark read, clean up old read ones.

A notification is a derived message about a change that its own service has already audited, and
its read state belongs to the recipient's inbox, so notify() and mark-read are not audited (they
would double the audit trail). The cleanup, which deletes rows in bulk, is audited.
"""

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sinergi.audit import services as audit
from sinergi.core.errors import ApplicationError
from sinergi.notifications.emails import send_notification_email
from sinergi.notifications.models import Notification

CLEANUP_AFTER_DAYS = 180


@transaction.atomic
def notify(
    *,
    recipient: Any,
    title: str,
    body: str = "",
    url: str = "",
    level: str = Notification.Level.INFO,
    email: bool = False,
    dedupe_key: str | None = None,
    actor: Any = None,
) -> Notification:
    """Give `recipient` a notification (and an email copy after commit when `email`).

    With a `dedupe_key`, calling again for the same recipient and key returns the first
    notification and sends nothing: safe to call from jobs that may run twice.
    """
    if dedupe_key:
        existing = Notification.objects.filter(recipient=recipient, dedupe_key=dedupe_key).first()
        if existing is not None:
            return existing
    notification = Notification(
        recipient=recipient,
        title=str(title)[:200],
        body=str(body),
        url=url,
        level=level,
        dedupe_key=dedupe_key or None,
    )
    try:
        notification.full_clean(validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        raise ApplicationError(
            _("The notification could not be created: %(errors)s")
            % {"errors": "; ".join(m for msgs in exc.message_dict.values() for m in msgs)},
            field_errors=exc.message_dict,
        ) from exc
    try:
        with transaction.atomic():
            notification.save(force_insert=True)
    except IntegrityError:
        # Another request created the same (recipient, dedupe_key) a moment ago.
        if dedupe_key:
            return Notification.objects.get(recipient=recipient, dedupe_key=dedupe_key)
        raise
    if email and recipient.email:
        notification_id = notification.pk
        transaction.on_commit(lambda: send_notification_email.enqueue(notification_id))
    return notification


@transaction.atomic
def notification_mark_read(*, actor: Any, notification: Notification) -> Notification:
    """Mark one of the actor's notifications read (no change when it already is)."""
    if notification.recipient_id != actor.pk:
        raise ApplicationError(_("You can only mark your own notifications as read."))
    if notification.read_at is None:
        notification.read_at = timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
            read_at=notification.read_at
        )
    return notification


@transaction.atomic
def notification_mark_all_read(*, actor: Any) -> int:
    """Mark every unread notification of the actor read; returns how many changed."""
    return Notification.objects.filter(recipient=actor, read_at__isnull=True).update(
        read_at=timezone.now()
    )


@transaction.atomic
def notification_cleanup(
    *, actor: Any = None, older_than_days: int = CLEANUP_AFTER_DAYS, now: dt.datetime | None = None
) -> str:
    """Delete read notifications created more than `older_than_days` ago (a scheduled job)."""
    cutoff = (now or timezone.now()) - dt.timedelta(days=older_than_days)
    deleted, _per_model = Notification.objects.filter(
        read_at__isnull=False, created_at__lt=cutoff
    ).delete()
    if deleted:
        audit.record(
            actor=actor,
            action="notifications.cleaned_up",
            extra={"deleted": deleted, "older_than_days": older_than_days},
        )
    return f"deleted {deleted} read notification(s) older than {older_than_days} days"
