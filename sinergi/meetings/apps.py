from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "sinergi.meetings"
    label = "meetings"
    verbose_name = _("Coordination meetings")

    def ready(self) -> None:
        from sinergi.core.menu import MenuItem, register

        register(
            MenuItem(
                label=_("Rakortek"),
                url_name="meetings:list",
                icon="people",
                permission="meetings.view_rakortek",
                section="main",
                order=64,
                description=_(
                    "Coordination meetings: each unit's report, the compiled PDF and follow-up "
                    "actions."
                ),
            )
        )
