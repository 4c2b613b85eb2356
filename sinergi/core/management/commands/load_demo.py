"""Load the demo data of every app (each app's `demo.load(stdout)`), in INSTALLED_APPS order.

Idempotent: running it twice changes nothing the second time.
"""

from typing import Any

from django.apps import apps
from django.core.management.base import BaseCommand
from django.utils.module_loading import import_string, module_has_submodule


class Command(BaseCommand):
    help = "Load the demo data of every app (idempotent)."

    def handle(self, *args: Any, **options: Any) -> None:
        for config in apps.get_app_configs():
            if config.name.startswith("sinergi.") and module_has_submodule(config.module, "demo"):
                load = import_string(f"{config.name}.demo.load")
                self.stdout.write(f"- {config.verbose_name}")
                load(stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS("Demo data ready."))
