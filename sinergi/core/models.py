"""What every model needs, and the platform tables core owns (spreadsheet import batches)."""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class BaseModel(models.Model):
    """Abstract base: creation and modification timestamps on every domain table."""

    created_at = models.DateTimeField(auto_now_add=True, editable=False)
    updated_at = models.DateTimeField(auto_now=True, editable=False)

    class Meta:
        abstract = True


class CoreAuditAction(models.TextChoices):
    """The audit actions core writes (AuditEvent.action values)."""

    IMPORT_APPLIED = "core.import_applied", _("Spreadsheet import applied")


def import_upload_path(instance: "ImportBatch", filename: str) -> str:
    # Never the user's file name on disk: it may carry personal data.
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"imports/{timezone.now():%Y/%m}/{instance.pk}.{suffix[:5]}"


def import_staging_path(instance: "ImportBatch", filename: str) -> str:
    return f"imports/{timezone.now():%Y/%m}/{instance.pk}.staged.tsv"


class ImportBatch(BaseModel):
    """One uploaded spreadsheet going through validate -> preview -> apply (ARCHITECTURE.md, 8)."""

    class Status(models.TextChoices):
        UPLOADED = "uploaded", _("Uploaded")
        VALIDATING = "validating", _("Checking")
        VALIDATED = "validated", _("Ready to apply")
        INVALID = "invalid", _("Has errors")
        APPLYING = "applying", _("Applying")
        APPLIED = "applied", _("Applied")
        FAILED = "failed", _("Failed")

    # The errors JSON keeps at most this many entries; `error_count` keeps the exact number.
    MAX_STORED_ERRORS = 10_000
    PREVIEW_ROWS = 20

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    spec_code = models.CharField(_("import type"), max_length=100)
    original_filename = models.CharField(_("file name"), max_length=255)
    file = models.FileField(_("file"), upload_to=import_upload_path, max_length=255)
    staged_file = models.FileField(
        _("checked rows"), upload_to=import_staging_path, max_length=255, blank=True
    )
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    file_format = models.CharField(_("format"), max_length=10, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.UPLOADED
    )
    total_rows = models.PositiveIntegerField(_("rows"), default=0)
    valid_rows = models.PositiveIntegerField(_("valid rows"), default=0)
    error_rows = models.PositiveIntegerField(_("rows with errors"), default=0)
    error_count = models.PositiveIntegerField(_("errors"), default=0)
    processed_rows = models.PositiveIntegerField(_("rows processed"), default=0)
    errors = models.JSONField(_("errors"), default=list, blank=True)
    preview = models.JSONField(_("preview"), default=list, blank=True)
    meta = models.JSONField(_("details"), default=dict, blank=True)
    created_count = models.PositiveIntegerField(_("created"), default=0)
    updated_count = models.PositiveIntegerField(_("updated"), default=0)
    unchanged_count = models.PositiveIntegerField(_("unchanged"), default=0)
    message = models.TextField(_("message"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="import_batches",
        verbose_name=_("uploaded by"),
    )
    validated_at = models.DateTimeField(_("checked at"), null=True, blank=True)
    applied_at = models.DateTimeField(_("applied at"), null=True, blank=True)

    class Meta:
        verbose_name = _("import batch")
        verbose_name_plural = _("import batches")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(
                fields=["created_by", "-created_at", "-id"], name="import_owner_recent_idx"
            ),
            models.Index(fields=["spec_code", "sha256"], name="import_spec_sha_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.spec_code} {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def is_running(self) -> bool:
        return self.status in {
            self.Status.UPLOADED,
            self.Status.VALIDATING,
            self.Status.APPLYING,
        }

    @property
    def can_apply(self) -> bool:
        return (
            self.status == self.Status.VALIDATED and self.error_count == 0 and self.valid_rows > 0
        )

    @property
    def progress_percent(self) -> int:
        if self.status in {self.Status.APPLIED, self.Status.VALIDATED, self.Status.INVALID}:
            return 100
        if not self.total_rows:
            return 0
        return max(0, min(100, int(self.processed_rows * 100 / self.total_rows)))
