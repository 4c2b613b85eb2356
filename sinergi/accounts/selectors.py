"""Reads for accounts, scoped to the viewer."""

from typing import Any

from django.db.models import QuerySet
from django_otp.plugins.otp_totp.models import TOTPDevice

from sinergi.accounts.models import User
from sinergi.accounts.permissions import scope_queryset


def user_requires_two_factor(user: Any) -> bool:
    """Whether any of the user's roles requires a TOTP second factor (cached per request)."""
    cached = getattr(user, "_sinergi_requires_2fa", None)
    if cached is None:
        cached = user.roles.filter(requires_two_factor=True).exists()
        user._sinergi_requires_2fa = cached
    return bool(cached)


def confirmed_totp_device(user: Any) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def user_list(*, viewer: Any, search: str = "") -> QuerySet[User]:
    """Users of the viewer's scope, with their unit and roles."""
    qs = scope_queryset(User.objects.all(), viewer).select_related("unit").prefetch_related("roles")
    if search:
        qs = qs.filter(username__icontains=search) | qs.filter(full_name__icontains=search)
    return qs.order_by("username", "pk")
