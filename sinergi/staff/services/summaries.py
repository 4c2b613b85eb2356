"""Rebuild the compliance summaries (models/summary.py) from employees and submissions, set-based:
one GROUP BY query per month (`models.summary.compliance_figures`), then the rows are replaced. Called
in the transaction of every write that changes the figures."""

from collections.abc import Iterable

from django.db import transaction

from sinergi.staff.models import ComplianceSummary, Skp
from sinergi.staff.models.summary import compliance_figures


def summary_years() -> list[int]:
    """The years that have an SKP or summary rows: the ones a change of an employee touches."""
    years = set(Skp.objects.order_by().values_list("year", flat=True).distinct())
    years |= set(ComplianceSummary.objects.order_by().values_list("year", flat=True).distinct())
    return sorted(years)


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
