"""SPM pages (figures per service and year, where the number served comes from) and the LKjIP
draft (PDF and a Word-friendly HTML download)."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from sinergi.accounts.permissions import require_permission
from sinergi.core.errors import ApplicationError
from sinergi.core.exports import pdf_response
from sinergi.core.formatting import long_date
from sinergi.performance import selectors, services
from sinergi.performance.forms import SpmFigureForm, SpmServiceForm
from sinergi.performance.permissions import MANAGE, VIEW, can_manage
from sinergi.performance.views.achievements import _form_errors
from sinergi.performance.views.common import period_context, period_from, year_from_post


@require_GET
@require_permission(VIEW)
def spm(request: HttpRequest) -> HttpResponse:
    period = period_from(request)
    context = {
        **period_context(period),
        "rows": selectors.spm_rows(year=period.year),
        "bands": selectors.bands("spm"),
        "can_manage": can_manage(request.user),
    }
    return render(request, "performance/spm.html", context)


@require_http_methods(["GET", "POST"])
@require_permission(MANAGE)
def spm_edit(request: HttpRequest, pk: int, year: int) -> HttpResponse:
    """The year's figures of one SPM service (the number served only when entered by hand)."""
    if not 2000 <= year <= 2100:
        raise Http404
    found = selectors.spm_rows(year=year, service_id=pk)
    if not found:
        raise Http404
    row = found[0]
    figure = row.figure
    initial = (
        {
            "needing": figure.needing,
            "served": figure.served,
            "quality_score": figure.quality_score,
            "note": figure.note,
        }
        if figure
        else {}
    )
    form = SpmFigureForm(request.POST or None, initial=initial)
    if row.metric is not None:
        form.fields["served"].disabled = True
        form.fields["served"].help_text = _(
            "Computed by Sinergi (otomatis) from “%(metric)s” in the UPT of the types %(types)s."
        ) % {"metric": row.metric.label, "types": row.service.lead_unit_types}
    if request.method == "POST" and form.is_valid():
        try:
            services.spm_figure_save(
                actor=request.user, service=row.service, year=year, **form.cleaned_data
            )
        except ApplicationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("The SPM figures were saved."))
            return redirect(reverse("performance:spm") + f"?tahun={year}")
    return render(
        request,
        "performance/spm_form.html",
        {"form": form, "service": row.service, "year": year, "automatic": row.metric is not None},
    )


@require_http_methods(["GET", "POST"])
@require_permission(MANAGE)
def spm_service_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Where a service's number served comes from: computed by Sinergi, or entered by hand."""
    service = selectors.spm_service_get(pk)
    if service is None:
        raise Http404
    year = period_from(request).year
    form = SpmServiceForm(request.POST or None, initial={"metric_code": service.metric_code})
    if request.method == "POST" and form.is_valid():
        try:
            services.spm_service_save(
                actor=request.user, service=service, metric_code=form.cleaned_data["metric_code"]
            )
        except ApplicationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("The source of the number served was saved."))
            return redirect(reverse("performance:spm") + f"?tahun={year}")
    return render(
        request,
        "performance/spm_service_form.html",
        {"form": form, "service": service, "year": year},
    )


@require_POST
@require_permission(MANAGE)
def spm_fill(request: HttpRequest) -> HttpResponse:
    year = year_from_post(request)
    changed = services.spm_fill(actor=request.user, year=year)
    messages.success(request, _("%(count)s computed figures updated.") % {"count": changed})
    return redirect(reverse("performance:spm") + f"?tahun={year}")


def _report_context(request: HttpRequest, year: int) -> dict:
    report = selectors.lkjip(viewer=request.user, year=year)
    return {
        "title": _("Performance report (LKjIP) %(year)s — draft") % {"year": year},
        "report": report,
        "year": year,
    }


@require_GET
@require_permission(VIEW)
def lkjip_pdf(request: HttpRequest, year: int) -> HttpResponse:
    return pdf_response(
        request,
        template="performance/lkjip_pdf.html",
        context=_report_context(request, year),
        filename=f"lkjip-{year}-draf.pdf",
    )


@require_GET
@require_permission(VIEW)
def lkjip_html(request: HttpRequest, year: int) -> HttpResponse:
    """The same report as a plain HTML file (tables and headings, no scripts) that Word opens."""
    from django.conf import settings

    context = {
        **_report_context(request, year),
        "office_name": settings.SINERGI["OFFICE_NAME"],
        "printed_on": long_date(timezone.now()),
    }
    content = render_to_string("performance/lkjip_word.html", context, request=request)
    response = HttpResponse(content, content_type="text/html; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(True, f"lkjip-{year}-draf.html")
    return response


@require_GET
@require_permission(VIEW)
def lkjip(request: HttpRequest) -> HttpResponse:
    """Choose the year of the LKjIP draft and download it."""
    period = period_from(request)
    if request.GET.get("format") == "pdf":
        return redirect("performance:lkjip_pdf", period.year)
    return render(request, "performance/lkjip.html", period_context(period))
