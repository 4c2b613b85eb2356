"""Transfer pages: the list (incoming and outgoing), a new transfer or outside referral of a case,
and one transfer with the receiving UPT's answer and the sending case's history."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from sinergi.accounts.permissions import require_permission
from sinergi.audit import services as audit
from sinergi.core.errors import ApplicationError
from sinergi.rehabilitation import selectors
from sinergi.rehabilitation.forms.transfers import AcknowledgeForm, TransferForm
from sinergi.rehabilitation.models import Transfer, TransferAuditAction
from sinergi.rehabilitation.permissions import can_change_case
from sinergi.rehabilitation.selectors import transfers as transfer_selectors
from sinergi.rehabilitation.services import transfers as services

PAGE_SIZE = 25
DIRECTIONS = {"masuk": "in", "keluar": "out"}


def _errors_to_form(form: Any, error: ApplicationError) -> None:
    for field, field_messages in error.field_errors.items():
        for message in field_messages:
            form.add_error(field if field in form.fields else None, message)
    form.add_error(None, error.message)


@require_GET
@require_permission("rehabilitation.view_transfer")
def transfer_list(request: HttpRequest) -> HttpResponse:
    direction = DIRECTIONS.get(request.GET.get("arah", ""), "")
    status = request.GET.get("status", "")
    if status not in Transfer.Status.values:
        status = ""
    try:
        page = transfer_selectors.transfer_page(
            viewer=request.user,
            direction=direction,
            status=status,
            cursor=request.GET.get("cursor") or None,
            size=PAGE_SIZE,
        )
    except ApplicationError as error:
        messages.warning(request, error.message)
        page = transfer_selectors.transfer_page(
            viewer=request.user, direction=direction, status=status, cursor=None, size=PAGE_SIZE
        )
    context = {
        "page": page,
        "direction": request.GET.get("arah", ""),
        "status": status,
        "statuses": Transfer.Status.choices,
    }
    return render(request, "rehabilitation/transfers/list.html", context)


@require_http_methods(["GET", "POST"])
@require_permission("rehabilitation.add_transfer")
def transfer_create(request: HttpRequest, case_pk: Any) -> HttpResponse:
    case = selectors.case_get(viewer=request.user, pk=case_pk)
    if not can_change_case(request.user, case):
        raise PermissionDenied
    form = TransferForm(request.POST or None, case=case)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if data["kind"] == Transfer.Kind.INSTITUTION:
                transfer = services.transfer_refer_outside(
                    actor=request.user,
                    case=case,
                    institution_name=data["institution_name"],
                    institution_address=data["institution_address"],
                    reason=data["reason"],
                    referred_on=data["requested_on"],
                )
                done = _("The client has been referred and the case is closed.")
            else:
                transfer = services.transfer_request(
                    actor=request.user,
                    case=case,
                    to_unit=data["to_unit"],
                    reason=data["reason"],
                    requested_on=data["requested_on"],
                )
                done = _("The transfer has been sent. The receiving UPT must accept it.")
        except ApplicationError as error:
            _errors_to_form(form, error)
        else:
            messages.success(request, done)
            return redirect("rehabilitation:transfer_detail", pk=transfer.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request, "rehabilitation/transfers/form.html", {"case": case, "form": form}, status=status
    )


def _detail_context(request: HttpRequest, transfer: Transfer, **forms: Any) -> dict[str, Any]:
    viewer = request.user
    events, assessments = transfer_selectors.source_history(viewer=viewer, transfer=transfer)
    return {
        "transfer": transfer,
        "is_sender": transfer_selectors.is_sender(viewer, transfer),
        "is_receiver": transfer_selectors.is_receiver(viewer, transfer),
        "can_read_history": transfer_selectors.can_read_history(viewer, transfer),
        "can_acknowledge": transfer_selectors.can_acknowledge(viewer, transfer),
        "can_cancel": transfer_selectors.can_cancel(viewer, transfer),
        "new_case": transfer_selectors.new_case_for(viewer, transfer),
        "events": events,
        "assessments": assessments,
        "form": forms.get("form")
        or (AcknowledgeForm(transfer=transfer) if transfer.to_unit_id else None),
    }


@require_GET
@require_permission("rehabilitation.view_transfer")
def transfer_detail(request: HttpRequest, pk: int) -> HttpResponse:
    transfer = transfer_selectors.transfer_get(viewer=request.user, pk=pk)
    context = _detail_context(request, transfer)
    if context["can_read_history"]:
        audit.record_read(
            actor=request.user, action=TransferAuditAction.TRANSFER_VIEWED, target=transfer.case
        )
    return render(request, "rehabilitation/transfers/detail.html", context)


@require_POST
@require_permission("rehabilitation.acknowledge_transfer")
def transfer_acknowledge(request: HttpRequest, pk: int) -> HttpResponse:
    transfer = transfer_selectors.transfer_get(viewer=request.user, pk=pk)
    if not transfer_selectors.is_receiver(request.user, transfer):
        raise PermissionDenied
    form = AcknowledgeForm(request.POST, transfer=transfer)
    if form.is_valid():
        data = form.cleaned_data
        try:
            if data["decision"] == "accept":
                services.transfer_accept(
                    actor=request.user,
                    transfer=transfer,
                    accepted_on=data["accepted_on"],
                    social_worker=data["social_worker"],
                    bed=data["bed"],
                    note=data["note"],
                )
                done = _("The transfer has been accepted; the case continues in your UPT.")
            else:
                services.transfer_decline(
                    actor=request.user, transfer=transfer, reason=data["decline_reason"]
                )
                done = _("The transfer has been declined.")
        except ApplicationError as error:
            _errors_to_form(form, error)
        else:
            messages.success(request, done)
            return redirect("rehabilitation:transfer_detail", pk=transfer.pk)
    context = _detail_context(request, transfer, form=form)
    return render(request, "rehabilitation/transfers/detail.html", context, status=400)


@require_POST
@require_permission("rehabilitation.add_transfer")
def transfer_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    transfer = transfer_selectors.transfer_get(viewer=request.user, pk=pk)
    if not transfer_selectors.is_sender(request.user, transfer):
        raise PermissionDenied
    try:
        services.transfer_cancel(actor=request.user, transfer=transfer)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The transfer has been withdrawn."))
    return redirect("rehabilitation:transfer_detail", pk=transfer.pk)


urlpatterns = [
    path("rujukan/", transfer_list, name="transfer_list"),
    path("rujukan/kasus/<uuid:case_pk>/baru/", transfer_create, name="transfer_create"),
    path("rujukan/<int:pk>/", transfer_detail, name="transfer_detail"),
    path("rujukan/<int:pk>/tanggapi/", transfer_acknowledge, name="transfer_acknowledge"),
    path("rujukan/<int:pk>/tarik/", transfer_cancel, name="transfer_cancel"),
]
