"""Account security around every request: the TOTP check for privileged roles, and the idle timeout."""

import time
from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from sinergi.accounts import selectors
from sinergi.core.htmx import is_htmx

_OPEN_PREFIXES = ("/static/", "/healthz", "/i18n/", "/api/")

DEFAULT_IDLE_TIMEOUT_MINUTES = 60
LAST_ACTIVITY_KEY = "_sinergi_last_activity"
# Write the last-activity time at most once a minute, so most requests do not save the session.
ACTIVITY_WRITE_INTERVAL_SECONDS = 60


class RequireTwoFactorMiddleware:
    """Users whose role requires it must pass a TOTP check before using any page."""

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
                return redirect(
                    f"{reverse('accounts:two_factor')}?{urlencode({'next': request.path})}"
                )
        return self.get_response(request)


class RequirePasswordChangeMiddleware:
    """A user whose password an administrator set must choose their own before using any page."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            user.is_authenticated
            and getattr(user, "must_change_password", False)
            and not request.path.startswith(_OPEN_PREFIXES)
        ):
            allowed = {
                reverse("accounts:password_change"),
                reverse("accounts:logout"),
                reverse("accounts:two_factor"),
            }
            if request.path not in allowed:
                messages.warning(
                    request,
                    _(
                        "Your password was set by an administrator. Choose your own password "
                        "before you continue."
                    ),
                )
                return redirect("accounts:password_change")
        return self.get_response(request)


def idle_timeout_seconds() -> int:
    minutes = settings.SINERGI.get("IDLE_TIMEOUT_MINUTES", DEFAULT_IDLE_TIMEOUT_MINUTES)
    return int(str(minutes)) * 60


class IdleTimeoutMiddleware:
    """Log a user out after SINERGI["IDLE_TIMEOUT_MINUTES"] (default 60) without any request.

    Place it after AuthenticationMiddleware and MessageMiddleware. The session cookie itself still
    ends when the browser closes or after SESSION_COOKIE_AGE (8 hours), whichever comes first.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not request.path.startswith(("/static/", "/healthz"))
        ):
            now = int(time.time())
            last = request.session.get(LAST_ACTIVITY_KEY)
            timeout = idle_timeout_seconds()
            if isinstance(last, int) and now - last > timeout:
                return self._timed_out(request, timeout // 60)
            if not isinstance(last, int) or now - last >= ACTIVITY_WRITE_INTERVAL_SECONDS:
                request.session[LAST_ACTIVITY_KEY] = now
        return self.get_response(request)

    def _timed_out(self, request: HttpRequest, minutes: int) -> HttpResponse:
        logout(request)
        messages.info(
            request,
            _(
                "You were logged out because there was no activity for %(minutes)s minutes. "
                "Log in again to continue."
            )
            % {"minutes": minutes},
            fail_silently=True,
        )
        if request.path.startswith("/api/"):
            return HttpResponse(status=401)
        login_url = reverse(settings.LOGIN_URL)
        next_path = request.get_full_path() if request.method == "GET" else ""
        if is_htmx(request):
            response = HttpResponse(status=204)
            target = f"{login_url}?{urlencode({'next': next_path})}" if next_path else login_url
            response["HX-Redirect"] = target
            return response
        if next_path:
            return redirect_to_login(next_path)
        return redirect(login_url)
