"""Load the Kemendagri region codes (idn-area-data 4.0.1, ODbL) into the Region table.

Idempotent: a second run reports 0 inserted and 0 updated. `--province 35` loads one province only.
"""

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from sinergi.core.errors import ApplicationError
from sinergi.organisation import services


class Command(BaseCommand):
    help = "Load or refresh the region codes (provinsi, kab/kota, kecamatan, desa/kelurahan)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--province",
            default="",
            help="two-digit province code (e.g. 35) to load only that province",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()
        try:
            result = services.regions_load(actor=None, province=options["province"])
        except ApplicationError as exc:
            raise CommandError(exc.message) from exc
        levels = ", ".join(
            f"level {level}: {count:,}" for level, count in sorted(result.per_level.items())
        )
        scope = f"province {result.province}" if result.province else "all provinces"
        self.stdout.write(
            f"  regions ({scope}): {result.inserted:,} inserted, {result.updated:,} updated, "
            f"{result.unchanged:,} unchanged ({levels}) in {time.monotonic() - started:.1f} s"
        )
