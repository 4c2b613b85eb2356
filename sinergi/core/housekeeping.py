"""Housekeeping of imports and exports, run by the scheduler (registered in sinergi/scheduling/apps.py).

- `purge_old_files` (daily): deletes the stored files of import batches and export jobs older than
  settings.SINERGI["IMPORT_FILE_RETENTION_DAYS"] (exports: "EXPORT_FILE_RETENTION_DAYS", default the
  same), keeps the rows with their counts, and marks them `files_purged_at`.
- `fail_stalled_work` (every 15 minutes): an import or export that made no progress for
  settings.SINERGI["STALLED_WORK_MINUTES"] (default 60) minutes (its worker died, the server
  restarted) is marked failed with a message telling the user to start again. Imports never
  half-happen, so nothing needs undoing.

Both do "everything due until now", so a missed run is caught up by the next one, and running them
twice changes nothing more. Nothing but the files named by these rows is ever deleted.
"""

import datetime as dt
import logging
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.files.storage import Storage
from django.db import transaction
from django.db.models import Model, QuerySet
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sinergi.core.models import CoreAuditAction, ExportJob, ImportBatch

logger = logging.getLogger(__name__)

CHUNK = 500
DEFAULT_AUDIT_RECORDER = "sinergi.audit.services.record"
RUNNING_IMPORTS = (
    ImportBatch.Status.UPLOADED,
    ImportBatch.Status.VALIDATING,
    ImportBatch.Status.APPLYING,
)
RUNNING_EXPORTS = (ExportJob.Status.QUEUED, ExportJob.Status.RUNNING)

# (name, schedule, function, description) of the periodic jobs; sinergi/scheduling/apps.py
# registers them (core may not import the scheduling app).
SCHEDULE: tuple[tuple[str, dt.timedelta | str, str, Any], ...] = (
    (
        "core.purge_old_files",
        "daily at 02:30",
        "sinergi.core.housekeeping.purge_old_files",
        gettext_lazy(
            "Delete the files of imports and exports older than the retention period (their "
            "records and counts are kept)."
        ),
    ),
    (
        "core.fail_stalled_work",
        dt.timedelta(minutes=15),
        "sinergi.core.housekeeping.fail_stalled_work",
        gettext_lazy(
            "Mark imports and exports that stopped making progress as failed, so the people who "
            "started them can start them again."
        ),
    ),
)


def _setting(name: str, default: int) -> int:
    value: Any = settings.SINERGI.get(name, default)
    return int(value)


def import_retention_days() -> int:
    return _setting("IMPORT_FILE_RETENTION_DAYS", 30)


def export_retention_days() -> int:
    return _setting("EXPORT_FILE_RETENTION_DAYS", import_retention_days())


def stalled_after_minutes() -> int:
    return _setting("STALLED_WORK_MINUTES", 60)


def _audit_record(**kwargs: Any) -> Any:
    recorder = import_string(str(settings.SINERGI.get("AUDIT_RECORDER", DEFAULT_AUDIT_RECORDER)))
    return recorder(**kwargs)


def _delete_stored(storage: Storage, names: Iterable[str]) -> None:
    for name in names:
        if not name:
            continue
        try:
            storage.delete(name)  # a file already gone is fine (a re-run after a crash)
        except OSError:
            # Left for the next run: the row is marked only once its files are gone.
            logger.warning("housekeeping: could not delete a stored file; will retry")
            raise


def _purge(queryset: QuerySet[Any], file_fields: tuple[str, ...], *, now: dt.datetime) -> int:
    """Delete the files of every row of `queryset`, then mark the rows; returns the rows marked."""
    model: type[Model] = queryset.model
    purged = 0
    while True:
        chunk = list(queryset.order_by("created_at", "pk").only("pk", *file_fields)[:CHUNK])
        if not chunk:
            return purged
        for row in chunk:
            for name in file_fields:
                field_file = getattr(row, name)
                _delete_stored(field_file.storage, [field_file.name or ""])
        cleared = dict.fromkeys(file_fields, "")
        purged += model._default_manager.filter(pk__in=[row.pk for row in chunk]).update(
            files_purged_at=now, updated_at=now, **cleared
        )


def purge_old_files(*, actor: Any = None, now: dt.datetime | None = None) -> str:
    """Delete the files of old import batches and export jobs (rows and counts are kept)."""
    now = now or timezone.now()
    import_days, export_days = import_retention_days(), export_retention_days()
    batches = _purge(
        ImportBatch.objects.filter(
            files_purged_at__isnull=True, created_at__lt=now - dt.timedelta(days=import_days)
        ).exclude(status__in=RUNNING_IMPORTS),
        ("file", "staged_file"),
        now=now,
    )
    jobs = _purge(
        ExportJob.objects.filter(
            files_purged_at__isnull=True, created_at__lt=now - dt.timedelta(days=export_days)
        ).exclude(status__in=RUNNING_EXPORTS),
        ("file",),
        now=now,
    )
    if batches or jobs:
        with transaction.atomic():
            _audit_record(
                actor=actor,
                action=CoreAuditAction.FILES_PURGED,
                extra={
                    "import_batches": batches,
                    "export_jobs": jobs,
                    "import_retention_days": import_days,
                    "export_retention_days": export_days,
                },
            )
    return f"files deleted: {batches} import batch(es), {jobs} export job(s)"


@transaction.atomic
def fail_stalled_work(*, actor: Any = None, now: dt.datetime | None = None) -> str:
    """Mark imports and exports with no progress for a while as failed, saying what to do."""
    now = now or timezone.now()
    minutes = stalled_after_minutes()
    cutoff = now - dt.timedelta(minutes=minutes)
    batches = ImportBatch.objects.filter(status__in=RUNNING_IMPORTS, updated_at__lt=cutoff).update(
        status=ImportBatch.Status.FAILED,
        message=_(
            "The work on this file stopped before it finished (the server was probably "
            "restarted). Nothing has been imported. Upload the file again."
        ),
        updated_at=now,
    )
    jobs = ExportJob.objects.filter(status__in=RUNNING_EXPORTS, updated_at__lt=cutoff).update(
        status=ExportJob.Status.FAILED,
        message=_(
            "Writing this export stopped before it finished (the server was probably "
            "restarted). Start the export again."
        ),
        finished_at=now,
        updated_at=now,
    )
    if batches or jobs:
        _audit_record(
            actor=actor,
            action=CoreAuditAction.STALLED_WORK_FAILED,
            extra={"import_batches": batches, "export_jobs": jobs, "minutes": minutes},
        )
    return f"marked failed after {minutes} min without progress: {batches} import batch(es), {jobs} export job(s)"
