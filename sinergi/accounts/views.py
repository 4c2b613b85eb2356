"""Login, logout, two-factor setup/check, the user's own account page and user administration."""

import base64
from io import BytesIO
from typing import Any

import qrcode
import qrcode.image.svg
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.cache import add_never_cache_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import login as otp_login

from sinergi.accounts import selectors, services
from sinergi.accounts.forms import (
    LoginForm,
    PasswordResetForm,
    SinergiPasswordChangeForm,
    TokenForm,
    UserCreateForm,
    UserEditForm,
    UserFilterForm,
)
from sinergi.accounts.permissions import require_permission
from sinergi.core.errors import ApplicationError
from sinergi.core.htmx import render_page_or_partial
from sinergi.core.pagination import keyset_page
from sinergi.organisation import selectors as organisation_selectors


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    pass


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    form_class = SinergiPasswordChangeForm
    success_url = reverse_lazy("accounts:profile")

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        services.password_changed(actor=self.request.user)
        messages.success(self.request, _("Your password has been changed."))
        return response


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/profile.html", {"profile_user": request.user})


def _qr_svg(uri: str) -> str:
    image = qrcode.make(uri, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    buffer = BytesIO()
    image.save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode()


@login_required
@require_http_methods(["GET", "POST"])
def two_factor(request: HttpRequest) -> HttpResponse:
    """Set up (first time) or check the TOTP second factor, then continue to `next`."""
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = ""
    confirmed = selectors.confirmed_totp_device(request.user)
    setting_up = confirmed is None
    device = confirmed or services.totp_device_pending(actor=request.user)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        result = services.totp_verify(
            actor=request.user, device=device, token=form.cleaned_data["token"]
        )
        if result == services.TotpResult.OK:
            otp_login(request, device)
            if setting_up:
                messages.success(request, _("Two-factor login is now active for your account."))
            return redirect(next_url or "core:home")
        if result == services.TotpResult.THROTTLED:
            form.add_error(
                "token",
                _(
                    "Too many wrong codes in a row. Wait a few seconds, then enter the newest "
                    "code from your authenticator app."
                ),
            )
        else:
            form.add_error(
                "token",
                _(
                    "That code is not valid. Check the time on your phone and enter the "
                    "newest code."
                ),
            )
    context = {"form": form, "setting_up": setting_up, "next": next_url}
    if setting_up:
        context["qr"] = _qr_svg(device.config_url)
        context["secret"] = base64.b32encode(device.bin_key).decode()
    return render(request, "accounts/two_factor.html", context)


# --- User administration (system administrators; others with accounts.view_user may look) ------

USER_PAGE_SIZE = 50


def _apply_errors(form: Any, error: ApplicationError) -> None:
    """Put a service's field errors on the form fields, the rest on the form as a whole."""
    placed = False
    for field, field_messages in error.field_errors.items():
        if field in form.fields:
            for message in field_messages:
                form.add_error(field, message)
            placed = True
    if not placed or error.field_errors.keys() - form.fields.keys():
        form.add_error(None, error.message)


def _no_store(response: HttpResponse) -> HttpResponse:
    """Pages showing a password must not be kept by the browser or a proxy."""
    add_never_cache_headers(response)
    response["Cache-Control"] = "no-store, no-cache, must-revalidate, private"
    return response


@require_permission("accounts.view_user")
def user_list(request: HttpRequest) -> HttpResponse:
    """Users of the viewer's scope: search by name, filter by unit subtree, keyset pages."""
    units = organisation_selectors.unit_list(viewer=request.user)
    form = UserFilterForm(request.GET or None, units=units)
    search, unit = "", None
    if form.is_valid():
        search, unit = form.cleaned_data["q"].strip(), form.cleaned_data["unit"]
    queryset = selectors.user_list(viewer=request.user, search=search, unit=unit)
    try:
        page = keyset_page(
            queryset,
            ordering=selectors.USER_LIST_ORDERING,
            cursor=request.GET.get("cursor") or None,
            size=USER_PAGE_SIZE,
        )
    except ApplicationError as error:
        messages.warning(request, error.message)
        return redirect("accounts:user_list")
    query = request.GET.copy()
    query.pop("cursor", None)
    context = {
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "filtered": bool(search or unit),
    }
    return render_page_or_partial(request, "accounts/user_list.html", context, partial="results")


@require_permission("accounts.add_user")
@require_http_methods(["GET", "POST"])
def user_create(request: HttpRequest) -> HttpResponse:
    units = organisation_selectors.unit_list(viewer=request.user)
    form = UserCreateForm(request.POST or None, units=units, roles=selectors.role_list())
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        generated = not data["password"]
        password = data["password"] or services.generate_password()
        try:
            user = services.user_create(
                actor=request.user,
                username=data["username"],
                full_name=data["full_name"],
                email=data["email"],
                unit=data["unit"],
                role_codes=form.role_codes,
                password=password,
                must_change_password=True,
            )
        except ApplicationError as error:
            _apply_errors(form, error)
        else:
            # Rendered, not redirected: the generated password is shown once and stored nowhere.
            context = {"created_user": user, "password": password if generated else None}
            return _no_store(render(request, "accounts/user_created.html", context))
    return render(request, "accounts/user_form.html", {"form": form, "creating": True})


@require_permission("accounts.view_user")
def user_detail(request: HttpRequest, pk: int) -> HttpResponse:
    shown = selectors.user_get(viewer=request.user, pk=pk)
    context = {
        "shown_user": shown,
        "locked_out": selectors.user_is_locked_out(shown),
        "two_factor_active": selectors.confirmed_totp_device(shown) is not None,
    }
    return render(request, "accounts/user_detail.html", context)


@require_permission("accounts.change_user")
@require_http_methods(["GET", "POST"])
def user_edit(request: HttpRequest, pk: int) -> HttpResponse:
    shown = selectors.user_get(viewer=request.user, pk=pk)
    units = organisation_selectors.unit_list(viewer=request.user)
    initial = {
        "full_name": shown.full_name,
        "email": shown.email,
        "unit": shown.unit_id,
        "roles": [role.pk for role in shown.roles.all()],
        "is_active": shown.is_active,
    }
    form = UserEditForm(
        request.POST or None, initial=initial, units=units, roles=selectors.role_list()
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.user_update(
                actor=request.user,
                user=shown,
                full_name=data["full_name"],
                email=data["email"],
                unit=data["unit"],
                role_codes=form.role_codes,
                is_active=data["is_active"],
            )
        except ApplicationError as error:
            _apply_errors(form, error)
        else:
            messages.success(
                request, _("The changes to %(user)s were saved.") % {"user": shown.username}
            )
            return redirect("accounts:user_detail", pk=shown.pk)
    return render(
        request, "accounts/user_form.html", {"form": form, "creating": False, "shown_user": shown}
    )


@require_permission("accounts.change_user")
@require_http_methods(["GET", "POST"])
def user_password_reset(request: HttpRequest, pk: int) -> HttpResponse:
    shown = selectors.user_get(viewer=request.user, pk=pk)
    form = PasswordResetForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        chosen = form.cleaned_data["password"]
        try:
            password = services.user_password_reset(
                actor=request.user, user=shown, password=chosen or None
            )
        except ApplicationError as error:
            _apply_errors(form, error)
        else:
            context = {"shown_user": shown, "password": None if chosen else password}
            return _no_store(render(request, "accounts/user_password_reset_done.html", context))
    return render(request, "accounts/user_password_reset.html", {"form": form, "shown_user": shown})


@require_permission("accounts.change_user")
@require_POST
def user_unlock(request: HttpRequest, pk: int) -> HttpResponse:
    shown = selectors.user_get(viewer=request.user, pk=pk)
    services.user_unlock(actor=request.user, user=shown)
    messages.success(
        request,
        _("%(user)s can log in again: the failed login attempts were cleared.")
        % {"user": shown.username},
    )
    return redirect("accounts:user_detail", pk=shown.pk)


@require_permission("accounts.change_user")
@require_POST
def user_two_factor_reset(request: HttpRequest, pk: int) -> HttpResponse:
    shown = selectors.user_get(viewer=request.user, pk=pk)
    try:
        services.user_two_factor_reset(actor=request.user, user=shown)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _(
                "The authenticator of %(user)s was removed. At the next login, %(user)s scans a "
                "new QR code."
            )
            % {"user": shown.username},
        )
    return redirect("accounts:user_detail", pk=shown.pk)
