"""Writes for accounts: role sync, user creation and changes, each audited."""

import secrets
from enum import StrEnum
from typing import Any

from axes.utils import reset as axes_reset
from django.contrib.auth.models import Permission
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.module_loading import autodiscover_modules, import_string
from django.utils.translation import gettext as _
from django_otp.models import VerifyNotAllowed
from django_otp.plugins.otp_totp.models import TOTPDevice

from sinergi.accounts.models import Role, User
from sinergi.accounts.permissions import unit_in_scope
from sinergi.audit import services as audit
from sinergi.core.errors import ApplicationError


def collect_grants() -> dict[str, set[str]]:
    """Every app's roles.GRANTS merged (apps are discovered, never imported by name)."""
    from django.apps import apps

    grants: dict[str, set[str]] = {}
    autodiscover_modules("roles")
    for config in apps.get_app_configs():
        try:
            app_grants = import_string(f"{config.name}.roles.GRANTS")
        except ImportError:
            continue
        for role_code, codenames in app_grants.items():
            grants.setdefault(role_code, set()).update(codenames)
    return grants


@transaction.atomic
def roles_sync(*, actor: Any = None) -> list[Role]:
    """Create or update the roles of accounts.roles.ROLES with every app's grants."""
    from sinergi.accounts.roles import ROLES

    grants = collect_grants()
    roles = []
    for code, name, scope, two_factor, description in ROLES:
        role, _created = Role.objects.update_or_create(
            code=code,
            defaults={
                "name": str(name),
                "scope": scope,
                "requires_two_factor": two_factor,
                "description": str(description),
            },
        )
        wanted = grants.get(code, set())
        permissions = []
        for codename in sorted(wanted):
            app_label, _dot, perm = codename.partition(".")
            found = Permission.objects.filter(
                content_type__app_label=app_label, codename=perm
            ).first()
            if found is None:
                raise ApplicationError(
                    _("Permission %(codename)s named for role %(role)s does not exist.")
                    % {"codename": codename, "role": code}
                )
            permissions.append(found)
        role.permissions.set(permissions)
        roles.append(role)
    audit.record(
        actor=actor, action="accounts.roles_synced", extra={"roles": [r.code for r in roles]}
    )
    return roles


# Readable initial passwords: no 0/O, 1/l/I look-alikes; 3 groups of 4 = ~70 bits.
_PASSWORD_ALPHABET = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
USER_FIELDS = ["full_name", "email", "unit", "is_active"]


def generate_password() -> str:
    """A random initial password such as `k7Qm-4xPa-Tz9R`, easy to read out and type."""
    groups = ["".join(secrets.choice(_PASSWORD_ALPHABET) for _i in range(4)) for _g in range(3)]
    return "-".join(groups)


def _check_password(password: str, user: User) -> None:
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ApplicationError(
            _("The password is not strong enough: %(reasons)s Choose another one.")
            % {"reasons": " ".join(exc.messages)},
            field_errors={"password": exc.messages},
        ) from exc


def _roles_for(role_codes: list[str]) -> list[Role]:
    roles = list(Role.objects.filter(code__in=role_codes))
    missing = set(role_codes) - {r.code for r in roles}
    if missing:
        raise ApplicationError(
            _("Unknown role(s): %(roles)s. Run the role synchronisation or pick another role.")
            % {"roles": ", ".join(sorted(missing))},
            field_errors={"roles": [_("Unknown role.")]},
        )
    return roles


def _check_unit(actor: Any, unit: Any) -> None:
    if actor is not None and not unit_in_scope(actor, unit):
        raise ApplicationError(
            _(
                "You can only place users in your own unit or the units below it. Choose one of those."
            ),
            field_errors={"unit": [_("This unit is outside your scope.")]},
        )


@transaction.atomic
def user_create(
    *,
    actor: Any,
    username: str,
    full_name: str,
    unit: Any,
    role_codes: list[str],
    password: str | None = None,
    email: str = "",
    must_change_password: bool = False,
) -> User:
    """Create a user in `unit` with the named roles; `password` is checked by the validators.

    Without a password the account cannot log in until an administrator sets one
    (see user_password_reset, which can generate one). With `must_change_password` (an initial
    password an administrator chose or read out), the user must choose their own at first sign-in.
    """
    username = username.strip()
    if User.objects.filter(username__iexact=username).exists():
        raise ApplicationError(
            _("The username %(username)s is already taken. Choose another one.")
            % {"username": username},
            field_errors={"username": [_("This username is already taken.")]},
        )
    _check_unit(actor, unit)
    roles = _roles_for(role_codes)
    user = User(username=username, full_name=full_name, unit=unit, email=email)
    user.must_change_password = bool(password) and must_change_password
    if password:
        _check_password(password, user)
        user.set_password(password)
    else:
        user.set_unusable_password()
    try:
        user.full_clean(exclude=["password"])
    except ValidationError as exc:
        raise ApplicationError(
            _("The user could not be saved. Correct the marked fields."),
            field_errors=exc.message_dict,
        ) from exc
    user.save()
    user.roles.set(roles)
    audit.record(
        actor=actor,
        action="accounts.user_created",
        target=user,
        changes={
            "username": [None, username],
            "unit": [None, getattr(unit, "pk", None)],
            "roles": [None, sorted(role_codes)],
        },
    )
    return user


