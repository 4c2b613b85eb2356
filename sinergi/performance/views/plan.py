"""Plan pages: the Renstra tree, indicator and target forms (planning staff), the Perjanjian
Kinerja (list, drawing up, signing, PDF) and the editable bands."""

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from sinergi.accounts.permissions import require_permission
from sinergi.core.errors import ApplicationError
from sinergi.core.exports import pdf_response
from sinergi.organisation import selectors as organisation
from sinergi.performance import selectors, services
from sinergi.performance.forms import AgreementForm, BandForm, IndicatorForm, SignForm, TargetForm
from sinergi.performance.models import Band, Polarity
from sinergi.performance.permissions import MANAGE, VIEW, can_manage
from sinergi.performance.views.achievements import _form_errors
from sinergi.performance.views.common import period_context, period_from


@require_GET
@require_permission(VIEW)
def plan(request: HttpRequest) -> HttpResponse:
    """The Renstra of the chosen year: tujuan > sasaran > indicators (those the viewer sees)."""
    period = period_from(request)
    renstra = selectors.period_for_year(period.year)
    tree, loose = selectors.plan_tree(viewer=request.user, period=renstra) if renstra else ([], [])
    context = {
        **period_context(period),
        "renstra": renstra,
        "tree": tree,
        "loose": loose,
        "can_manage": can_manage(request.user),
    }
    return render(request, "performance/plan.html", context)


@require_http_methods(["GET", "POST"])
@require_permission(MANAGE)
def indicator_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """Create (in the plan of the chosen year) or change an indicator."""
    indicator = selectors.indicator_get(viewer=request.user, pk=pk) if pk else None
    renstra = (
        indicator.period if indicator else selectors.period_for_year(period_from(request).year)
    )
    if renstra is None:
        raise Http404
    initial: dict[str, Any] = {}
    if indicator is not None:
        initial = {
            name: getattr(indicator, name)
            for name in (
                "code",
                "name",
                "level",
                "unit",
                "objective",
                "parent",
                "unit_of_measure",
                "polarity",
                "quarter_mode",
                "data_source",
                "formula",
                "metric_code",
                "sort_order",
            )
        }
        initial["sub_kegiatan_ids"] = selectors.linked_sub_kegiatan_ids(indicator)
    form = IndicatorForm(
        request.POST or None,
        period=renstra,
        units=organisation.unit_list(viewer=request.user),
        sub_kegiatan=selectors.sub_kegiatan_choices(viewer=request.user, years=renstra.years),
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            saved = services.indicator_save(actor=request.user, period=renstra, **data)
        except ApplicationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("The indicator was saved."))
            return redirect("performance:indicator_detail", saved.pk)
    return render(
        request,
        "performance/indicator_form.html",
        {"form": form, "indicator": indicator, "renstra": renstra},
    )


@require_http_methods(["GET", "POST"])
@require_permission(MANAGE)
def target_edit(request: HttpRequest, pk: int, year: int) -> HttpResponse:
    """The year's and the quarters' targets of an indicator."""
    indicator = selectors.indicator_get(viewer=request.user, pk=pk)
    if year not in indicator.period.years:
        raise Http404
    existing = selectors.targets_of(indicator)
    initial: dict[str, Any] = {}
    for quarter in range(0, 5):
        target = existing.get((year, quarter))
        if target is not None:
            initial.update(
                {
                    f"value_{quarter}": target.value,
                    f"low_{quarter}": target.low,
                    f"high_{quarter}": target.high,
                }
            )
    form = TargetForm(request.POST or None, indicator=indicator, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        ranged = indicator.polarity == Polarity.RANGE
        try:
            for quarter in range(0, 5):
                value = data.get(f"value_{quarter}")
                low, high = data.get(f"low_{quarter}"), data.get(f"high_{quarter}")
                if (value is None and not ranged) or (ranged and low is None and high is None):
                    continue
                services.target_set(
                    actor=request.user,
                    indicator=indicator,
                    year=year,
                    quarter=quarter,
                    value=value,
                    low=low,
                    high=high,
                )
        except ApplicationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("The targets were saved."))
            return redirect(
                reverse("performance:indicator_detail", args=[indicator.pk]) + f"?tahun={year}"
            )
    return render(
        request,
        "performance/target_form.html",
        {"form": form, "indicator": indicator, "year": year},
    )


@require_GET
@require_permission(VIEW)
def agreement_list(request: HttpRequest) -> HttpResponse:
    period = period_from(request)
    context = {
        **period_context(period),
        "agreements": selectors.agreement_list(viewer=request.user, year=period.year),
        "can_manage": can_manage(request.user),
    }
    return render(request, "performance/agreement_list.html", context)


@require_http_methods(["GET", "POST"])
@require_permission(MANAGE)
def agreement_create(request: HttpRequest) -> HttpResponse:
    period = period_from(request)
    form = AgreementForm(
        request.POST or None,
        units=organisation.unit_list(viewer=request.user),
        initial={"year": period.year},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            agreement = services.agreement_draw(actor=request.user, **data)
        except ApplicationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("The performance agreement was drawn up."))
            return redirect("performance:agreement_detail", agreement.pk)
    return render(request, "performance/agreement_form.html", {"form": form})


@require_GET
@require_permission(VIEW)
def agreement_detail(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = selectors.agreement_get(viewer=request.user, pk=pk)
    context = {
        "agreement": agreement,
        "items": selectors.agreement_items(agreement),
        "can_manage": can_manage(request.user),
        "sign_form": SignForm(),
    }
    return render(request, "performance/agreement_detail.html", context)


@require_POST
@require_permission(MANAGE)
def agreement_sign(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = selectors.agreement_get(viewer=request.user, pk=pk)
    form = SignForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Enter the date the agreement was signed."))
    else:
        try:
            services.agreement_sign(
                actor=request.user, agreement=agreement, signed_on=form.cleaned_data["signed_on"]
            )
        except ApplicationError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("The agreement is recorded as signed."))
    return redirect("performance:agreement_detail", agreement.pk)


@require_GET
@require_permission(VIEW)
def agreement_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = selectors.agreement_get(viewer=request.user, pk=pk)
    return pdf_response(
        request,
        template="performance/agreement_pdf.html",
        context={
            "title": _("Performance agreement %(year)s") % {"year": agreement.year},
            "agreement": agreement,
            "items": selectors.agreement_items(agreement),
        },
        filename=f"perjanjian-kinerja-{agreement.year}-{agreement.unit.code}.pdf",
    )


@require_GET
@require_permission(VIEW)
def band_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "performance/band_list.html",
        {
            "bands": Band.objects.order_by("scheme", "-minimum"),
            "can_manage": can_manage(request.user),
        },
    )


@require_http_methods(["GET", "POST"])
@require_permission(MANAGE)
def band_edit(request: HttpRequest, pk: int) -> HttpResponse:
    band = get_object_or_404(Band, pk=pk)
    initial = {
        "label": band.label,
        "minimum": band.minimum,
        "inclusive": band.inclusive,
        "colour": band.colour,
        "needs_attention": band.needs_attention,
        "source": band.source,
    }
    form = BandForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.band_save(actor=request.user, band=band, **form.cleaned_data)
        except ApplicationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("The band was saved."))
            return redirect("performance:band_list")
    return render(request, "performance/band_form.html", {"form": form, "band": band})
