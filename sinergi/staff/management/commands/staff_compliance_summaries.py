"""Rebuild the SKP compliance summaries of every year (after data was changed outside Sinergi)."""

from typing import Any

from django.core.management.base import BaseCommand

from sinergi.staff import services


class Command(BaseCommand):
    help = "Rebuild the SKP compliance summaries (per year, month and unit) from the records."

    def handle(self, *args: Any, **options: Any) -> None:
        rows = services.compliance_refresh()
        self.stdout.write(f"staff: {rows} compliance summary rows rebuilt")
