from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "sinergi.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from sinergi.core import menu
        from sinergi.core.tabular import registry

        # Each app declares its spreadsheet imports in its own imports.py.
        autodiscover_modules("imports")
        menu.register(
            menu.MenuItem(
                label=_("Spreadsheet imports"),
                url_name="core:import_list",
                icon="upload",
                section="admin",
                order=900,
                description=_("Upload spreadsheets and follow their checks and results."),
                extra_check=registry.can_import_anything,
            )
        )
