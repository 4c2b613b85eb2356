"""Pages of social rehabilitation: client search and file, intake, case with its stage panel,
assessment form and the worker's task list. Thin: parse, one selector or service, render."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from sinergi.accounts.permissions import require_permission
from sinergi.audit import services as audit
from sinergi.core.errors import ApplicationError
from sinergi.core.htmx import render_page_or_partial
from sinergi.rehabilitation import selectors, services
from sinergi.rehabilitation.forms import (
    AdvanceForm,
    ApproveForm,
    AssessmentForm,
    ClientForm,
    ClientSearchForm,
    CloseForm,
    FollowUpForm,
    IntakeForm,
)
from sinergi.rehabilitation.models import AuditAction
from sinergi.rehabilitation.permissions import (
    can_approve_case,
    can_change_case,
    can_change_client,
    client_open_case,
)
from sinergi.rehabilitation.views import casework as casework_views

PAGE_SIZE = 25


def _add_service_errors(form: Any, error: ApplicationError) -> None:
    for field, field_messages in error.field_errors.items():
        for message in field_messages:
            form.add_error(field if field in form.fields else None, message)
    form.add_error(None, error.message)


# --- Clients ---------------------------------------------------------------------------------


# Filters that may travel in an address: codes and ids, never a NIK or a name.
ADDRESS_FILTERS = ("unit", "category", "stage")


@require_http_methods(["GET", "POST"])
@require_permission("rehabilitation.view_client")
def client_list(request: HttpRequest) -> HttpResponse:
    """The search is POSTed (NIK and names never appear in addresses or server logs). The page
    cursor holds a client id only, and the UPT, category and stage filters are codes, so a GET
    may carry them (`?cursor=...&category=...`); a NIK or a name in the address is ignored."""
    if request.method == "POST":
        data: Any = request.POST
    else:
        data = {k: request.GET[k] for k in ADDRESS_FILTERS if request.GET.get(k)} or None
    form = ClientSearchForm(data, viewer=request.user)
    filters = form.filters()
    cursor = (request.POST if request.method == "POST" else request.GET).get("cursor") or None
    try:
        page = selectors.client_search_page(
            viewer=request.user, filters=filters, cursor=cursor, size=PAGE_SIZE
        )
    except ApplicationError as error:
        messages.warning(request, error.message)
        page = selectors.client_search_page(
            viewer=request.user, filters=filters, cursor=None, size=PAGE_SIZE
        )
    context = {"form": form, "page": page, "filtered": filters.any}
    return render_page_or_partial(
        request, "rehabilitation/client_list.html", context, partial="client_results"
    )


@require_GET
@require_permission("rehabilitation.view_client")
def client_detail(request: HttpRequest, pk: Any) -> HttpResponse:
    client = selectors.client_get(viewer=request.user, pk=pk)
    audit.record_read(
        actor=request.user,
        action=AuditAction.CLIENT_VIEWED,
        target=client,
        purpose=request.GET.get("purpose", "")[:200],
    )
    cases = selectors.client_cases(viewer=request.user, client=client)
    open_case = next((case for case in cases if case.is_open), None)
    context = {
        "client": client,
        "cases": cases,
        "can_edit": can_change_client(request.user, client, open_case),
        "timeline": selectors.client_timeline(viewer=request.user, cases=cases),
        "adl": selectors.adl_series(cases=cases),
    }
    return render(request, "rehabilitation/client_detail.html", context)


@require_http_methods(["GET", "POST"])
@require_permission("rehabilitation.add_client", "rehabilitation.add_case")
def intake(request: HttpRequest) -> HttpResponse:
    form = IntakeForm(request.POST or None, viewer=request.user)
    candidates: list[Any] = []
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            case = services.client_intake(
                actor=request.user,
                unit=data.pop("unit"),
                admitted_on=data.pop("admitted_on"),
                social_worker=data.pop("social_worker"),
                confirm_not_duplicate=data.pop("confirm_not_duplicate"),
                notes=data.pop("notes"),
                **data,
            )
        except services.LikelyDuplicate as error:
            candidates = error.candidates
            form.add_error(None, error.message)
        except ApplicationError as error:
            _add_service_errors(form, error)
        else:
            messages.success(
                request, _("The client has been registered and the case opened at stage 1.")
            )
            return redirect("rehabilitation:case_detail", pk=case.pk)
    return render(request, "rehabilitation/intake.html", {"form": form, "candidates": candidates})


@require_http_methods(["GET", "POST"])
@require_permission("rehabilitation.change_client")
def client_edit(request: HttpRequest, pk: Any) -> HttpResponse:
    """Correct or complete a client's record, e.g. the NIK obtained later from Dukcapil."""
    client = selectors.client_get(viewer=request.user, pk=pk)
    if not can_change_client(request.user, client, client_open_case(client)):
        raise PermissionDenied
    form = ClientForm(request.POST or None, client=client)
    if request.method == "POST" and form.is_valid():
        try:
            services.client_update(
                actor=request.user,
                client=client,
                expected_version=form.cleaned_data["version"],
                **form.client_fields(),
            )
        except ApplicationError as error:
            _add_service_errors(form, error)
        else:
            messages.success(request, _("The client's record has been saved."))
            return redirect("rehabilitation:client_detail", pk=client.pk)
    status = 400 if form.is_bound else 200
    context = {"client": client, "form": form}
    return render(request, "rehabilitation/client_form.html", context, status=status)


