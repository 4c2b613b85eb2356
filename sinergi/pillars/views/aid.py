"""Aid pages: schemes and rates, cycles, a batch under review with its totals, the approval, the
bank file, the daftar nominatif, the bank's result file and follow-up batches."""

import datetime as dt
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from sinergi.accounts.permissions import require_permission
from sinergi.budget import selectors as budget_selectors
from sinergi.core.errors import ApplicationError
from sinergi.core.exports import pdf_response
from sinergi.pillars import selectors, services
from sinergi.pillars.forms import CycleForm, ExcludeForm, RateForm, ResultForm
from sinergi.pillars.models import BatchStatus, EntitlementStatus, NominativeDocument
from sinergi.pillars.permissions import (
    ADD_CYCLE,
    APPROVE_BATCH,
    CHANGE_SCHEME,
    RECONCILE_BATCH,
    VIEW_CYCLE,
    VIEW_SCHEME,
)
from sinergi.pillars.views.registry import form_errors, member_url_prefix


def nominative_sync_limit() -> int:
    limit: Any = settings.SINERGI.get("PILLARS_NOMINATIVE_SYNC_MAX_ROWS", 1500)
    return int(limit)


@require_GET
@require_permission(VIEW_SCHEME)
def scheme_list(request: HttpRequest) -> HttpResponse:
    schemes = selectors.schemes_overview()
    return render(
        request,
        "pillars/scheme_list.html",
        {"schemes": schemes, "can_change": request.user.has_perm(CHANGE_SCHEME)},
    )


@require_http_methods(["GET", "POST"])
@require_permission(CHANGE_SCHEME)
def rate_add(request: HttpRequest, pk: int) -> HttpResponse:
    scheme = selectors.scheme_get(pk)
    form = RateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.rate_add(actor=request.user, scheme=scheme, **data)
        except ApplicationError as error:
            form_errors(form, error)
        else:
            messages.success(request, _("The rate has been added."))
            return redirect("pillars:scheme_list")
    return render(request, "pillars/rate_form.html", {"form": form, "scheme": scheme})


@require_http_methods(["GET", "POST"])
@require_permission(CHANGE_SCHEME)
def funding_set(request: HttpRequest, pk: int) -> HttpResponse:
    scheme = selectors.scheme_get(pk)
    year = int(request.POST.get("year") or request.GET.get("tahun") or dt.date.today().year)
    fiscal_year = budget_selectors.fiscal_year_get(year)
    lines = (
        budget_selectors.lines(viewer=budget_selectors.SYSTEM, fiscal_year=fiscal_year)
        .select_related("sub_kegiatan", "unit")
        .order_by("sub_kegiatan__code", "account_code")
        if fiscal_year
        else []
    )
    if request.method == "POST":
        line = next((x for x in lines if str(x.pk) == request.POST.get("budget_line")), None)
        if line is None:
            messages.error(request, _("Choose a budget line of the year."))
        else:
            try:
                services.funding_set(actor=request.user, scheme=scheme, year=year, budget_line=line)
            except ApplicationError as error:
                messages.error(request, error.message)
            else:
                messages.success(request, _("The budget line has been set."))
                return redirect("pillars:scheme_list")
    context = {"scheme": scheme, "year": year, "lines": lines}
    return render(request, "pillars/funding_form.html", context)


@require_GET
@require_permission(VIEW_CYCLE)
def cycle_list(request: HttpRequest) -> HttpResponse:
    try:
        page = selectors.cycle_page(viewer=request.user, cursor=request.GET.get("cursor"))
    except ApplicationError as error:
        messages.error(request, error.message)
        return redirect("pillars:cycle_list")
    return render(
        request,
        "pillars/cycle_list.html",
        {"page": page, "can_generate": request.user.has_perm(ADD_CYCLE)},
    )


