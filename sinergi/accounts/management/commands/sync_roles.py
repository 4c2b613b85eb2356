"""Create or update the office's roles and every app's grants (idempotent)."""

from typing import Any

from django.core.management.base import BaseCommand

from sinergi.accounts import services


class Command(BaseCommand):
    help = "Create or update the roles of accounts.roles.ROLES with the grants of every app."

    def handle(self, *args: Any, **options: Any) -> None:
        roles = services.roles_sync(actor=None)
        for role in roles:
            self.stdout.write(f"{role.code:<20} {role.permissions.count():>3} permission(s)")
        self.stdout.write(self.style.SUCCESS(f"{len(roles)} roles synchronised."))
