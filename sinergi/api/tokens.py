"""POST /api/v1/auth/token issues a personal token; DELETE revokes the token of the request."""

from typing import Any

from axes.helpers import get_cool_off
from django.contrib.auth import authenticate, user_logged_in
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Status

from sinergi.accounts import selectors as account_selectors
from sinergi.accounts import services as account_services
from sinergi.api import services
from sinergi.api.auth import TokenRequestThrottle
from sinergi.api.errors import ApiError
from sinergi.api.schemas import TokenIn, TokenOut, error_responses

router = Router(tags=["auth"])


def _locked_out(request: HttpRequest) -> ApiError:
    # Our JSON answer replaces the HTML lockout page django-axes' middleware would render.
    request.axes_locked_out = False  # type: ignore[attr-defined]
    cool_off = get_cool_off(request)
    minutes = max(1, int(cool_off.total_seconds() // 60)) if cool_off else 15
    return ApiError(
        429,
        "locked_out",
        _(
            "Too many failed sign-in attempts for this account from this address. Wait "
            "%(minutes)s minutes, or ask the system administrator to unlock the account."
        )
        % {"minutes": minutes},
    )


@router.post(
    "/token",
    auth=None,
    throttle=[TokenRequestThrottle()],
    response={201: TokenOut, **error_responses(400, 401, 403, 429)},
    summary="Issue a personal API token",
)
def token_create(request: HttpRequest, payload: TokenIn) -> Any:
    """Exchange username and password (and, for roles with two-factor login, a TOTP code) for a
    bearer token. Five failed passwords lock the account out for this address (django-axes)."""
    user = authenticate(request, username=payload.username, password=payload.password)
    if getattr(request, "axes_locked_out", False):
        raise _locked_out(request)
    if user is None:
        raise ApiError(
            401,
            "invalid_credentials",
            _("The username or password is wrong. Check them and try again."),
        )
    if getattr(user, "must_change_password", False):
        raise ApiError(
            403,
            "password_change_required",
            _(
                "Your password was set by an administrator. Sign in to the web application and "
                "choose your own password, then request the token again."
            ),
        )
    if account_selectors.user_requires_two_factor(user):
        device = account_selectors.confirmed_totp_device(user)
        if device is None:
            raise ApiError(
                403,
                "two_factor_setup_required",
                _(
                    "Your role requires two-factor login, which is not set up yet. Sign in to the "
                    "web application once to set it up, then request the token with a code."
                ),
            )
        if not payload.otp:
            raise ApiError(
                400,
                "otp_required",
                _("Your role requires two-factor login. Send the current code in “otp”."),
                fields={"otp": [_("Enter the 6-digit code from your authenticator app.")]},
            )
        result = account_services.totp_verify(actor=user, device=device, token=payload.otp)
        if result == account_services.TotpResult.THROTTLED:
            raise ApiError(
                429,
                "otp_throttled",
                _("Too many wrong codes in a row. Wait a minute, then send the newest code."),
            )
        if result != account_services.TotpResult.OK:
            raise ApiError(
                401,
                "invalid_otp",
                _("That code is not valid. Check the time on your phone and send the newest code."),
                fields={"otp": [_("The code is wrong or expired.")]},
            )
    token, key = services.token_issue(actor=user, user=user, name=payload.name)
    # A token request is a sign-in: update last_login and reset django-axes' failure count.
    user_logged_in.send(sender=type(user), request=request, user=user)
    return Status(
        201,
        {
            "token": key,
            "expires_at": token.expires_at,
            "name": token.name,
            "key_prefix": token.key_prefix,
        },
    )


@router.delete(
    "/token",
    response={204: None, **error_responses(400, 401)},
    summary="Revoke the token used for this request",
)
def token_delete(request: HttpRequest) -> Any:
    """Revoke the bearer token sent with this request; it stops working at once."""
    token = getattr(request, "api_token", None)
    if token is None:
        raise ApiError(
            400,
            "no_token",
            _("This request was not made with a bearer token, so there is no token to revoke."),
        )
    services.token_revoke(actor=request.user, token=token)
    return Status(204, None)
