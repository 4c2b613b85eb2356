"""Residential pages: the occupancy summary of the UPT in scope, one UPT with its rooms, beds,
residents and waiting list, the daily roster (page, xlsx, PDF), admission into a bed, a resident's
movements, bed moves and leaving, and the residence panel the case page loads with htmx."""

import datetime as dt
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from sinergi.accounts.permissions import require_permission, sees_everything
from sinergi.audit import services as audit
from sinergi.core.errors import ApplicationError
from sinergi.core.exports import ExportColumn, pdf_response, xlsx_response
from sinergi.core.models import CoreAuditAction
from sinergi.rehabilitation import selectors
from sinergi.rehabilitation.forms.residential import (
    AdmitForm,
    EndForm,
    MoveBedForm,
    MovementForm,
    OccupancyFilterForm,
    RoomForm,
    RosterForm,
    WaitingCancelForm,
    WaitingForm,
)
from sinergi.rehabilitation.selectors import residential as res_selectors
from sinergi.rehabilitation.selectors import transfers as transfer_selectors
from sinergi.rehabilitation.services import residential as services


def _errors_to_form(form: Any, error: ApplicationError) -> None:
    for field, field_messages in error.field_errors.items():
        for message in field_messages:
            form.add_error(field if field in form.fields else None, message)
    form.add_error(None, error.message)


# --- Occupancy -------------------------------------------------------------------------------


@require_GET
@require_permission("rehabilitation.view_residence")
def occupancy(request: HttpRequest) -> HttpResponse:
    """Per UPT of the viewer's scope: beds, occupied, free, away, waiting; filters for the
    division and the head of office."""
    form = OccupancyFilterForm(request.GET or None, viewer=request.user)
    rows, totals = res_selectors.occupancy_summary(viewer=request.user, filters=form.filters())
    context = {
        "form": form,
        "rows": rows,
        "totals": totals,
        "show_filters": sees_everything(request.user) or totals.units > 1 or bool(request.GET),
        "pending_in": transfer_selectors.pending_incoming_count(viewer=request.user),
    }
    return render(request, "rehabilitation/residential/occupancy.html", context)


def _unit_context(request: HttpRequest, unit: Any, **forms: Any) -> dict[str, Any]:
    return {
        "unit": unit,
        "row": res_selectors.occupancy_of_unit(unit),
        "rooms": res_selectors.unit_rooms(unit=unit),
        "waiting": res_selectors.waiting_list(unit=unit),
        "unplaced": res_selectors.unplaced_cases(unit=unit),
        "leaving": res_selectors.leaving_residents(unit=unit),
        "can_manage": res_selectors.can_manage_residents(request.user, unit),
        "can_manage_beds": res_selectors.can_manage_beds(request.user, unit),
        "room_form": forms.get("room_form") or RoomForm(),
    }


@require_GET
@require_permission("rehabilitation.view_residence")
def occupancy_unit(request: HttpRequest, unit_pk: int) -> HttpResponse:
    unit = res_selectors.upt_unit_get(viewer=request.user, pk=unit_pk)
    return render(request, "rehabilitation/residential/unit.html", _unit_context(request, unit))


@require_POST
@require_permission("rehabilitation.manage_beds")
def room_create(request: HttpRequest, unit_pk: int) -> HttpResponse:
    unit = res_selectors.upt_unit_get(viewer=request.user, pk=unit_pk)
    if not res_selectors.can_manage_beds(request.user, unit):
        raise PermissionDenied
    form = RoomForm(request.POST)
    if form.is_valid():
        try:
            services.room_create(actor=request.user, unit=unit, **form.cleaned_data)
        except ApplicationError as error:
            _errors_to_form(form, error)
        else:
            messages.success(request, _("The room and its beds have been set up."))
            return redirect("rehabilitation:occupancy_unit", unit_pk=unit.pk)
    context = _unit_context(request, unit, room_form=form)
    return render(request, "rehabilitation/residential/unit.html", context, status=400)


