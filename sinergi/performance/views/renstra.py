"""Pages of the Renstra itself (planning staff): the plan period, its tujuan and their sasaran.
Indicators and targets: views/plan.py."""

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from sinergi.accounts.permissions import require_permission
from sinergi.core.errors import ApplicationError
from sinergi.performance import selectors, services
from sinergi.performance.forms import PeriodForm, StatementForm
from sinergi.performance.permissions import MANAGE
from sinergi.performance.views.achievements import _form_errors


def _to_plan(year: int) -> HttpResponse:
    return redirect(reverse("performance:plan") + f"?tahun={year}")


def _render(request: HttpRequest, form: Any, title: str, subtitle: str, year: int) -> HttpResponse:
    context = {"form": form, "title": title, "subtitle": subtitle, "year": year}
    return render(request, "performance/renstra_form.html", context)


@require_http_methods(["GET", "POST"])
@require_permission(MANAGE)
def period_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """Create a Renstra period, or change the name, last year or legal basis of one."""
    period = selectors.period_get(pk) if pk else None
    if pk and period is None:
        raise Http404
    initial = (
        {
            "name": period.name,
            "start_year": period.start_year,
            "end_year": period.end_year,
            "legal_basis": period.legal_basis,
        }
        if period
        else {}
    )
    form = PeriodForm(request.POST or None, initial=initial, editing=period is not None)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.period_save(
                actor=request.user, new=period is None, **form.cleaned_data
            )
        except ApplicationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("The Renstra period was saved."))
            return _to_plan(saved.start_year)
    title = _("Change the Renstra period") if period else _("New Renstra period")
    return _render(request, form, title, str(period or ""), period.start_year if period else 0)


@require_http_methods(["GET", "POST"])
@require_permission(MANAGE)
def goal_edit(
    request: HttpRequest, period_pk: int | None = None, pk: int | None = None
) -> HttpResponse:
    """Add a tujuan to a period, or change the wording of one."""
    goal = selectors.goal_get(pk) if pk else None
    period = goal.period if goal else selectors.period_get(period_pk or 0)
    if period is None:
        raise Http404
    initial = {"code": goal.code, "statement": goal.statement} if goal else {}
    form = StatementForm(request.POST or None, initial=initial, editing=goal is not None)
    if request.method == "POST" and form.is_valid():
        try:
            services.goal_save(
                actor=request.user, period=period, new=goal is None, **form.cleaned_data
            )
        except ApplicationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("The goal (tujuan) was saved."))
            return _to_plan(period.start_year)
    title = _("Change goal (tujuan) %(code)s") % {"code": goal.code} if goal else _("New goal")
    return _render(request, form, title, str(period), period.start_year)


@require_http_methods(["GET", "POST"])
@require_permission(MANAGE)
def objective_edit(
    request: HttpRequest, goal_pk: int | None = None, pk: int | None = None
) -> HttpResponse:
    """Add a sasaran under a tujuan, or change the wording of one."""
    objective = selectors.objective_get(pk) if pk else None
    goal = objective.goal if objective else selectors.goal_get(goal_pk or 0)
    if goal is None:
        raise Http404
    initial = {"code": objective.code, "statement": objective.statement} if objective else {}
    form = StatementForm(request.POST or None, initial=initial, editing=objective is not None)
    if request.method == "POST" and form.is_valid():
        try:
            services.objective_save(
                actor=request.user, goal=goal, new=objective is None, **form.cleaned_data
            )
        except ApplicationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("The objective (sasaran) was saved."))
            return _to_plan(goal.period.start_year)
    title = (
        _("Change objective (sasaran) %(code)s") % {"code": objective.code}
        if objective
        else _("New objective")
    )
    return _render(request, form, title, str(goal), goal.period.start_year)
