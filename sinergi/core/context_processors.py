"""What the layout needs on every page: office name and the user's menu."""

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from sinergi.core import menu


def shell(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    return {
        "office_name": settings.SINERGI["OFFICE_NAME"],
        "main_menu": menu.items_for(user, "main") if user is not None else [],
        "admin_menu": menu.items_for(user, "admin") if user is not None else [],
        "help_menu": menu.items_for(user, "help") if user is not None else [],
    }
