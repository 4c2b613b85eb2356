"""Registry pages: the member list (filters, search, keyset pages), a member's record and its
changes, training records, the table per kab/kota with the TKSK coverage, and the export."""

from typing import Any

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from sinergi.accounts.permissions import require_permission
from sinergi.audit import services as audit
from sinergi.core.errors import ApplicationError
from sinergi.core.export_views import export_or_enqueue
from sinergi.core.htmx import render_page_or_partial
from sinergi.pillars import selectors, services
from sinergi.pillars.forms import (
    AccountForm,
    MemberCreateForm,
    MemberFilterForm,
    MemberForm,
    SearchForm,
    StatusForm,
    TrainingForm,
)
from sinergi.pillars.models import AuditAction, Member
from sinergi.pillars.permissions import (
    ADD_MEMBER,
    CHANGE_MEMBER,
    IMPORT_MEMBER,
    VIEW_MEMBER,
)

SEARCH_KEY = "pillars_member_search"


def form_errors(form: Any, error: ApplicationError) -> None:
    """Put a service's refusal on the form: per field when it names one, else on top."""
    placed = False
    for name, field_messages in error.field_errors.items():
        target = (
            name if name in form.fields else ("area" if name in ("regency", "district") else None)
        )
        for message in field_messages:
            if target in form.fields:
                form.add_error(target, message)
                placed = True
    if not placed or not error.field_errors:
        form.add_error(None, error.message)


def member_url_prefix() -> str:
    """One reverse per page instead of one per row: a row's link is prefix + id + "/"."""
    return reverse("pillars:member_detail", args=[0]).removesuffix("0/")


def _filters(request: HttpRequest, form: MemberFilterForm) -> selectors.MemberFilters:
    data = form.cleaned_data if form.is_valid() else {}
    ready = {"siap": True, "belum": False}.get(data.get("rekening") or "")
    search = request.session.get(SEARCH_KEY, "") if request.GET.get("cari") else ""
    return selectors.MemberFilters(
        pillar_type=int(data["jenis"]) if data.get("jenis") else None,
        regency=data.get("kabupaten") or "",
        district=(data.get("kecamatan") or "").strip(),
        status=data.get("status") or "",
        account_ready=ready,
        search=search,
    )


@require_http_methods(["GET", "POST"])
@require_permission(VIEW_MEMBER)
def member_list(request: HttpRequest) -> HttpResponse:
    """Members in the viewer's scope. A name or NIK search is posted and kept in the session, so
    it never appears in an address or a log line."""
    if request.method == "POST":
        search = SearchForm(request.POST)
        term = search.cleaned_data["q"].strip() if search.is_valid() else ""
        request.session[SEARCH_KEY] = term
        query = request.GET.copy()
        query.pop("cursor", None)
        if term:
            query["cari"] = "1"
        else:
            query.pop("cari", None)
        return redirect(f"{request.path}?{query.urlencode()}" if query else request.path)
    form = MemberFilterForm(request.GET or None)
    filters = _filters(request, form)
    try:
        page = selectors.member_page(
            viewer=request.user, filters=filters, cursor=request.GET.get("cursor")
        )
    except ApplicationError as error:
        messages.error(request, error.message)
        return redirect("pillars:member_list")
    keep = request.GET.copy()
    keep.pop("cursor", None)
    context = {
        "form": form,
        "member_url": member_url_prefix(),
        "search_form": SearchForm(initial={"q": filters.search}),
        "searching": bool(filters.search),
        "page": page,
        "keep": keep.urlencode(),
        "can_add": request.user.has_perm(ADD_MEMBER),
        "can_import": request.user.has_perm(IMPORT_MEMBER),
    }
    return render_page_or_partial(request, "pillars/member_list.html", context, partial="rows")


@require_http_methods(["GET", "POST"])
@require_permission(ADD_MEMBER)
def member_create(request: HttpRequest) -> HttpResponse:
    form = MemberCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            member = services.member_create(
                actor=request.user,
                unit=getattr(request.user, "unit", None),
                pillar_type=data["pillar_type"],
                role=data["role"],
                nik=data["nik"],
                name=data["name"],
                sex=data["sex"],
                born_on=data["born_on"],
                phone=data["phone"],
                email=data["email"],
                member_number=data["member_number"],
                decree_number=data["decree_number"],
                decree_on=data["decree_on"],
                active_from=data["active_from"],
                active_until=data["active_until"],
                bank=data["bank"],
                account_number=data["account_number"],
                account_holder=data["account_holder"],
                confirm_holder=data["confirm_holder"],
                employee_nip=data["employee_nip"],
                **form.area_fields(),
            )
        except ApplicationError as error:
            form_errors(form, error)
        else:
            messages.success(request, _("%(name)s has been registered.") % {"name": member.name})
            return redirect("pillars:member_detail", pk=member.pk)
    return render(request, "pillars/member_form.html", {"form": form, "member": None})


@require_GET
@require_permission(VIEW_MEMBER)
def member_detail(request: HttpRequest, pk: int) -> HttpResponse:
    member = selectors.member_get(viewer=request.user, pk=pk)
    audit.record_read(actor=request.user, action=AuditAction.MEMBER_VIEWED, target=member)
    can_change = request.user.has_perm(CHANGE_MEMBER)
    context = {
        "member": member,
        "trainings": selectors.member_trainings(member),
        "entitlements": selectors.member_entitlements(member)[:20],
        "can_change": can_change,
        "status_form": StatusForm(initial={"status": member.status}) if can_change else None,
    }
    return render(request, "pillars/member_detail.html", context)


