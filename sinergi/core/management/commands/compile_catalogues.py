"""Compile every app's .po catalogue to .mo with polib (no GNU gettext needed at install time)."""

from pathlib import Path
from typing import Any

import polib
from django.apps import apps
from django.core.management.base import BaseCommand


def catalogues() -> list[Path]:
    found = []
    for config in apps.get_app_configs():
        if config.name.startswith("sinergi."):
            found.extend(sorted(Path(config.path).glob("locale/*/LC_MESSAGES/django.po")))
    return found


class Command(BaseCommand):
    help = "Compile the apps' translation catalogues (.po -> .mo)."

    def handle(self, *args: Any, **options: Any) -> None:
        for po_path in catalogues():
            polib.pofile(str(po_path)).save_as_mofile(str(po_path.with_suffix(".mo")))
            self.stdout.write(f"compiled {po_path}")