@require_POST
@require_permission("rehabilitation.manage_beds")
def bed_toggle(request: HttpRequest, pk: int) -> HttpResponse:
    bed = res_selectors.bed_get(viewer=request.user, pk=pk)
    if not res_selectors.can_manage_beds(request.user, bed.unit):
        raise PermissionDenied
    try:
        services.bed_set_active(actor=request.user, bed=bed, is_active=not bed.is_active)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The bed has been changed."))
    return redirect("rehabilitation:occupancy_unit", unit_pk=bed.unit_id)


# --- Roster ----------------------------------------------------------------------------------


ROSTER_COLUMNS = [
    ExportColumn("wisma", _("Wisma")),
    ExportColumn("room", _("Room")),
    ExportColumn("bed", _("Bed")),
    ExportColumn("client_name", _("Name")),
    ExportColumn("sex", _("Sex")),
    ExportColumn("started_on", _("In the bed since"), kind="date"),
    ExportColumn(lambda r: r.away_type or _("Present"), _("Status")),
]


def _roster(request: HttpRequest, unit_pk: int) -> tuple[Any, dt.date, list[Any], RosterForm]:
    unit = res_selectors.upt_unit_get(viewer=request.user, pk=unit_pk)
    form = RosterForm(request.GET or None)
    day = form.day()
    return unit, day, res_selectors.roster(unit=unit, on=day), form


def _log_export(
    request: HttpRequest, unit: Any, day: dt.date, export_format: str, rows: int
) -> None:
    audit.record(
        actor=request.user,
        action=CoreAuditAction.DATA_EXPORTED,
        target=unit,
        extra={
            "export": "rehabilitation.roster",
            "on": day.isoformat(),
            "format": export_format,
            "rows": rows,
        },
    )


@require_GET
@require_permission("rehabilitation.view_residence")
def roster(request: HttpRequest, unit_pk: int) -> HttpResponse:
    unit, day, rows, form = _roster(request, unit_pk)
    context = {
        "unit": unit,
        "day": day,
        "rows": rows,
        "form": form,
        "present": sum(1 for r in rows if not r.is_away),
        "away": sum(1 for r in rows if r.is_away),
    }
    return render(request, "rehabilitation/residential/roster.html", context)


@require_GET
@require_permission("rehabilitation.view_residence")
def roster_xlsx(request: HttpRequest, unit_pk: int) -> HttpResponse:
    unit, day, rows, _form = _roster(request, unit_pk)
    _log_export(request, unit, day, "xlsx", len(rows))
    return xlsx_response(
        filename=f"presensi-{unit.code}-{day.isoformat()}.xlsx",
        sheet_title=_("Roster"),
        columns=ROSTER_COLUMNS,
        rows=rows,
    )


@require_GET
@require_permission("rehabilitation.view_residence")
def roster_pdf(request: HttpRequest, unit_pk: int) -> HttpResponse:
    unit, day, rows, _form = _roster(request, unit_pk)
    _log_export(request, unit, day, "pdf", len(rows))
    title = _("Daily roster of %(unit)s") % {"unit": unit.name}
    context = {
        "title": title,
        "unit": unit,
        "day": day,
        "rows": rows,
        "present": sum(1 for r in rows if not r.is_away),
        "away": sum(1 for r in rows if r.is_away),
    }
    return pdf_response(
        request,
        template="rehabilitation/residential/roster_pdf.html",
        context=context,
        filename=f"presensi-{unit.code}-{day.isoformat()}.pdf",
    )


# --- Admission and waiting list ----------------------------------------------------------------


def _case_for_residents(request: HttpRequest, case_pk: Any) -> Any:
    case = selectors.case_get(viewer=request.user, pk=case_pk)
    if not res_selectors.can_manage_residents(request.user, case.unit):
        raise PermissionDenied
    return case


