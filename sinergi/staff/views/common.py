"""Helpers the staff pages share."""

import datetime as dt
from collections.abc import Callable, Iterable
from typing import Any

from django import forms
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from sinergi.core.errors import ApplicationError
from sinergi.staff.models.periods import previous_month

PAGE_SIZE = 50
DASH = "—"


def form_errors(form: forms.BaseForm, error: ApplicationError) -> None:
    """Show a refused write on the form: field messages at their fields, the message on top."""
    for field, field_messages in error.field_errors.items():
        for message in field_messages:
            if field in form.fields:
                form.add_error(field, message)
    form.add_error(None, error.message)


def int_param(request: HttpRequest, name: str, default: int | None = None) -> int | None:
    try:
        return int(request.GET.get(name, ""))
    except ValueError:
        return default


def year_month(request: HttpRequest) -> tuple[int, int]:
    """?tahun=&bulan= (default: last month, the one being reported now)."""
    default_year, default_month = previous_month(timezone.localdate())
    year = int_param(request, "tahun", default_year) or default_year
    month = int_param(request, "bulan", default_month) or default_month
    year = min(max(year, 2000), 2100)
    return year, min(max(month, 1), 12)


def today() -> dt.date:
    return timezone.localdate()


def as_int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def employee_rows(
    items: Iterable[Any], cells: Callable[[Any], tuple[Any, ...]]
) -> list[tuple[Any, ...]]:
    """A list page's rows as plain tuples (the address of the employee's page, then `cells(item)`),
    which the template unpacks in its loop: attribute lookups, display methods and filters on model
    rows, and a reverse() per row, were most of the list pages' time. The address is the employee
    list's plus "<id>/" (urls.py), reversed once."""
    base = reverse("staff:employee_list")
    return [(f"{base}{item.pk}/", *cells(item)) for item in items]
