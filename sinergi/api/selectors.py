"""Reads for API tokens."""

from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from sinergi.api.models import ApiToken


def token_for_key(key: str) -> ApiToken | None:
    """The usable (not revoked, not expired) token with this key, with its active user and unit."""
    if not key or len(key) > 200:
        return None
    return (
        ApiToken.objects.select_related("user", "user__unit")
        .filter(
            key_hash=ApiToken.hash_key(key),
            revoked_at__isnull=True,
            expires_at__gt=timezone.now(),
            user__is_active=True,
        )
        .first()
    )


def token_list(*, viewer: Any) -> QuerySet[ApiToken]:
    """The viewer's own tokens, newest first."""
    return ApiToken.objects.filter(user=viewer).order_by("-created_at", "-id")
