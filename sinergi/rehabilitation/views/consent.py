"""Pages to record a client's consent and to withdraw it (the history stays)."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from sinergi.accounts.permissions import require_permission
from sinergi.core.errors import ApplicationError
from sinergi.rehabilitation import selectors
from sinergi.rehabilitation.forms.consent import ConsentForm, WithdrawForm
from sinergi.rehabilitation.selectors import documents as records
from sinergi.rehabilitation.services import consent as consent_services
from sinergi.rehabilitation.views import _add_service_errors


@require_http_methods(["GET", "POST"])
@require_permission("rehabilitation.view_client", "rehabilitation.add_consentrecord")
def consent_create(request: HttpRequest, pk: Any) -> HttpResponse:
    client = selectors.client_get(viewer=request.user, pk=pk)
    if not consent_services.can_record_consent(request.user, client):
        raise PermissionDenied
    form = ConsentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            consent_services.consent_record(
                actor=request.user,
                client=client,
                scope=data["scope"],
                given_by=data["given_by"],
                consented_on=data["consented_on"],
                guardian_name=data["guardian_name"],
                guardian_relationship=data["guardian_relationship"],
                guardian_nik=data["guardian_nik"] or "",
                notes=data["notes"],
                form_upload=data["form_file"],
            )
        except ApplicationError as error:
            _add_service_errors(form, error)
        else:
            messages.success(request, _("The consent has been recorded."))
            return redirect("rehabilitation:client_detail", pk=client.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request, "rehabilitation/consent/form.html", {"client": client, "form": form}, status=status
    )


@require_http_methods(["GET", "POST"])
@require_permission("rehabilitation.view_client", "rehabilitation.change_consentrecord")
def consent_withdraw(request: HttpRequest, pk: Any, consent_pk: Any) -> HttpResponse:
    consent = records.consent_get(viewer=request.user, client_pk=pk, pk=consent_pk)
    client = consent.client
    if not consent_services.can_withdraw_consent(request.user, client):
        raise PermissionDenied
    form = WithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            consent_services.consent_withdraw(
                actor=request.user,
                consent=consent,
                withdrawn_on=form.cleaned_data["withdrawn_on"],
                reason=form.cleaned_data["reason"],
            )
        except ApplicationError as error:
            _add_service_errors(form, error)
        else:
            messages.success(request, _("The consent has been withdrawn."))
            return redirect("rehabilitation:client_detail", pk=client.pk)
    status = 400 if request.method == "POST" else 200
    context = {"client": client, "consent": consent, "form": form}
    return render(request, "rehabilitation/consent/withdraw.html", context, status=status)
