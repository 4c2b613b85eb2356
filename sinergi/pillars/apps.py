from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PillarsConfig(AppConfig):
    name = "sinergi.pillars"
    label = "pillars"
    verbose_name = _("Social pillars")

    def ready(self) -> None:
        from sinergi.core.menu import MenuItem, register

        register(
            MenuItem(
                label=_("Social pillars"),
                url_name="pillars:member_list",
                icon="people",
                permission="pillars.view_member",
                section="main",
                order=50,
                description=_(
                    "Registry of TKSK, Tagana and other pillars, and their quarterly aid."
                ),
            )
        )
