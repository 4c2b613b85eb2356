"""Months of the SKP year: names, bounds and the due date of a month's realisation (a setting)."""

import calendar
import datetime as dt
from typing import Any

from django.conf import settings
from django.utils.translation import gettext_lazy as _

MONTH_NAMES = [
    _("January"),
    _("February"),
    _("March"),
    _("April"),
    _("May"),
    _("June"),
    _("July"),
    _("August"),
    _("September"),
    _("October"),
    _("November"),
    _("December"),
]


def month_label(year: int, month: int) -> str:
    return f"{MONTH_NAMES[month - 1]} {year}"


def due_day() -> int:
    """SINERGI["SKP_DUE_DAY"]: a month is reported on time up to this day of the next month."""
    value: Any = settings.SINERGI.get("SKP_DUE_DAY", 5)
    return int(value)


def due_on(year: int, month: int) -> dt.date:
    """The last day to report month `month` on time: the due day of the following month."""
    next_year, next_month = (year + 1, 1) if month == 12 else (year, month + 1)
    day = min(due_day(), calendar.monthrange(next_year, next_month)[1])
    return dt.date(next_year, next_month, day)


def month_bounds(year: int, month: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1])


def previous_month(on: dt.date) -> tuple[int, int]:
    return (on.year - 1, 12) if on.month == 1 else (on.year, on.month - 1)
