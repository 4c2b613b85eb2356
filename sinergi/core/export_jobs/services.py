"""Writes of exports: a small one written at once, a big one as a job; one audit event per export."""

import logging
import tempfile
import time
from collections.abc import Iterable, Iterator
from typing import IO, Any

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from sinergi.core.errors import ApplicationError
from sinergi.core.exports import EXPORT_FORMATS, ExportSource, TooManyRows, get_source
from sinergi.core.models import CoreAuditAction, ExportJob

logger = logging.getLogger(__name__)

Status = ExportJob.Status
PROGRESS_SECONDS = 1.0
# core may not import the audit app (import-linter); the recorder is found by its dotted path.
DEFAULT_AUDIT_RECORDER = "sinergi.audit.services.record"


def _audit_record(**kwargs: Any) -> Any:
    recorder = import_string(str(settings.SINERGI.get("AUDIT_RECORDER", DEFAULT_AUDIT_RECORDER)))
    return recorder(**kwargs)


def source_for(code: str) -> ExportSource:
    source = get_source(code)
    if source is None:
        raise ApplicationError(
            _("This export does not exist any more. Open the list you exported from again."),
            code="not_found",
        )
    return source


def check_allowed(actor: Any, source: ExportSource, file_format: str) -> None:
    """The actor may export `source` as `file_format`, else ApplicationError."""
    if file_format not in EXPORT_FORMATS:
        raise ApplicationError(
            _("Exports are made as .xlsx or .csv. Choose one of them."), code="invalid"
        )
    if (
        actor is None
        or not getattr(actor, "is_active", False)
        or not actor.has_perm(source.permission)
    ):
        raise ApplicationError(
            _("Your role may not export this data. Ask the system administrator for access."),
            code="forbidden",
        )


def _record_export(
    *,
    actor: Any,
    source: ExportSource,
    params: dict[str, Any],
    file_format: str,
    rows: int,
    job: ExportJob | None = None,
) -> None:
    if source.record_export is not None:
        source.record_export(actor=actor, params=params, file_format=file_format, rows=rows)
        return
    _audit_record(
        actor=actor,
        action=CoreAuditAction.DATA_EXPORTED,
        target=job,
        extra={"source": source.code, "filters": params, "format": file_format, "rows": rows},
        kind="read" if source.personal_data else "security",
    )


def export_write(
    *,
    actor: Any,
    source_code: str,
    params: dict[str, Any],
    file_format: str,
    fileobj: IO[bytes],
    rows: Iterable[Any] | None = None,
) -> int:
    """Write a (small) export to `fileobj` now and audit it; returns the number of rows written.

    `rows` are the source's rows for this actor and filters when the caller already has them."""
    source = source_for(source_code)
    check_allowed(actor, source, file_format)
    if rows is None:
        rows = source.rows(actor, params)
    try:
        count = source.write(fileobj, file_format=file_format, rows=rows)
    except TooManyRows as exc:
        raise ApplicationError(exc.message, code="too_large") from exc
    with transaction.atomic():
        _record_export(
            actor=actor, source=source, params=params, file_format=file_format, rows=count
        )
    return count


@transaction.atomic
def export_job_create(
    *,
    actor: Any,
    source_code: str,
    params: dict[str, Any],
    file_format: str,
    estimated_rows: int | None = None,
) -> ExportJob:
    """Queue a big export for the background; the caller enqueues the task after commit."""
    source = source_for(source_code)
    check_allowed(actor, source, file_format)
    job = ExportJob(
        requested_by=actor,
        title=str(source.title)[:200],
        source_code=source.code,
        params=params,
        file_format=file_format,
        estimated_rows=estimated_rows,
        filename=source.download_name(file_format),
    )
    job.full_clean()
    job.save(force_insert=True)
    return job


class _Progress:
    """Counts the rows going by and saves the count every second (the page polls it)."""

    def __init__(self, job_id: Any, rows: Iterable[Any]) -> None:
        self.job_id = job_id
        self.rows = rows

    def __iter__(self) -> Iterator[Any]:
        last = time.monotonic()
        for count, row in enumerate(self.rows, start=1):
            yield row
            if count % 500 == 0 and (now := time.monotonic()) - last >= PROGRESS_SECONDS:
                last = now
                # updated_at doubles as the heartbeat the housekeeping looks at.
                ExportJob.objects.filter(pk=self.job_id).update(
                    processed_rows=count, updated_at=timezone.now()
                )


def _fail(job: ExportJob, message: str) -> ExportJob:
    # Never over a finished job (e.g. a job that ran twice).
    now = timezone.now()
    ExportJob.objects.filter(pk=job.pk).exclude(status=Status.DONE).update(
        status=Status.FAILED, message=message, finished_at=now, updated_at=now
    )
    job.refresh_from_db()
    return job


def export_job_run(*, job_id: Any) -> ExportJob:
    """Write the file of a queued job as the person who asked for it, their permission and scope
    checked again now; audit it. A job that is not queued any more is left alone (safe to retry)."""
    now = timezone.now()
    claimed = ExportJob.objects.filter(pk=job_id, status=Status.QUEUED).update(
        status=Status.RUNNING, started_at=now, processed_rows=0, updated_at=now
    )
    job = ExportJob.objects.select_related("requested_by").get(pk=job_id)
    if not claimed:
        return job
    actor = job.requested_by
    try:
        source = source_for(job.source_code)
        check_allowed(actor, source, job.file_format)
    except ApplicationError as exc:
        return _fail(job, exc.message)

    stored_name = ""
    try:
        with tempfile.TemporaryFile() as temporary:
            rows = _Progress(job.pk, source.rows(actor, job.params))
            count = source.write(temporary, file_format=job.file_format, rows=rows)
            temporary.seek(0)
            job.file.save(f"export.{job.file_format}", File(temporary), save=False)
            stored_name = job.file.name or ""
        with transaction.atomic():
            job.status = Status.DONE
            job.row_count = count
            job.processed_rows = count
            job.finished_at = timezone.now()
            job.message = ""
            job.save()
            _record_export(
                actor=actor,
                source=source,
                params=job.params,
                file_format=job.file_format,
                rows=count,
                job=job,
            )
        return job
    except (TooManyRows, ApplicationError) as exc:
        _forget_file(job, stored_name)
        return _fail(job, exc.message)
    except Exception:
        logger.exception("export job %s failed", job.pk)
        _forget_file(job, stored_name)
        _fail(
            job,
            _(
                "The file could not be made because of an unexpected error. Start the export "
                "again; if it happens again, tell the system administrator."
            ),
        )
        raise


def _forget_file(job: ExportJob, name: str) -> None:
    if name:
        job.file.storage.delete(name)
    job.file.name = ""


def export_job_repeat(*, actor: Any, job_id: Any) -> ExportJob:
    """A new job with the same export and filters (after a failure, or once the file was deleted)."""
    original = ExportJob.objects.get(pk=job_id, requested_by_id=getattr(actor, "pk", None))
    return export_job_create(
        actor=actor,
        source_code=original.source_code,
        params=original.params,
        file_format=original.file_format,
        estimated_rows=original.row_count or original.estimated_rows,
    )