def _changeable(request: HttpRequest, pk: int) -> Member:
    return selectors.member_get(viewer=request.user, pk=pk)


@require_http_methods(["GET", "POST"])
@require_permission(CHANGE_MEMBER)
def member_edit(request: HttpRequest, pk: int) -> HttpResponse:
    member = _changeable(request, pk)
    initial = {
        "pillar_type": member.pillar_type,
        "role": member.role,
        "nik": member.nik,
        "name": member.name,
        "sex": member.sex,
        "born_on": member.born_on,
        "phone": member.phone,
        "email": member.email,
        "area": member.district or member.regency,
        "member_number": member.member_number,
        "decree_number": member.decree_number,
        "decree_on": member.decree_on,
        "active_from": member.active_from,
        "active_until": member.active_until,
        "employee_nip": member.employee.nip if member.employee else "",
    }
    form = MemberForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "area"}
        try:
            saved = services.member_update(
                actor=request.user, member=member, **data, **form.area_fields()
            )
        except ApplicationError as error:
            form_errors(form, error)
        else:
            messages.success(request, _("The member's record has been saved."))
            if saved.holder_needs_confirmation:
                messages.warning(
                    request,
                    _(
                        "The new name no longer matches the account holder %(holder)s: the "
                        "account is left out of the quarterly aid until you confirm it under "
                        "Bank account."
                    )
                    % {"holder": saved.account_holder},
                )
            return redirect("pillars:member_detail", pk=member.pk)
    return render(request, "pillars/member_form.html", {"form": form, "member": member})


@require_http_methods(["GET", "POST"])
@require_permission(CHANGE_MEMBER)
def member_account(request: HttpRequest, pk: int) -> HttpResponse:
    member = _changeable(request, pk)
    form = AccountForm(
        request.POST or None,
        initial={
            "bank": member.bank,
            "account_number": member.account_number,
            "account_holder": member.account_holder,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.member_set_account(actor=request.user, member=member, **form.cleaned_data)
        except ApplicationError as error:
            form_errors(form, error)
        else:
            messages.success(request, _("The bank account has been saved."))
            return redirect("pillars:member_detail", pk=member.pk)
    return render(request, "pillars/account_form.html", {"form": form, "member": member})


@require_http_methods(["POST"])
@require_permission(CHANGE_MEMBER)
def member_status(request: HttpRequest, pk: int) -> HttpResponse:
    member = _changeable(request, pk)
    form = StatusForm(request.POST)
    if form.is_valid():
        try:
            services.member_set_status(
                actor=request.user,
                member=member,
                status=form.cleaned_data["status"],
                reason=form.cleaned_data["reason"] or "",
                ended_on=form.cleaned_data["ended_on"],
            )
        except ApplicationError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("The status has been saved."))
    else:
        messages.error(request, _("Choose a status."))
    return redirect("pillars:member_detail", pk=member.pk)


@require_http_methods(["GET", "POST"])
@require_permission(CHANGE_MEMBER)
def training_add(request: HttpRequest, pk: int) -> HttpResponse:
    member = _changeable(request, pk)
    form = TrainingForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.training_add(actor=request.user, member=member, **form.cleaned_data)
        except ApplicationError as error:
            form_errors(form, error)
        else:
            messages.success(request, _("The training record has been added."))
            return redirect("pillars:member_detail", pk=member.pk)
    return render(request, "pillars/training_form.html", {"form": form, "member": member})


@require_GET
@require_permission(VIEW_MEMBER)
def training_certificate(request: HttpRequest, pk: int) -> HttpResponse:
    training = selectors.training_get(viewer=request.user, pk=pk)
    if not training.certificate:
        raise Http404
    audit.record_read(
        actor=request.user,
        action=AuditAction.MEMBER_VIEWED,
        target=training.member,
        purpose="certificate",
    )
    suffix = (training.certificate.name or "").rsplit(".", 1)[-1]
    response: Any = FileResponse(
        training.certificate.open("rb"),
        as_attachment=True,
        filename=f"sertifikat-{training.pk}.{suffix}",
    )
    response["Cache-Control"] = "no-store"
    return response


@require_GET
@require_permission(VIEW_MEMBER)
def regency_table(request: HttpRequest) -> HttpResponse:
    types, rows, totals = selectors.regency_table(viewer=request.user)
    context = {
        "types": types,
        "rows": rows,
        "totals": totals,
        "grand_total": sum(r.total for r in rows),
        "without_tksk": sum(r.districts_without_tksk for r in rows),
    }
    return render(request, "pillars/regency_table.html", context)


@require_GET
@require_permission(VIEW_MEMBER)
def regency_detail(request: HttpRequest, code: str) -> HttpResponse:
    regency = selectors.regency_get(code)
    if regency is None:
        raise Http404
    context = {
        "regency": regency,
        "missing": selectors.districts_without_tksk(viewer=request.user, regency=code),
    }
    return render(request, "pillars/regency_detail.html", context)


@require_GET
@require_permission(VIEW_MEMBER)
def member_export(request: HttpRequest) -> HttpResponse:
    form = MemberFilterForm(request.GET or None)
    filters = _filters(request, form)
    params = {
        "pillar_type": filters.pillar_type,
        "regency": filters.regency,
        "district": filters.district,
        "status": filters.status,
    }
    file_format = "csv" if request.GET.get("format") == "csv" else "xlsx"
    return export_or_enqueue(request, "pillars.members", params, file_format)
