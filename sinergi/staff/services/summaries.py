"""Rebuild the compliance summaries (models/summary.py) from employees and submissions, set-based:
two GROUP BY queries per year, then the rows are replaced. Called in the transaction of every write
that changes the figures."""

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import Count, Q

from sinergi.staff.models import (
    ComplianceSummary,
    Employee,
    EmploymentType,
    MonthlySubmission,
    Skp,
)
from sinergi.staff.models.periods import month_bounds


def summary_years() -> list[int]:
    """The years that have an SKP or summary rows: the ones a change of an employee touches."""
    years = set(Skp.objects.order_by().values_list("year", flat=True).distinct())
    years |= set(ComplianceSummary.objects.order_by().values_list("year", flat=True).distinct())
    return sorted(years)


def compliance_figures(
    year: int, *, months: Iterable[int] = range(1, 13), unit_ids: Iterable[int] | None = None
) -> dict[tuple[int, int], list[int]]:
    """{(month, unit id): [owe, on time, late]} computed live from employees and submissions
    (what the summary rows hold); units with nothing to count are left out."""
    months = list(months)
    employees = Employee.objects.filter(
        employment_type__in=[EmploymentType.PNS, EmploymentType.PPPK]
    )
    submissions = MonthlySubmission.objects.filter(
        year=year, month__in=months, status=MonthlySubmission.Status.SUBMITTED
    )
    if unit_ids is not None:
        unit_ids = list(unit_ids)
        employees = employees.filter(unit_id__in=unit_ids)
        submissions = submissions.filter(employee__unit_id__in=unit_ids)
    owed: dict[str, Any] = {}
    for month in months:
        start, end = month_bounds(year, month)
        owed[f"m{month}"] = Count(
            "id",
            filter=Q(active_from__lte=end)
            & (Q(active_until__isnull=True) | Q(active_until__gte=start)),
        )
    figures: dict[tuple[int, int], list[int]] = {}
    row: dict[str, Any]
    for row in employees.order_by().values("unit_id").annotate(**owed):  # type: ignore[assignment]
        for month in months:
            if row[f"m{month}"]:
                figures[(month, row["unit_id"])] = [row[f"m{month}"], 0, 0]
    counts = (
        submissions.order_by()
        .values_list("month", "employee__unit_id")
        .annotate(
            n_on_time=Count("id", filter=Q(on_time=True)),
            n_late=Count("id", filter=Q(on_time=False)),
        )
    )
    for month, unit_id, on_time, late in counts:
        figure = figures.setdefault((month, unit_id), [0, 0, 0])
        figure[1], figure[2] = on_time, late
    return figures


@transaction.atomic
def compliance_refresh(
    *,
    years: Iterable[int] | None = None,
    months: Iterable[int] | None = None,
    unit_ids: Iterable[int] | None = None,
) -> int:
    """Replace the summary rows of `years` (default: every year with an SKP), `months` (default:
    all) and `unit_ids` (default: every unit) by freshly computed ones; returns the rows written."""
    unit_ids = None if unit_ids is None else sorted({u for u in unit_ids if u is not None})
    months = list(months) if months is not None else list(range(1, 13))
    written = 0
    for year in summary_years() if years is None else sorted(set(years)):
        stale = ComplianceSummary.objects.filter(year=year, month__in=months)
        if unit_ids is not None:
            stale = stale.filter(unit_id__in=unit_ids)
        stale.delete()
        rows = [
            ComplianceSummary(
                year=year, month=month, unit_id=unit_id, expected=f[0], on_time=f[1], late=f[2]
            )
            for (month, unit_id), f in compliance_figures(
                year, months=months, unit_ids=unit_ids
            ).items()
        ]
        ComplianceSummary.objects.bulk_create(rows, batch_size=2000)
        written += len(rows)
    return written
