"""Reads for accounts, scoped to the viewer."""

import datetime as dt
from typing import Any

from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from sinergi.accounts.models import Role, User
from sinergi.accounts.permissions import access_object, scope_queryset

USER_LIST_ORDERING = ("username", "pk")


def user_requires_two_factor(user: Any) -> bool:
    """Whether any of the user's roles requires a TOTP second factor (cached per request)."""
    cached = getattr(user, "_sinergi_requires_2fa", None)
    if cached is None:
        cached = user.roles.filter(requires_two_factor=True).exists()
        user._sinergi_requires_2fa = cached
    return bool(cached)


def confirmed_totp_device(user: Any) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def user_list(*, viewer: Any, search: str = "", unit: Any = None) -> QuerySet[User]:
    """Users of the viewer's scope, with their unit and roles; `unit` keeps that unit's subtree."""
    qs = scope_queryset(User.objects.all(), viewer).select_related("unit").prefetch_related("roles")
    if search:
        qs = qs.filter(Q(username__icontains=search) | Q(full_name__icontains=search))
    if unit is not None:
        qs = qs.filter(unit__path__startswith=unit.path)
    return qs.order_by(*USER_LIST_ORDERING)


def user_get(*, viewer: Any, pk: Any) -> User:
    """One user of the viewer's scope, or Http404 for missing and out-of-scope alike."""
    return access_object(
        User.objects.select_related("unit").prefetch_related("roles"), viewer, pk=pk
    )


def role_list() -> QuerySet[Role]:
    """Every role, for the role checkboxes."""
    return Role.objects.order_by("name")


def user_is_locked_out(user: User, *, now: dt.datetime | None = None) -> bool:
    """Whether too many wrong passwords currently lock `user` out (from any address)."""
    cool_off = dt.timedelta(hours=float(settings.AXES_COOLOFF_TIME))
    since = (now or timezone.now()) - cool_off
    return AccessAttempt.objects.filter(
        username=user.username,
        failures_since_start__gte=settings.AXES_FAILURE_LIMIT,
        attempt_time__gte=since,
    ).exists()
