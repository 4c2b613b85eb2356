"""Compliance pages: per unit and month (on time, late, missing) with the trend over months, the
late list HR exports (xlsx, PDF) as the basis for sanctions, and closing a month."""

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from sinergi.accounts.permissions import require_permission, sees_everything
from sinergi.core.errors import ApplicationError
from sinergi.core.export_views import export_or_enqueue
from sinergi.core.exports import pdf_response
from sinergi.organisation import selectors as organisation
from sinergi.staff import selectors, services
from sinergi.staff.forms import MonthForm
from sinergi.staff.models.periods import MONTH_NAMES, due_on
from sinergi.staff.views.common import DASH, PAGE_SIZE, as_int, employee_rows, today, year_month

PDF_MAX_ROWS = 1000
KINDS = ("", "late", "missing")


def _unit(request: HttpRequest, source: Any = None) -> Any:
    """The unit chosen in ?unit= (404 when outside the viewer's scope), or None."""
    unit_id = as_int((source or request.GET).get("unit"))
    if not unit_id:
        return None
    return organisation.unit_get(viewer=request.user, pk=unit_id)


def _period(year: int, month: int) -> dict[str, Any]:
    return {
        "year": year,
        "month": month,
        "month_name": MONTH_NAMES[month - 1],
        "months": list(enumerate(MONTH_NAMES, start=1)),
        "years": list(range(today().year - 3, today().year + 1)),
        "due_on": due_on(year, month),
        "closed": services.is_closed(year, month),
    }


@require_GET
@require_permission("staff.view_compliance")
def compliance(request: HttpRequest) -> HttpResponse:
    year, month = year_month(request)
    unit = _unit(request)
    rows = selectors.compliance_by_unit(viewer=request.user, year=year, month=month, unit=unit)
    until = 12 if year < today().year else max(today().month - 1, 1)
    trend = selectors.compliance_trend(
        viewer=request.user, year=year, unit=unit, until_month=max(until, month)
    )
    chart = {
        "labels": [str(r.label)[:3] for r in trend],
        "on_time": [r.on_time for r in trend],
        "late": [r.late for r in trend],
        "missing": [r.missing for r in trend],
        "on_time_label": _("On time"),
        "late_label": _("Late"),
        "missing_label": _("Missing"),
    }
    context = {
        **_period(year, month),
        "unit": unit,
        "rows": rows,
        "total": selectors.compliance_total(rows, _("All units")),
        "trend": trend,
        "chart": chart,
        "whole_office": sees_everything(request.user) and unit is None,
        "can_close": request.user.has_perm("staff.close_month"),
        "can_close_now": today() > due_on(year, month),
        "query": f"tahun={year}&bulan={month}" + (f"&unit={unit.pk}" if unit else ""),
    }
    return render(request, "staff/compliance.html", context)


def _late_filters(request: HttpRequest, source: Any) -> tuple[int, int, Any, str]:
    year = as_int(source.get("tahun")) or year_month(request)[0]
    month = as_int(source.get("bulan")) or year_month(request)[1]
    month = min(max(month, 1), 12)
    kind = source.get("jenis", "")
    return year, month, _unit(request, source), kind if kind in KINDS else ""


@require_http_methods(["GET", "POST"])
@require_permission("staff.view_compliance")
def late_list(request: HttpRequest) -> HttpResponse:
    """Who reported the month late or not at all; a page cursor is an employee id (no name)."""
    source = request.POST if request.method == "POST" else request.GET
    year, month, unit, kind = _late_filters(request, source)
    qs = selectors.late_list(viewer=request.user, year=year, month=month, unit=unit, kind=kind)
    cursor = (request.POST.get("cursor") or request.GET.get("cursor")) or None
    try:
        page = selectors.id_keyset_page(
            qs, ordering=selectors.LATE_ORDERING, cursor=cursor, size=PAGE_SIZE
        )
    except ApplicationError as error:
        messages.warning(request, error.message)
        page = selectors.id_keyset_page(
            qs, ordering=selectors.LATE_ORDERING, cursor=None, size=PAGE_SIZE
        )
    query = f"tahun={year}&bulan={month}&jenis={kind}" + (f"&unit={unit.pk}" if unit else "")
    rows = employee_rows(
        page.items,
        lambda e: (
            e.name,
            e.nip or DASH,
            e.unit.short_name or e.unit.name,
            e.supervisor.name if e.supervisor_id else DASH,
            e.submitted_at,
        ),
    )
    context = {
        **_period(year, month),
        "unit": unit,
        "kind": kind,
        "page": page,
        "rows": rows,
        "query": query,
    }
    return render(request, "staff/late_list.html", context)


@require_GET
@require_permission("staff.view_compliance")
def late_xlsx(request: HttpRequest) -> HttpResponse:
    year, month, unit, kind = _late_filters(request, request.GET)
    params = {"year": year, "month": month, "unit": unit.pk if unit else None, "kind": kind}
    back = reverse("staff:late_list") + f"?tahun={year}&bulan={month}"
    return export_or_enqueue(request, "staff.late_list", params, "xlsx", back_url=back)


@require_GET
@require_permission("staff.view_compliance")
def late_pdf(request: HttpRequest) -> HttpResponse:
    from sinergi.staff.exports import record_late_export  # the exports module audits exports

    year, month, unit, kind = _late_filters(request, request.GET)
    qs = selectors.late_list(viewer=request.user, year=year, month=month, unit=unit, kind=kind)
    rows = list(qs.order_by(*selectors.LATE_ORDERING)[: PDF_MAX_ROWS + 1])
    truncated = len(rows) > PDF_MAX_ROWS
    rows = rows[:PDF_MAX_ROWS]
    record_late_export(
        actor=request.user,
        params={"year": year, "month": month, "unit": unit.pk if unit else None, "kind": kind},
        file_format="pdf",
        rows=len(rows),
    )
    context = {
        **_period(year, month),
        "title": _("SKP realisation reported late or missing"),
        "unit": unit,
        "rows": rows,
        "truncated": truncated,
        "limit": PDF_MAX_ROWS,
    }
    return pdf_response(
        request,
        template="staff/late_pdf.html",
        context=context,
        filename=f"skp-terlambat-{year}-{month:02d}",
    )


@require_POST
@require_permission("staff.close_month")
def month_close(request: HttpRequest) -> HttpResponse:
    form = MonthForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a month."))
        return redirect("staff:compliance")
    year, month = form.cleaned_data["year"], form.cleaned_data["month"]
    reopen = request.POST.get("action") == "buka"
    try:
        if reopen:
            services.month_reopen(actor=request.user, year=year, month=month)
            messages.success(request, _("The month has been reopened."))
        else:
            services.month_close(actor=request.user, year=year, month=month)
            messages.success(request, _("The month has been closed."))
    except ApplicationError as error:
        messages.error(request, error.message)
    return redirect(reverse("staff:compliance") + f"?tahun={year}&bulan={month}")
