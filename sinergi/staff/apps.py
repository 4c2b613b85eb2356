from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StaffConfig(AppConfig):
    name = "sinergi.staff"
    label = "staff"
    verbose_name = _("Staff and SKP")

    def ready(self) -> None:
        from django.core import checks

        from sinergi import scheduling
        from sinergi.core.menu import MenuItem, register
        from sinergi.staff.checks import check_skp_settings

        checks.register(check_skp_settings)

        register(
            MenuItem(
                label=_("My SKP"),
                url_name="staff:my_skp",
                icon="clipboard-check",
                permission="staff.add_skp",
                section="main",
                order=50,
                description=_("Your annual SKP and its monthly realisation with evidence."),
            ),
            MenuItem(
                label=_("Employees"),
                url_name="staff:employee_list",
                icon="person-badge",
                permission="staff.view_employee",
                section="main",
                order=51,
                description=_("Staff records: NIP, rank, position, unit and supervisor."),
            ),
            MenuItem(
                label=_("SKP compliance"),
                url_name="staff:compliance",
                icon="calendar-check",
                permission="staff.view_compliance",
                section="main",
                order=52,
                description=_("Monthly SKP reported on time, late or missing, per unit."),
            ),
        )
        scheduling.register(
            "staff.skp_reminders",
            every="daily at 07:00",
            call="sinergi.staff.services.send_reminders",
            description=_(
                "Remind employees of the monthly SKP before the due day, and their supervisor "
                "after it."
            ),
        )
