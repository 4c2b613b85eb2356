"""The SKP pages: my SKP (and what awaits me as a supervisor), one SKP with its RHK and months,
the RHK form, a month's realisation with evidence, the periodic evaluation, evidence downloads."""

import datetime as dt
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from sinergi.accounts.permissions import require_permission
from sinergi.audit import services as audit
from sinergi.core.errors import ApplicationError
from sinergi.staff import selectors, services
from sinergi.staff.forms import (
    EvaluationForm,
    RealisationForm,
    ReturnForm,
    RhkForm,
    SkpCreateForm,
    VersionForm,
    rhk_initial,
)
from sinergi.staff.models import AuditAction, MonthlySubmission, Rating, Skp
from sinergi.staff.models.periods import MONTH_NAMES, due_on, month_bounds, previous_month
from sinergi.staff.permissions import (
    can_approve_skp,
    can_edit_skp,
    can_evaluate_skp,
    can_report_month,
    is_own,
    viewer_employee,
)
from sinergi.staff.views.common import as_int, form_errors, today


@require_GET
@require_permission("staff.view_skp")
def my_skp(request: HttpRequest) -> HttpResponse:
    """The signed-in employee's SKP by year, and, for supervisors, the SKP awaiting approval and
    the month's status of their direct subordinates."""
    own = viewer_employee(request.user)
    year, month = previous_month(today())
    context = {
        "own": own,
        "skps": selectors.employee_skps(own) if own else [],
        "create_form": SkpCreateForm(),
        "pending": selectors.approvals_pending(viewer=request.user),
        "subordinates": selectors.subordinates_overview(
            viewer=request.user, year=year, month=month
        ),
        "report_year": year,
        "report_month": month,
        "report_month_name": MONTH_NAMES[month - 1],
        "report_due": due_on(year, month),
    }
    return render(request, "staff/my_skp.html", context)


@require_POST
@require_permission("staff.add_skp")
def skp_create(request: HttpRequest) -> HttpResponse:
    own = viewer_employee(request.user)
    form = SkpCreateForm(request.POST)
    if own is None:
        messages.error(
            request,
            _("Your user account is not linked to an employee record. Ask HR to link it."),
        )
        return redirect("staff:my_skp")
    if not form.is_valid():
        messages.error(request, _("Choose a year."))
        return redirect("staff:my_skp")
    try:
        skp = services.skp_create(actor=request.user, employee=own, year=form.cleaned_data["year"])
    except ApplicationError as error:
        messages.error(request, error.message)
        return redirect("staff:my_skp")
    messages.success(request, _("Your SKP has been drafted. Add its planned work results (RHK)."))
    return redirect("staff:skp_detail", pk=skp.pk)


def _months(skp: Skp) -> list[dict[str, Any]]:
    submissions = {
        s.month: s
        for s in MonthlySubmission.objects.filter(employee_id=skp.employee_id, year=skp.year)
    }
    closed = selectors.closed_months(skp.year)
    now = today()
    rows = []
    for month in range(1, 13):
        start, end = month_bounds(skp.year, month)
        in_period = not (end < skp.period_start or start > skp.period_end)
        rows.append(
            {
                "month": month,
                "name": MONTH_NAMES[month - 1],
                "in_period": in_period,
                "begun": start <= now,
                "due_on": due_on(skp.year, month),
                "submission": submissions.get(month),
                "closed": month in closed,
            }
        )
    return rows


@require_GET
@require_permission("staff.view_skp")
def skp_detail(request: HttpRequest, pk: int) -> HttpResponse:
    skp = selectors.skp_get(viewer=request.user, pk=pk)
    context = {
        "skp": skp,
        "rhks": selectors.skp_rhks(skp),
        "months": _months(skp),
        "evaluations": selectors.evaluations(skp),
        "is_own": is_own(request.user, skp.employee),
        "can_edit": can_edit_skp(request.user, skp),
        "can_approve": can_approve_skp(request.user, skp) and skp.status == Skp.Status.SUBMITTED,
        "can_evaluate": can_evaluate_skp(request.user, skp) and skp.approved_at is not None,
        "can_report": can_report_month(request.user, skp) and skp.status == Skp.Status.APPROVED,
        "return_form": ReturnForm(initial={"version": skp.version}),
    }
    return render(request, "staff/skp_detail.html", context)


