"""SP2D pages: the list of a year, entering an SP2D against a line, cancelling one entered by
mistake."""

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from sinergi.accounts.permissions import require_permission, sees_everything
from sinergi.budget import selectors, services
from sinergi.budget.forms import CancelForm, RealisationForm
from sinergi.budget.models import FiscalYear
from sinergi.budget.permissions import can_enter_realisation
from sinergi.budget.views.common import empty_page, form_errors, page_at
from sinergi.core.errors import ApplicationError


@require_GET
@require_permission("budget.view_budgetline")
def realisation_list(request: HttpRequest) -> HttpResponse:
    """The SP2D of a year, newest first, 50 a page (keyset): every SP2D for office-wide readers,
    the amounts charged to their own lines for a unit's readers."""
    fiscal_year, years = selectors.fiscal_years(request.GET.get("tahun"))
    if fiscal_year is None:
        return empty_page(request)
    per_line = not sees_everything(request.user)
    if per_line:  # a unit's readers: what each SP2D charged to their lines
        page = page_at(
            request,
            selectors.allocation_list(viewer=request.user, fiscal_year=fiscal_year),
            selectors.ALLOCATION_ORDERING,
        )
    else:
        page = page_at(  # an office-wide reader: every SP2D (scope already known, not asked again)
            request,
            selectors.realisation_list(viewer=selectors.SYSTEM, fiscal_year=fiscal_year),
            selectors.REALISATION_ORDERING,
        )
    context = {
        "per_line": per_line,
        "fiscal_year": fiscal_year,
        "years": years,
        "page": page,
        "query": f"tahun={fiscal_year.year}",
        "can_cancel": request.user.has_perm("budget.delete_realisation")
        and fiscal_year.status == FiscalYear.Status.OPEN,
    }
    return render(request, "budget/realisation_list.html", context)


@require_http_methods(["GET", "POST"])
@require_permission("budget.add_realisation")
def realisation_create(request: HttpRequest, pk: int) -> HttpResponse:
    """Enter one SP2D charged to this line (finance staff, or the KPA of the line's unit)."""
    line = selectors.line_get(viewer=request.user, pk=pk)
    if not can_enter_realisation(request.user, line):
        raise PermissionDenied
    form = RealisationForm(
        request.POST or None, initial={"paid_on": dt.date.today(), "sp2d_type": "LS"}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.realisation_create(
                actor=request.user,
                fiscal_year=line.fiscal_year,
                sp2d_number=data["sp2d_number"],
                paid_on=data["paid_on"],
                sp2d_type=data["sp2d_type"],
                allocations={line: data["amount"]},
                description=data["description"],
            )
        except ApplicationError as error:
            form_errors(form, error)
        else:
            messages.success(
                request,
                _("SP2D %(number)s has been recorded.") % {"number": data["sp2d_number"]},
            )
            return redirect("budget:line_detail", pk=line.pk)
    return render(request, "budget/realisation_form.html", {"form": form, "line": line})


@require_http_methods(["GET", "POST"])
@require_permission("budget.delete_realisation")
def realisation_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    """Cancel an SP2D entered by mistake (finance staff), with the reason; audited."""
    realisation = selectors.realisation_get(viewer=request.user, pk=pk)
    form = CancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.realisation_cancel(
                actor=request.user, realisation=realisation, reason=form.cleaned_data["reason"]
            )
        except ApplicationError as error:
            form_errors(form, error)
        else:
            messages.success(
                request,
                _("SP2D %(number)s has been cancelled. Enter it again if it was wrong.")
                % {"number": realisation.sp2d_number},
            )
            return redirect(
                f"{reverse('budget:realisation_list')}?tahun={realisation.fiscal_year.year}"
            )
    context = {
        "form": form,
        "realisation": realisation,
        "allocations": selectors.realisation_allocations(
            viewer=request.user, realisation=realisation
        ),
    }
    return render(request, "budget/realisation_cancel.html", context)
