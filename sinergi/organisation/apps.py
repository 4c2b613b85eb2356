from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganisationConfig(AppConfig):
    name = "sinergi.organisation"
    label = "organisation"
    verbose_name = _("Organisation")

    def ready(self) -> None:
        from sinergi.core.menu import MenuItem, register

        register(
            MenuItem(
                label=_("Units"),
                url_name="organisation:unit_list",
                icon="diagram-3",
                permission="organisation.view_unit",
                section="admin",
                order=20,
                description=_("The office's unit tree: Dinas, Sekretariat, Bidang and UPT."),
            ),
            MenuItem(
                label=_("Regions"),
                url_name="organisation:region_browser",
                icon="geo-alt",
                permission="organisation.view_region",
                section="admin",
                order=30,
                description=_("Kemendagri region codes: provinces down to villages."),
            ),
        )
