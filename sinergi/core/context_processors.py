"""What the layout needs on every page: office name and the user's menu."""

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from sinergi.core import menu


def shell(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    sections = ("main", "admin", "help")
    return {
        "office_name": settings.SINERGI["OFFICE_NAME"],
        **{
            f"{section}_menu": menu.entries_for(user, section, request.path) if user else []
            for section in sections
        },
    }
