"""Budget pages: office and unit dashboards, drill-down to the lines, a line with its SP2D and
revisions, SP2D entry, and the monthly absorption report (xlsx, PDF). Thin: parse, select, render."""

import datetime as dt
import hashlib
from typing import Any

from django import forms
from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from sinergi.accounts.permissions import require_permission, sees_everything
from sinergi.budget import selectors, services
from sinergi.budget.forms import MilestoneForm, ProgressForm, RealisationForm, RevisionForm
from sinergi.budget.models import BudgetRevision, FiscalYear
from sinergi.budget.permissions import can_enter_realisation
from sinergi.core.errors import ApplicationError
from sinergi.core.exports import ExportColumn, pdf_response, xlsx_response
from sinergi.core.pagination import Page, keyset_page
from sinergi.organisation import selectors as organisation

ALERT_LIMIT = 10
PAGE_SIZE = 50


def _page(request: HttpRequest, queryset: Any, ordering: Any) -> Page:
    """A keyset page of `queryset` at the request's cursor (the first page for a stale cursor)."""
    try:
        return keyset_page(
            queryset, ordering=ordering, cursor=request.GET.get("cursor") or None, size=PAGE_SIZE
        )
    except ApplicationError as error:
        messages.error(request, error.message)
        return keyset_page(queryset, ordering=ordering, cursor=None, size=PAGE_SIZE)


def _year_and_month(request: HttpRequest) -> tuple[FiscalYear | None, int]:
    fiscal_year = selectors.fiscal_year_get(request.GET.get("tahun"))
    if fiscal_year is None:
        return None, 1
    try:
        month = int(request.GET.get("bulan", ""))
    except ValueError:
        month = selectors.latest_month(fiscal_year)
    return fiscal_year, min(max(month, 1), 12)


def _period_context(fiscal_year: FiscalYear, month: int) -> dict[str, Any]:
    return {
        "fiscal_year": fiscal_year,
        "month": month,
        "month_name": selectors.MONTH_NAMES[month - 1],
        "months": list(enumerate(selectors.MONTH_NAMES, start=1)),
        "years": selectors.fiscal_year_list(),
        "as_of": selectors.month_end(fiscal_year.year, month),
    }


def _chart(curve: dict[str, Any]) -> dict[str, Any]:
    return {
        "labels": [str(m)[:3] for m in selectors.MONTH_NAMES],
        "plan": curve["plan"],
        "realised": curve["realised"],
        "plan_label": _("Cash plan (cumulative %)"),
        "realised_label": _("Realisation (cumulative %)"),
    }


def _empty(request: HttpRequest) -> HttpResponse:
    return render(request, "budget/empty.html", {})


DASHBOARD_CACHE_SECONDS = 15 * 60


def _dashboard_key(viewer: Any, fiscal_year: FiscalYear, month: int) -> str:
    """The cache key of a dashboard body: whose scope, which period, language and data version
    (selectors.data_version changes with every write, so a cached body is never stale)."""
    scope = "all" if sees_everything(viewer) else getattr(getattr(viewer, "unit", None), "path", "")
    stamp = (
        f"{scope}|{fiscal_year.pk}|{month}|{get_language()}|{selectors.data_version(fiscal_year)}"
    )
    return "budget:dashboard:" + hashlib.sha256(stamp.encode()).hexdigest()


