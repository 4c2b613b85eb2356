"""Exports that may be big: the file at once when small, else a job page with a progress bar.

An app's view checks its own filters, then hands over:

    return export_or_enqueue(request, "audit.events", filters.as_dict(), "xlsx")

Access: the source's permission (403 without it); a job, its progress and its file are visible only
to the person who asked for it (404 for anyone else, the same as for a job that does not exist).
"""

import io
from collections.abc import Callable, Iterable, Sized
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET, require_POST

from sinergi.core import tasks
from sinergi.core.errors import ApplicationError
from sinergi.core.export_jobs import selectors
from sinergi.core.export_jobs import services as export_services
from sinergi.core.exports import (
    CSV_CONTENT_TYPE,
    EXPORT_FORMATS,
    XLSX_CONTENT_TYPE,
    ExportSource,
    can_export_anything,
    get_source,
    sync_limit,
)
from sinergi.core.housekeeping import export_retention_days
from sinergi.core.htmx import is_htmx
from sinergi.core.models import ExportJob

CONTENT_TYPES = {"xlsx": XLSX_CONTENT_TYPE, "csv": CSV_CONTENT_TYPE}


def _attachment(response: HttpResponse, filename: str) -> HttpResponse:
    response["Content-Disposition"] = content_disposition_header(True, filename) or ""
    response["Cache-Control"] = "no-store"
    return response


def export_or_enqueue(
    request: HttpRequest,
    source_code: str,
    params: dict[str, Any],
    file_format: str,
    *,
    back_url: str | None = None,
) -> HttpResponse:
    """The export file itself when the source estimates at most EXPORT_SYNC_MAX_ROWS rows, else
    a queued job and a redirect to its page (progress bar, then the download).

    `params` are the export's filters as JSON-able values; `back_url` is where a refused export
    returns to (default: "My exports").
    """
    source = get_source(source_code)
    if source is None or file_format not in EXPORT_FORMATS:
        raise Http404
    if not request.user.has_perm(source.permission):
        raise PermissionDenied
    try:
        estimate = source.count_hint(request.user, params)
        rows: Iterable[Any] | None = None
        if estimate is None:
            # No cheap estimate: a source that returns a list (a bounded set, loaded at once) is
            # measured by its length; anything else is written at once.
            rows = source.rows(request.user, params)
            if isinstance(rows, Sized):
                estimate = len(rows)
        if estimate is None or estimate <= sync_limit():
            buffer = io.BytesIO()
            export_services.export_write(
                actor=request.user,
                source_code=source.code,
                params=params,
                file_format=file_format,
                fileobj=buffer,
                rows=rows,
            )
            response = HttpResponse(buffer.getvalue(), content_type=CONTENT_TYPES[file_format])
            return _attachment(response, source.download_name(file_format))
        job = export_services.export_job_create(
            actor=request.user,
            source_code=source.code,
            params=params,
            file_format=file_format,
            estimated_rows=estimate,
        )
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect(back_url or "core:export_list")
    tasks.start_export(job=job)
    return redirect("core:export_job", job_id=job.pk)


def exporter_required(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """Signed in, and allowed to run at least one export (403 otherwise)."""

    @wraps(view)
    @login_required
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not can_export_anything(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


def _job_source(request: HttpRequest, job: ExportJob) -> ExportSource | None:
    """The job's source; 403 when the viewer lost its permission since asking."""
    source = get_source(job.source_code)
    if source is not None and not request.user.has_perm(source.permission):
        raise PermissionDenied
    return source


@exporter_required
@require_GET
def export_list(request: HttpRequest) -> HttpResponse:
    """The viewer's own exports, newest first, with their downloads."""
    try:
        page = selectors.export_job_list(viewer=request.user, cursor=request.GET.get("cursor"))
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("core:export_list")
    return render(
        request,
        "core/exports/list.html",
        {"page": page, "sync_limit": sync_limit(), "retention_days": export_retention_days()},
    )


@exporter_required
@require_GET
def export_job(request: HttpRequest, job_id: Any) -> HttpResponse:
    """One export: the progress bar while it is written, then the download (or what went wrong)."""
    job = selectors.export_job_get(viewer=request.user, job_id=job_id)
    _job_source(request, job)
    return render(
        request,
        "core/exports/job.html",
        {"job": job, "retention_days": export_retention_days()},
    )


@exporter_required
@require_GET
def export_job_progress(request: HttpRequest, job_id: Any) -> HttpResponse:
    """The progress bar fragment the job page polls; asks for a full refresh once done."""
    job = selectors.export_job_progress(viewer=request.user, job_id=job_id)
    _job_source(request, job)
    response = render(request, "core/exports/job.html#progress", {"job": job})
    if not job.is_running and is_htmx(request):
        response["HX-Refresh"] = "true"
    return response


@exporter_required
@require_GET
def export_job_download(request: HttpRequest, job_id: Any) -> HttpResponseBase:
    """The file of a finished export, for the person who asked for it only."""
    job = selectors.export_job_get(viewer=request.user, job_id=job_id)
    if _job_source(request, job) is None or not job.can_download:
        raise Http404
    try:
        handle = job.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=job.filename,
        content_type=CONTENT_TYPES[job.file_format],
    )
    response["Cache-Control"] = "no-store"
    return response


@exporter_required
@require_POST
def export_job_repeat(request: HttpRequest, job_id: Any) -> HttpResponse:
    """Make the same export again (after a failure, or once its file was deleted)."""
    job = selectors.export_job_get(viewer=request.user, job_id=job_id)
    if _job_source(request, job) is None:
        raise Http404
    try:
        new_job = export_services.export_job_repeat(actor=request.user, job_id=job.pk)
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("core:export_job", job_id=job.pk)
    tasks.start_export(job=new_job)
    return redirect("core:export_job", job_id=new_job.pk)
