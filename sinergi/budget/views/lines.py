"""A budget line with its months, SP2D and pagu history; revising its pagu; reporting the physical
progress of its sub kegiatan."""

import datetime as dt
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from sinergi.accounts.permissions import require_permission
from sinergi.budget import selectors, services
from sinergi.budget.forms import ProgressForm, RevisionForm
from sinergi.budget.models import BudgetRevision, FiscalYear
from sinergi.budget.permissions import can_enter_realisation, can_report_progress
from sinergi.budget.views.common import form_errors, page_at
from sinergi.core.errors import ApplicationError


@require_GET
@require_permission("budget.view_budgetline")
def line_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One line: pagu, realised, remaining, months (plan, SP2D, physical progress), SP2D, history."""
    line = selectors.line_get(viewer=request.user, pk=pk)
    months = selectors.line_months(line)
    progress = selectors.progress_by_month(
        sub_kegiatan_id=line.sub_kegiatan_id, unit_id=line.unit_id
    )
    for m in months:
        m["progress"] = progress.get(m["month"])
    plan_total = sum(m["plan"] for m in months)
    is_open = line.fiscal_year.status == FiscalYear.Status.OPEN
    context = {
        "line": line,
        "months": months,
        "plan_total": plan_total,
        "realised": months[-1]["realised_cumulative"],
        "remaining": line.pagu - months[-1]["realised_cumulative"],
        "plan_mismatch": plan_total != line.pagu,
        "page": page_at(request, selectors.line_allocations(line), selectors.ALLOCATION_ORDERING),
        "revisions": selectors.line_revisions(line),
        "can_enter": is_open and can_enter_realisation(request.user, line),
        "can_report": is_open and can_report_progress(request.user, line.unit_id),
        "can_manage": is_open and request.user.has_perm("budget.manage_budget"),
    }
    return render(request, "budget/line_detail.html", context)


def _line_form(
    request: HttpRequest, line: Any, form: Any, *, title: str, submit: str, testid: str
) -> HttpResponse:
    """An entry form about one line (its pagu, its progress) under the line's breadcrumbs."""
    context = {"form": form, "line": line, "title": title, "submit": submit, "testid": testid}
    return render(request, "budget/line_form.html", context)


@require_http_methods(["GET", "POST"])
@require_permission("budget.manage_budget")
def revision_create(request: HttpRequest, pk: int) -> HttpResponse:
    """Record a pergeseran or perubahan of the line's pagu (finance staff); kept as history."""
    line = selectors.line_get(viewer=request.user, pk=pk)
    form = RevisionForm(
        request.POST or None,
        initial={
            "kind": BudgetRevision.Kind.SHIFT,
            "new_pagu": line.pagu,
            "revised_on": min(
                max(dt.date.today(), line.fiscal_year.starts_on), line.fiscal_year.ends_on
            ),
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.pagu_revise(
                actor=request.user,
                line=line,
                new_pagu=data["new_pagu"],
                kind=data["kind"],
                revised_on=data["revised_on"],
                reference=data["reference"],
                reason=data["reason"],
            )
        except ApplicationError as error:
            form_errors(form, error)
        else:
            messages.success(request, _("The pagu revision has been recorded."))
            return redirect("budget:line_detail", pk=line.pk)
    return _line_form(
        request, line, form, title=_("Revise pagu"), submit=_("Save revision"), testid="revision"
    )


@require_http_methods(["GET", "POST"])
@require_permission("budget.add_physicalprogress")
def progress_create(request: HttpRequest, pk: int) -> HttpResponse:
    """Enter the physical progress of the line's sub kegiatan in its unit for a month (finance
    staff, or the KPA of the line's unit)."""
    line = selectors.line_get(viewer=request.user, pk=pk)
    if not can_report_progress(request.user, line.unit_id):
        raise PermissionDenied
    months = list(enumerate(selectors.MONTH_NAMES, start=1))
    today = dt.date.today()
    form = ProgressForm(
        request.POST or None,
        months=months,
        initial={
            "month": today.month if today.year == line.fiscal_year.year else 12,
            "reported_by": line.pptk_name,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.progress_report(
                actor=request.user,
                sub_kegiatan=line.sub_kegiatan,
                unit=line.unit,
                month=data["month"],
                percent=data["percent"],
                reported_by=data["reported_by"],
            )
        except ApplicationError as error:
            form_errors(form, error)
        else:
            messages.success(request, _("The physical progress has been recorded."))
            return redirect("budget:line_detail", pk=line.pk)
    return _line_form(
        request,
        line,
        form,
        title=_("Report physical progress"),
        submit=_("Save progress"),
        testid="progress",
    )
