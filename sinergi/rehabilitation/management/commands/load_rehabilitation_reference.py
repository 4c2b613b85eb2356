"""Load or update the rehabilitation reference lists and instruments from rehabilitation/data/:
the lists of the case work (services/reference.py), the movement types of the residential side and
the document types (each loader is idempotent and audits only what it changed)."""

from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction

from sinergi.rehabilitation import services
from sinergi.rehabilitation.services.documents import document_types_load
from sinergi.rehabilitation.services.residential import movement_types_load


class Command(BaseCommand):
    help = (
        "Load the PPKS categories, stages, service types, reasons, instruments, movement types "
        "and document types (idempotent)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        with transaction.atomic():
            counts = services.reference_load(actor=None)
            # after the termination reasons: a movement type may name the one it records
            counts["movementtype"] = movement_types_load(actor=None)
            counts["documenttype"] = document_types_load(actor=None)
        for name, changed in counts.items():
            self.stdout.write(f"  {name}: {changed} created or changed")
