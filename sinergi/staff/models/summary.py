"""Compliance summaries: the figures the compliance dashboard reads, derived from the employees who
owe each month and the monthly submissions.

One row per year, month and unit: the PNS/PPPK employees of the unit active in the month (who owe
the month's realisation) and how many of them submitted it on time and late. The
rows are rebuilt by `services.compliance_refresh` in the transaction of every write that changes
them (a submission, an employee created or changed, an import), so the dashboard reads a few hundred
rows instead of every employee and submission. Never edited by hand; `manage.py
staff_compliance_summaries` rebuilds them all.
"""

from collections.abc import Iterable

from django.db import models
from django.db.models import Count, FilteredRelation, Q
from django.utils.translation import gettext_lazy as _

from sinergi.staff.models.employees import Employee
from sinergi.staff.models.monthly import MonthlySubmission


class ComplianceSummary(models.Model):
    year = models.PositiveSmallIntegerField(_("year"))
    month = models.PositiveSmallIntegerField(_("month"))
    unit = models.ForeignKey(
        "organisation.Unit", on_delete=models.CASCADE, related_name="+", verbose_name=_("unit")
    )
    expected = models.PositiveIntegerField(_("owe the month"), default=0)
    on_time = models.PositiveIntegerField(_("on time"), default=0)
    late = models.PositiveIntegerField(_("late"), default=0)

    class Meta:
        verbose_name = _("compliance summary")
        verbose_name_plural = _("compliance summaries")
        constraints = [
            models.UniqueConstraint(
                fields=["year", "month", "unit"], name="staff_compliance_summary_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(month__gte=1) & models.Q(month__lte=12),
                name="staff_compliance_summary_month_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year}-{self.month:02d} unit {self.unit_id}"


def compliance_figures(
    year: int, *, months: Iterable[int] = range(1, 13), unit_ids: Iterable[int] | None = None
) -> dict[tuple[int, int], list[int]]:
    """{(month, unit id): [owe, on time, late]} computed live (what the summary rows hold): per
    month, one GROUP BY over the employees who owe it with their submission of the month joined;
    units where nobody owes the month are left out."""
    unit_ids = None if unit_ids is None else list(unit_ids)
    figures: dict[tuple[int, int], list[int]] = {}
    for month in months:
        owing = Employee.objects.expected_in(year, month)
        if unit_ids is not None:
            owing = owing.filter(unit_id__in=unit_ids)
        counts = (
            owing.annotate(
                report=FilteredRelation(
                    "submissions",
                    condition=Q(
                        submissions__year=year,
                        submissions__month=month,
                        submissions__status=MonthlySubmission.Status.SUBMITTED,
                    ),
                )
            )
            .order_by()
            .values_list("unit_id")
            .annotate(
                owe=Count("*"),
                on_time=Count("report", filter=Q(report__on_time=True)),
                late=Count("report", filter=Q(report__on_time=False)),
            )
        )
        for unit_id, owe, on_time, late in counts:
            figures[(month, unit_id)] = [owe, on_time, late]
    return figures
