"""Writes of the import flow: upload -> validate -> apply (one transaction, one audit event)."""

import hashlib
import logging
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.core.files import File
from django.core.files.uploadedfile import UploadedFile
from django.db import DatabaseError, transaction
from django.db.models.fields.files import FieldFile
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from sinergi.core.errors import ApplicationError
from sinergi.core.models import CoreAuditAction, ImportBatch
from sinergi.core.tabular import registry
from sinergi.core.tabular.engine import validate_sheet
from sinergi.core.tabular.readers import SpreadsheetError, check_extension, inspect_file, open_sheet
from sinergi.core.tabular.spec import ImportSpec
from sinergi.core.tabular.staging import StagedRows

logger = logging.getLogger(__name__)

Status = ImportBatch.Status
PROGRESS_SECONDS = 1.0
# core may not import the audit app (import-linter); the recorder is found by its dotted path.
DEFAULT_AUDIT_RECORDER = "sinergi.audit.services.record"


def spec_for(code: str) -> ImportSpec:
    spec = registry.get(code)
    if spec is None:
        raise ApplicationError(
            _("This import type does not exist. Open the import page from the menu again."),
            code="not_found",
        )
    return spec


def _check_permission(actor: Any, spec: ImportSpec) -> None:
    if not actor.has_perm(spec.permission):
        raise ApplicationError(
            _("Your role may not run this import. Ask the system administrator for access."),
            code="forbidden",
        )


def file_retention_days() -> int:
    """Uploaded and checked files are deleted this many days after the upload (housekeeping)."""
    days: Any = settings.SINERGI.get("IMPORT_FILE_RETENTION_DAYS", 30)
    return int(days)


def max_upload_bytes() -> int:
    return int(settings.MAX_UPLOAD_MB) * 1024 * 1024


def _too_big(size: int) -> ApplicationError:
    return ApplicationError(
        _(
            "The file is %(size)s MB; at most %(max)s MB can be uploaded. Split it into smaller "
            "files, or remove columns and sheets that are not needed."
        )
        % {"size": f"{size / 1024 / 1024:.1f}", "max": settings.MAX_UPLOAD_MB},
        code="too_large",
        field_errors={"file": [_("The file is too large.")]},
    )


def _audit_record(**kwargs: Any) -> Any:
    recorder = import_string(str(settings.SINERGI.get("AUDIT_RECORDER", DEFAULT_AUDIT_RECORDER)))
    return recorder(**kwargs)


@contextmanager
def local_path(field_file: FieldFile) -> Iterator[Path]:
    """A filesystem path for a stored file (a temporary copy when the storage is remote)."""
    try:
        yield Path(field_file.path)
        return
    except NotImplementedError:
        pass
    suffix = Path(field_file.name or "").suffix
    with tempfile.NamedTemporaryFile(suffix=suffix) as copy:
        with field_file.open("rb") as source:
            for chunk in iter(lambda: source.read(1024 * 1024), b""):
                copy.write(chunk)
        copy.flush()
        yield Path(copy.name)


@transaction.atomic
def batch_create(*, actor: Any, spec_code: str, upload: UploadedFile) -> ImportBatch:
    """Store an uploaded spreadsheet as a new batch after checking its size and its content."""
    spec = spec_for(spec_code)
    _check_permission(actor, spec)
    filename = Path(upload.name or "").name[:255] or "upload"
    if upload.size is not None and upload.size > max_upload_bytes():
        raise _too_big(upload.size)
    try:
        check_extension(filename)
    except SpreadsheetError as exc:
        raise ApplicationError(exc.message, field_errors={"file": [exc.message]}) from exc
    digest = hashlib.sha256()
    size = 0
    with tempfile.NamedTemporaryFile(suffix=Path(filename).suffix.lower()) as temporary:
        for chunk in upload.chunks():
            size += len(chunk)
            if size > max_upload_bytes():
                raise _too_big(size)
            digest.update(chunk)
            temporary.write(chunk)
        temporary.flush()
        try:
            info = inspect_file(Path(temporary.name), filename)
        except SpreadsheetError as exc:
            raise ApplicationError(exc.message, field_errors={"file": [exc.message]}) from exc
        batch = ImportBatch(
            id=uuid.uuid4(),
            spec_code=spec.code,
            original_filename=filename,
            sha256=digest.hexdigest(),
            size=size,
            file_format=info.format,
            total_rows=info.estimated_rows,
            created_by=actor,
            meta={
                "encoding": info.encoding,
                "delimiter": info.delimiter,
                "estimated": True,
                **info.details,
            },
        )
        temporary.seek(0)
        batch.file.save(f"upload{Path(filename).suffix.lower()}", File(temporary), save=False)
    batch.full_clean()
    batch.save(force_insert=True)
    return batch


