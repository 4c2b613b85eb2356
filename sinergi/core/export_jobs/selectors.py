"""Reads of export jobs: a user sees only the exports they asked for."""

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from sinergi.core.models import ExportJob
from sinergi.core.pagination import Page, keyset_page

LIST_FIELDS = (
    "id",
    "title",
    "source_code",
    "file_format",
    "status",
    "estimated_rows",
    "processed_rows",
    "row_count",
    "file",
    "files_purged_at",
    "created_at",
    "finished_at",
    "requested_by_id",
)


def job_queryset(*, viewer: Any) -> QuerySet[ExportJob]:
    if not getattr(viewer, "is_authenticated", False):
        return ExportJob.objects.none()
    return ExportJob.objects.filter(requested_by_id=viewer.pk)


def export_job_list(*, viewer: Any, cursor: str | None = None, size: int = 25) -> Page:
    """The viewer's own export jobs, newest first (keyset pages, no COUNT)."""
    qs = job_queryset(viewer=viewer).only(*LIST_FIELDS)
    return keyset_page(qs, ordering=("-created_at", "-id"), cursor=cursor, size=size)


def export_job_get(*, viewer: Any, job_id: Any) -> ExportJob:
    """One of the viewer's export jobs, or Http404 (the same for missing and someone else's)."""
    try:
        return job_queryset(viewer=viewer).get(pk=job_id)
    except (ExportJob.DoesNotExist, ValueError) as exc:
        raise Http404 from exc


def export_job_progress(*, viewer: Any, job_id: Any) -> ExportJob:
    """The few fields the progress bar polls."""
    try:
        return (
            job_queryset(viewer=viewer)
            .only(
                "id",
                "status",
                "source_code",
                "estimated_rows",
                "processed_rows",
                "requested_by_id",
            )
            .get(pk=job_id)
        )
    except (ExportJob.DoesNotExist, ValueError) as exc:
        raise Http404 from exc
