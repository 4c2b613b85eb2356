"""The banks' bulk-transfer file layouts: every reader of the quarterly aid sees how the file is
laid out; finance (and the system administrator) adds and changes layouts."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from sinergi.accounts.permissions import require_permission
from sinergi.core.errors import ApplicationError
from sinergi.pillars import selectors, services
from sinergi.pillars.forms import LayoutForm
from sinergi.pillars.models import BankFileLayout
from sinergi.pillars.permissions import CHANGE_LAYOUT, VIEW_CYCLE
from sinergi.pillars.views.registry import form_errors


@require_GET
@require_permission(VIEW_CYCLE)
def layout_list(request: HttpRequest) -> HttpResponse:
    context = {
        "layouts": selectors.layouts(),
        "can_change": request.user.has_perm(CHANGE_LAYOUT),
    }
    return render(request, "pillars/layout_list.html", context)


def _save(request: HttpRequest, layout: BankFileLayout | None) -> HttpResponse:
    initial = LayoutForm.initial_for(layout) if layout else {
        "separator": ",",
        "has_header": True,
        "description_template": "{scheme} TW{quarter} {year}",
    }  # fmt: skip
    form = LayoutForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.layout_save(actor=request.user, layout=layout, **form.cleaned_data)
        except ApplicationError as error:
            form_errors(form, error)
        else:
            messages.success(request, _("Layout %(name)s has been saved.") % {"name": saved.name})
            return redirect("pillars:layout_list")
    return render(request, "pillars/layout_form.html", {"form": form, "layout": layout})


@require_http_methods(["GET", "POST"])
@require_permission(CHANGE_LAYOUT)
def layout_create(request: HttpRequest) -> HttpResponse:
    return _save(request, None)


@require_http_methods(["GET", "POST"])
@require_permission(CHANGE_LAYOUT)
def layout_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _save(request, selectors.layout_get(pk))
