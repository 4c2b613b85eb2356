"""A message for one user, shown under the bell in the navbar (and optionally sent by email)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _


def validate_internal_path(value: str) -> None:
    """Only a path of this site ("/rehabilitasi/kasus/12/"), never another host or a script."""
    if not value:
        return
    if (
        not value.startswith("/")
        or value.startswith("//")
        or "\\" in value
        or not url_has_allowed_host_and_scheme(value, allowed_hosts=set())
    ):
        raise ValidationError(
            _("The link must be a path inside Sinergi that starts with /, for example /bantuan/."),
            code="external_url",
        )


class Notification(models.Model):
    class Level(models.TextChoices):
        INFO = "info", _("Information")
        SUCCESS = "success", _("Success")
        WARNING = "warning", _("Warning")
        DANGER = "danger", _("Urgent")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("recipient"),
        db_index=False,  # the composite indexes below start with recipient
    )
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("message"), blank=True)
    url = models.CharField(
        _("link"), max_length=500, blank=True, validators=[validate_internal_path]
    )
    level = models.CharField(_("level"), max_length=10, choices=Level.choices, default=Level.INFO)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    # Set by the sender to make notify() idempotent ("budget.deadline:2026-06:unit-12").
    dedupe_key = models.CharField(_("deduplication key"), max_length=200, null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "dedupe_key"], name="notification_dedupe_per_recipient"
            )
        ]
        indexes = [
            models.Index(fields=["recipient", "-created_at"], name="notification_inbox_idx"),
            # The bell's unread count reads only this small partial index.
            models.Index(
                fields=["recipient"],
                condition=models.Q(read_at__isnull=True),
                name="notification_unread_idx",
            ),
            models.Index(fields=["created_at"], name="notification_created_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_read(self) -> bool:
        return self.read_at is not None
