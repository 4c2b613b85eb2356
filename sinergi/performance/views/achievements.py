"""Achievement pages: the head's dashboard, a unit's indicators, one indicator, realisation entry,
verification (queue, verify, unlock, closing a quarter) and the xlsx export. Thin: parse, select,
render."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from sinergi.accounts.permissions import require_permission
from sinergi.core import metrics
from sinergi.core.errors import ApplicationError
from sinergi.core.exports import ExportColumn, xlsx_response
from sinergi.core.pagination import keyset_page
from sinergi.organisation import selectors as organisation
from sinergi.performance import selectors, services
from sinergi.performance.forms import RealisationForm, ReasonForm, VerifyForm
from sinergi.performance.permissions import (
    ENTER,
    MANAGE,
    VERIFY,
    VIEW,
    can_enter_realisation,
    can_manage,
    can_verify,
)
from sinergi.performance.views.common import (
    Period,
    period_context,
    period_from,
    year_from_post,
)


def _form_errors(form: Any, error: ApplicationError) -> None:
    """Show a service's refusal on the form: on its fields where named, and always on top."""
    for name, problems in error.field_errors.items():
        if name in form.fields:
            for problem in problems:
                form.add_error(name, problem)
    form.add_error(None, error.message)


@require_GET
@require_permission(VIEW)
def dashboard(request: HttpRequest) -> HttpResponse:
    """The head's dashboard: office IKU and each unit's standing, filtered by year/quarter/unit."""
    period = period_from(request)
    viewer = request.user
    unit = None
    unit_id = request.GET.get("unit")
    if unit_id:
        unit = organisation.unit_get(viewer=viewer, pk=unit_id)
    iku = selectors.achievement_details(
        selectors.indicators_of_year(viewer=viewer, year=period.year).filter(level="iku"),
        year=period.year,
        quarter=period.quarter,
    )
    summaries, band_list = selectors.unit_summaries(
        viewer=viewer, year=period.year, quarter=period.quarter, within=unit
    )
    for summary in summaries:
        summary.band_cells = [(b, summary.per_band.get(b.pk, 0)) for b in band_list]  # type: ignore[attr-defined]
    context = {
        **period_context(period),
        "iku": iku,
        "summaries": summaries,
        "bands": band_list,
        "chosen_unit": unit,
        # (id, name) pairs: the filter's option list must not build a model per unit per request
        "unit_choices": list(organisation.unit_list(viewer=viewer).values_list("pk", "name")),
        "can_manage": can_manage(viewer),
    }
    return render(request, "performance/dashboard.html", context)


@require_GET
@require_permission(VIEW)
def unit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A unit's indicators: target, realisation, achievement with band, and budget absorption."""
    unit = organisation.unit_get(viewer=request.user, pk=pk)  # 404 outside the viewer's scope
    period = period_from(request)
    details = selectors.achievement_details(
        selectors.indicators_of_year(viewer=request.user, year=period.year).filter(unit=unit),
        year=period.year,
        quarter=period.quarter,
    )
    absorption = selectors.absorption_of_links(
        viewer=request.user, indicator_ids=[d.row.indicator_id for d in details], year=period.year
    )
    for detail in details:
        rows = absorption.get(detail.row.indicator_id, [])
        detail.extra["absorption"] = rows
        detail.extra["absorption_total"] = selectors.combined_absorption(rows) if rows else None
    user = request.user
    context = {
        **period_context(period),
        "unit": unit,
        "details": details,
        "can_enter": user.has_perm(ENTER) and getattr(user, "unit_id", None) == unit.pk,
    }
    return render(request, "performance/unit_detail.html", context)


