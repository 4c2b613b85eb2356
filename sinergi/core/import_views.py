"""Pages of the spreadsheet import flow: upload, batch preview/progress, apply, errors, template.

Access: the import type's permission (403 without it); a batch is visible only to its uploader
(404 for anyone else, the same answer as for a batch that does not exist).
"""

import io
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from sinergi.core import tasks
from sinergi.core.errors import ApplicationError
from sinergi.core.exports import XLSX_CONTENT_TYPE
from sinergi.core.htmx import is_htmx
from sinergi.core.models import ImportBatch
from sinergi.core.tabular import registry, selectors
from sinergi.core.tabular import services as import_services
from sinergi.core.tabular.forms import ImportUploadForm
from sinergi.core.tabular.services import local_path
from sinergi.core.tabular.spec import ImportSpec
from sinergi.core.tabular.workbooks import write_errors_xlsx, write_template_xlsx

ERRORS_ON_PAGE = 100


def importer_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Signed in, and allowed to run at least one import (403 otherwise)."""

    @wraps(view)
    @login_required
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not registry.can_import_anything(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


def _spec_allowed(request: HttpRequest, spec_code: str) -> ImportSpec:
    spec = registry.get(spec_code)
    if spec is None:
        raise Http404
    if not request.user.has_perm(spec.permission):
        raise PermissionDenied
    return spec


def _batch_spec(request: HttpRequest, batch: ImportBatch) -> ImportSpec | None:
    spec = registry.get(batch.spec_code)
    if spec is not None and not request.user.has_perm(spec.permission):
        raise PermissionDenied
    return spec


def _download(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, filename) or ""
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def import_upload(request: HttpRequest, spec_code: str) -> HttpResponse:
    """The upload page of one import type: what the file must hold, and the upload form."""
    spec = _spec_allowed(request, spec_code)
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            batch = import_services.batch_create(
                actor=request.user, spec_code=spec.code, upload=form.cleaned_data["file"]
            )
        except ApplicationError as exc:
            form.add_error("file", exc.message)
        else:
            tasks.start_validation(actor=request.user, batch=batch)
            return redirect("core:import_batch", batch_id=batch.pk)
    status = 400 if form.is_bound and form.errors else 200
    return render(
        request,
        "core/imports/upload.html",
        {
            "spec": spec,
            "form": form,
            "columns": spec.columns,
            "max_upload_mb": settings.MAX_UPLOAD_MB,
        },
        status=status,
    )


@importer_required
@require_GET
def import_batch(request: HttpRequest, batch_id: Any) -> HttpResponse:
    """A batch: progress while it runs, then the preview with per-row errors, or the result."""
    batch = selectors.batch_get(viewer=request.user, batch_id=batch_id)
    spec = _batch_spec(request, batch)
    previous = (
        selectors.same_file_applied(batch)
        if batch.status in {ImportBatch.Status.VALIDATED, ImportBatch.Status.INVALID}
        else None
    )
    return render(
        request,
        "core/imports/batch.html",
        {
            "batch": batch,
            "spec": spec,
            "errors": batch.errors[:ERRORS_ON_PAGE],
            "more_errors": max(batch.error_count - ERRORS_ON_PAGE, 0),
            "preview_headers": batch.meta.get("preview_headers", []),
            "ignored_headers": batch.meta.get("ignored_headers", []),
            "previous": previous,
        },
    )


@importer_required
@require_GET
def import_batch_progress(request: HttpRequest, batch_id: Any) -> HttpResponse:
    """The progress bar fragment the batch page polls; asks for a full refresh once done."""
    batch = selectors.batch_progress(viewer=request.user, batch_id=batch_id)
    response = render(request, "core/imports/batch.html#progress", {"batch": batch})
    if not batch.is_running and is_htmx(request):
        response["HX-Refresh"] = "true"
    return response


@importer_required
@require_POST
def import_apply(request: HttpRequest, batch_id: Any) -> HttpResponse:
    """Apply a checked batch (all rows in one transaction, or none)."""
    batch = selectors.batch_get(viewer=request.user, batch_id=batch_id)
    _batch_spec(request, batch)
    try:
        batch = tasks.start_apply(actor=request.user, batch=batch)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        if batch.status == ImportBatch.Status.APPLIED:
            messages.success(
                request,
                _(
                    "Import applied: %(created)d created, %(updated)d updated, "
                    "%(unchanged)d unchanged."
                )
                % {
                    "created": batch.created_count,
                    "updated": batch.updated_count,
                    "unchanged": batch.unchanged_count,
                },
            )
        else:
            messages.info(request, _("The import is running in the background."))
    return redirect("core:import_batch", batch_id=batch.pk)


@importer_required
@require_GET
def import_errors_xlsx(request: HttpRequest, batch_id: Any) -> HttpResponse:
    """The rows with errors as uploaded, plus their row number and messages, as an .xlsx."""
    batch = selectors.batch_get(viewer=request.user, batch_id=batch_id)
    spec = _batch_spec(request, batch)
    if spec is None or batch.status != ImportBatch.Status.INVALID:
        raise Http404
    if batch.files_purged_at is not None:
        messages.info(
            request,
            _(
                "The uploaded file was deleted after %(days)d days, so its errors cannot be "
                "listed any more. Upload the corrected file again."
            )
            % {"days": import_services.file_retention_days()},
        )
        return redirect("core:import_batch", batch_id=batch.pk)
    errors = list(batch.errors)
    if not errors and batch.message:
        errors = [{"row": None, "column": "", "value": "", "message": batch.message}]
    buffer = io.BytesIO()
    with local_path(batch.file) as path:
        write_errors_xlsx(
            buffer, spec=spec, path=path, filename=batch.original_filename, errors=errors
        )
    return _download(buffer.getvalue(), f"kesalahan-impor-{str(batch.pk)[:8]}.xlsx")


@login_required
@require_GET
def import_template(request: HttpRequest, spec_code: str) -> HttpResponse:
    """The empty layout of an import with sample rows and an instructions sheet."""
    spec = _spec_allowed(request, spec_code)
    buffer = io.BytesIO()
    write_template_xlsx(buffer, spec=spec)
    return _download(buffer.getvalue(), f"templat-{spec.code.replace('.', '-')}.xlsx")


@importer_required
@require_GET
def import_list(request: HttpRequest) -> HttpResponse:
    """The user's own import batches, newest first, and the imports they may start."""
    try:
        page = selectors.batch_list(viewer=request.user, cursor=request.GET.get("cursor"))
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("core:import_list")
    specs = registry.specs_for(request.user)
    titles = {spec.code: spec.title for spec in registry.all_specs()}
    for batch in page.items:
        batch.spec_title = titles.get(batch.spec_code, batch.spec_code)
    return render(request, "core/imports/list.html", {"page": page, "specs": specs})
