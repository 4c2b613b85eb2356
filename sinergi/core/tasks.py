"""Background jobs of core: validating and applying big spreadsheet imports, writing big exports.

Small files (up to settings.SINERGI["IMPORT_SYNC_MAX_ROWS"] rows) are handled within the request;
bigger ones are enqueued after the current transaction commits and show a progress bar meanwhile.
Exports above settings.SINERGI["EXPORT_SYNC_MAX_ROWS"] rows likewise (see export_views).
"""

import logging
from functools import partial
from typing import Any

from django.conf import settings
from django.db import transaction
from django.tasks import task

from sinergi.core.errors import ApplicationError
from sinergi.core.export_jobs import services as export_services
from sinergi.core.models import ExportJob, ImportBatch
from sinergi.core.tabular import services

logger = logging.getLogger(__name__)


def _sync_limit() -> int:
    limit: Any = settings.SINERGI.get("IMPORT_SYNC_MAX_ROWS", 2000)
    return int(limit)


@task()
def validate_import_batch(batch_id: str) -> dict[str, Any]:
    """Check an uploaded batch (the uploader is the actor). Safe to run twice."""
    batch = services.batch_validate(actor=None, batch_id=batch_id)
    return {"status": batch.status, "errors": batch.error_count}


@task()
def apply_import_batch(batch_id: str) -> dict[str, Any]:
    """Apply a batch claimed by batch_mark_applying; a refused or failed apply is kept on the batch."""
    try:
        batch = services.batch_apply(actor=None, batch_id=batch_id, claimed=True)
    except ApplicationError:
        return {"status": ImportBatch.Status.FAILED}
    return {
        "status": batch.status,
        "created": batch.created_count,
        "updated": batch.updated_count,
        "unchanged": batch.unchanged_count,
    }


def start_validation(*, actor: Any, batch: ImportBatch) -> None:
    """Validate now when the file is small, else in the background after commit."""
    if batch.total_rows <= _sync_limit():
        try:
            services.batch_validate(actor=actor, batch_id=batch.pk)
        except Exception:  # already logged and recorded on the batch (status "failed")
            logger.warning("import batch %s: validation failed in the request", batch.pk)
        return
    transaction.on_commit(partial(validate_import_batch.enqueue, str(batch.pk)))


def start_apply(*, actor: Any, batch: ImportBatch) -> ImportBatch:
    """Apply now when the batch is small, else claim it and apply it in the background."""
    if batch.valid_rows <= _sync_limit():
        return services.batch_apply(actor=actor, batch_id=batch.pk)
    claimed = services.batch_mark_applying(actor=actor, batch_id=batch.pk)
    transaction.on_commit(partial(apply_import_batch.enqueue, str(batch.pk)))
    return claimed


@task()
def run_export_job(job_id: str) -> dict[str, Any]:
    """Write a queued export as its requester (permission and scope checked again). Safe to retry."""
    job = export_services.export_job_run(job_id=job_id)
    return {"status": job.status, "rows": job.row_count}


def start_export(*, job: ExportJob) -> None:
    """Enqueue the writing of a queued export once the current transaction commits."""
    transaction.on_commit(partial(run_export_job.enqueue, str(job.pk)))
