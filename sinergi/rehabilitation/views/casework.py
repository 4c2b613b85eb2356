"""Casework pages: the plan editor and its approval, a service, a group session, a progress note, a
case conference, and the pages of the service log. The case page's panels (views.case_panels)
show the casework through `case_context` and `rehabilitation/casework/case_section.html`."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from sinergi.accounts.permissions import require_permission
from sinergi.core.errors import ApplicationError
from sinergi.core.htmx import render_page_or_partial
from sinergi.rehabilitation import selectors, services
from sinergi.rehabilitation.forms.casework import (
    ConferenceForm,
    GoalFormSet,
    GroupSessionForm,
    PlanApproveForm,
    PlanForm,
    PlannedServiceFormSet,
    ProgressNoteForm,
    ServiceForm,
)
from sinergi.rehabilitation.permissions import can_approve_case, can_change_case
from sinergi.rehabilitation.selectors import casework as casework_selectors


def _errors_to_form(form: Any, error: ApplicationError) -> None:
    for field, field_messages in error.field_errors.items():
        for message in field_messages:
            form.add_error(field if field in form.fields else None, message)
    form.add_error(None, error.message)


def closed_message() -> str:
    return _(
        "This case is closed: its plan, services, notes, conferences and aftercare follow-ups "
        "are kept read-only."
    )


def case_context(request: HttpRequest, case: Any) -> dict[str, Any]:
    """The context of the case page's casework panel."""
    casework = casework_selectors.case_casework(case=case)
    plan = casework.plan
    return {
        "casework": casework,
        "casework_can_change": can_change_case(request.user, case),
        "casework_closed_message": "" if case.is_open else closed_message(),
        "plan_approve_form": PlanApproveForm(initial={"version": plan.version}) if plan else None,
        "casework_can_approve_plan": bool(
            plan
            and plan.status == plan.Status.DRAFT
            and can_approve_case(request.user, case)
            and not case.stage.records_plan
        ),
    }


def _writable_case(request: HttpRequest, pk: Any) -> tuple[Any, HttpResponse | None]:
    """The case for a casework form: 404 out of scope, back to the case page with the locked
    message when it is closed, 403 when the viewer may not change it."""
    case = selectors.case_get(viewer=request.user, pk=pk)
    if not case.is_open:
        messages.warning(request, closed_message())
        return case, redirect("rehabilitation:case_detail", pk=case.pk)
    if not can_change_case(request.user, case):
        raise PermissionDenied
    return case, None


# --- Plan ----------------------------------------------------------------------------------------


def _plan_initial(plan: Any) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    if plan is None:
        return [], []
    goals = [
        {"problem": g.problem, "goal": g.goal, "indicator": g.indicator} for g in plan.goals.all()
    ]
    rows = [
        {
            "service_type": s.service_type_id,
            "times": s.times,
            "period": s.period,
            "responsible": s.responsible_id,
            "start_on": s.start_on,
            "target_on": s.target_on,
        }
        for s in plan.planned_services.all()
    ]
    return goals, rows


@require_http_methods(["GET", "POST"])
@require_permission("rehabilitation.change_interventionplan")
def plan_edit(request: HttpRequest, pk: Any) -> HttpResponse:
    case, locked = _writable_case(request, pk)
    if locked:
        return locked
    plan = casework_selectors.plan_current(case=case)
    goals_initial, services_initial = _plan_initial(plan)
    data = request.POST if request.method == "POST" else None
    form = PlanForm(
        data,
        initial={
            "version": plan.version if plan else None,
            "summary": plan.summary if plan else "",
            "client_agreed": plan.client_agreed if plan else False,
        },
    )
    goal_formset = GoalFormSet(data, initial=goals_initial, prefix="goals")
    service_formset = PlannedServiceFormSet(
        data, initial=services_initial, prefix="services", form_kwargs={"unit": case.unit}
    )
    if (
        data is not None
        and form.is_valid()
        and goal_formset.is_valid()
        and service_formset.is_valid()
    ):
        try:
            services.plan_save(
                actor=request.user,
                case=case,
                expected_version=form.cleaned_data["version"],
                summary=form.cleaned_data["summary"],
                client_agreed=form.cleaned_data["client_agreed"],
                goals=[f.cleaned_data for f in goal_formset.forms if f.cleaned_data],
                services=[f.cleaned_data for f in service_formset.forms if f.cleaned_data],
            )
        except ApplicationError as error:
            _errors_to_form(form, error)
        else:
            messages.success(request, _("The intervention plan has been saved."))
            return redirect("rehabilitation:case_detail", pk=case.pk)
    context = {
        "case": case,
        "plan": plan,
        "form": form,
        "goal_formset": goal_formset,
        "service_formset": service_formset,
    }
    return render(request, "rehabilitation/casework/plan_form.html", context)


@require_POST
@require_permission("rehabilitation.approve_case")
def plan_approve(request: HttpRequest, pk: Any) -> HttpResponse:
    case = selectors.case_get(viewer=request.user, pk=pk)
    if not can_approve_case(request.user, case):
        raise PermissionDenied
    plan = casework_selectors.plan_current(case=case)
    if plan is None:
        raise Http404
    form = PlanApproveForm(request.POST)
    if form.is_valid():
        try:
            services.plan_approve(
                actor=request.user, plan=plan, expected_version=form.cleaned_data["version"]
            )
        except ApplicationError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("The intervention plan has been approved."))
    else:
        messages.error(request, _("Reload the page and try again."))
    return redirect("rehabilitation:case_detail", pk=case.pk)


