from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "sinergi.accounts"
    label = "accounts"
    verbose_name = _("Accounts and access")

    def ready(self) -> None:
        from sinergi.core.menu import MenuItem, register

        register(
            MenuItem(
                label=_("Users"),
                url_name="accounts:user_list",
                icon="people",
                permission="accounts.view_user",
                section="admin",
                order=10,
                description=_("Accounts, units and roles of the people who use Sinergi."),
            )
        )
