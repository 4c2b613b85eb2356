"""What the SAKIP pages share: a service refusal shown on the form, the year asked for."""

import datetime as dt

from django import forms
from django.http import HttpRequest

from sinergi.core.errors import ApplicationError
from sinergi.sakip import selectors


def form_errors(form: forms.Form, error: ApplicationError) -> None:
    for name, field_messages in error.field_errors.items():
        for message in field_messages:
            if name in form.fields:
                form.add_error(name, message)
    form.add_error(None, error.message)


def year_of(request: HttpRequest) -> int:
    """?tahun= when it is a plausible year, else the latest year with an LKE (or this year)."""
    try:
        year = int(request.GET.get("tahun", ""))
    except ValueError:
        year = 0
    if 2000 <= year <= 2100:
        return year
    years = selectors.evaluation_years()
    return years[0] if years else dt.date.today().year
