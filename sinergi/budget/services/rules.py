"""Rules every budget write checks: the fiscal year is open, a date lies within it."""

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from sinergi.budget.models import FiscalYear
from sinergi.core.errors import ApplicationError

ZERO = Decimal("0")


def require_open(fiscal_year: FiscalYear) -> None:
    """Refuse writes to a closed year (its status read afresh: it may have been closed since)."""
    status = FiscalYear.objects.filter(pk=fiscal_year.pk).values_list("status", flat=True).first()
    fiscal_year.status = status or fiscal_year.status
    if fiscal_year.status != FiscalYear.Status.OPEN:
        raise ApplicationError(
            _("Fiscal year %(year)s is closed. Reopen it first, or choose an open year.")
            % {"year": fiscal_year.year},
            code="year_closed",
        )


def require_in_year(fiscal_year: FiscalYear, on: dt.date, field: str) -> None:
    if on.year != fiscal_year.year:
        raise ApplicationError(
            _(
                "The date %(date)s lies outside fiscal year %(year)s. Enter a date between "
                "1 January and 31 December %(year)s."
            )
            % {"date": on.strftime("%d-%m-%Y"), "year": fiscal_year.year},
            code="date_outside_year",
            field_errors={field: [_("Enter a date within the fiscal year.")]},
        )


def today_within(fiscal_year: FiscalYear) -> dt.date:
    """Today, moved into the fiscal year when the year is past or still to come."""
    return min(max(dt.date.today(), fiscal_year.starts_on), fiscal_year.ends_on)


def author_of(actor: Any) -> Any:
    """The user to store as the author of a row (None for system jobs and the demo)."""
    return actor if getattr(actor, "is_authenticated", False) else None