# --- Service log, notes, conferences -------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@require_permission("rehabilitation.add_serviceentry")
def service_create(request: HttpRequest, pk: Any) -> HttpResponse:
    case, locked = _writable_case(request, pk)
    if locked:
        return locked
    form = ServiceForm(request.POST or None, unit=case.unit, viewer=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.service_record(actor=request.user, case=case, **form.cleaned_data)
        except ApplicationError as error:
            _errors_to_form(form, error)
        else:
            messages.success(request, _("The service has been recorded."))
            return redirect("rehabilitation:case_detail", pk=case.pk)
    context = {"case": case, "form": form}
    return render(request, "rehabilitation/casework/service_form.html", context)


@require_GET
@require_permission("rehabilitation.view_case")
def service_log(request: HttpRequest, pk: Any) -> HttpResponse:
    """All of a case's service log, a keyset page at a time (the cursor holds a date and an id)."""
    case = selectors.case_get(viewer=request.user, pk=pk)
    try:
        page = casework_selectors.service_page(
            case=case, cursor=request.GET.get("cursor") or None, size=50
        )
    except ApplicationError as error:
        messages.warning(request, error.message)
        page = casework_selectors.service_page(case=case, cursor=None, size=50)
    context = {"case": case, "page": page}
    return render_page_or_partial(
        request, "rehabilitation/casework/service_log.html", context, partial="service_rows"
    )


@require_http_methods(["GET", "POST"])
@require_permission("rehabilitation.add_progressnote")
def note_create(request: HttpRequest, pk: Any) -> HttpResponse:
    case, locked = _writable_case(request, pk)
    if locked:
        return locked
    form = ProgressNoteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.progress_note_add(actor=request.user, case=case, **form.cleaned_data)
        except ApplicationError as error:
            _errors_to_form(form, error)
        else:
            messages.success(request, _("The progress note has been saved."))
            return redirect("rehabilitation:case_detail", pk=case.pk)
    context = {"case": case, "form": form}
    return render(request, "rehabilitation/casework/note_form.html", context)


@require_http_methods(["GET", "POST"])
@require_permission("rehabilitation.add_caseconference")
def conference_create(request: HttpRequest, pk: Any) -> HttpResponse:
    case, locked = _writable_case(request, pk)
    if locked:
        return locked
    form = ConferenceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.conference_record(actor=request.user, case=case, **form.cleaned_data)
        except ApplicationError as error:
            _errors_to_form(form, error)
        else:
            messages.success(request, _("The case conference has been recorded."))
            return redirect("rehabilitation:case_detail", pk=case.pk)
    context = {"case": case, "form": form}
    return render(request, "rehabilitation/casework/conference_form.html", context)


# --- Group session -------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@require_permission("rehabilitation.add_groupsession")
def group_session_create(request: HttpRequest) -> HttpResponse:
    """Choose the UPT (`?upt=` when the viewer has several), then the session and who took part."""
    units = casework_selectors.group_session_units(viewer=request.user)
    if not units:
        raise PermissionDenied
    wanted = request.GET.get("upt") or ""
    unit = next((u for u in units if str(u.pk) == wanted), None)
    if unit is None:
        own = next((u for u in units if u.pk == getattr(request.user, "unit_id", None)), None)
        unit = own or (units[0] if len(units) == 1 else None)
    if unit is None:
        return render(
            request, "rehabilitation/casework/group_session_choose.html", {"units": units}
        )
    cases = casework_selectors.group_session_cases(unit=unit)
    form = GroupSessionForm(request.POST or None, unit=unit, cases=cases, viewer=request.user)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if not k.startswith("case_")}
        try:
            session = services.group_session_record(
                actor=request.user, unit=unit, attendance=form.attendance(), **data
            )
        except ApplicationError as error:
            _errors_to_form(form, error)
        else:
            messages.success(
                request,
                _("The group session has been recorded for %(count)s clients.")
                % {"count": session.entries.count()},
            )
            return redirect(f"{request.path}?upt={unit.pk}")
    context = {
        "unit": unit,
        "units": units,
        "form": form,
        "recent": casework_selectors.recent_group_sessions(unit=unit),
    }
    return render(request, "rehabilitation/casework/group_session_form.html", context)


urlpatterns = [
    path("sesi-kelompok/", group_session_create, name="group_session_create"),
    path("kasus/<uuid:pk>/rencana/", plan_edit, name="plan_edit"),
    path("kasus/<uuid:pk>/rencana/setujui/", plan_approve, name="plan_approve"),
    path("kasus/<uuid:pk>/layanan/", service_log, name="service_log"),
    path("kasus/<uuid:pk>/layanan/baru/", service_create, name="service_create"),
    path("kasus/<uuid:pk>/catatan/baru/", note_create, name="note_create"),
    path("kasus/<uuid:pk>/pembahasan-kasus/baru/", conference_create, name="conference_create"),
]
