from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GuideConfig(AppConfig):
    name = "sinergi.guide"
    label = "guide"
    verbose_name = _("User guide")

    def ready(self) -> None:
        from sinergi.core.menu import MenuItem, register

        register(
            MenuItem(
                label=_("User guide"),
                url_name="guide:index",
                icon="question-circle",
                section="help",
                order=10,
                description=_("How to use Sinergi, chapter by chapter."),
            )
        )
