from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SchedulingConfig(AppConfig):
    name = "sinergi.scheduling"
    label = "scheduling"
    verbose_name = _("Scheduled jobs")

    def ready(self) -> None:
        from django.core import checks

        from sinergi.core.menu import MenuItem, register
        from sinergi.scheduling.checks import check_job_calls

        checks.register(check_job_calls)
        register(
            MenuItem(
                label=_("Scheduled jobs"),
                url_name="scheduling:job_list",
                icon="clock-history",
                permission="scheduling.view_jobrun",
                section="admin",
                order=900,
            )
        )
