from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "sinergi.notifications"
    label = "notifications"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        # The bell in the navbar is the way in (no sidebar entry).
        from sinergi import scheduling

        scheduling.register(
            "notifications.cleanup",
            every="daily at 02:00",
            call="sinergi.notifications.services.notification_cleanup",
            description=_("Delete read notifications older than 180 days."),
        )