def _dashboard_figures(viewer: Any, fiscal_year: FiscalYear, month: int) -> dict[str, Any]:
    """Everything the dashboard body shows (a fixed handful of grouped queries)."""
    milestone, projections = selectors.unit_projections(
        viewer=viewer, fiscal_year=fiscal_year, month=month
    )
    office = selectors.office_absorption(viewer=viewer, fiscal_year=fiscal_year, month=month)
    return {
        "office": office,
        "office_projection": selectors.project(office, month=month, milestone=milestone),
        "league": sorted((p.row for p in projections), key=lambda r: r.rank or 0),
        "alerts": [p for p in projections if p.will_miss][:ALERT_LIMIT],
        "alert_count": sum(1 for p in projections if p.will_miss),
        "projections": {p.row.key: p for p in projections},
        "milestone": milestone,
        "milestones": selectors.milestones(fiscal_year),
        "ranking": selectors.provincial_ranking(fiscal_year=fiscal_year, month=month),
        "mismatch_count": selectors.mismatch_count(viewer=viewer, fiscal_year=fiscal_year),
        "chart": _chart(
            selectors.s_curve(viewer=viewer, fiscal_year=fiscal_year, until_month=month)
        ),
    }


@require_GET
@require_permission("budget.view_budgetline")
def dashboard(request: HttpRequest) -> HttpResponse:
    """The head's view: office absorption, S-curve, unit league table, alerts, provincial rank.
    The body below the header is cached per scope, period, language and data version."""
    fiscal_year, month = _year_and_month(request)
    if fiscal_year is None:
        return _empty(request)
    viewer = request.user
    key = _dashboard_key(viewer, fiscal_year, month)
    body = cache.get(key)
    if body is None:
        body = render_to_string(
            "budget/includes/dashboard_body.html",
            {
                **_period_context(fiscal_year, month),
                **_dashboard_figures(viewer, fiscal_year, month),
            },
            request=request,
        )
        cache.set(key, body, DASHBOARD_CACHE_SECONDS)
    context = {
        **_period_context(fiscal_year, month),
        "whole_office": sees_everything(viewer),
        "body": body,
    }
    return render(request, "budget/dashboard.html", context)


@require_GET
@require_permission("budget.view_budgetline")
def unit_dashboard(request: HttpRequest, pk: int) -> HttpResponse:
    """A KPA's view of its unit: absorption, S-curve, programs, projection and plan warnings."""
    unit = organisation.unit_get(viewer=request.user, pk=pk)  # 404 outside the viewer's scope
    fiscal_year, month = _year_and_month(request)
    if fiscal_year is None:
        return _empty(request)
    viewer = request.user
    filters = {"unit": unit.pk}
    row = selectors.office_absorption(
        viewer=viewer, fiscal_year=fiscal_year, month=month, **filters
    )
    milestone = selectors.next_milestone(fiscal_year, month)
    context = {
        **_period_context(fiscal_year, month),
        "unit": unit,
        "row": row,
        "projection": selectors.project(row, month=month, milestone=milestone),
        "milestone": milestone,
        "programs": selectors.absorption_by(
            viewer=viewer, fiscal_year=fiscal_year, month=month, group="program", **filters
        ),
        "mismatches": list(
            selectors.cash_plan_mismatches(viewer=viewer, fiscal_year=fiscal_year, **filters)[
                :ALERT_LIMIT
            ]
        ),
        "chart": _chart(
            selectors.s_curve(viewer=viewer, fiscal_year=fiscal_year, until_month=month, **filters)
        ),
    }
    return render(request, "budget/unit_dashboard.html", context)


