"""Pages of a client's consent and documents: the panel on the client page (loaded with htmx),
uploads, and the access-checked, logged download. Also the URL patterns of the consent, document,
import and export pages (urls.py adds them)."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from sinergi.accounts.permissions import require_permission
from sinergi.audit import services as audit
from sinergi.core.errors import ApplicationError
from sinergi.rehabilitation import selectors
from sinergi.rehabilitation.forms.documents import DocumentUploadForm
from sinergi.rehabilitation.models import RecordsAuditAction
from sinergi.rehabilitation.selectors import documents as records
from sinergi.rehabilitation.services import documents as document_services
from sinergi.rehabilitation.views import _add_service_errors


@require_GET
@require_permission("rehabilitation.view_client")
def client_records_panel(request: HttpRequest, pk: Any) -> HttpResponse:
    """The consent state and the document list of a client (a fragment of the client page)."""
    client = selectors.client_get(viewer=request.user, pk=pk)
    user = request.user
    show_consent = user.has_perm("rehabilitation.view_consentrecord")
    show_documents = user.has_perm("rehabilitation.view_clientdocument")
    history = records.consent_history(client=client) if show_consent else []
    audit.record_read(actor=user, action=RecordsAuditAction.PRIVACY_PANEL_VIEWED, target=client)
    in_scope = records.client_in_scope(user, client)
    documents = records.client_documents(client=client) if show_documents else []
    context = {
        "client": client,
        "show_consent": show_consent,
        "show_documents": show_documents,
        "states": records.consent_states(client=client, records=history),
        "history": history,
        "documents": documents,
        # the newest photo of the client, shown on the file (documents are newest first)
        "photo": next((d for d in documents if d.document_type.is_photo), None),
        "can_record": in_scope and user.has_perm("rehabilitation.add_consentrecord"),
        "can_withdraw": in_scope and user.has_perm("rehabilitation.change_consentrecord"),
        "can_upload": in_scope and user.has_perm("rehabilitation.add_clientdocument"),
    }
    return render(request, "rehabilitation/consent/panel.html", context)


@require_http_methods(["GET", "POST"])
@require_permission("rehabilitation.view_client", "rehabilitation.add_clientdocument")
def document_upload(request: HttpRequest, pk: Any) -> HttpResponse:
    client = selectors.client_get(viewer=request.user, pk=pk)
    if not document_services.can_add_documents(request.user, client):
        raise PermissionDenied
    cases = selectors.client_cases(viewer=request.user, client=client)
    form = DocumentUploadForm(request.POST or None, request.FILES or None, cases=cases)
    if request.method == "POST" and form.is_valid():
        try:
            document_services.document_upload(
                actor=request.user,
                client=client,
                document_type=form.cleaned_data["document_type"],
                upload=form.cleaned_data["file"],
                case=form.cleaned_data["case"],
                description=form.cleaned_data["description"],
            )
        except ApplicationError as error:
            _add_service_errors(form, error)
        else:
            messages.success(request, _("The document has been uploaded."))
            return redirect("rehabilitation:client_detail", pk=client.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "rehabilitation/documents/upload.html",
        {"client": client, "form": form},
        status=status,
    )


@require_GET
@require_permission("rehabilitation.view_clientdocument")
def document_download(request: HttpRequest, pk: Any) -> Any:  # a FileResponse (streaming)
    """The file of a document whose client the viewer may see (404 otherwise), as an attachment
    named by type and id only; every download is logged. A photo of the client is shown in the
    page instead with `?tampil=1` (the client file's photo; logged the same way)."""
    document = records.document_get(viewer=request.user, pk=pk)
    try:
        handle = document.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    audit.record_read(
        actor=request.user, action=RecordsAuditAction.DOCUMENT_DOWNLOADED, target=document
    )
    shown = bool(request.GET.get("tampil")) and document.document_type.is_photo
    response = FileResponse(
        handle,
        as_attachment=not shown,
        filename=document.download_name,
        content_type=document.content_type,
    )
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _urls() -> list[Any]:
    from sinergi.rehabilitation.views import consent, exports

    return [
        path(
            "penerima-manfaat/<uuid:pk>/persetujuan-dokumen/",
            client_records_panel,
            name="client_records_panel",
        ),
        path("penerima-manfaat/<uuid:pk>/dokumen/", document_upload, name="document_upload"),
        path("dokumen/<uuid:pk>/unduh/", document_download, name="document_download"),
        path(
            "penerima-manfaat/<uuid:pk>/persetujuan/", consent.consent_create, name="consent_create"
        ),
        path(
            "penerima-manfaat/<uuid:pk>/persetujuan/<uuid:consent_pk>/cabut/",
            consent.consent_withdraw,
            name="consent_withdraw",
        ),
        path("ekspor/", exports.client_export, name="client_export"),
        path("kasus/<uuid:pk>/ringkasan.pdf", exports.case_summary_pdf, name="case_summary_pdf"),
    ]


urlpatterns = _urls()