def _admit_context(case: Any, **forms: Any) -> dict[str, Any]:
    return {
        "case": case,
        "row": res_selectors.occupancy_of_unit(case.unit),
        "panel": res_selectors.case_panel(case=case),
        "form": forms.get("form") or AdmitForm(unit=case.unit),
        "waiting_form": forms.get("waiting_form") or WaitingForm(),
    }


@require_http_methods(["GET", "POST"])
@require_permission("rehabilitation.add_residence")
def admit(request: HttpRequest, case_pk: Any) -> HttpResponse:
    """Admit the client of a case into a free bed of its UPT (offered after intake)."""
    case = _case_for_residents(request, case_pk)
    form = AdmitForm(request.POST or None, unit=case.unit)
    if request.method == "POST":
        if form.is_valid():
            try:
                services.resident_admit(actor=request.user, case=case, **form.cleaned_data)
            except ApplicationError as error:
                _errors_to_form(form, error)
            else:
                messages.success(request, _("The client has been admitted into the bed."))
                return redirect("rehabilitation:case_detail", pk=case.pk)
        context = _admit_context(case, form=form)
        return render(request, "rehabilitation/residential/admit.html", context, status=400)
    return render(request, "rehabilitation/residential/admit.html", _admit_context(case))


@require_POST
@require_permission("rehabilitation.add_residence")
def waiting_add(request: HttpRequest, case_pk: Any) -> HttpResponse:
    case = _case_for_residents(request, case_pk)
    form = WaitingForm(request.POST)
    if form.is_valid():
        try:
            services.waiting_add(actor=request.user, case=case, **form.cleaned_data)
        except ApplicationError as error:
            _errors_to_form(form, error)
        else:
            messages.success(request, _("The client has been put on the waiting list."))
            return redirect("rehabilitation:occupancy_unit", unit_pk=case.unit_id)
    context = _admit_context(case, waiting_form=form)
    return render(request, "rehabilitation/residential/admit.html", context, status=400)


@require_http_methods(["GET", "POST"])
@require_permission("rehabilitation.add_residence")
def waiting_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    entry = res_selectors.waiting_get(viewer=request.user, pk=pk)
    if not res_selectors.can_manage_residents(request.user, entry.unit):
        raise PermissionDenied
    form = WaitingCancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.waiting_cancel(actor=request.user, entry=entry, **form.cleaned_data)
        except ApplicationError as error:
            _errors_to_form(form, error)
        else:
            messages.success(request, _("The client has been taken off the waiting list."))
            return redirect("rehabilitation:occupancy_unit", unit_pk=entry.unit_id)
    status = 400 if request.method == "POST" else 200
    context = {"entry": entry, "form": form}
    return render(request, "rehabilitation/residential/waiting_cancel.html", context, status=status)


# --- A resident: movements, bed moves, leaving -----------------------------------------------


def _resident_context(request: HttpRequest, residence: Any, **forms: Any) -> dict[str, Any]:
    return {
        "residence": residence,
        "case": residence.case,
        "panel": res_selectors.case_panel(case=residence.case),
        "can_manage": residence.is_active
        and res_selectors.can_manage_residents(request.user, residence.unit),
        "movement_form": forms.get("movement_form") or MovementForm(residence=residence),
        "move_form": forms.get("move_form") or MoveBedForm(unit=residence.unit),
        "end_form": forms.get("end_form") or EndForm(),
    }


@require_GET
@require_permission("rehabilitation.view_residence")
def resident(request: HttpRequest, pk: int) -> HttpResponse:
    residence = res_selectors.residence_get(viewer=request.user, pk=pk)
    context = _resident_context(request, residence)
    return render(request, "rehabilitation/residential/resident.html", context)


