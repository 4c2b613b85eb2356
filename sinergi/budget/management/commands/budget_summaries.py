"""Rebuild the absorption summaries the budget dashboards read (after a restore, or to check)."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from sinergi.budget import services
from sinergi.budget.models import FiscalYear


class Command(BaseCommand):
    help = "Rebuild the budget absorption summaries of every fiscal year (or of --year)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--year", type=int, help="only this fiscal year, e.g. 2026")

    def handle(self, *args: Any, **options: Any) -> None:
        fiscal_year = None
        if options["year"]:
            fiscal_year = FiscalYear.objects.filter(year=options["year"]).first()
            if fiscal_year is None:
                raise CommandError(f"There is no fiscal year {options['year']}.")
        rows = services.summaries_rebuild(fiscal_year=fiscal_year)
        self.stdout.write(f"{rows} summary rows written")