@require_http_methods(["GET", "POST"])
@require_permission(ADD_CYCLE)
def cycle_create(request: HttpRequest) -> HttpResponse:
    today = dt.date.today()
    form = CycleForm(
        request.POST or None, initial={"year": today.year, "quarter": (today.month - 1) // 3 + 1}
    )
    if request.method == "POST" and form.is_valid():
        try:
            cycle = services.cycle_generate(actor=request.user, **form.cleaned_data)
        except ApplicationError as error:
            form_errors(form, error)
        else:
            batch = cycle.batches.get(number=1)
            messages.success(
                request,
                _(
                    "%(count)s entitlements were generated. Review them, then ask finance to approve."
                )
                % {"count": batch.entitlement_count},
            )
            left_out = selectors.members_without_account(viewer=request.user)
            if left_out:
                messages.warning(
                    request,
                    _(
                        "%(count)s active members have no ready bank account and were left out of "
                        "this quarter. Enter or confirm their accounts before the next quarter."
                    )
                    % {"count": left_out},
                )
            return redirect("pillars:batch_detail", pk=batch.pk)
    context = {
        "form": form,
        "without_account": selectors.members_without_account(viewer=request.user),
    }
    return render(request, "pillars/cycle_form.html", context)


@require_GET
@require_permission(VIEW_CYCLE)
def cycle_detail(request: HttpRequest, pk: int) -> HttpResponse:
    cycle = selectors.cycle_get(viewer=request.user, pk=pk)
    context = {
        "cycle": cycle,
        "batches": selectors.cycle_batches(cycle),
        "failed": selectors.cycle_failed_count(cycle),
        "can_follow_up": request.user.has_perm(ADD_CYCLE),
    }
    return render(request, "pillars/cycle_detail.html", context)


@require_POST
@require_permission(ADD_CYCLE)
def follow_up_create(request: HttpRequest, pk: int) -> HttpResponse:
    cycle = selectors.cycle_get(viewer=request.user, pk=pk)
    try:
        batch = services.follow_up_create(actor=request.user, cycle=cycle)
    except ApplicationError as error:
        messages.error(request, error.message)
        return redirect("pillars:cycle_detail", pk=cycle.pk)
    messages.success(
        request,
        _("Follow-up batch %(number)s holds %(count)s transfers. Ask finance to approve it.")
        % {"number": batch.number, "count": batch.entitlement_count},
    )
    return redirect("pillars:batch_detail", pk=batch.pk)


@require_GET
@require_permission(VIEW_CYCLE)
def batch_detail(request: HttpRequest, pk: int) -> HttpResponse:
    batch = selectors.batch_get(viewer=request.user, pk=pk)
    status = request.GET.get("status", "")
    try:
        page = selectors.entitlement_page(
            viewer=request.user, batch=batch, status=status, cursor=request.GET.get("cursor")
        )
    except ApplicationError as error:
        messages.error(request, error.message)
        return redirect("pillars:batch_detail", pk=batch.pk)
    user = request.user
    overview = selectors.batch_overview(batch)
    can_bank_file = services.can_export_bank_file(user) and batch.status in (
        BatchStatus.APPROVED,
        BatchStatus.EXPORTED,
    )
    context = {
        "batch": batch,
        "cycle": batch.cycle,
        "by_type": overview.by_type,
        "by_regency": overview.by_regency,
        "status_counts": [
            (code, label, overview.status_counts.get(code, 0))
            for code, label in EntitlementStatus.choices
            if overview.status_counts.get(code)
        ],
        "moved_on": overview.moved_on,
        "member_url": member_url_prefix(),
        "page": page,
        "status": status,
        "results": selectors.batch_results(batch),
        "layouts": list(selectors.layouts()) if can_bank_file else [],
        "can_approve": user.has_perm(APPROVE_BATCH)
        and batch.status == BatchStatus.DRAFT
        and batch.created_by_id != user.pk,
        "is_maker": batch.created_by_id == user.pk,
        "can_exclude": user.has_perm(ADD_CYCLE) and batch.status == BatchStatus.DRAFT,
        "can_bank_file": can_bank_file,
        "can_reconcile": user.has_perm(RECONCILE_BATCH)
        and batch.status in (BatchStatus.APPROVED, BatchStatus.EXPORTED),
        "result_form": ResultForm(initial={"paid_on": dt.date.today()}),
        "exclude_form": ExcludeForm(),
    }
    return render(request, "pillars/batch_detail.html", context)


@require_POST
@require_permission(APPROVE_BATCH)
def batch_approve(request: HttpRequest, pk: int) -> HttpResponse:
    batch = selectors.batch_get(viewer=request.user, pk=pk)
    try:
        services.batch_approve(actor=request.user, batch=batch)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The batch has been approved. The bank file can be made now."))
    return redirect("pillars:batch_detail", pk=batch.pk)


@require_POST
@require_permission(ADD_CYCLE)
def entitlement_exclude(request: HttpRequest, pk: int) -> HttpResponse:
    entitlement = selectors.entitlement_for_change(viewer=request.user, pk=pk)
    form = ExcludeForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        services.entitlement_exclude(actor=request.user, entitlement=entitlement, reason=reason)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The entitlement has been excluded from the batch."))
    return redirect("pillars:batch_detail", pk=entitlement.batch_id)


@require_GET
@require_permission(VIEW_CYCLE)
def bank_file(request: HttpRequest, pk: int) -> HttpResponse:
    batch = selectors.batch_get(viewer=request.user, pk=pk)
    if not services.can_export_bank_file(request.user):
        raise PermissionDenied
    chosen = request.GET.get("layout") or ""
    layout = selectors.layout_get(chosen) if chosen.isdigit() else selectors.default_layout()
    if layout is None:
        messages.error(request, _("No bank file layout is defined. Ask the administrator."))
        return redirect("pillars:batch_detail", pk=batch.pk)
    try:
        filename, lines = services.bank_file_export(actor=request.user, batch=batch, layout=layout)
    except ApplicationError as error:
        messages.error(request, error.message)
        return redirect("pillars:batch_detail", pk=batch.pk)
    response: Any = StreamingHttpResponse(
        (chunk.encode("utf-8") for chunk in lines), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = content_disposition_header(True, filename) or ""
    response["Cache-Control"] = "no-store"
    return response


@require_GET
@require_permission(VIEW_CYCLE)
def nominative(request: HttpRequest, pk: int) -> HttpResponse:
    """The daftar nominatif as A4 landscape PDF; a big one is written by a background job."""
    batch = selectors.batch_get(viewer=request.user, pk=pk)
    rows = selectors.batch_payable_count(batch)
    if rows > nominative_sync_limit():
        document = services.nominative_request(actor=request.user, batch=batch)
        return redirect("pillars:document", pk=document.pk)
    context = selectors.nominative_context(batch)
    context["title"] = _("Daftar nominatif")
    services.record_nominative(actor=request.user, batch=batch, rows=rows)
    cycle = batch.cycle
    return pdf_response(
        request,
        template="pillars/nominative_pdf.html",
        context=context,
        filename=f"nominatif-{cycle.scheme.code}-{cycle.year}-tw{cycle.quarter}-b{batch.number}",
    )


@require_GET
@require_permission(VIEW_CYCLE)
def document(request: HttpRequest, pk: int) -> HttpResponse:
    doc = selectors.document_get(viewer=request.user, pk=pk)
    if doc.status == NominativeDocument.Status.DONE and request.GET.get("unduh"):
        response: Any = FileResponse(doc.file.open("rb"), as_attachment=True,
                                filename=f"nominatif-{doc.batch_id}.pdf")  # fmt: skip
        response["Cache-Control"] = "no-store"
        return response
    return render(request, "pillars/document.html", {"document": doc})


@require_POST
@require_permission(RECONCILE_BATCH)
def result_upload(request: HttpRequest, pk: int) -> HttpResponse:
    batch = selectors.batch_get(viewer=request.user, pk=pk)
    form = ResultForm(request.POST, request.FILES)
    problems: list[services.RowProblem] = []
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            result = services.result_apply(
                actor=request.user,
                batch=batch,
                content=upload.read(),
                filename=upload.name,
                paid_on=form.cleaned_data["paid_on"],
                sp2d_number=form.cleaned_data["sp2d_number"],
            )
        except services.ResultFileRejected as error:
            form.add_error(None, error.message)
            problems = error.problems
        except ApplicationError as error:
            form_errors(form, error)
        else:
            messages.success(
                request,
                _("Result applied: %(paid)s paid, %(failed)s failed.")
                % {"paid": result.paid_count, "failed": result.failed_count},
            )
            return redirect("pillars:batch_detail", pk=batch.pk)
    context = {"batch": batch, "cycle": batch.cycle, "form": form, "problems": problems[:500],
               "problem_count": len(problems)}  # fmt: skip
    return render(request, "pillars/result_form.html", context, status=400)
