from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RehabilitationConfig(AppConfig):
    name = "sinergi.rehabilitation"
    label = "rehabilitation"
    verbose_name = _("Social rehabilitation")

    def ready(self) -> None:
        from sinergi import scheduling
        from sinergi.core.menu import MenuItem, register

        scheduling.register(
            "rehabilitation.follow_ups_due",
            every="daily at 06:00",
            call="sinergi.rehabilitation.services.follow_ups_notify_due",
            description=_(
                "Tell social workers about aftercare follow-ups due today or overdue (once each)."
            ),
        )

        register(
            MenuItem(
                label=_("Rehabilitation"),
                url_name="rehabilitation:client_list",
                icon="heart-pulse",
                permission="rehabilitation.view_client",
                section="main",
                order=20,
                description=_("Clients of the UPT, their cases, stages and assessments."),
            ),
            MenuItem(
                label=_("My tasks"),
                url_name="rehabilitation:task_list",
                icon="list-check",
                permission="rehabilitation.change_case",
                section="main",
                order=21,
                description=_("Open cases, assessments due and approvals waiting."),
            ),
        )
        register(MenuItem(label=_("UPT occupancy"), url_name="rehabilitation:occupancy", icon="house-door", permission="rehabilitation.view_residence", section="main", order=22, description=_("Beds, residents, waiting list, daily roster and transfers of the UPT.")))  # fmt: skip
