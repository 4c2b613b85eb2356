from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InnovationsConfig(AppConfig):
    name = "sinergi.innovations"
    label = "innovations"
    verbose_name = _("Public-service innovations")

    def ready(self) -> None:
        from sinergi.core.menu import MenuItem, register

        register(
            MenuItem(
                label=_("Innovations"),
                url_name="innovations:list",
                icon="lightbulb",
                permission="innovations.view_innovation",
                section="main",
                order=66,
                description=_("The units' public-service innovations and competition entries."),
            )
        )
