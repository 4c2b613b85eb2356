"""Innovation pages: the internal list with filters and xlsx export, registering and changing an
innovation with its indicators, evidence and competition entries, publishing, and the PUBLIC list
and detail (no login, published innovations only, no personal data)."""

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from sinergi.accounts.permissions import require_permission
from sinergi.core.errors import ApplicationError
from sinergi.core.exports import ExportColumn, xlsx_response
from sinergi.innovations import forms as innovation_forms
from sinergi.innovations import selectors, services
from sinergi.innovations.permissions import PUBLISH, REGISTER, VIEW, can_edit
from sinergi.organisation import selectors as organisation


def _form_errors(form: forms.Form, error: ApplicationError) -> None:
    for name, field_messages in error.field_errors.items():
        for message in field_messages:
            if name in form.fields:
                form.add_error(name, message)
    form.add_error(None, error.message)


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


def _filters(request: HttpRequest) -> selectors.Filters:
    stage = request.GET.get("tahap", "")
    return selectors.Filters(
        unit=_int(request.GET.get("unit")),
        stage=stage if stage in {s.code for s in selectors.stages()} else "",
        year=_int(request.GET.get("tahun")),
        q=request.GET.get("q", "").strip()[:100],
    )


def _query(filters: selectors.Filters) -> str:
    pairs = [
        ("unit", filters.unit or ""),
        ("tahap", filters.stage),
        ("tahun", filters.year or ""),
        ("q", filters.q),
    ]
    return urlencode([(k, v) for k, v in pairs if v])


@require_GET
@require_permission(VIEW)
def innovation_list(request: HttpRequest) -> HttpResponse:
    filters = _filters(request)
    try:
        page = selectors.innovation_page(
            viewer=request.user, filters=filters, cursor=request.GET.get("cursor")
        )
    except ApplicationError as error:
        messages.error(request, error.message)
        return redirect("innovations:list")
    return render(
        request,
        "innovations/list.html",
        {
            "page": page,
            "filters": filters,
            "query": _query(filters),
            "stages": selectors.stages(),
            "units": organisation.unit_list(viewer=request.user),
            "can_register": request.user.has_perm(REGISTER),
        },
    )


EXPORT_COLUMNS = [
    ExportColumn("name", _("Name")),
    ExportColumn("acronym", _("Acronym")),
    ExportColumn("unit.name", _("Unit")),
    ExportColumn("owner", _("Innovator / team")),
    ExportColumn("stage.name", _("Stage")),
    ExportColumn("started_on", _("Start date"), kind="date"),
    ExportColumn("problem", _("Problem addressed")),
    ExportColumn("description", _("Description")),
    ExportColumn("is_published", _("Published"), kind="bool"),
]


@require_GET
@require_permission(VIEW)
def export_xlsx(request: HttpRequest) -> HttpResponse:
    rows = selectors.innovation_list(viewer=request.user, filters=_filters(request))
    return xlsx_response(
        filename="inovasi",
        sheet_title=_("Innovations"),
        columns=EXPORT_COLUMNS,
        rows=rows.order_by(*selectors.ORDERING).iterator(2000),
    )


@require_GET
@require_permission(VIEW)
def innovation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    innovation = selectors.innovation_get(viewer=request.user, pk=pk)
    return render(
        request,
        "innovations/detail.html",
        {
            "innovation": innovation,
            **selectors.innovation_parts(innovation),
            "can_edit": can_edit(request.user, innovation),
            "can_publish": request.user.has_perm(PUBLISH),
        },
    )


@require_http_methods(["GET", "POST"])
@require_permission(REGISTER)
def innovation_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """Register an innovation of a unit in the user's scope, or change one."""
    innovation = selectors.innovation_get(viewer=request.user, pk=pk) if pk else None
    if innovation is not None and not can_edit(request.user, innovation):
        raise PermissionDenied
    initial: dict[str, Any] = {"unit": getattr(request.user, "unit_id", None)}
    if innovation is not None:
        initial = {
            "name": innovation.name,
            "acronym": innovation.acronym,
            "unit": innovation.unit_id,
            "owner": innovation.owner,
            "problem": innovation.problem,
            "description": innovation.description,
            "started_on": innovation.started_on,
            "stage": innovation.stage_id,
        }
    form = innovation_forms.InnovationForm(
        request.POST or None, units=organisation.unit_list(viewer=request.user), initial=initial
    )
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.innovation_save(
                actor=request.user, innovation=innovation, **form.cleaned_data
            )
        except ApplicationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("The innovation has been saved."))
            return redirect("innovations:detail", pk=saved.pk)
    title = _("Change innovation") if innovation else _("Register an innovation")
    return render(
        request,
        "innovations/form.html",
        {"form": form, "title": title, "innovation": innovation},
    )


