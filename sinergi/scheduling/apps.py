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
        self._register_core_housekeeping()
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

    @staticmethod
    def _register_core_housekeeping() -> None:
        # Registered here because core may not import the scheduling app (import-linter).
        from sinergi.core.housekeeping import SCHEDULE
        from sinergi.scheduling.registry import register as register_job

        for name, every, call, description in SCHEDULE:
            register_job(name, every=every, call=call, description=description)
