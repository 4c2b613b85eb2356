"""What the layout needs on every page: office name and the user's menu."""

from functools import partial
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from sinergi.core import menu

SECTIONS = ("main", "admin", "help")


def shell(request: HttpRequest) -> dict[str, Any]:
    """Menus are worked out only when a template shows them (htmx fragments and PDFs do not)."""
    user = getattr(request, "user", None)
    return {
        "office_name": settings.SINERGI["OFFICE_NAME"],
        **{
            f"{section}_menu": SimpleLazyObject(
                partial(menu.entries_for, user, section, request.path) if user else list
            )
            for section in SECTIONS
        },
    }
