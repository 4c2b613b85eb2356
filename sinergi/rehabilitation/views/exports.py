"""The client list export (with the search filters) and the case summary PDF."""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from sinergi.accounts.permissions import require_permission
from sinergi.audit import services as audit
from sinergi.core.export_views import export_or_enqueue
from sinergi.core.exports import pdf_response
from sinergi.rehabilitation import selectors
from sinergi.rehabilitation.exports import SOURCE, params_from_filters
from sinergi.rehabilitation.forms import ClientSearchForm
from sinergi.rehabilitation.models import RecordsAuditAction
from sinergi.rehabilitation.selectors import documents as records


@require_http_methods(["GET", "POST"])
@require_permission("rehabilitation.view_client", "rehabilitation.export_client")
def client_export(request: HttpRequest) -> HttpResponse:
    """GET: the filters to export with; POST (also from the client list's search form): the xlsx
    of the matching clients, or a background job when there are many."""
    form = ClientSearchForm(request.POST or None, viewer=request.user)
    if request.method == "POST" and form.is_valid():
        return export_or_enqueue(
            request,
            SOURCE,
            params_from_filters(form.filters()),
            "xlsx",
            back_url=reverse("rehabilitation:client_export"),
        )
    status = 400 if request.method == "POST" else 200
    return render(request, "rehabilitation/documents/export.html", {"form": form}, status=status)


@require_GET
@require_permission("rehabilitation.view_case")
def case_summary_pdf(request: HttpRequest, pk: Any) -> HttpResponse:
    """The case summary as an A4 PDF for the case file; the read is logged."""
    case = selectors.case_get(viewer=request.user, pk=pk)
    summary = records.case_summary(case=case)
    audit.record_read(
        actor=request.user, action=RecordsAuditAction.CASE_SUMMARY_PRINTED, target=case
    )
    context = {"title": _("Case summary"), "summary": summary, "case": case}
    return pdf_response(
        request,
        template="rehabilitation/case_summary_pdf.html",
        context=context,
        filename=f"ringkasan-kasus-{str(case.pk)[:8]}",
    )
