"""Recommendation pages: adding one to an evaluation, the tracker and the follow-up."""

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from sinergi.accounts.permissions import require_permission
from sinergi.core.errors import ApplicationError
from sinergi.organisation import selectors as organisation
from sinergi.sakip import forms as sakip_forms
from sinergi.sakip import selectors, services
from sinergi.sakip.models import Recommendation
from sinergi.sakip.permissions import MANAGE, VIEW, can_follow_up
from sinergi.sakip.views.common import form_errors


@require_http_methods(["GET", "POST"])
@require_permission(MANAGE)
def recommendation_create(request: HttpRequest, pk: int) -> HttpResponse:
    evaluation = selectors.evaluation_get(viewer=request.user, pk=pk)
    form = sakip_forms.RecommendationForm(
        request.POST or None,
        components=evaluation.template.components.all(),
        units=organisation.unit_list(viewer=request.user),
        initial={"owner_unit": evaluation.unit_id},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.recommendation_create(
                actor=request.user,
                evaluation=evaluation,
                text=data["text"],
                owner_unit=data["owner_unit"],
                due_on=data["due_on"],
                component=data["component"],
            )
        except ApplicationError as error:
            form_errors(form, error)
        else:
            messages.success(request, _("The recommendation has been added."))
            return redirect("sakip:evaluation_detail", pk=evaluation.pk)
    return render(
        request,
        "sakip/form.html",
        {"form": form, "title": _("Add a recommendation"), "evaluation": evaluation},
    )


@require_GET
@require_permission(VIEW)
def recommendation_list(request: HttpRequest) -> HttpResponse:
    """The tracker: recommendations in the viewer's scope by due date, filtered by status/year."""
    status = request.GET.get("status", "")
    status = status if status in Recommendation.Status.values else ""
    try:
        year = int(request.GET.get("tahun", "")) or None
    except ValueError:
        year = None
    try:
        page = selectors.recommendation_page(
            viewer=request.user, status=status, year=year, cursor=request.GET.get("cursor")
        )
    except ApplicationError as error:
        messages.error(request, error.message)
        return redirect("sakip:recommendation_list")
    query = "&".join(f"{k}={v}" for k, v in (("status", status), ("tahun", year or "")) if v)
    return render(
        request,
        "sakip/recommendation_list.html",
        {
            "page": page,
            "status": status,
            "year": year,
            "query": query,
            "statuses": Recommendation.Status.choices,
            "years": selectors.evaluation_years(),
            "today": dt.date.today(),
        },
    )


@require_http_methods(["GET", "POST"])
@require_permission(VIEW)
def recommendation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """The responsible unit (or the planning officer) records the follow-up."""
    recommendation = selectors.recommendation_get(viewer=request.user, pk=pk)
    allowed = can_follow_up(request.user, recommendation)
    if request.method == "POST" and not allowed:
        raise PermissionDenied
    form = sakip_forms.FollowUpForm(
        request.POST or None,
        initial={"status": recommendation.status, "follow_up": recommendation.follow_up},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.recommendation_follow_up(
                actor=request.user,
                recommendation=recommendation,
                status=data["status"],
                follow_up=data["follow_up"],
            )
        except ApplicationError as error:
            form_errors(form, error)
        else:
            messages.success(request, _("The follow-up has been saved."))
            return redirect("sakip:recommendation_list")
    return render(
        request,
        "sakip/recommendation_form.html",
        {"form": form, "recommendation": recommendation, "can_edit": allowed},
    )
