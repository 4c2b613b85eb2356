"""Rakortek pages: meetings, the status of every unit's report, the report form prefilled with the
unit's achievements and absorption, compiling to one PDF (a job for many units), the xlsx
summary, and the follow-up actions. Thin: parse, one selector or service, render."""

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from sinergi.accounts.permissions import require_permission
from sinergi.core.errors import ApplicationError
from sinergi.core.exports import ExportColumn, xlsx_response
from sinergi.core.htmx import is_htmx, render_page_or_partial
from sinergi.meetings import forms as meeting_forms
from sinergi.meetings import selectors, services
from sinergi.meetings.documents import compile_rows, summary_rows
from sinergi.meetings.models import Compilation
from sinergi.meetings.permissions import (
    MANAGE,
    SUBMIT,
    VIEW,
    can_update_follow_up,
    can_write_report,
)
from sinergi.organisation import selectors as organisation


def _form_errors(form: forms.Form, error: ApplicationError) -> None:
    for name, field_messages in error.field_errors.items():
        for message in field_messages:
            if name in form.fields:
                form.add_error(name, message)
    form.add_error(None, error.message)


@require_GET
@require_permission(VIEW)
def meeting_list(request: HttpRequest) -> HttpResponse:
    try:
        page = selectors.meeting_page(cursor=request.GET.get("cursor"))
    except ApplicationError as error:
        messages.error(request, error.message)
        return redirect("meetings:list")
    return render(
        request,
        "meetings/list.html",
        {"page": page, "can_manage": request.user.has_perm(MANAGE)},
    )


@require_http_methods(["GET", "POST"])
@require_permission(MANAGE)
def meeting_create(request: HttpRequest) -> HttpResponse:
    form = meeting_forms.MeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.meeting_create(actor=request.user, **form.cleaned_data)
        except ApplicationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("The meeting has been created."))
            return redirect("meetings:detail", pk=meeting.pk)
    return render(request, "meetings/form.html", {"form": form, "title": _("New meeting")})


@require_GET
@require_permission(VIEW)
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The status of every unit's report (in the viewer's scope), compilations, actions."""
    meeting = selectors.meeting_get(pk)
    reports = selectors.report_list(viewer=request.user, meeting=meeting)
    can_manage = request.user.has_perm(MANAGE)
    return render(
        request,
        "meetings/detail.html",
        {
            "meeting": meeting,
            "rows": list(zip(reports, summary_rows(reports), strict=True)),
            "counts": selectors.report_counts(reports),
            "can_manage": can_manage,
            "own_unit_id": getattr(request.user, "unit_id", None),
            "can_submit": request.user.has_perm(SUBMIT),
            "compilations": selectors.compilation_list(meeting) if can_manage else [],
            "follow_ups": list(selectors.follow_up_list(viewer=request.user, meeting=meeting)),
        },
    )


@require_http_methods(["GET", "POST"])
@require_permission(VIEW)
def report_edit(request: HttpRequest, pk: int, unit_id: int) -> HttpResponse:
    """The unit's report: prefilled figures (read-only) and the narrative (its own unit writes)."""
    meeting = selectors.meeting_get(pk)
    report = selectors.report_get(viewer=request.user, meeting=meeting, unit_id=unit_id)
    editable = can_write_report(request.user, report)
    if request.method == "POST" and not editable:
        raise PermissionDenied
    achievements, absorption = selectors.report_figures(viewer=request.user, report=report)
    form = meeting_forms.ReportForm(
        request.POST or None,
        initial={
            "progress": report.progress,
            "problems": report.problems,
            "follow_up_needed": report.follow_up_needed,
        },
    )
    if request.method == "POST" and form.is_valid():
        submit = request.POST.get("action") == "submit"
        try:
            services.report_save(
                actor=request.user,
                report=report,
                achievements=achievements,
                absorption=absorption,
                submit=submit,
                **form.cleaned_data,
            )
        except ApplicationError as error:
            _form_errors(form, error)
        else:
            messages.success(
                request,
                _("The report has been submitted.") if submit else _("The draft has been saved."),
            )
            return redirect("meetings:report", pk=meeting.pk, unit_id=report.unit_id)
    return render(
        request,
        "meetings/report.html",
        {
            "meeting": meeting,
            "report": report,
            "form": form,
            "editable": editable,
            "achievements": achievements,
            "absorption": absorption,
            "can_manage": request.user.has_perm(MANAGE),
        },
    )


@require_POST
@require_permission(MANAGE)
def report_reopen(request: HttpRequest, pk: int, unit_id: int) -> HttpResponse:
    meeting = selectors.meeting_get(pk)
    report = selectors.report_get(viewer=request.user, meeting=meeting, unit_id=unit_id)
    try:
        services.report_reopen(
            actor=request.user, report=report, reason=request.POST.get("reason", "")
        )
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The report has been sent back to the unit as a draft."))
    return redirect("meetings:report", pk=meeting.pk, unit_id=unit_id)


