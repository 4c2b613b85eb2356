"""What every model needs, and the platform tables core owns (import batches, export jobs)."""

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
    DATA_EXPORTED = "core.data_exported", _("Data exported")
    FILES_PURGED = "core.files_purged", _("Old import and export files deleted")
    STALLED_WORK_FAILED = "core.stalled_work_failed", _("Stalled imports and exports stopped")


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
    # Set by the daily housekeeping when the uploaded and checked files were deleted (the row and
    # its counts stay for the record).
    files_purged_at = models.DateTimeField(_("files deleted at"), null=True, blank=True)

    class Meta:
        verbose_name = _("import batch")
        verbose_name_plural = _("import batches")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(
                fields=["created_by", "-created_at", "-id"], name="import_owner_recent_idx"
            ),
            models.Index(fields=["spec_code", "sha256"], name="import_spec_sha_idx"),
            # Housekeeping: stalled batches (by status and last progress) and old files.
            models.Index(fields=["status", "updated_at"], name="import_status_updated_idx"),
            models.Index(
                fields=["created_at"],
                name="import_files_kept_idx",
                condition=models.Q(files_purged_at__isnull=True),
            ),
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
            self.status == self.Status.VALIDATED
            and self.error_count == 0
            and self.valid_rows > 0
            and self.files_purged_at is None
        )

    @property
    def progress_percent(self) -> int:
        if self.status in {self.Status.APPLIED, self.Status.VALIDATED, self.Status.INVALID}:
            return 100
        if not self.total_rows:
            return 0
        return max(0, min(100, int(self.processed_rows * 100 / self.total_rows)))


def export_file_path(instance: "ExportJob", filename: str) -> str:
    # Never a name derived from the data: the download name is kept in `filename`.
    return f"exports/{timezone.now():%Y/%m}/{instance.pk}.{instance.file_format}"


class ExportJob(BaseModel):
    """A big export written in the background; only the person who asked for it may download it."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting")
        RUNNING = "running", _("Writing")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    class Format(models.TextChoices):
        XLSX = "xlsx", _("Excel (.xlsx)")
        CSV = "csv", _("CSV")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="export_jobs",
        verbose_name=_("requested by"),
    )
    title = models.CharField(_("title"), max_length=200)
    source_code = models.CharField(_("export source"), max_length=100)
    params = models.JSONField(_("filters"), default=dict, blank=True)
    file_format = models.CharField(_("format"), max_length=4, choices=Format.choices)
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.QUEUED
    )
    estimated_rows = models.PositiveIntegerField(_("estimated rows"), null=True, blank=True)
    processed_rows = models.PositiveIntegerField(_("rows written"), default=0)
    row_count = models.PositiveIntegerField(_("rows"), null=True, blank=True)
    filename = models.CharField(_("download name"), max_length=120)
    file = models.FileField(_("file"), upload_to=export_file_path, max_length=255, blank=True)
    message = models.TextField(_("message"), blank=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    files_purged_at = models.DateTimeField(_("file deleted at"), null=True, blank=True)

    class Meta:
        verbose_name = _("export job")
        verbose_name_plural = _("export jobs")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(
                fields=["requested_by", "-created_at", "-id"], name="export_owner_recent_idx"
            ),
            models.Index(fields=["status", "updated_at"], name="export_status_updated_idx"),
            models.Index(
                fields=["created_at"],
                name="export_files_kept_idx",
                condition=models.Q(files_purged_at__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.source_code} {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def is_running(self) -> bool:
        return self.status in {self.Status.QUEUED, self.Status.RUNNING}

    @property
    def can_download(self) -> bool:
        return self.status == self.Status.DONE and bool(self.file) and self.files_purged_at is None

    @property
    def progress_percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        if not self.estimated_rows:
            return 0
        return max(0, min(99, int(self.processed_rows * 100 / self.estimated_rows)))