# --- Cases -----------------------------------------------------------------------------------


def _case_context(request: HttpRequest, case: Any, **forms: Any) -> dict[str, Any]:
    advance_form = forms.get("advance_form") or AdvanceForm(
        initial={"version": case.version}, stage=case.stage
    )
    can_change = can_change_case(request.user, case)
    return {
        "next_stages": advance_form.later_stages if can_change else [],
        "case": case,
        "stages": selectors.stages(),
        "assessments": selectors.case_assessments(case=case),
        # follow-ups are scheduled from the termination date: none before it (no query)
        "follow_ups": selectors.case_follow_ups(case=case) if case.termination_on else [],
        "today": timezone.localdate(),
        "close_form": CloseForm(initial={"version": case.version}),
        "can_change": can_change,
        "can_approve": can_approve_case(request.user, case),
        "advance_form": advance_form,
        "approve_form": forms.get("approve_form") or ApproveForm(initial={"version": case.version}),
    }


@require_GET
@require_permission("rehabilitation.view_case")
def case_detail(request: HttpRequest, pk: Any) -> HttpResponse:
    case = selectors.case_get(viewer=request.user, pk=pk)
    audit.record_read(actor=request.user, action=AuditAction.CASE_VIEWED, target=case)
    return render(request, "rehabilitation/case_detail.html", _case_context(request, case))


@require_GET
@require_permission("rehabilitation.view_case")
def case_panels(request: HttpRequest, pk: Any) -> HttpResponse:
    """The panels of the case page, loaded in ONE request after the page shows: the bed and
    transfers, the casework (plan, latest services, notes, conferences) and the history, each
    swapped into its place (htmx out-of-band). The case page's read is the one logged."""
    from sinergi.rehabilitation.views.residential import residence_panel_context

    case = selectors.case_get(viewer=request.user, pk=pk)
    context = {
        "case": case,
        "oob": True,
        **residence_panel_context(request, case),
        **casework_views.case_context(request, case),
        "events": selectors.case_events(case=case),
    }
    return render(request, "rehabilitation/case_panels.html", context)


@require_POST
@require_permission("rehabilitation.change_case")
def case_advance(request: HttpRequest, pk: Any) -> HttpResponse:
    case = selectors.case_get(viewer=request.user, pk=pk)
    if not can_change_case(request.user, case):
        raise PermissionDenied
    form = AdvanceForm(request.POST, stage=case.stage)
    if form.is_valid():
        try:
            services.case_advance(
                actor=request.user,
                case=case,
                expected_version=form.cleaned_data["version"],
                to_stage=form.cleaned_data["to_stage"],
                reason=form.cleaned_data["reason"],
                notes=form.cleaned_data["notes"],
                termination_reason=form.cleaned_data["termination_reason"],
                termination_on=form.cleaned_data["termination_on"],
                destination_address=form.cleaned_data["destination_address"],
                destination_region=form.cleaned_data["destination_region"],
            )
        except ApplicationError as error:
            _add_service_errors(form, error)
        else:
            messages.success(request, _("The case has moved to the next stage."))
            return redirect("rehabilitation:case_detail", pk=case.pk)
    context = _case_context(request, case, advance_form=form)
    return render(request, "rehabilitation/case_detail.html", context, status=400)