def _editable(request: HttpRequest, innovation: Any) -> None:
    if not can_edit(request.user, innovation):
        raise PermissionDenied


def _part_form(
    request: HttpRequest,
    innovation: Any,
    form: forms.Form,
    save: Callable[[dict[str, Any]], Any],
    *,
    title: str,
    done: str,
    remove_url: str = "",
) -> HttpResponse:
    """The form of an indicator, evidence or entry: save through `save`, back to the innovation."""
    if request.method == "POST" and form.is_valid():
        try:
            save(form.cleaned_data)
        except ApplicationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, done)
            return redirect("innovations:detail", pk=innovation.pk)
    return render(
        request,
        "innovations/form.html",
        {
            "form": form,
            "title": title,
            "innovation": innovation,
            "multipart": form.is_multipart(),
            "remove_url": remove_url,
        },
    )


def _remove(
    request: HttpRequest, part: Any, remove: Callable[[], None], *, what: str
) -> HttpResponse:
    """GET asks to confirm, POST removes the part and goes back to the innovation."""
    innovation = part.innovation
    _editable(request, innovation)
    if request.method == "POST":
        remove()
        messages.success(request, _("Removed: %(what)s.") % {"what": what})
        return redirect("innovations:detail", pk=innovation.pk)
    return render(
        request,
        "innovations/confirm_remove.html",
        {"innovation": innovation, "part": part, "what": what},
    )


@require_http_methods(["GET", "POST"])
@require_permission(REGISTER)
def indicator_add(request: HttpRequest, pk: int) -> HttpResponse:
    innovation = selectors.innovation_get(viewer=request.user, pk=pk)
    _editable(request, innovation)
    return _part_form(
        request,
        innovation,
        innovation_forms.IndicatorForm(request.POST or None),
        lambda data: services.indicator_add(actor=request.user, innovation=innovation, **data),
        title=_("Add an effect indicator"),
        done=_("The indicator has been added."),
    )


@require_http_methods(["GET", "POST"])
@require_permission(REGISTER)
def indicator_edit(request: HttpRequest, pk: int) -> HttpResponse:
    indicator = selectors.indicator_get(viewer=request.user, pk=pk)
    _editable(request, indicator.innovation)
    initial = {name: getattr(indicator, name) for name in ("name", "before", "after")}
    initial["unit_of_measure"] = indicator.unit_of_measure
    return _part_form(
        request,
        indicator.innovation,
        innovation_forms.IndicatorForm(request.POST or None, initial=initial),
        lambda data: services.indicator_update(actor=request.user, indicator=indicator, **data),
        title=_("Change the effect indicator"),
        done=_("The indicator has been saved."),
        remove_url=reverse("innovations:indicator_remove", args=[indicator.pk]),
    )


@require_http_methods(["GET", "POST"])
@require_permission(REGISTER)
def indicator_remove(request: HttpRequest, pk: int) -> HttpResponse:
    indicator = selectors.indicator_get(viewer=request.user, pk=pk)
    return _remove(
        request,
        indicator,
        lambda: services.indicator_remove(actor=request.user, indicator=indicator),
        what=_('the effect indicator "%(name)s"') % {"name": indicator.name},
    )


@require_http_methods(["GET", "POST"])
@require_permission(REGISTER)
def evidence_add(request: HttpRequest, pk: int) -> HttpResponse:
    innovation = selectors.innovation_get(viewer=request.user, pk=pk)
    _editable(request, innovation)
    return _part_form(
        request,
        innovation,
        innovation_forms.EvidenceForm(request.POST or None, request.FILES or None),
        lambda data: services.evidence_add(
            actor=request.user,
            innovation=innovation,
            title=data["title"],
            link=data["link"],
            upload=data["file"] or None,
        ),
        title=_("Add evidence"),
        done=_("The evidence has been added."),
    )