def _resident_post(
    request: HttpRequest, pk: int, form_class: Any, form_name: str, call: Any, done: str
) -> HttpResponse:
    residence = res_selectors.residence_get(viewer=request.user, pk=pk)
    if not res_selectors.can_manage_residents(request.user, residence.unit):
        raise PermissionDenied
    form: Any
    if form_class is MovementForm:
        form = form_class(request.POST, residence=residence)
    elif form_class is MoveBedForm:
        form = form_class(request.POST, unit=residence.unit)
    else:
        form = form_class(request.POST)
    if form.is_valid():
        try:
            call(actor=request.user, residence=residence, **form.cleaned_data)
        except ApplicationError as error:
            _errors_to_form(form, error)
        else:
            messages.success(request, done)
            return redirect("rehabilitation:resident", pk=residence.pk)
    context = _resident_context(request, residence, **{form_name: form})
    return render(request, "rehabilitation/residential/resident.html", context, status=400)


@require_POST
@require_permission("rehabilitation.add_residence")
def movement_record(request: HttpRequest, pk: int) -> HttpResponse:
    return _resident_post(
        request,
        pk,
        MovementForm,
        "movement_form",
        services.movement_record,
        _("The movement has been recorded."),
    )


@require_POST
@require_permission("rehabilitation.add_residence")
def resident_move(request: HttpRequest, pk: int) -> HttpResponse:
    return _resident_post(
        request,
        pk,
        MoveBedForm,
        "move_form",
        services.resident_move_bed,
        _("The resident has been moved to the new bed."),
    )


@require_POST
@require_permission("rehabilitation.add_residence")
def resident_leave(request: HttpRequest, pk: int) -> HttpResponse:
    return _resident_post(
        request,
        pk,
        EndForm,
        "end_form",
        services.residence_end,
        _("The resident has left the bed; the bed is free."),
    )


# --- The case page's residence panel (loaded with htmx) ----------------------------------------


def residence_panel_context(request: HttpRequest, case: Any) -> dict[str, Any]:
    """The context of the residence panel of an (access-checked) case."""
    return {
        "panel": res_selectors.case_panel(case=case),
        "can_manage": request.user.has_perm("rehabilitation.add_residence")
        and res_selectors.can_manage_residents(request.user, case.unit)
        and case.is_open,
        "can_transfer": request.user.has_perm("rehabilitation.add_transfer") and case.is_open,
        "transfers": list(transfer_selectors.transfer_list(viewer=request.user, case=case)[:10]),
    }


@require_GET
@require_permission("rehabilitation.view_case")
def case_panel(request: HttpRequest, case_pk: Any) -> HttpResponse:
    case = selectors.case_get(viewer=request.user, pk=case_pk)
    context = {"case": case, **residence_panel_context(request, case)}
    return render(request, "rehabilitation/residential/case_panel.html", context)


urlpatterns = [
    path("hunian/", occupancy, name="occupancy"),
    path("hunian/upt/<int:unit_pk>/", occupancy_unit, name="occupancy_unit"),
    path("hunian/upt/<int:unit_pk>/kamar/", room_create, name="room_create"),
    path("hunian/upt/<int:unit_pk>/presensi/", roster, name="roster"),
    path("hunian/upt/<int:unit_pk>/presensi/xlsx/", roster_xlsx, name="roster_xlsx"),
    path("hunian/upt/<int:unit_pk>/presensi/pdf/", roster_pdf, name="roster_pdf"),
    path("hunian/tempat-tidur/<int:pk>/", bed_toggle, name="bed_toggle"),
    path("hunian/kasus/<uuid:case_pk>/masuk/", admit, name="admit"),
    path("hunian/kasus/<uuid:case_pk>/antre/", waiting_add, name="waiting_add"),
    path("hunian/kasus/<uuid:case_pk>/panel/", case_panel, name="residence_panel"),
    path("hunian/antrean/<int:pk>/batal/", waiting_cancel, name="waiting_cancel"),
    path("hunian/penghuni/<int:pk>/", resident, name="resident"),
    path("hunian/penghuni/<int:pk>/mutasi/", movement_record, name="movement_record"),
    path("hunian/penghuni/<int:pk>/pindah/", resident_move, name="resident_move"),
    path("hunian/penghuni/<int:pk>/keluar/", resident_leave, name="resident_leave"),
]