@require_http_methods(["GET", "POST"])
@require_permission("staff.add_skp")
def rhk_edit(request: HttpRequest, pk: int, rhk_pk: int | None = None) -> HttpResponse:
    skp = selectors.skp_get(viewer=request.user, pk=pk)
    if not can_edit_skp(request.user, skp):
        raise PermissionDenied
    rhk = None
    if rhk_pk is not None:
        rhk = skp.rhks.filter(pk=rhk_pk).prefetch_related("indicators").first()
        if rhk is None:
            raise Http404
    parents = selectors.supervisor_rhks(skp)
    initial = rhk_initial(rhk, skp.version) if rhk else {"version": skp.version}
    form = RhkForm(request.POST or None, parents=parents, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.rhk_save(
                actor=request.user,
                skp=skp,
                rhk=rhk,
                title=data["title"],
                kind=data["kind"],
                parent=data["parent"],
                indicators=form.indicators(),
                version=data["version"],
            )
        except ApplicationError as error:
            form_errors(form, error)
        else:
            messages.success(request, _("The RHK has been saved."))
            return redirect("staff:skp_detail", pk=skp.pk)
    return render(request, "staff/rhk_form.html", {"skp": skp, "rhk": rhk, "form": form})


@require_POST
@require_permission("staff.add_skp")
def rhk_delete(request: HttpRequest, pk: int, rhk_pk: int) -> HttpResponse:
    skp = selectors.skp_get(viewer=request.user, pk=pk)
    rhk = skp.rhks.filter(pk=rhk_pk).first()
    if rhk is None:
        raise Http404
    if not can_edit_skp(request.user, skp):
        raise PermissionDenied
    try:
        services.rhk_delete(
            actor=request.user, rhk=rhk, version=as_int(request.POST.get("version"))
        )
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The RHK has been removed."))
    return redirect("staff:skp_detail", pk=skp.pk)


OWNER_ACTIONS = {
    "ajukan": (services.skp_submit, gettext_lazy("The SKP has been sent to your supervisor.")),
    "revisi": (
        services.skp_open_revision,
        gettext_lazy("A revision of the SKP is open. Change the RHK, then submit it again."),
    ),
}


@require_POST
@require_permission("staff.view_skp")
def skp_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """Submit or revise (the employee), approve or return (the direct supervisor) an SKP."""
    skp = selectors.skp_get(viewer=request.user, pk=pk)
    form = VersionForm(request.POST)
    version = form.cleaned_data["version"] if form.is_valid() else None
    if action in OWNER_ACTIONS:
        if not (request.user.has_perm("staff.add_skp") and is_own(request.user, skp.employee)):
            raise PermissionDenied
    elif action in {"setujui", "kembalikan"}:
        if not can_approve_skp(request.user, skp):
            raise PermissionDenied
    else:
        raise Http404
    try:
        if action == "kembalikan":
            services.skp_return(
                actor=request.user, skp=skp, note=request.POST.get("note", ""), version=version
            )
            messages.success(request, _("The SKP has been returned to the employee."))
        elif action == "setujui":
            services.skp_approve(actor=request.user, skp=skp, version=version)
            messages.success(request, _("The SKP has been approved."))
        else:
            service, done = OWNER_ACTIONS[action]
            service(actor=request.user, skp=skp, version=version)
            messages.success(request, str(done))
    except ApplicationError as error:
        messages.error(request, error.message)
    return redirect("staff:skp_detail", pk=skp.pk)


@require_http_methods(["GET", "POST"])
@require_permission("staff.view_skp")
def month_detail(request: HttpRequest, pk: int, month: int) -> HttpResponse:
    """A month of an SKP: each RHK's realisation with evidence (the employee saves them one by one)
    and the suggested evidence from Sinergi's own records."""
    if not 1 <= month <= 12:
        raise Http404
    skp = selectors.skp_get(viewer=request.user, pk=pk)
    can_report = can_report_month(request.user, skp)
    forms_by_rhk: dict[int, RealisationForm] = {}
    if request.method == "POST":
        if not can_report:
            raise PermissionDenied
        form = RealisationForm(request.POST, request.FILES)
        rhk = skp.rhks.filter(pk=as_int(request.POST.get("rhk")) or 0).first()
        if rhk is None:
            raise Http404
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.realisation_save(
                    actor=request.user,
                    skp=skp,
                    month=month,
                    rhk=rhk,
                    realisation=data["realisation"],
                    evidence_text=data["evidence_text"],
                    evidence_link=data["evidence_link"],
                    evidence_file=data["evidence_file"],
                )
            except ApplicationError as error:
                form_errors(form, error)
            else:
                messages.success(
                    request, _("The realisation of RHK %(n)d has been saved.") % {"n": rhk.number}
                )
                return redirect("staff:month_detail", pk=skp.pk, month=month)
        forms_by_rhk[rhk.pk] = form
    detail = selectors.month_detail(skp, month)
    rows = []
    for rhk, real in detail.rows:
        form = forms_by_rhk.get(rhk.pk) or RealisationForm(
            initial={
                "rhk": rhk.pk,
                "realisation": real.realisation if real else "",
                "evidence_text": real.evidence_text if real else "",
                "evidence_link": real.evidence_link if real else "",
            },
            auto_id=f"id_rhk{rhk.pk}_%s",
        )
        rows.append({"rhk": rhk, "real": real, "form": form})
    editable = (
        can_report
        and skp.status == Skp.Status.APPROVED
        and not detail.submitted
        and not detail.closed
    )
    context = {
        "skp": skp,
        "month": month,
        "month_name": MONTH_NAMES[month - 1],
        "detail": detail,
        "rows": rows,
        "due_on": due_on(skp.year, month),
        "editable": editable,
        "evidence_max_mb": services.evidence_max_bytes() // (1024 * 1024),
        "suggestions": (
            selectors.suggested_evidence(user=request.user, year=skp.year, month=month)
            if editable
            else []
        ),
    }
    return render(request, "staff/month.html", context)


@require_POST
@require_permission("staff.add_monthlysubmission")
def month_submit(request: HttpRequest, pk: int, month: int) -> HttpResponse:
    skp = selectors.skp_get(viewer=request.user, pk=pk)
    try:
        submission = services.month_submit(actor=request.user, skp=skp, month=month)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        if submission.on_time:
            messages.success(request, _("The month has been submitted on time. Thank you."))
        else:
            messages.warning(
                request,
                _("The month has been submitted after the due date (%(date)s): it counts as late.")
                % {"date": submission.due_on.strftime("%d-%m-%Y")},
            )
    return redirect("staff:month_detail", pk=skp.pk, month=month)


@require_http_methods(["GET", "POST"])
@require_permission("staff.evaluate_skp")
def evaluation(request: HttpRequest, pk: int) -> HttpResponse:
    skp = selectors.skp_get(viewer=request.user, pk=pk)
    if not can_evaluate_skp(request.user, skp):
        raise PermissionDenied
    now = today()
    default_to = now.month - 1 if now.year == skp.year and now.month > 1 else 12
    form = EvaluationForm(request.POST or None, initial={"month_from": 1, "month_to": default_to})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            result = services.evaluation_save(actor=request.user, skp=skp, **data)
        except ApplicationError as error:
            form_errors(form, error)
        else:
            messages.success(
                request,
                _("The evaluation has been saved: predikat %(predikat)s.")
                % {"predikat": result.predikat.name},
            )
            return redirect("staff:skp_detail", pk=skp.pk)
    on = dt.date(skp.year, 12, 31)
    matrix = selectors.predikat_matrix(on)
    context = {
        "skp": skp,
        "form": form,
        "values": selectors.behaviour_values(),
        "ratings": Rating.choices,
        "matrix_rows": [
            (label, [matrix.get((code, b)) for b, _l in Rating.choices])
            for code, label in Rating.choices
        ],
        "months": _months(skp),
    }
    return render(request, "staff/evaluation_form.html", context)


@require_GET
@require_permission("staff.view_skp")
def evidence_download(request: HttpRequest, pk: int) -> Any:
    """An evidence file, only for someone who may see its SKP; the read is logged."""
    row = selectors.evidence_get(viewer=request.user, pk=pk)
    audit.record_read(
        actor=request.user, action=AuditAction.EVIDENCE_DOWNLOADED, target=row.submission
    )
    response = FileResponse(
        row.evidence_file.open("rb"),
        as_attachment=True,
        filename=row.evidence_file_name or "bukti",
        content_type=row.evidence_file_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