@require_POST
@require_permission("rehabilitation.approve_case")
def case_approve(request: HttpRequest, pk: Any) -> HttpResponse:
    case = selectors.case_get(viewer=request.user, pk=pk)
    if not can_approve_case(request.user, case):
        raise PermissionDenied
    form = ApproveForm(request.POST)
    if form.is_valid():
        try:
            services.case_approve_stage(
                actor=request.user,
                case=case,
                expected_version=form.cleaned_data["version"],
                notes=form.cleaned_data["notes"],
            )
        except ApplicationError as error:
            _add_service_errors(form, error)
        else:
            messages.success(request, _("The stage has been approved."))
            return redirect("rehabilitation:case_detail", pk=case.pk)
    context = _case_context(request, case, approve_form=form)
    return render(request, "rehabilitation/case_detail.html", context, status=400)


@require_http_methods(["GET", "POST"])
@require_permission("rehabilitation.add_assessment")
def assessment_create(request: HttpRequest, pk: Any) -> HttpResponse:
    case = selectors.case_get(viewer=request.user, pk=pk)
    if not can_change_case(request.user, case):
        raise PermissionDenied
    instrument = selectors.instrument_current()
    if instrument is None:
        messages.error(
            request,
            _(
                "No assessment instrument is set up. Ask the administrator to load the reference data."
            ),
        )
        return redirect("rehabilitation:case_detail", pk=case.pk)
    form = AssessmentForm(request.POST or None, instrument=instrument)
    if request.method == "POST" and form.is_valid():
        try:
            assessment = services.assessment_record(
                actor=request.user,
                case=case,
                instrument=instrument,
                assessed_on=form.cleaned_data["assessed_on"],
                scores=form.scores(),
                notes=form.cleaned_data["notes"],
            )
        except ApplicationError as error:
            _add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Assessment saved: total %(total)s (%(band)s).")
                % {"total": assessment.total_score, "band": assessment.band_label},
            )
            return redirect("rehabilitation:case_detail", pk=case.pk)
    context = {"case": case, "instrument": instrument, "form": form}
    return render(request, "rehabilitation/assessment_form.html", context)


@require_http_methods(["GET", "POST"])
@require_permission("rehabilitation.change_case")
def follow_up_record(request: HttpRequest, pk: Any, follow_up_pk: Any) -> HttpResponse:
    follow_up = selectors.follow_up_get(viewer=request.user, case_pk=pk, pk=follow_up_pk)
    case = follow_up.case
    if not case.is_open:  # a closed case's record is final: back to it, saying so
        messages.warning(request, casework_views.closed_message())
        return redirect("rehabilitation:case_detail", pk=case.pk)
    if not can_change_case(request.user, case):
        raise PermissionDenied
    form = FollowUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.follow_up_record(actor=request.user, follow_up=follow_up, **form.cleaned_data)
        except ApplicationError as error:
            _add_service_errors(form, error)
        else:
            messages.success(request, _("The follow-up has been recorded."))
            return redirect("rehabilitation:case_detail", pk=case.pk)
    context = {"case": case, "follow_up": follow_up, "form": form}
    return render(request, "rehabilitation/follow_up_form.html", context)


@require_POST
@require_permission("rehabilitation.change_case")
def case_close(request: HttpRequest, pk: Any) -> HttpResponse:
    case = selectors.case_get(viewer=request.user, pk=pk)
    if not can_change_case(request.user, case):
        raise PermissionDenied
    form = CloseForm(request.POST)
    if form.is_valid():
        try:
            services.case_close(
                actor=request.user, case=case, expected_version=form.cleaned_data["version"]
            )
        except ApplicationError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("The case has been closed."))
    return redirect("rehabilitation:case_detail", pk=case.pk)


@require_GET
@require_permission("rehabilitation.view_case")
def task_list(request: HttpRequest) -> HttpResponse:
    tasks = selectors.worker_tasks(viewer=request.user)
    return render(request, "rehabilitation/task_list.html", {"tasks": tasks})
