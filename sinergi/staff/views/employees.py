"""Staff records: search list (POSTed, keyset), one employee, create and edit (HR), export."""

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from sinergi.accounts.permissions import require_permission
from sinergi.audit import services as audit
from sinergi.core.errors import ApplicationError
from sinergi.core.export_views import export_or_enqueue
from sinergi.core.htmx import render_page_or_partial
from sinergi.staff import selectors, services
from sinergi.staff.forms import EmployeeForm, EmployeeSearchForm, employee_initial
from sinergi.staff.models import AuditAction, EmploymentType
from sinergi.staff.views.common import DASH, PAGE_SIZE, employee_rows, form_errors


@require_http_methods(["GET", "POST"])
@require_permission("staff.view_employee")
def employee_list(request: HttpRequest) -> HttpResponse:
    """The search is POSTed: a NIP or a name never goes into an address (the page cursor is an id)."""
    data = request.POST if request.method == "POST" else None
    form = EmployeeSearchForm(data, viewer=request.user)
    filters = form.filters()
    # The cursor is an employee id (selectors.id_keyset_page): an unfiltered list pages by GET.
    cursor = (data.get("cursor") if data else request.GET.get("cursor")) or None
    try:
        page = selectors.employee_page(
            viewer=request.user, filters=filters, cursor=cursor, size=PAGE_SIZE
        )
    except ApplicationError as error:
        messages.warning(request, error.message)
        page = selectors.employee_page(
            viewer=request.user, filters=filters, cursor=None, size=PAGE_SIZE
        )
    kinds = {value: str(label) for value, label in EmploymentType.choices}
    rows = employee_rows(
        page.items,
        lambda e: (
            e.name,
            kinds.get(e.employment_type, ""),
            e.nip or DASH,
            str(e.rank) if e.rank_id else DASH,
            e.position or DASH,
            e.unit.short_name or e.unit.name,
        ),
    )
    context = {"form": form, "page": page, "rows": rows, "filtered": filters.any}
    return render_page_or_partial(
        request, "staff/employee_list.html", context, partial="employee_results"
    )


@require_GET
@require_permission("staff.view_employee")
def employee_detail(request: HttpRequest, pk: int) -> HttpResponse:
    employee = selectors.employee_get(viewer=request.user, pk=pk)
    audit.record_read(
        actor=request.user,
        action=AuditAction.EMPLOYEE_VIEWED,
        target=employee,
        purpose=request.GET.get("purpose", "")[:200],
    )
    context = {
        "employee": employee,
        "subordinates": list(employee.subordinates.order_by("name", "id")[:100]),
        "skps": selectors.employee_skps(employee),
        "can_edit": request.user.has_perm("staff.change_employee"),
    }
    return render(request, "staff/employee_detail.html", context)


def _save(request: HttpRequest, form: EmployeeForm, employee: Any = None) -> HttpResponse | None:
    if not form.is_valid():
        return None
    try:
        if employee is None:
            employee = services.employee_create(actor=request.user, **form.service_fields())
            messages.success(request, _("The employee has been added."))
        else:
            services.employee_update(actor=request.user, employee=employee, **form.service_fields())
            messages.success(request, _("The employee's record has been saved."))
    except ApplicationError as error:
        form_errors(form, error)
        return None
    return redirect("staff:employee_detail", pk=employee.pk)


@require_http_methods(["GET", "POST"])
@require_permission("staff.add_employee")
def employee_create(request: HttpRequest) -> HttpResponse:
    form = EmployeeForm(request.POST or None, viewer=request.user)
    if request.method == "POST" and (done := _save(request, form)):
        return done
    return render(request, "staff/employee_form.html", {"form": form, "employee": None})


@require_http_methods(["GET", "POST"])
@require_permission("staff.change_employee")
def employee_edit(request: HttpRequest, pk: int) -> HttpResponse:
    employee = selectors.employee_get(viewer=request.user, pk=pk)
    form = EmployeeForm(
        request.POST or None, viewer=request.user, initial=employee_initial(employee)
    )
    if request.method == "POST" and (done := _save(request, form, employee)):
        return done
    return render(request, "staff/employee_form.html", {"form": form, "employee": employee})


@require_GET
@require_permission("staff.view_employee")
def employee_export(request: HttpRequest) -> HttpResponse:
    """All employees of the viewer's scope as xlsx (a job when big)."""
    return export_or_enqueue(request, "staff.employees", {}, "xlsx")