@require_http_methods(["GET", "POST"])
@require_permission(REGISTER)
def evidence_remove(request: HttpRequest, pk: int) -> HttpResponse:
    evidence = selectors.evidence_get(viewer=request.user, pk=pk)
    return _remove(
        request,
        evidence,
        lambda: services.evidence_remove(actor=request.user, evidence=evidence),
        what=_('the evidence "%(name)s"') % {"name": evidence.title},
    )


@require_http_methods(["GET", "POST"])
@require_permission(REGISTER)
def entry_add(request: HttpRequest, pk: int) -> HttpResponse:
    innovation = selectors.innovation_get(viewer=request.user, pk=pk)
    _editable(request, innovation)
    return _part_form(
        request,
        innovation,
        innovation_forms.EntryForm(request.POST or None),
        lambda data: services.entry_add(actor=request.user, innovation=innovation, **data),
        title=_("Add a competition entry"),
        done=_("The competition entry has been added."),
    )


@require_http_methods(["GET", "POST"])
@require_permission(REGISTER)
def entry_edit(request: HttpRequest, pk: int) -> HttpResponse:
    entry = selectors.entry_get(viewer=request.user, pk=pk)
    _editable(request, entry.innovation)
    initial = {
        "competition": entry.competition,
        "year": entry.year,
        "stage_reached": entry.stage_reached_id,
        "result": entry.result,
    }
    return _part_form(
        request,
        entry.innovation,
        innovation_forms.EntryForm(request.POST or None, initial=initial),
        lambda data: services.entry_update(actor=request.user, entry=entry, **data),
        title=_("Change the competition entry"),
        done=_("The competition entry has been saved."),
        remove_url=reverse("innovations:entry_remove", args=[entry.pk]),
    )


@require_http_methods(["GET", "POST"])
@require_permission(REGISTER)
def entry_remove(request: HttpRequest, pk: int) -> HttpResponse:
    entry = selectors.entry_get(viewer=request.user, pk=pk)
    return _remove(
        request,
        entry,
        lambda: services.entry_remove(actor=request.user, entry=entry),
        what=_("the entry in %(competition)s %(year)s")
        % {"competition": entry.competition, "year": entry.year},
    )


@require_POST
@require_permission(PUBLISH)
def publish(request: HttpRequest, pk: int) -> HttpResponse:
    innovation = selectors.innovation_get(viewer=request.user, pk=pk)
    published = request.POST.get("published") == "1"
    services.innovation_publish(actor=request.user, innovation=innovation, published=published)
    messages.success(
        request,
        _("The innovation is now on the public page.")
        if published
        else _("The innovation has been withdrawn from the public page."),
    )
    return redirect("innovations:detail", pk=innovation.pk)


@require_GET
@require_permission(VIEW)
def evidence_download(request: HttpRequest, pk: int) -> HttpResponse:
    evidence = selectors.evidence_file_get(viewer=request.user, pk=pk)
    response = FileResponse(
        evidence.file.open("rb"), as_attachment=True, filename=evidence.filename or "bukti"
    )
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response  # type: ignore[return-value]


# --- Public pages (no login) --------------------------------------------------------------------


@require_GET
def public_list(request: HttpRequest) -> HttpResponse:
    """Published innovations of the office, for the office website."""
    filters = _filters(request)
    filters = selectors.Filters(stage=filters.stage, q=filters.q)
    try:
        page = selectors.public_page(filters=filters, cursor=request.GET.get("cursor"))
    except ApplicationError:
        return redirect("innovations:public_list")
    return render(
        request,
        "innovations/public_list.html",
        {"page": page, "filters": filters, "query": _query(filters), "stages": selectors.stages()},
    )


@require_GET
def public_detail(request: HttpRequest, pk: int) -> HttpResponse:
    innovation = selectors.public_get(pk)
    return render(
        request,
        "innovations/public_detail.html",
        {"innovation": innovation, **selectors.public_parts(innovation)},
    )
