"""Compliance summaries: the figures the compliance dashboard reads, derived from the employees who
owe each month and the monthly submissions.

One row per year, month and unit: the PNS/PPPK employees of the unit active in the month (who owe
the month's realisation) and how many of the unit's employees submitted it on time and late. The
rows are rebuilt by `services.compliance_refresh` in the transaction of every write that changes
them (a submission, an employee created or changed, an import), so the dashboard reads a few hundred
rows instead of every employee and submission. Never edited by hand; `manage.py
staff_compliance_summaries` rebuilds them all.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


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
