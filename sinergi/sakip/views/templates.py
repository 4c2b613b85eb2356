"""LKE template pages: the LKE of every year (creating next year's) and the weights of one."""

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from sinergi.accounts.permissions import require_permission
from sinergi.core.errors import ApplicationError
from sinergi.sakip import forms as sakip_forms
from sinergi.sakip import selectors, services
from sinergi.sakip.permissions import MANAGE, VIEW
from sinergi.sakip.views.common import form_errors


@require_http_methods(["GET", "POST"])
@require_permission(VIEW)
def template_list(request: HttpRequest) -> HttpResponse:
    """The LKE of every year; the planning officer creates next year's."""
    can_manage = request.user.has_perm(MANAGE)
    form = sakip_forms.TemplateCreateForm(
        request.POST or None,
        templates=selectors.template_list(),
        initial={"year": dt.date.today().year},
    )
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied
        if form.is_valid():
            try:
                template = services.template_create(
                    actor=request.user,
                    year=form.cleaned_data["year"],
                    copy_from=form.cleaned_data["copy_from"],
                )
            except ApplicationError as error:
                form_errors(form, error)
            else:
                messages.success(request, _("The LKE has been created."))
                return redirect("sakip:template_detail", pk=template.pk)
    return render(
        request,
        "sakip/template_list.html",
        {"templates": selectors.template_list(), "form": form, "can_manage": can_manage},
    )


@require_http_methods(["GET", "POST"])
@require_permission(VIEW)
def template_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The structure of an LKE with its weights; the planning officer changes the weights."""
    template = selectors.template_get(pk=pk)
    can_manage = request.user.has_perm(MANAGE)
    error = None
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied
        weights: dict[str, Decimal] = {}
        for key, value in request.POST.dict().items():
            if key.split("-")[0] in ("component", "subcomponent", "criterion"):
                try:
                    weights[key] = Decimal(value.strip().replace(",", "."))
                except InvalidOperation:
                    error = _("Enter every weight as a number.")
                else:
                    if not weights[key].is_finite():
                        error = _("Enter every weight as a number.")
        if error is None:
            try:
                services.template_weights_set(
                    actor=request.user, template=template, weights=weights
                )
            except ApplicationError as exc:
                error = exc.message
            else:
                messages.success(request, _("The weights have been saved."))
                return redirect("sakip:template_detail", pk=template.pk)
    components = selectors.template_components(template)
    posted = request.POST if request.method == "POST" else {}
    for comp in components:
        comp.shown = posted.get(f"component-{comp.pk}", comp.weight)  # type: ignore[attr-defined]
        for sub in comp.subcomponents.all():
            sub.shown = posted.get(f"subcomponent-{sub.pk}", sub.weight)  # type: ignore[attr-defined]
            for crit in sub.criteria.all():
                crit.shown = posted.get(f"criterion-{crit.pk}", crit.weight)  # type: ignore[attr-defined]
    return render(
        request,
        "sakip/template_detail.html",
        {
            "template": template,
            "components": components,
            "can_manage": can_manage,
            "error": error,
        },
    )
