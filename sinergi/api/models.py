"""Personal API tokens: only a SHA-256 hash of the key is stored; the key is shown once."""

import hashlib

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AuditAction(models.TextChoices):
    """The audit actions of this app (AuditEvent.action values)."""

    TOKEN_CREATED = "api.token_created", _("API token created")
    TOKEN_REVOKED = "api.token_revoked", _("API token revoked")


class ApiToken(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="api_tokens",
        verbose_name=_("user"),
    )
    name = models.CharField(_("name"), max_length=100, blank=True)
    # The first characters of the key, to recognise a token in lists without revealing it.
    key_prefix = models.CharField(_("key prefix"), max_length=16)
    key_hash = models.CharField(_("key hash"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires at"))
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "created_at"], name="api_token_user_time_idx")]

    def __str__(self) -> str:
        return f"{self.name or _('API token')} ({self.key_prefix}…)"

    @staticmethod
    def hash_key(key: str) -> str:
        """The stored form of a key: keys are long random strings, so plain SHA-256 is enough."""
        return hashlib.sha256(key.encode()).hexdigest()

    @property
    def is_usable(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()
