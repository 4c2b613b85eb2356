"""Fail when any user-facing string has no Indonesian translation.

For each Sinergi app, runs `makemessages -l id` in the app folder (so the catalogue holds every
string of the code and templates), then reports entries that are untranslated or fuzzy.
"""

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import polib
from django.apps import apps
from django.core.management.base import BaseCommand, CommandError

MANAGE = Path(__file__).resolve().parents[4] / "manage.py"


class Command(BaseCommand):
    help = "Update every app's `id` catalogue and fail on untranslated or fuzzy strings."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--no-update", action="store_true", help="only check the .po files")

    def handle(self, *args: Any, **options: Any) -> None:
        problems: list[str] = []
        for config in apps.get_app_configs():
            if not config.name.startswith("sinergi."):
                continue
            app_dir = Path(config.path)
            po_path = app_dir / "locale" / "id" / "LC_MESSAGES" / "django.po"
            if not options["no_update"]:
                (app_dir / "locale").mkdir(exist_ok=True)
                subprocess.run(  # noqa: S603 - fixed arguments
                    [
                        sys.executable,
                        str(MANAGE),
                        "makemessages",
                        "-l",
                        "id",
                        "--no-location",
                        "--no-obsolete",
                        "-i",
                        "tests/*",
                        "-i",
                        "migrations/*",
                    ],
                    cwd=app_dir,
                    check=True,
                    capture_output=True,
                    env={**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test"},
                )
            if not po_path.exists():
                continue
            catalogue = polib.pofile(str(po_path))
            for entry in catalogue.untranslated_entries() + catalogue.fuzzy_entries():
                problems.append(f"{po_path.relative_to(MANAGE.parent)}: {entry.msgid!r}")
        if problems:
            for line in problems:
                self.stderr.write(line)
            raise CommandError(f"{len(problems)} string(s) without an Indonesian translation.")
        self.stdout.write(self.style.SUCCESS("Every string has an Indonesian translation."))