@transaction.atomic
def user_update(
    *,
    actor: Any,
    user: User,
    full_name: str,
    email: str,
    unit: Any,
    role_codes: list[str],
    is_active: bool,
) -> User:
    """Change a user's name, email, unit, roles and active flag (audited with before/after)."""
    if user.pk == getattr(actor, "pk", None):
        if not is_active:
            raise ApplicationError(
                _("You cannot deactivate your own account. Ask another administrator to do it."),
                field_errors={"is_active": [_("You cannot deactivate yourself.")]},
            )
        own_admin = user.roles.filter(code="system_admin").exists()
        if own_admin and "system_admin" not in role_codes:
            raise ApplicationError(
                _(
                    "You cannot remove the System administrator role from your own account. "
                    "Ask another administrator to do it."
                ),
                field_errors={"roles": [_("Keep your own administrator role.")]},
            )
    _check_unit(actor, unit)
    roles = _roles_for(role_codes)
    before = {
        **audit.snapshot(user, USER_FIELDS),
        "roles": sorted(user.roles.values_list("code", flat=True)),
    }
    user.full_name = full_name
    user.email = email
    user.unit = unit
    user.is_active = is_active
    try:
        user.full_clean(exclude=["password"])
    except ValidationError as exc:
        raise ApplicationError(
            _("The user could not be saved. Correct the marked fields."),
            field_errors=exc.message_dict,
        ) from exc
    user.save(update_fields=USER_FIELDS)
    user.roles.set(roles)
    after = {**audit.snapshot(user, USER_FIELDS), "roles": sorted(role_codes)}
    changes = audit.changes_between(before, after)
    if changes:
        audit.record(actor=actor, action="accounts.user_updated", target=user, changes=changes)
    return user


@transaction.atomic
def user_password_reset(*, actor: Any, user: User, password: str | None = None) -> str:
    """Set a new password for another user (generated when not given) and lift any lockout.

    Returns the new password so it can be shown once; it is never stored in clear or audited.
    """
    if user.pk == getattr(actor, "pk", None):
        raise ApplicationError(
            _("To change your own password, use Change password on your account page."),
        )
    password = password or generate_password()
    _check_password(password, user)
    user.set_password(password)
    user.must_change_password = True
    user.save(update_fields=["password", "must_change_password"])
    axes_reset(username=user.username)
    audit.record(actor=actor, action="accounts.password_reset", target=user, kind="security")
    return password


@transaction.atomic
def user_unlock(*, actor: Any, user: User) -> int:
    """Lift a lockout after too many wrong passwords; returns the number of attempt records removed."""
    removed = axes_reset(username=user.username)
    audit.record(
        actor=actor,
        action="accounts.user_unlocked",
        target=user,
        kind="security",
        extra={"attempt_records_removed": removed},
    )
    return removed


@transaction.atomic
def password_changed(*, actor: Any) -> None:
    """Record that the user changed their own password (the change itself is Django's), which
    lifts a pending "must change password" after an administrator's reset."""
    if getattr(actor, "must_change_password", False):
        actor.must_change_password = False
        actor.save(update_fields=["must_change_password"])
    audit.record(actor=actor, action="accounts.password_changed", target=actor, kind="security")


@transaction.atomic
def totp_device_pending(*, actor: Any) -> Any:
    """The user's unconfirmed TOTP device, created on first need."""
    device = TOTPDevice.objects.filter(user=actor, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=actor, name="default", confirmed=False)
    return device


class TotpResult(StrEnum):
    OK = "ok"
    WRONG = "wrong"
    THROTTLED = "throttled"  # too many wrong codes in a row: wait before the next try


@transaction.atomic
def totp_verify(*, actor: Any, device: Any, token: str) -> TotpResult:
    """Check a TOTP code; the first good code confirms a new device. Audited either way."""
    allowed, details = device.verify_is_allowed()
    if not allowed and (details or {}).get("reason") == VerifyNotAllowed.N_FAILED_ATTEMPTS:
        audit.record(
            actor=actor, action="accounts.two_factor_throttled", target=actor, kind="security"
        )
        return TotpResult.THROTTLED
    ok = bool(device.verify_token(token))
    if ok and not device.confirmed:
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        audit.record(
            actor=actor, action="accounts.two_factor_enabled", target=actor, kind="security"
        )
    elif not ok:
        audit.record(
            actor=actor, action="accounts.two_factor_failed", target=actor, kind="security"
        )
    return TotpResult.OK if ok else TotpResult.WRONG


@transaction.atomic
def user_two_factor_reset(*, actor: Any, user: User) -> int:
    """Remove a user's authenticator devices (lost phone); the next login sets up a new one."""
    if user.pk == getattr(actor, "pk", None):
        raise ApplicationError(
            _("You cannot remove your own authenticator. Ask another administrator to do it.")
        )
    removed, _per_model = TOTPDevice.objects.filter(user=user).delete()
    audit.record(
        actor=actor,
        action="accounts.two_factor_reset",
        target=user,
        kind="security",
        extra={"devices_removed": removed},
    )
    return removed
