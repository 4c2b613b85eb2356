"""Absorption summaries: the figures the dashboards read, derived from lines, cash plan and SP2D.

One row per fiscal year, responsible unit, program and month. Month 0 carries the year's figures
(pagu, number of lines, lines whose cash plan does not add up to the pagu, cash plan of the year);
months 1 to 12 carry the cash plan and the SP2D of that month. The rows are rebuilt by
`services.summaries_refresh` in the transaction of every write (entries, revisions, imports), so the
office dashboard and the league table read a few hundred rows instead of every SP2D.
Never edited by hand; `manage.py budget_summaries` rebuilds them all.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from sinergi.budget.models.dpa import MONEY, FiscalYear, Program


class AbsorptionSummary(models.Model):
    fiscal_year = models.ForeignKey(FiscalYear, on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey("organisation.Unit", on_delete=models.CASCADE, related_name="+")
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="+")
    month = models.PositiveSmallIntegerField(_("month"))  # 0 = the year
    pagu = models.DecimalField(_("pagu"), default=0, **MONEY)
    plan = models.DecimalField(_("cash plan"), default=0, **MONEY)
    realised = models.DecimalField(_("realisation"), default=0, **MONEY)
    lines = models.PositiveIntegerField(_("lines"), default=0)
    mismatched_lines = models.PositiveIntegerField(_("lines whose cash plan differs"), default=0)

    class Meta:
        verbose_name = _("absorption summary")
        verbose_name_plural = _("absorption summaries")
        constraints = [
            models.UniqueConstraint(
                fields=["fiscal_year", "unit", "program", "month"], name="budget_summary_uniq"
            ),
            models.CheckConstraint(
                condition=models.Q(month__lte=12), name="budget_summary_month_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.fiscal_year_id}/{self.unit_id}/{self.program_id}/{self.month}"