@require_POST
@require_permission(MANAGE)
def compile_reports(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.meeting_get(pk)
    compilation = services.compilation_request(actor=request.user, meeting=meeting)
    return redirect("meetings:compilation", pk=compilation.pk)


@require_GET
@require_permission(VIEW)
def compilation_detail(request: HttpRequest, pk: Any) -> HttpResponse:
    """The compiled PDF when ready (`?unduh=1` downloads it), else its progress (the page polls
    its progress fragment, and reloads itself once the compilation has finished)."""
    compilation = selectors.compilation_get(viewer=request.user, pk=pk)
    if compilation.status == Compilation.Status.DONE and request.GET.get("unduh"):
        download = FileResponse(
            compilation.file.open("rb"),
            as_attachment=True,
            filename=f"rakortek-{compilation.meeting_id}.pdf",
            content_type="application/pdf",
        )
        download["Cache-Control"] = "no-store"
        return download  # type: ignore[return-value]
    response = render_page_or_partial(
        request,
        "meetings/compilation.html",
        {"compilation": compilation, "can_manage": request.user.has_perm(MANAGE)},
        partial="progress",
    )
    if is_htmx(request) and not compilation.is_running:
        response["HX-Refresh"] = "true"
    return response


SUMMARY_COLUMNS = [
    ExportColumn("number", _("No."), kind="int"),
    ExportColumn("code", _("Unit code")),
    ExportColumn("unit", _("Unit")),
    ExportColumn("status", _("Status")),
    ExportColumn("late", _("Late"), kind="bool"),
    ExportColumn("submitted_at", _("Submitted at"), kind="datetime"),
    ExportColumn("indicators", _("Indicators"), kind="int"),
    ExportColumn("achievement", _("Mean achievement (%)"), kind="decimal"),
    ExportColumn("pagu", _("Pagu"), kind="money"),
    ExportColumn("realised", _("Realisation"), kind="money"),
    ExportColumn("absorption", _("Absorption (%)"), kind="decimal"),
    ExportColumn("follow_up_needed", _("Follow-up needed")),
]


@require_GET
@require_permission(MANAGE)
def summary_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.meeting_get(pk)
    rows = summary_rows(compile_rows(meeting))
    return xlsx_response(
        filename=f"rakortek-{meeting.pk}-ringkasan",
        sheet_title=_("Summary"),
        columns=SUMMARY_COLUMNS,
        rows=rows,
    )


@require_http_methods(["GET", "POST"])
@require_permission(MANAGE)
def follow_up_create(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.meeting_get(pk)
    reports = {r.unit_id: r for r in selectors.report_list(viewer=request.user, meeting=meeting)}
    initial: dict[str, Any] = {}
    unit_param = request.GET.get("unit", "")
    if unit_param.isdigit() and int(unit_param) in reports:
        report = reports[int(unit_param)]
        initial = {"owner_unit": report.unit_id, "description": report.follow_up_needed}
    form = meeting_forms.FollowUpForm(
        request.POST or None, units=organisation.unit_list(viewer=request.user), initial=initial
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.follow_up_create(
                actor=request.user,
                meeting=meeting,
                report=reports.get(data["owner_unit"].pk),
                **data,
            )
        except ApplicationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("The follow-up action has been added."))
            return redirect("meetings:detail", pk=meeting.pk)
    return render(
        request,
        "meetings/form.html",
        {"form": form, "title": _("Add a follow-up action"), "meeting": meeting},
    )


@require_GET
@require_permission(VIEW)
def follow_up_list(request: HttpRequest) -> HttpResponse:
    """The actions owned by units in the viewer's scope, by due date."""
    statuses = selectors.follow_up_statuses()
    status = request.GET.get("status", "")
    status = status if status in {value for value, _label in statuses} else ""
    try:
        page = selectors.follow_up_page(
            viewer=request.user, status=status, cursor=request.GET.get("cursor")
        )
    except ApplicationError as error:
        messages.error(request, error.message)
        return redirect("meetings:follow_up_list")
    return render(
        request,
        "meetings/follow_up_list.html",
        {"page": page, "status": status, "statuses": statuses},
    )


@require_http_methods(["GET", "POST"])
@require_permission(VIEW)
def follow_up_edit(request: HttpRequest, pk: int) -> HttpResponse:
    follow_up = selectors.follow_up_get(viewer=request.user, pk=pk)
    allowed = can_update_follow_up(request.user, follow_up)
    if request.method == "POST" and not allowed:
        raise PermissionDenied
    form = meeting_forms.FollowUpUpdateForm(
        request.POST or None, initial={"status": follow_up.status, "note": follow_up.note}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.follow_up_update(actor=request.user, follow_up=follow_up, **form.cleaned_data)
        except ApplicationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("The action has been updated."))
            return redirect("meetings:follow_up_list")
    return render(
        request,
        "meetings/follow_up_form.html",
        {
            "form": form,
            "follow_up": follow_up,
            "can_edit": allowed,
            "history": selectors.follow_up_history(follow_up),
        },
    )
