"""Milestones of a year, closing and reopening a year, and the provincial offices table."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from sinergi.accounts.permissions import require_permission
from sinergi.budget import selectors, services
from sinergi.budget.forms import MilestoneForm, ThresholdsForm
from sinergi.budget.models import FiscalYear
from sinergi.budget.views.common import empty_page, form_errors, period_of
from sinergi.core.errors import ApplicationError


@require_GET
@require_permission("budget.view_budgetline")
def milestone_list(request: HttpRequest) -> HttpResponse:
    """The absorption targets of a year (office-wide: every reader of the budget sees them)."""
    fiscal_year, years = selectors.fiscal_years(request.GET.get("tahun"))
    if fiscal_year is None:
        return empty_page(request)
    context = {
        "fiscal_year": fiscal_year,
        "years": years,
        "milestones": selectors.milestones(fiscal_year),
        "can_manage": request.user.has_perm("budget.manage_budget")
        and fiscal_year.status == FiscalYear.Status.OPEN,
        "can_close": request.user.has_perm("budget.manage_budget"),
        "is_closed": fiscal_year.status == FiscalYear.Status.CLOSED,
        "thresholds": ThresholdsForm(
            initial={
                "warning_points": fiscal_year.warning_points,
                "critical_points": fiscal_year.critical_points,
            }
        ),
    }
    return render(request, "budget/milestone_list.html", context)


@require_http_methods(["POST"])
@require_permission("budget.manage_budget")
def fiscal_year_status(request: HttpRequest, year: int) -> HttpResponse:
    """Close a fiscal year (no more SP2D, revisions, progress or milestones) or reopen it."""
    fiscal_year = selectors.fiscal_year_get(year)
    if fiscal_year is None:
        raise Http404
    status = request.POST.get("status", "")
    try:
        services.fiscal_year_set_status(actor=request.user, fiscal_year=fiscal_year, status=status)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        if status == FiscalYear.Status.CLOSED:
            messages.success(
                request,
                _("Fiscal year %(year)s is closed: entries for it are refused from now on.")
                % {"year": fiscal_year.year},
            )
        else:
            messages.success(
                request, _("Fiscal year %(year)s is open again.") % {"year": fiscal_year.year}
            )
    return redirect(f"{reverse('budget:milestone_list')}?tahun={fiscal_year.year}")


@require_http_methods(["POST"])
@require_permission("budget.manage_budget")
def fiscal_year_thresholds(request: HttpRequest, year: int) -> HttpResponse:
    """Set the deviation from which units show amber and red on the dashboards (finance)."""
    fiscal_year = selectors.fiscal_year_get(year)
    if fiscal_year is None:
        raise Http404
    form = ThresholdsForm(request.POST)
    if not form.is_valid():
        messages.error(
            request,
            _("Enter both thresholds as points from 0 to 100, e.g. 5 and 10."),
        )
    else:
        try:
            services.fiscal_year_set_thresholds(
                actor=request.user, fiscal_year=fiscal_year, **form.cleaned_data
            )
        except ApplicationError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("The traffic-light thresholds have been saved."))
    return redirect(f"{reverse('budget:milestone_list')}?tahun={fiscal_year.year}")


@require_http_methods(["GET", "POST"])
@require_permission("budget.manage_budget")
def milestone_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """Add a target for a date of the year, or change the target of an existing date."""
    milestone = selectors.milestone_get(pk) if pk is not None else None
    if milestone is not None:
        fiscal_year: FiscalYear | None = milestone.fiscal_year
        initial = {
            "due_on": milestone.due_on,
            "target_percent": milestone.target_percent,
            "source": milestone.source,
        }
    else:
        fiscal_year = selectors.fiscal_year_get(request.GET.get("tahun"))
        initial = {}
    if fiscal_year is None:
        raise Http404
    form = MilestoneForm(request.POST or None, initial=initial)
    if milestone is not None:
        form.fields["due_on"].disabled = True  # the date is the milestone's identity
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.milestone_save(
                actor=request.user,
                fiscal_year=fiscal_year,
                due_on=data["due_on"],
                target_percent=data["target_percent"],
                source=data["source"],
            )
        except ApplicationError as error:
            form_errors(form, error)
        else:
            messages.success(request, _("The milestone has been saved."))
            return redirect(f"{reverse('budget:milestone_list')}?tahun={fiscal_year.year}")
    return render(
        request,
        "budget/milestone_form.html",
        {"form": form, "fiscal_year": fiscal_year, "milestone": milestone},
    )


@require_GET
@require_permission("budget.view_budgetline")
def provincial_list(request: HttpRequest) -> HttpResponse:
    """The provincial offices' absorption at a month, ranked (the office's row highlighted)."""
    period = period_of(request)
    if period is None:
        return empty_page(request)
    context = {
        **period.context(),
        "ranking": selectors.provincial_ranking(fiscal_year=period.fiscal_year, month=period.month),
    }
    return render(request, "budget/provincial_list.html", context)
