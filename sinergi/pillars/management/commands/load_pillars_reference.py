"""manage.py load_pillars_reference: bring the pillar types and banks up to date with
pillars/data/ and add the bank-file layouts that are missing (edited layouts are kept)."""

from typing import Any

from django.core.management.base import BaseCommand

from sinergi.pillars import services


class Command(BaseCommand):
    help = "Load the pillar types, banks and bank-file layouts from sinergi/pillars/data/."

    def handle(self, *args: Any, **options: Any) -> None:
        counts = services.reference_load(actor=None)
        self.stdout.write(
            f"pillar types: {counts['pillar_types']}, banks: {counts['banks']}, "
            f"layouts added: {counts['layouts_added']}"
        )
