"""Fail when any user-facing string has no Indonesian translation.

For each Sinergi app, runs `makemessages -l id` in the app folder (so the catalogue holds every
string of the code and templates), then reports entries that are untranslated or fuzzy, and
English strings that two apps translate differently: Django merges every app's catalogue into one,
so only one of the two translations would ever show, on both apps' pages. Give such a string a
context (`pgettext`, `{% translate "Open" context "follow-up status" %}`) when the meanings
differ, or the same wording when they do not.
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
        translations: dict[tuple[str, str], dict[str, str]] = {}
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
            for entry in catalogue.translated_entries():
                key = (entry.msgctxt or "", entry.msgid)
                translations.setdefault(key, {})[config.label] = entry.msgstr
        problems.extend(conflicts(translations))
        if problems:
            for line in problems:
                self.stderr.write(line)
            raise CommandError(
                f"{len(problems)} string(s) without one Indonesian translation (see above)."
            )
        self.stdout.write(self.style.SUCCESS("Every string has an Indonesian translation."))


def conflicts(translations: dict[tuple[str, str], dict[str, str]]) -> list[str]:
    """One line per (context, English string) that apps translate in more than one way."""
    lines = []
    for (context, msgid), by_app in sorted(translations.items()):
        if len(set(by_app.values())) > 1:
            where = ", ".join(f"{app}: {text!r}" for app, text in sorted(by_app.items()))
            label = f"{msgid!r} (context {context!r})" if context else repr(msgid)
            lines.append(f"{label} is translated differently: {where}")
    return lines
