from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SakipConfig(AppConfig):
    name = "sinergi.sakip"
    label = "sakip"
    verbose_name = _("SAKIP evaluation")

    def ready(self) -> None:
        from sinergi.core.menu import MenuItem, register

        register(
            MenuItem(
                label=_("SAKIP evaluation"),
                url_name="sakip:summary",
                icon="clipboard-check",
                permission="sakip.view_sakip",
                section="main",
                order=62,
                description=_(
                    "The internal evaluation worksheet (LKE): answers, evidence, score, grade and "
                    "recommendations."
                ),
            )
        )
