"""Reads of import batches: a user sees only the batches they uploaded."""

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from sinergi.core.models import ImportBatch
from sinergi.core.pagination import Page, keyset_page

LIST_FIELDS = (
    "id",
    "spec_code",
    "original_filename",
    "status",
    "total_rows",
    "error_rows",
    "created_count",
    "updated_count",
    "unchanged_count",
    "created_at",
    "created_by_id",
)


def batch_queryset(*, viewer: Any) -> QuerySet[ImportBatch]:
    if not getattr(viewer, "is_authenticated", False):
        return ImportBatch.objects.none()
    return ImportBatch.objects.filter(created_by_id=viewer.pk)


def batch_list(*, viewer: Any, cursor: str | None = None, size: int = 25) -> Page:
    """The viewer's own batches, newest first (keyset pages, no COUNT)."""
    qs = batch_queryset(viewer=viewer).only(*LIST_FIELDS)
    return keyset_page(qs, ordering=("-created_at", "-id"), cursor=cursor, size=size)


def batch_get(*, viewer: Any, batch_id: Any) -> ImportBatch:
    """One of the viewer's batches, or Http404 (the same for missing and someone else's)."""
    try:
        return batch_queryset(viewer=viewer).get(pk=batch_id)
    except (ImportBatch.DoesNotExist, ValueError) as exc:
        raise Http404 from exc


def batch_progress(*, viewer: Any, batch_id: Any) -> ImportBatch:
    """The few fields the progress bar polls."""
    try:
        return (
            batch_queryset(viewer=viewer)
            .only("id", "status", "total_rows", "processed_rows", "created_by_id")
            .get(pk=batch_id)
        )
    except (ImportBatch.DoesNotExist, ValueError) as exc:
        raise Http404 from exc


def same_file_applied(batch: ImportBatch) -> ImportBatch | None:
    """An earlier applied batch of the same import with the same file content, if any."""
    return (
        ImportBatch.objects.filter(
            spec_code=batch.spec_code, sha256=batch.sha256, status=ImportBatch.Status.APPLIED
        )
        .exclude(pk=batch.pk)
        .only("id", "applied_at")
        .order_by("-applied_at")
        .first()
    )
