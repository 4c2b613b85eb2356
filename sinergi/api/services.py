"""Writes for API tokens: issue and revoke, both audited as security events."""

import datetime as dt
import secrets
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sinergi.api.models import ApiToken, AuditAction
from sinergi.audit import services as audit
from sinergi.core.errors import ApplicationError

KEY_PREFIX = "sng_"
DEFAULT_TOKEN_DAYS = 30
# last_used_at is refreshed at most this often, so reading the API does not write on every request.
TOUCH_INTERVAL = dt.timedelta(minutes=1)


def token_lifetime() -> dt.timedelta:
    days = int(str(settings.SINERGI.get("API_TOKEN_DAYS", DEFAULT_TOKEN_DAYS)))
    return dt.timedelta(days=days)


@transaction.atomic
def token_issue(*, actor: Any, user: Any, name: str = "") -> tuple[ApiToken, str]:
    """Create a token for `user`; returns the token and its key (shown once, never stored)."""
    if not getattr(user, "is_active", False):
        raise ApplicationError(
            _("This account is not active. Ask the system administrator to activate it."),
            code="inactive_user",
        )
    key = KEY_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        user=user,
        name=name.strip(),
        key_prefix=key[:12],
        key_hash=ApiToken.hash_key(key),
        expires_at=timezone.now() + token_lifetime(),
    )
    token.full_clean()
    token.save()
    audit.record(
        actor=actor,
        action=AuditAction.TOKEN_CREATED,
        target=token,
        changes={"expires_at": [None, token.expires_at.isoformat()]},
        extra={"name": token.name, "key_prefix": token.key_prefix},
        kind="security",
    )
    return token, key


@transaction.atomic
def token_revoke(*, actor: Any, token: ApiToken) -> ApiToken:
    """Revoke `token` now (idempotent: an already revoked token stays as it was)."""
    if token.revoked_at is not None:
        return token
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    audit.record(
        actor=actor,
        action=AuditAction.TOKEN_REVOKED,
        target=token,
        changes={"revoked_at": [None, token.revoked_at.isoformat()]},
        kind="security",
    )
    return token


def token_touch(*, token: ApiToken) -> None:
    """Remember when a token was last used (at most once a minute; not audited: no data changes)."""
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= TOUCH_INTERVAL:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
