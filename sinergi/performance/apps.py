from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PerformanceConfig(AppConfig):
    name = "sinergi.performance"
    label = "performance"
    verbose_name = _("Performance")

    def ready(self) -> None:
        from sinergi import scheduling
        from sinergi.core.menu import MenuItem, register

        scheduling.register(
            "performance.fill_automatic",
            every="daily at 05:30",
            call="sinergi.performance.services.scheduled_fill",
            description=_(
                "Fill the indicators computed from Sinergi's records for the current and the "
                "previous quarter, and recount the computed SPM figures of this year."
            ),
        )
        register(
            MenuItem(
                label=_("Performance"),
                url_name="performance:dashboard",
                icon="graph-up-arrow",
                permission="performance.view_performance",
                section="main",
                order=60,
                description=_(
                    "Indicators, targets and achievement of the office and the units; SPM; LKjIP."
                ),
            ),
            MenuItem(
                label=_("Verification"),
                url_name="performance:verification_queue",
                icon="patch-check",
                permission="performance.verify_realisation",
                section="main",
                order=61,
                description=_("Realisation entered by the units waiting for verification."),
            ),
        )
