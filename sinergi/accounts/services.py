"""Writes for accounts: role sync, user creation and changes, each audited."""

from typing import Any

from django.contrib.auth.models import Permission
from django.db import transaction
from django.utils.module_loading import autodiscover_modules, import_string
from django.utils.translation import gettext as _

from sinergi.accounts.models import Role, User
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
) -> User:
    """Create a user in `unit` with the named roles."""
    if User.objects.filter(username__iexact=username).exists():
        raise ApplicationError(
            _("The username %(username)s is already taken. Choose another one.")
            % {"username": username},
            field_errors={"username": [_("This username is already taken.")]},
        )
    roles = list(Role.objects.filter(code__in=role_codes))
    missing = set(role_codes) - {r.code for r in roles}
    if missing:
        raise ApplicationError(
            _("Unknown role(s): %(roles)s.") % {"roles": ", ".join(sorted(missing))}
        )
    user = User(username=username, full_name=full_name, unit=unit, email=email)
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.full_clean(exclude=["password"])
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
def password_changed(*, actor: Any) -> None:
    """Record that the user changed their own password (the change itself is Django's)."""
    audit.record(actor=actor, action="accounts.password_changed", target=actor, kind="security")


@transaction.atomic
def totp_device_pending(*, actor: Any) -> Any:
    """The user's unconfirmed TOTP device, created on first need."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=actor, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=actor, name="default", confirmed=False)
    return device


@transaction.atomic
def totp_verify(*, actor: Any, device: Any, token: str) -> bool:
    """Check a TOTP code; the first good code confirms a new device. Audited either way."""
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
    return ok