@require_GET
@require_permission(VIEW)
def indicator_detail(request: HttpRequest, pk: int) -> HttpResponse:
    indicator = selectors.indicator_get(viewer=request.user, pk=pk)
    period = period_from(request)
    targets = selectors.targets_of(indicator)
    realisations = selectors.realisations_of(indicator)
    years = indicator.period.years
    if period.year not in years or not request.GET.get("tahun"):
        # this year, brought into the indicator's plan (its first or last year)
        period = Period(min(max(timezone.localdate().year, years[0]), years[-1]), period.quarter)
    year = period.year
    details = selectors.indicator_periods(indicator, year=year)
    locked = selectors.locked_quarters(year)
    quarters = [
        {
            "quarter": q,
            "target": targets.get((year, q)),
            "realisation": realisations.get((year, q)),
            "detail": details[q],
            "locked": q in locked,
        }
        for q in range(1, 5)
    ]
    absorption = selectors.absorption_of_links(
        viewer=request.user, indicator_ids=[indicator.pk], year=year
    ).get(indicator.pk, [])
    context = {
        **period_context(period),
        "indicator": indicator,
        "year": year,
        "year_detail": details[0],
        "year_target": targets.get((year, 0)),
        "targets_by_year": [
            {"year": y, "cells": [targets.get((y, q)) for q in range(0, 5)]} for y in years
        ],
        "quarters": quarters,
        "absorption": absorption,
        "absorption_total": selectors.combined_absorption(absorption) if absorption else None,
        "can_enter": can_enter_realisation(request.user, indicator) and not indicator.metric_code,
        "can_verify": can_verify(request.user),
        "can_manage": can_manage(request.user),
        "metric": metrics.get(indicator.metric_code) if indicator.metric_code else None,
    }
    return render(request, "performance/indicator_detail.html", context)


@require_http_methods(["GET", "POST"])
@require_permission(VIEW)
def realisation_enter(request: HttpRequest, pk: int) -> HttpResponse:
    """The unit enters (or corrects, until verified) a quarter's realisation with evidence."""
    indicator = selectors.indicator_get(viewer=request.user, pk=pk)
    if not (request.user.has_perm(ENTER) or request.user.has_perm(MANAGE)):
        raise PermissionDenied
    if not can_enter_realisation(request.user, indicator):
        raise PermissionDenied
    period = period_from(request)
    initial = {"year": period.year, "quarter": period.quarter or 1}
    form = RealisationForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.realisation_enter(
                actor=request.user,
                indicator=indicator,
                year=data["year"],
                quarter=data["quarter"],
                value=data["value"],
                evidence_text=data["evidence_text"],
                evidence_file=data["evidence_file"],
                evidence_link=data["evidence_link"],
            )
        except ApplicationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("The realisation was saved and waits for verification."))
            return redirect(
                reverse("performance:indicator_detail", args=[indicator.pk])
                + f"?tahun={data['year']}&triwulan={data['quarter']}"
            )
    return render(
        request, "performance/realisation_form.html", {"indicator": indicator, "form": form}
    )


@require_POST
@require_permission(VERIFY)
def realisation_verify(request: HttpRequest, pk: int) -> HttpResponse:
    realisation = selectors.realisation_get(viewer=request.user, pk=pk)
    form = VerifyForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        services.realisation_verify(actor=request.user, realisation=realisation, note=note)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Verified: the realisation is now locked."))
    return _back(request, realisation)


@require_POST
@require_permission(VERIFY)
def realisation_unlock(request: HttpRequest, pk: int) -> HttpResponse:
    realisation = selectors.realisation_get(viewer=request.user, pk=pk)
    form = ReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        services.realisation_unlock(actor=request.user, realisation=realisation, reason=reason)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Unlocked: the unit can correct the realisation."))
    return _back(request, realisation)


def _back(request: HttpRequest, realisation: Any) -> HttpResponse:
    if request.POST.get("next") == "queue":
        return redirect("performance:verification_queue")
    return redirect(
        reverse("performance:indicator_detail", args=[realisation.indicator_id])
        + f"?tahun={realisation.year}&triwulan={realisation.quarter}"
    )


@require_GET
@require_permission(VERIFY)
def verification_queue(request: HttpRequest) -> HttpResponse:
    """Entries waiting for verification, oldest period first (keyset pages), and closed quarters."""
    try:
        page = keyset_page(
            selectors.verification_queue(viewer=request.user),
            ordering=("year", "quarter", "pk"),
            cursor=request.GET.get("cursor"),
            size=50,
        )
    except ApplicationError as error:
        messages.error(request, error.message)
        return redirect("performance:verification_queue")
    period = period_from(request)
    locked = selectors.locked_quarters(period.year)
    context = {
        **period_context(period),
        "page": page,
        "locks": [(q, label, q in locked) for q, label in period_context(period)["quarters"]],
    }
    return render(request, "performance/verification_queue.html", context)


