"""Compliance of the monthly SKP realisation per unit and month: on time, late, missing.

The figures per unit and month come from the compliance summaries (models/summary.py, kept up to
date by every write): the employees who owe the month (PNS/PPPK active in it) and how many of them
submitted it on time and late. Missing = owed - submitted. Scoped by the viewer's units (the
figures are organisational). `compliance_figures` (models/summary.py) computes the same figures
live. The late list reads employees and submissions themselves.
"""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import DateTimeField, OuterRef, Q, QuerySet, Subquery, Sum

from sinergi.accounts.permissions import scope_queryset, sees_everything
from sinergi.organisation.models import Unit
from sinergi.staff.models import ComplianceSummary, Employee, MonthlySubmission
from sinergi.staff.models.periods import MONTH_NAMES, month_bounds
from sinergi.staff.models.summary import compliance_figures

HUNDRED = Decimal(100)


@dataclass
class ComplianceRow:
    key: int | None  # unit id, or month number in a trend
    label: str
    expected: int = 0
    on_time: int = 0
    late: int = 0

    @property
    def submitted(self) -> int:
        return self.on_time + self.late

    @property
    def missing(self) -> int:
        return max(self.expected - self.submitted, 0)

    @property
    def on_time_percent(self) -> Decimal | None:
        if not self.expected:
            return None
        return (Decimal(self.on_time) * HUNDRED / self.expected).quantize(
            Decimal("0.01"), rounding=ROUND_HALF_UP
        )

    @property
    def submitted_percent(self) -> Decimal | None:
        if not self.expected:
            return None
        return (Decimal(self.submitted) * HUNDRED / self.expected).quantize(
            Decimal("0.01"), rounding=ROUND_HALF_UP
        )


def _scoped(qs: QuerySet[Employee], viewer: Any, unit: Unit | None) -> QuerySet[Employee]:
    qs = scope_queryset(qs, viewer, unit_path_field="unit__path")
    if unit is not None:
        qs = qs.filter(unit__path__startswith=unit.path)
    return qs


def _summaries(viewer: Any, year: int, unit: Unit | None) -> QuerySet[ComplianceSummary]:
    """The year's summary rows of the units in the viewer's scope (below `unit` when given)."""
    qs = ComplianceSummary.objects.filter(year=year)
    if unit is not None or not sees_everything(viewer):
        qs = scope_queryset(qs, viewer, unit_path_field="unit__path")
    if unit is not None:
        qs = qs.filter(unit__path__startswith=unit.path)
    return qs


def compliance_by_unit(
    *, viewer: Any, year: int, month: int, unit: Unit | None = None
) -> list[ComplianceRow]:
    """One row per unit of the viewer's scope with staff owing the month, read from the
    compliance summaries (one query)."""
    rows = [
        ComplianceRow(unit_id, short or name, expected=expected, on_time=on_time, late=late)
        for unit_id, short, name, expected, on_time, late in _summaries(viewer, year, unit)
        .filter(month=month)
        .values_list("unit_id", "unit__short_name", "unit__name", "expected", "on_time", "late")
    ]
    return sorted(rows, key=lambda r: (r.on_time_percent or Decimal(-1), r.label))


def compliance_total(rows: Iterable[ComplianceRow], label: str = "") -> ComplianceRow:
    total = ComplianceRow(None, label)
    for row in rows:
        total.expected += row.expected
        total.on_time += row.on_time
        total.late += row.late
    return total


def compliance_trend(
    *, viewer: Any, year: int, unit: Unit | None = None, until_month: int = 12
) -> list[ComplianceRow]:
    """Months 1..until_month of `year`: owed, on time, late, summed from the summaries (one
    query)."""
    months = range(1, until_month + 1)
    rows = {m: ComplianceRow(m, str(MONTH_NAMES[m - 1])) for m in months}
    sums = (
        _summaries(viewer, year, unit)
        .filter(month__lte=until_month)
        .order_by()
        .values_list("month")
        .annotate(Sum("expected"), Sum("on_time"), Sum("late"))
    )
    for month, expected, on_time, late in sums:
        row = rows[month]
        row.expected, row.on_time, row.late = expected or 0, on_time or 0, late or 0
    return [rows[m] for m in months]


LATE_ORDERING = ("unit__name", "name", "id")


def late_list(
    *, viewer: Any, year: int, month: int, unit: Unit | None = None, kind: str = ""
) -> QuerySet[Employee]:
    """Employees owing the month who submitted late (`kind="late"`), have not submitted
    (`"missing"`), or either (default); each with `submitted_at` annotated (None: missing), and
    only the columns the page and the exports show."""
    submission = MonthlySubmission.objects.filter(
        employee=OuterRef("pk"),
        year=year,
        month=month,
        status=MonthlySubmission.Status.SUBMITTED,
    )
    submitted = MonthlySubmission.objects.filter(
        year=year, month=month, status=MonthlySubmission.Status.SUBMITTED
    )
    # IN (subquery) rather than filters on the annotations: PostgreSQL hashes each id set once
    # instead of probing the submissions for every employee; the annotations are then computed
    # for the rows of the page only.
    late = Q(pk__in=submitted.filter(on_time=False).values("employee_id"))
    missing = ~Q(pk__in=submitted.values("employee_id"))
    condition = {"late": late, "missing": missing}.get(kind, late | missing)
    return (
        _scoped(Employee.objects.expected_in(year, month), viewer, unit)
        .filter(condition)
        .annotate(
            submitted_at=Subquery(
                submission.values("submitted_at")[:1], output_field=DateTimeField()
            )
        )
        .select_related("unit", "supervisor")
        .only("name", "nip", "position", "unit__name", "unit__short_name", "supervisor__name")
    )


def on_time_percent(
    *, unit_ids: Iterable[int] | None, start: dt.date, end: dt.date
) -> Decimal | None:
    """Share (%) of the employee-months owed in [start, end] by the units' staff that were
    submitted on time; None when nobody owed anything. Months count when they end in the period."""
    unit_ids = None if unit_ids is None else list(unit_ids)
    by_year: dict[int, list[int]] = {}
    year, month = start.year, start.month
    while (year, month) <= (end.year, end.month):
        if month_bounds(year, month)[1] <= end:
            by_year.setdefault(year, []).append(month)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    owed_total = on_time_total = 0
    for year, months in by_year.items():
        for owe, on_time, _late in compliance_figures(
            year, months=months, unit_ids=unit_ids
        ).values():
            owed_total += owe
            on_time_total += on_time
    if not owed_total:
        return None
    return (Decimal(on_time_total) * HUNDRED / owed_total).quantize(
        Decimal("0.01"), rounding=ROUND_HALF_UP
    )
