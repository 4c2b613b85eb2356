"""The email copy of a notification, sent by a background task after the notification commits.

This module sits below services (services enqueue the task; it only needs the model), which is why
it is not in tasks.py.
"""

from django.conf import settings
from django.core.mail import EmailMessage
from django.tasks import task
from django.utils import translation
from django.utils.translation import gettext as _

from sinergi.notifications.models import Notification


def email_text(notification: Notification) -> tuple[str, str]:
    """(subject, body) of the email for `notification`."""
    subject = f"[Sinergi] {notification.title}"
    lines = [notification.title, ""]
    if notification.body:
        lines += [notification.body, ""]
    if notification.url:
        site = str(settings.SINERGI.get("SITE_URL", "")).rstrip("/")
        lines += [_("Open in Sinergi: %(url)s") % {"url": f"{site}{notification.url}"}, ""]
    lines.append(
        _("This email was sent automatically by Sinergi, %(office)s. Do not reply to it.")
        % {"office": settings.SINERGI["OFFICE_NAME"]}
    )
    return subject, "\n".join(lines)


@task()
def send_notification_email(notification_id: int) -> bool:
    """Send the email copy of one notification; False when there is nothing to send."""
    notification = (
        Notification.objects.select_related("recipient").filter(pk=notification_id).first()
    )
    if notification is None or not notification.recipient.email:
        return False
    with translation.override(settings.LANGUAGE_CODE):
        subject, body = email_text(notification)
    EmailMessage(subject=subject, body=body, to=[notification.recipient.email]).send()
    return True
