from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BudgetConfig(AppConfig):
    name = "sinergi.budget"
    label = "budget"
    verbose_name = _("Budget absorption")

    def ready(self) -> None:
        from sinergi.core.menu import MenuItem, register

        register(
            MenuItem(
                label=_("Budget"),
                url_name="budget:dashboard",
                icon="cash-coin",
                permission="budget.view_budgetline",
                section="main",
                order=40,
                description=_(
                    "Budget absorption against the cash plan and milestones, unit ranking."
                ),
            )
        )
