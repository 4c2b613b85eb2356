"""Unit pages (tree list, detail, create, edit, deactivate), the region browser, and the options
endpoint of the cascading region picker. Thin: parse, one selector or service, render."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from sinergi.accounts.permissions import require_permission
from sinergi.core.errors import ApplicationError
from sinergi.core.export_views import export_or_enqueue
from sinergi.core.htmx import render_page_or_partial
from sinergi.organisation import exports as unit_exports
from sinergi.organisation import selectors, services
from sinergi.organisation.forms import UnitFilterForm, UnitForm
from sinergi.organisation.models import Region
from sinergi.organisation.permissions import access_unit, can_see_unit

REGION_PAGE_SIZE = 50


def _add_service_errors(form: Any, error: ApplicationError) -> None:
    for field, field_messages in error.field_errors.items():
        for message in field_messages:
            form.add_error(field if field in form.fields else None, message)
    form.add_error(None, error.message)


# --- Units -----------------------------------------------------------------------------------


@require_GET
@require_permission("organisation.view_unit")
def unit_list(request: HttpRequest) -> HttpResponse:
    form = UnitFilterForm(request.GET or None)
    filters = form.filters()
    rows = selectors.unit_tree(viewer=request.user, **filters)
    context = {
        "form": form,
        "rows": rows,
        "filtered": bool(
            filters["search"] or filters["unit_type"] or filters["status"] != "active"
        ),
    }
    return render_page_or_partial(
        request, "organisation/unit_list.html", context, partial="unit_results"
    )


@require_GET
@require_permission("organisation.view_unit")
def unit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    unit = selectors.unit_get(viewer=request.user, pk=pk)
    context = {
        "unit": unit,
        "children": selectors.unit_children(viewer=request.user, unit=unit),
        "parent_visible": unit.parent is not None and can_see_unit(request.user, unit.parent),
    }
    return render(request, "organisation/unit_detail.html", context)


@require_http_methods(["GET", "POST"])
@require_permission("organisation.add_unit")
def unit_create(request: HttpRequest) -> HttpResponse:
    initial = {"parent": request.GET.get("parent")} if request.GET.get("parent") else None
    form = UnitForm(request.POST or None, initial=initial, viewer=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            unit = services.unit_create(actor=request.user, **form.cleaned_data)
        except ApplicationError as error:
            _add_service_errors(form, error)
        else:
            messages.success(request, _("Unit %(name)s has been created.") % {"name": unit.name})
            return redirect("organisation:unit_detail", pk=unit.pk)
    return render(request, "organisation/unit_form.html", {"form": form, "unit": None})


@require_http_methods(["GET", "POST"])
@require_permission("organisation.change_unit")
def unit_update(request: HttpRequest, pk: int) -> HttpResponse:
    unit = access_unit(request.user, pk)
    title_name = unit.name
    form = UnitForm(request.POST or None, instance=unit, viewer=request.user)
    if request.method == "POST" and form.is_valid():
        changes = {name: form.cleaned_data[name] for name in form.changed_data}
        if not changes:
            messages.info(request, _("Nothing was changed."))
            return redirect("organisation:unit_detail", pk=pk)
        try:
            unit = services.unit_update(actor=request.user, unit=unit, **changes)
        except ApplicationError as error:
            _add_service_errors(form, error)
        else:
            messages.success(request, _("Unit %(name)s has been saved.") % {"name": unit.name})
            return redirect("organisation:unit_detail", pk=unit.pk)
    return render(
        request,
        "organisation/unit_form.html",
        {"form": form, "unit": unit, "title_name": title_name},
    )


@require_POST
@require_permission("organisation.change_unit")
def unit_deactivate(request: HttpRequest, pk: int) -> HttpResponse:
    unit = access_unit(request.user, pk)
    try:
        unit = services.unit_deactivate(actor=request.user, unit=unit)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Unit %(name)s is now inactive.") % {"name": unit.name})
    return redirect("organisation:unit_detail", pk=pk)


@require_POST
@require_permission("organisation.change_unit")
def unit_reactivate(request: HttpRequest, pk: int) -> HttpResponse:
    unit = access_unit(request.user, pk)
    try:
        unit = services.unit_reactivate(actor=request.user, unit=unit)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Unit %(name)s is active again.") % {"name": unit.name})
    return redirect("organisation:unit_detail", pk=pk)


@require_GET
@require_permission("organisation.view_unit")
def unit_export(request: HttpRequest) -> HttpResponse:
    """The units of the list (same filters, same scope) as .xlsx, or CSV with ?format=csv; written
    at once, or as a background job when the list is long (core export_or_enqueue); audited."""
    filters = UnitFilterForm(request.GET or None).filters()
    file_format = "csv" if request.GET.get("format") == "csv" else "xlsx"
    back = reverse("organisation:unit_list") + (
        f"?{request.GET.urlencode()}" if request.GET else ""
    )
    return export_or_enqueue(request, unit_exports.SOURCE, filters, file_format, back_url=back)


# --- Regions ---------------------------------------------------------------------------------


@require_GET
@require_permission("organisation.view_region")
def region_browser(request: HttpRequest) -> HttpResponse:
    code = request.GET.get("code", "").strip()
    query = request.GET.get("q", "").strip()[:100]
    ancestors = selectors.region_ancestors(code) if code else []
    if code and (not ancestors or ancestors[-1].code != code):
        raise Http404
    current = ancestors[-1] if ancestors else None
    child_level = min(current.level + 1, Region.Level.VILLAGE) if current else 1
    context: dict[str, Any] = {
        "current": current,
        "ancestors": ancestors,
        "query": query,
        "page": None,
        "results": None,
        "child_level": Region.Level(child_level).label,
        "show_counts": child_level < Region.Level.VILLAGE,
    }
    if current is not None and current.level == Region.Level.VILLAGE:
        pass  # a village has nothing below it: the page shows its place in the hierarchy
    elif query:
        context["results"] = selectors.region_search(q=query, within=code, limit=REGION_PAGE_SIZE)
    else:
        try:
            context["page"] = selectors.region_browse_page(
                parent_code=code or None,
                cursor=request.GET.get("cursor") or None,
                size=REGION_PAGE_SIZE,
            )
        except ApplicationError as error:
            messages.warning(request, error.message)
            context["page"] = selectors.region_browse_page(
                parent_code=code or None, cursor=None, size=REGION_PAGE_SIZE
            )
    return render_page_or_partial(
        request, "organisation/region_browser.html", context, partial="region_results"
    )


@require_GET
@login_required
def region_options(request: HttpRequest) -> HttpResponse:
    """The <option>s of one level of the region picker: ?level=<n>&parent=<code>&q=<text>."""
    try:
        level = int(request.GET.get("level", "1"))
    except ValueError:
        level = 1
    level = min(max(level, Region.Level.PROVINCE), Region.Level.VILLAGE)
    parent = request.GET.get("parent", "").strip()
    query = request.GET.get("q", "").strip()[:100]
    regions: list[Region] = []
    if level == Region.Level.PROVINCE:
        regions = selectors.region_children(parent_code=None, q=query, level=level)
    elif (
        parent
        and selectors.region_code_is_valid(parent)
        and selectors.region_level_of(parent) == level - 1
    ):
        regions = selectors.region_children(parent_code=parent, q=query, level=level)
    context = {
        "regions": regions,
        "selected": request.GET.get("selected", "").strip(),
        "label": Region.Level(level).label,
        "first_level": level == Region.Level.PROVINCE,
        "query": query,
    }
    # Rendered without the request: the layout's context processors (menu, notifications) would
    # add queries to a fragment that needs none of them.
    return HttpResponse(render_to_string("organisation/partials/region_options.html", context))