def _staging_target(batch: ImportBatch) -> tuple[str, Path | None]:
    field = batch.staged_file
    name = field.field.generate_filename(batch, "staged.tsv")
    storage = field.storage
    name = storage.get_available_name(name)
    try:
        path = Path(storage.path(name))
    except NotImplementedError:
        return name, None
    path.parent.mkdir(parents=True, exist_ok=True)
    return name, path


def _file_problem(batch: ImportBatch, message: str) -> ImportBatch:
    batch.status = Status.INVALID
    batch.message = message
    batch.validated_at = timezone.now()
    batch.save()
    return batch


def _staging_file(path: Path | None) -> IO[str]:
    """The staging file itself on a local storage, else a temporary file saved afterwards."""
    if path is not None:
        return path.open("w", encoding="utf-8", newline="\n")
    return tempfile.TemporaryFile("w+", encoding="utf-8", newline="\n")


def batch_validate(*, actor: Any, batch_id: Any) -> ImportBatch:
    """Check every row of the batch's file and keep the good rows for apply (no domain writes).

    Runs outside a transaction so the progress can be seen; safe to run again (a retried job).
    """
    batch = ImportBatch.objects.select_related("created_by").get(pk=batch_id)
    if batch.status not in {Status.UPLOADED, Status.VALIDATING}:
        return batch
    spec = spec_for(batch.spec_code)
    batch.status = Status.VALIDATING
    batch.processed_rows = 0
    batch.save(update_fields=["status", "processed_rows", "updated_at"])
    actor = actor if actor is not None else batch.created_by

    last = time.monotonic()

    def progress(rows: int) -> None:
        nonlocal last
        now = time.monotonic()
        if now - last >= PROGRESS_SECONDS:
            last = now
            # updated_at doubles as the heartbeat the housekeeping looks at (stalled batches).
            ImportBatch.objects.filter(pk=batch.pk).update(
                processed_rows=rows, updated_at=timezone.now()
            )

    staged_name, staged_path = _staging_target(batch)
    info = None
    try:
        with local_path(batch.file) as path:
            info = inspect_file(path, batch.original_filename)
            with open_sheet(path, info) as sheet, _staging_file(staged_path) as staging:
                outcome = validate_sheet(
                    spec,
                    sheet,
                    actor=actor,
                    staging=staging,
                    max_errors=ImportBatch.MAX_STORED_ERRORS,
                    preview_rows=ImportBatch.PREVIEW_ROWS,
                    on_progress=progress,
                )
                if staged_path is None and outcome.staged_rows:
                    staging.seek(0)
                    staged_name = batch.staged_file.storage.save(staged_name, File(staging))
    except SpreadsheetError as exc:
        if staged_path is not None:
            staged_path.unlink(missing_ok=True)
        if info is not None:
            batch.meta = {**batch.meta, **info.details}
        return _file_problem(batch, exc.message)
    except Exception:
        logger.exception("import batch %s: validation failed", batch.pk)
        if staged_path is not None:
            staged_path.unlink(missing_ok=True)
        batch.status = Status.FAILED
        batch.message = _(
            "The file could not be checked because of an unexpected error. Try again; if it "
            "happens again, send the file to the system administrator."
        )
        batch.save()
        raise

    batch.total_rows = outcome.total_rows
    batch.processed_rows = outcome.total_rows
    batch.valid_rows = outcome.valid_rows
    batch.error_rows = outcome.error_rows
    batch.error_count = outcome.error_count
    batch.errors = outcome.errors
    batch.preview = outcome.preview
    batch.validated_at = timezone.now()
    batch.meta = {
        **batch.meta,
        **info.details,
        "estimated": False,
        "preview_headers": outcome.preview_headers,
        "ignored_headers": outcome.ignored_headers,
        "staged_fields": [list(f) for f in outcome.staged_fields],
        "present_columns": outcome.present_columns,
    }
    if outcome.total_rows == 0:
        if staged_path is not None:
            staged_path.unlink(missing_ok=True)
        return _file_problem(
            batch,
            _(
                "The file has the column headers but no data rows. Fill in the rows under the "
                "headers and upload it again."
            ),
        )
    if outcome.error_count:
        if staged_path is not None:
            staged_path.unlink(missing_ok=True)
        batch.staged_file.name = ""
        batch.status = Status.INVALID
        batch.message = ngettext(
            "%(count)d row has errors. Fix it in your file (or download the list of errors) and "
            "upload the file again; nothing has been imported.",
            "%(count)d rows have errors. Fix them in your file (or download the list of errors) "
            "and upload the file again; nothing has been imported.",
            outcome.error_rows,
        ) % {"count": outcome.error_rows}
    else:
        batch.staged_file.name = staged_name
        batch.status = Status.VALIDATED
        batch.message = ""
        batch.meta["staged_rows"] = outcome.staged_rows
    batch.save()
    return batch


