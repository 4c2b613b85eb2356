"""What the budget pages share: the period asked for, keyset pages, the S-curve data, form errors."""

from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from sinergi.budget import selectors
from sinergi.budget.models import FiscalYear
from sinergi.core.errors import ApplicationError
from sinergi.core.pagination import Page, keyset_page

ALERT_LIMIT = 10
PAGE_SIZE = 50


def page_at(request: HttpRequest, queryset: Any, ordering: Any) -> Page:
    """A keyset page of `queryset` at the request's cursor (the first page for a stale cursor)."""
    try:
        return keyset_page(
            queryset, ordering=ordering, cursor=request.GET.get("cursor") or None, size=PAGE_SIZE
        )
    except ApplicationError as error:
        messages.error(request, error.message)
        return keyset_page(queryset, ordering=ordering, cursor=None, size=PAGE_SIZE)


@dataclass
class Period:
    """The fiscal year and month a page shows, and the years of the year selector."""

    fiscal_year: FiscalYear
    month: int
    years: list[FiscalYear]

    def context(self) -> dict[str, Any]:
        return {
            "fiscal_year": self.fiscal_year,
            "month": self.month,
            "month_name": selectors.MONTH_NAMES[self.month - 1],
            "months": list(enumerate(selectors.MONTH_NAMES, start=1)),
            "years": self.years,
            "as_of": selectors.month_end(self.fiscal_year.year, self.month),
        }


def period_of(request: HttpRequest) -> Period | None:
    """The fiscal year (`tahun`, else the latest) and month (`bulan`, else that of the latest
    SP2D) asked for; None when no such year has been set up."""
    fiscal_year, years = selectors.fiscal_years(request.GET.get("tahun"))
    if fiscal_year is None:
        return None
    try:
        month = int(request.GET.get("bulan", ""))
    except ValueError:
        month = selectors.latest_month(fiscal_year)
    return Period(fiscal_year, min(max(month, 1), 12), years)


def chart(curve: dict[str, Any]) -> dict[str, Any]:
    return {
        "labels": [str(m)[:3] for m in selectors.MONTH_NAMES],
        "plan": curve["plan"],
        "realised": curve["realised"],
        "plan_label": _("Cash plan (cumulative %)"),
        "realised_label": _("Realisation (cumulative %)"),
    }


def empty_page(request: HttpRequest) -> HttpResponse:
    return render(request, "budget/empty.html", {})


def int_or_none(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


def form_errors(form: forms.Form, error: ApplicationError) -> None:
    """Show a refused write on the form: field messages at their fields, the message on top."""
    for field, field_messages in error.field_errors.items():
        for message in field_messages:
            form.add_error(field if field in form.fields else None, message)
    form.add_error(None, error.message)