@require_POST
@require_permission(VERIFY)
def period_lock(request: HttpRequest) -> HttpResponse:
    try:
        year, quarter = int(request.POST.get("year", "")), int(request.POST.get("quarter", ""))
        if request.POST.get("action") == "unlock":
            services.period_unlock(
                actor=request.user,
                year=year,
                quarter=quarter,
                reason=request.POST.get("reason", ""),
            )
            messages.success(request, _("The quarter is open for reporting again."))
        else:
            services.period_lock(
                actor=request.user,
                year=year,
                quarter=quarter,
                reason=request.POST.get("reason", ""),
            )
            messages.success(request, _("The quarter is closed for reporting."))
    except ValueError:
        messages.error(request, _("Choose a year and a quarter."))
    except ApplicationError as error:
        messages.error(request, error.message)
    return redirect(
        reverse("performance:verification_queue") + f"?tahun={request.POST.get('year', '')}"
    )


EXPORT_COLUMNS = [
    ExportColumn(lambda d: d.unit_name, _("Unit")),
    ExportColumn(lambda d: d.row.code, _("Code")),
    ExportColumn(lambda d: d.row.name, _("Indicator")),
    ExportColumn(lambda d: d.row.unit_of_measure, _("Unit of measure")),
    ExportColumn(lambda d: d.row.target, _("Target"), kind="decimal"),
    ExportColumn(lambda d: d.target_low, _("Lowest acceptable"), kind="decimal"),
    ExportColumn(lambda d: d.target_high, _("Highest acceptable"), kind="decimal"),
    ExportColumn(lambda d: d.row.realisation, _("Realisation"), kind="decimal"),
    ExportColumn(lambda d: d.row.achievement, _("Achievement (%)"), kind="decimal"),
    ExportColumn(lambda d: d.row.band or "", _("Band")),
    ExportColumn(lambda d: d.row.automatic, _("Automatic"), kind="bool"),
    ExportColumn(lambda d: d.row.verified, _("Verified"), kind="bool"),
]


@require_GET
@require_permission(VIEW)
def export_xlsx(request: HttpRequest) -> HttpResponse:
    """Every indicator the viewer sees with its figures for the chosen period."""
    period = period_from(request)
    details = selectors.achievement_details(
        selectors.indicators_of_year(viewer=request.user, year=period.year),
        year=period.year,
        quarter=period.quarter,
    )
    suffix = f"-tw{period.quarter}" if period.quarter else ""
    return xlsx_response(
        filename=f"capaian-kinerja-{period.year}{suffix}.xlsx",
        sheet_title=_("Achievement"),
        columns=EXPORT_COLUMNS,
        rows=details,
    )


@require_GET
@require_permission(VIEW)
def evidence_download(request: HttpRequest, pk: int) -> HttpResponse:
    """The evidence file of a realisation (same scope as the indicator; 404 otherwise)."""
    realisation = selectors.realisation_get(viewer=request.user, pk=pk)
    if not realisation.evidence_file:
        raise Http404
    extension = (realisation.evidence_file.name or "").rsplit(".", 1)[-1]
    response: Any = FileResponse(
        realisation.evidence_file.open("rb"),
        as_attachment=True,
        filename=f"bukti-{realisation.indicator.code}-{realisation.year}-tw{realisation.quarter}.{extension}",
    )
    return response  # a streaming response, typed as the views expect


@require_POST
@require_permission(MANAGE)
def indicator_fill(request: HttpRequest, pk: int) -> HttpResponse:
    """Fill an automatic indicator now (every quarter of the year up to the current one)."""
    indicator = selectors.indicator_get(viewer=request.user, pk=pk)
    year = year_from_post(request)
    try:
        done = services.fill_indicator(actor=request.user, indicator=indicator, year=year)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, _("%(count)s quarters computed from Sinergi's records.") % {"count": done}
        )
    return redirect(reverse("performance:indicator_detail", args=[indicator.pk]) + f"?tahun={year}")
