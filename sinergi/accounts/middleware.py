"""Users whose role requires it must pass a TOTP check before using any page."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from sinergi.accounts import selectors

_OPEN_PREFIXES = ("/static/", "/healthz", "/i18n/", "/api/")


class RequireTwoFactorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            user.is_authenticated
            and not request.path.startswith(_OPEN_PREFIXES)
            and selectors.user_requires_two_factor(user)
            and not user.is_verified()  # type: ignore[attr-defined]
        ):
            allowed = {
                reverse("accounts:two_factor"),
                reverse("accounts:logout"),
            }
            if request.path not in allowed:
                return redirect(f"{reverse('accounts:two_factor')}?next={request.path}")
        return self.get_response(request)
