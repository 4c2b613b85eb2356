from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "sinergi.audit"
    label = "audit"
    verbose_name = _("Audit trail")

    def ready(self) -> None:
        from sinergi.core.menu import MenuItem, register

        register(
            MenuItem(
                label=_("Audit log"),
                url_name="audit:event_list",
                icon="journal-text",
                permission="audit.view_auditevent",
                section="admin",
                order=90,
                description=_("Who changed or read what, and when."),
            )
        )