def _int_or_none(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


@require_GET
@require_permission("budget.view_budgetline")
def drill(request: HttpRequest) -> HttpResponse:
    """Absorption one level below the chosen one: office -> unit -> program -> ... -> line."""
    fiscal_year, month = _year_and_month(request)
    if fiscal_year is None:
        return _empty(request)
    filters = {name: _int_or_none(request.GET.get(name)) for name in selectors.DRILL_ORDER[:-1]}
    chosen = {k: v for k, v in filters.items() if v is not None}
    level = next((name for name in selectors.DRILL_ORDER if name not in chosen), "line")
    if request.GET.get("per") == "account_class":
        level = "account_class"
    rows = selectors.absorption_by(
        viewer=request.user, fiscal_year=fiscal_year, month=month, group=level, **chosen
    )
    base = f"tahun={fiscal_year.year}&bulan={month}" + "".join(
        f"&{k}={v}" for k, v in chosen.items()
    )
    context = {
        **_period_context(fiscal_year, month),
        "rows": rows,
        "level": level,
        "base_query": base,
        "trail": selectors.drill_trail(chosen),
        "keep": list(chosen.items()),
        "total": selectors.office_absorption(
            viewer=request.user, fiscal_year=fiscal_year, month=month, **chosen
        ),
    }
    return render(request, "budget/drill.html", context)


@require_GET
@require_permission("budget.view_budgetline")
def line_detail(request: HttpRequest, pk: int) -> HttpResponse:
    line = selectors.line_get(viewer=request.user, pk=pk)
    months = selectors.line_months(line)
    progress = selectors.progress_by_month(line.sub_kegiatan_id)
    for m in months:
        m["progress"] = progress.get(m["month"])
    plan_total = sum(m["plan"] for m in months)
    context = {
        "line": line,
        "months": months,
        "plan_total": plan_total,
        "realised": months[-1]["realised_cumulative"],
        "remaining": line.pagu - months[-1]["realised_cumulative"],
        "plan_mismatch": plan_total != line.pagu,
        "page": _page(request, selectors.line_allocations(line), selectors.ALLOCATION_ORDERING),
        "revisions": selectors.line_revisions(line),
        "can_enter": can_enter_realisation(request.user, line)
        and line.fiscal_year.status == FiscalYear.Status.OPEN,
        "can_manage": request.user.has_perm("budget.manage_budget")
        and line.fiscal_year.status == FiscalYear.Status.OPEN,
    }
    return render(request, "budget/line_detail.html", context)


@require_GET
@require_permission("budget.view_budgetline")
def realisation_list(request: HttpRequest) -> HttpResponse:
    """The SP2D of a year, newest first, 50 a page (keyset): every SP2D for office-wide readers,
    the amounts charged to their own lines for a unit's readers."""
    fiscal_year = selectors.fiscal_year_get(request.GET.get("tahun"))
    if fiscal_year is None:
        return _empty(request)
    per_line = not sees_everything(request.user)
    if per_line:  # a unit's readers: what each SP2D charged to their lines
        page = _page(
            request,
            selectors.allocation_list(viewer=request.user, fiscal_year=fiscal_year),
            selectors.ALLOCATION_ORDERING,
        )
    else:
        page = _page(
            request,
            selectors.realisation_list(viewer=request.user, fiscal_year=fiscal_year),
            selectors.REALISATION_ORDERING,
        )
    context = {
        "per_line": per_line,
        "fiscal_year": fiscal_year,
        "years": selectors.fiscal_year_list(),
        "page": page,
        "query": f"tahun={fiscal_year.year}",
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
            for field, field_messages in error.field_errors.items():
                for message in field_messages:
                    form.add_error(field if field in form.fields else None, message)
            form.add_error(None, error.message)
        else:
            messages.success(
                request,
                _("SP2D %(number)s has been recorded.") % {"number": data["sp2d_number"]},
            )
            return redirect("budget:line_detail", pk=line.pk)
    return render(request, "budget/realisation_form.html", {"form": form, "line": line})


def _report_rows(request: HttpRequest) -> tuple[FiscalYear, int, list[Any]]:
    fiscal_year, month = _year_and_month(request)
    if fiscal_year is None:
        raise PermissionDenied  # nothing to report: no fiscal year was set up
    rows = selectors.league_table(viewer=request.user, fiscal_year=fiscal_year, month=month)
    return fiscal_year, month, rows


REPORT_COLUMNS = [
    ExportColumn("rank", _("Rank"), kind="int"),
    ExportColumn("code", _("Unit code")),
    ExportColumn("label", _("Unit")),
    ExportColumn("pagu", _("Pagu"), kind="money"),
    ExportColumn("plan", _("Cash plan to date"), kind="money"),
    ExportColumn("realised", _("Realisation to date"), kind="money"),
    ExportColumn("absorption", _("Absorption (%)"), kind="decimal"),
    ExportColumn("plan_percent", _("Cash plan (%)"), kind="decimal"),
    ExportColumn("deviation", _("Deviation (points)"), kind="decimal"),
    ExportColumn("change", _("Change since last month (points)"), kind="decimal"),
]


@require_GET
@require_permission("budget.view_budgetline")
def report_xlsx(request: HttpRequest) -> HttpResponse:
    fiscal_year, month, rows = _report_rows(request)
    return xlsx_response(
        filename=f"serapan-{fiscal_year.year}-{month:02d}",
        sheet_title=_("Absorption"),
        columns=REPORT_COLUMNS,
        rows=rows,
    )


@require_GET
@require_permission("budget.view_budgetline")
def report_pdf(request: HttpRequest) -> HttpResponse:
    fiscal_year, month, rows = _report_rows(request)
    office = selectors.office_absorption(viewer=request.user, fiscal_year=fiscal_year, month=month)
    context = {
        **_period_context(fiscal_year, month),
        "title": _("Budget absorption report"),
        "rows": rows,
        "office": office,
    }
    return pdf_response(
        request,
        template="budget/report_pdf.html",
        context=context,
        filename=f"serapan-{fiscal_year.year}-{month:02d}",
    )


def _form_errors(form: forms.Form, error: ApplicationError) -> None:
    """Show a refused write on the form: field messages at their fields, the message on top."""
    for field, field_messages in error.field_errors.items():
        for message in field_messages:
            form.add_error(field if field in form.fields else None, message)
    form.add_error(None, error.message)


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
            _form_errors(form, error)
        else:
            messages.success(request, _("The pagu revision has been recorded."))
            return redirect("budget:line_detail", pk=line.pk)
    return render(
        request,
        "budget/line_form.html",
        {
            "form": form,
            "line": line,
            "title": _("Revise pagu"),
            "submit": _("Save revision"),
            "testid": "save-revision",
        },
    )


@require_http_methods(["GET", "POST"])
@require_permission("budget.manage_budget")
def progress_create(request: HttpRequest, pk: int) -> HttpResponse:
    """Enter the physical progress of the line's sub kegiatan for a month (finance staff)."""
    line = selectors.line_get(viewer=request.user, pk=pk)
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
                month=data["month"],
                percent=data["percent"],
                reported_by=data["reported_by"],
            )
        except ApplicationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("The physical progress has been recorded."))
            return redirect("budget:line_detail", pk=line.pk)
    return render(
        request,
        "budget/line_form.html",
        {
            "form": form,
            "line": line,
            "title": _("Report physical progress"),
            "submit": _("Save progress"),
            "testid": "save-progress",
        },
    )


@require_GET
@require_permission("budget.view_budgetline")
def milestone_list(request: HttpRequest) -> HttpResponse:
    """The absorption targets of a year (office-wide: every reader of the budget sees them)."""
    fiscal_year = selectors.fiscal_year_get(request.GET.get("tahun"))
    if fiscal_year is None:
        return _empty(request)
    context = {
        "fiscal_year": fiscal_year,
        "years": selectors.fiscal_year_list(),
        "milestones": selectors.milestones(fiscal_year),
        "can_manage": request.user.has_perm("budget.manage_budget")
        and fiscal_year.status == FiscalYear.Status.OPEN,
        "can_close": request.user.has_perm("budget.manage_budget"),
        "is_closed": fiscal_year.status == FiscalYear.Status.CLOSED,
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
            _form_errors(form, error)
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
    fiscal_year, month = _year_and_month(request)
    if fiscal_year is None:
        return _empty(request)
    context = {
        **_period_context(fiscal_year, month),
        "ranking": selectors.provincial_ranking(fiscal_year=fiscal_year, month=month),
    }
    return render(request, "budget/provincial_list.html", context)