def batch_mark_applying(*, actor: Any, batch_id: Any) -> ImportBatch:
    """Claim a checked batch for a background apply (so a second click does not apply it twice)."""
    with transaction.atomic():
        batch = ImportBatch.objects.select_for_update().get(pk=batch_id)
        _check_can_apply(actor, batch)
        batch.status = Status.APPLYING
        batch.processed_rows = 0
        batch.save(update_fields=["status", "processed_rows", "updated_at"])
    return batch


def _check_can_apply(actor: Any, batch: ImportBatch, *, claimed: bool = False) -> None:
    if actor is not None and batch.created_by_id != actor.pk:
        raise ApplicationError(
            _("Only the person who uploaded this file can apply it."), code="forbidden"
        )
    if batch.status == Status.APPLIED:
        raise ApplicationError(
            _("This file has already been applied. Upload it again to import it once more."),
            code="conflict",
        )
    if batch.status == Status.APPLYING and not claimed:
        raise ApplicationError(
            _("This file is being applied right now. Wait for the result on this page."),
            code="conflict",
        )
    if batch.files_purged_at is not None:
        raise ApplicationError(
            _(
                "The file of this upload was deleted after %(days)d days, as every old upload is. "
                "Upload the file again to import it."
            )
            % {"days": file_retention_days()},
            code="conflict",
        )
    allowed = {Status.APPLYING} if claimed else {Status.VALIDATED, Status.FAILED}
    if (
        batch.status not in allowed
        or batch.error_count
        or not batch.valid_rows
        or not batch.staged_file
    ):
        raise ApplicationError(
            _(
                "This file cannot be applied: it has not been checked successfully. Fix the "
                "errors and upload it again."
            ),
            code="conflict",
        )


def batch_apply(*, actor: Any, batch_id: Any, claimed: bool = False) -> ImportBatch:
    """Apply every checked row in ONE transaction, with one audit event; on failure nothing changes.

    `claimed` is True when batch_mark_applying already moved the batch to "applying" (background).
    """
    try:
        with transaction.atomic():
            batch = (
                ImportBatch.objects.select_for_update()
                .select_related("created_by")
                .get(pk=batch_id)
            )
            _check_can_apply(actor, batch, claimed=claimed)
            actor = actor if actor is not None else batch.created_by
            spec = spec_for(batch.spec_code)
            _check_permission(actor, spec)
            fields = [tuple(f) for f in batch.meta.get("staged_fields", [])]
            with local_path(batch.staged_file) as path:
                rows = StagedRows(
                    path, fields, int(batch.meta.get("staged_rows", batch.valid_rows))
                )
                run = spec.copy_for_run(present_columns=batch.meta.get("present_columns", []))
                result = run.apply(rows, actor=actor, batch=batch)
            batch.status = Status.APPLIED
            batch.created_count = result.created
            batch.updated_count = result.updated
            batch.unchanged_count = result.unchanged
            batch.processed_rows = batch.total_rows
            batch.applied_at = timezone.now()
            batch.message = ""
            batch.save()
            _audit_record(
                actor=actor,
                action=CoreAuditAction.IMPORT_APPLIED,
                target=batch,
                extra={
                    "spec": batch.spec_code,
                    "filename": batch.original_filename,
                    "sha256": batch.sha256,
                    "rows": batch.valid_rows,
                    "created": result.created,
                    "updated": result.updated,
                    "unchanged": result.unchanged,
                },
            )
            return batch
    except ApplicationError as exc:
        if exc.code in {"forbidden", "conflict", "not_found"}:
            if claimed:
                _mark_failed(batch_id, exc.message)
            raise
        _mark_failed(batch_id, _apply_failed_message(exc.message))
        raise ApplicationError(_apply_failed_message(exc.message)) from exc
    except DatabaseError as exc:
        logger.warning("import batch %s: apply failed: %s", batch_id, type(exc).__name__)
        message = _apply_failed_message(
            _("the database refused a row (%(problem)s)") % {"problem": str(exc)[:300]}
        )
        _mark_failed(batch_id, message)
        raise ApplicationError(message) from exc
    except Exception:
        logger.exception("import batch %s: apply failed", batch_id)
        _mark_failed(
            batch_id,
            _apply_failed_message(
                _("an unexpected error happened; the system administrator can see the details")
            ),
        )
        raise


def _apply_failed_message(problem: str) -> str:
    return _(
        "Nothing was imported: %(problem)s. Fix the file and upload it again, or try again."
    ) % {"problem": problem.rstrip(".")}


def _mark_failed(batch_id: Any, message: str) -> None:
    # Never over an applied batch (e.g. a background job that ran twice).
    ImportBatch.objects.filter(pk=batch_id).exclude(status=Status.APPLIED).update(
        status=Status.FAILED, message=message, updated_at=timezone.now()
    )
