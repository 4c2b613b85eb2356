"""How API callers prove who they are, and the permission check every endpoint uses.

- `BearerTokenAuth`: `Authorization: Bearer <token>` with a token from POST /api/v1/auth/token.
- `BrowserSessionAuth`: the signed-in browser session (the docs page, htmx), with the CSRF check;
  users whose role requires two-factor login must have passed it in this session.

Both set `request.user`, so selectors receive the same `viewer` as in the HTML views.
"""

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja.security import APIKeyCookie, HttpBearer
from ninja.throttling import AnonRateThrottle
from ninja.utils import check_csrf

from sinergi.accounts import selectors as account_selectors
from sinergi.api import selectors, services
from sinergi.api.errors import ApiError, permission_denied_message


class BearerTokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        found = selectors.token_for_key(token.strip())
        if found is None:
            return None
        services.token_touch(token=found)
        request.user = found.user
        request.api_token = found  # type: ignore[attr-defined]
        return found.user


class BrowserSessionAuth(APIKeyCookie):
    """The Django session cookie; CSRF is checked only when the cookie is actually sent."""

    param_name = settings.SESSION_COOKIE_NAME

    def _get_key(self, request: HttpRequest) -> str | None:
        key = request.COOKIES.get(self.param_name)
        if not key:
            return None
        if check_csrf(request) is not None:
            raise ApiError(
                403,
                "csrf_failed",
                _(
                    "The security check of the browser session failed. Reload the page and try "
                    "again, or use a bearer token."
                ),
            )
        return key

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or not user.is_active:
            return None
        if account_selectors.user_requires_two_factor(user) and not user.is_verified():
            raise ApiError(
                401,
                "two_factor_required",
                _(
                    "Your role requires two-factor login. Enter the code from your "
                    "authenticator app in the web application first, then try again."
                ),
            )
        return user


def default_auth() -> list[Any]:
    return [BearerTokenAuth(), BrowserSessionAuth()]


def require_permission(request: HttpRequest, *codenames: str) -> None:
    """403 in the error format unless the caller holds every named permission."""
    user = request.user
    if not all(user.has_perm(codename) for codename in codenames):
        raise ApiError(403, "permission_denied", permission_denied_message())


class TokenRequestThrottle(AnonRateThrottle):
    """Token requests per client address (the lockout after failed passwords is django-axes')."""

    scope = "sinergi_token"

    def __init__(self) -> None:
        super().__init__(rate=str(settings.SINERGI.get("API_TOKEN_RATE", "30/m")))

    def get_ident(self, request: HttpRequest) -> str | None:
        # The client address the rest of Sinergi uses (the audit trail, django-axes): never a
        # client-supplied X-Forwarded-For, which would let a caller pick a fresh address per try.
        return request.META.get("REMOTE_ADDR")
