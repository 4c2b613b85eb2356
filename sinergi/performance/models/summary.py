"""Per unit, year and period (quarter 0 = the year), how many indicators fall in each band: kept up
to date by the services in the transaction of every change, read by the dashboard (P4)."""

from django.db import models

from sinergi.performance.models.plan import VALUE
from sinergi.performance.models.reference import Band


class AchievementSummary(models.Model):
    unit = models.ForeignKey("organisation.Unit", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    quarter = models.PositiveSmallIntegerField()  # 0 = the year
    band = models.ForeignKey(Band, on_delete=models.CASCADE, null=True, related_name="+")
    indicators = models.PositiveIntegerField(default=0)
    with_figure = models.PositiveIntegerField(default=0)
    verified = models.PositiveIntegerField(default=0)
    total = models.DecimalField(null=True, **{**VALUE, "max_digits": 24})

    class Meta:
        indexes = [
            models.Index(fields=["year", "quarter", "unit"], name="perf_summary_period_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.year}/{self.quarter} band {self.band_id}: {self.indicators}"
