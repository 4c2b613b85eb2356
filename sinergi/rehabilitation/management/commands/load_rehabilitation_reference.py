"""Load or update the rehabilitation reference lists and instruments from rehabilitation/data/."""

from typing import Any

from django.core.management.base import BaseCommand

from sinergi.rehabilitation import services


class Command(BaseCommand):
    help = "Load the PPKS categories, stages, service types, reasons and instruments (idempotent)."

    def handle(self, *args: Any, **options: Any) -> None:
        counts = services.reference_load(actor=None)
        for name, changed in counts.items():
            self.stdout.write(f"  {name}: {changed} created or changed")
