from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "sinergi.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from sinergi.core import exports, menu
        from sinergi.core.tabular import registry

        # Each app declares its spreadsheet imports in its own imports.py, and its exports that
        # may run as background jobs in its exports.py.
        autodiscover_modules("imports")
        autodiscover_modules("exports")
        # Figures an app can compute from its own records, offered to other apps by code.
        autodiscover_modules("metrics")
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
        menu.register(
            menu.MenuItem(
                label=_("My exports"),
                url_name="core:export_list",
                icon="download",
                section="help",
                order=20,
                description=_("Big exports made in the background, ready to download."),
                extra_check=exports.can_export_anything,
            )
        )
