"""Monitoring data: physical progress, milestone targets and the provincial ranking table."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from sinergi.budget.models.dpa import MONEY, FiscalYear, SubKegiatan
from sinergi.core.models import BaseModel


class PhysicalProgress(BaseModel):
    """Physical progress of a unit's sub kegiatan at the end of a month, as reported by its PPTK.

    Per unit: in SIPD each Bidang and UPT has its own DPA, so several units carry the same sub
    kegiatan code, each with its own PPTK and its own progress.
    """

    sub_kegiatan = models.ForeignKey(
        SubKegiatan,
        on_delete=models.CASCADE,
        related_name="progress",
        verbose_name=_("sub kegiatan"),
    )
    unit = models.ForeignKey(
        "organisation.Unit",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("responsible unit (KPA)"),
    )
    month = models.PositiveSmallIntegerField(
        _("month"), validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    percent = models.DecimalField(
        _("physical progress (%)"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    reported_by = models.CharField(_("reported by (PPTK)"), max_length=150)

    class Meta:
        verbose_name = _("physical progress")
        verbose_name_plural = _("physical progress")
        ordering = ["sub_kegiatan", "unit", "month"]
        constraints = [
            models.UniqueConstraint(
                fields=["sub_kegiatan", "unit", "month"], name="budget_progress_unit_month_uniq"
            )
        ]


class Milestone(BaseModel):
    """An absorption target set for the year, e.g. 60% by 31 August (with where it came from)."""

    fiscal_year = models.ForeignKey(
        FiscalYear, on_delete=models.CASCADE, related_name="milestones", verbose_name=_("year")
    )
    due_on = models.DateField(_("due date"))
    target_percent = models.DecimalField(
        _("target absorption (%)"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    source = models.CharField(_("source / notes"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("absorption milestone")
        verbose_name_plural = _("absorption milestones")
        ordering = ["fiscal_year", "due_on"]
        constraints = [
            models.UniqueConstraint(fields=["fiscal_year", "due_on"], name="budget_milestone_uniq")
        ]

    def __str__(self) -> str:
        return f"{self.target_percent}% @ {self.due_on}"


class ProvincialOffice(BaseModel):
    """One provincial office's pagu and realisation at a month end, to rank the office among all."""

    fiscal_year = models.ForeignKey(FiscalYear, on_delete=models.CASCADE, verbose_name=_("year"))
    month = models.PositiveSmallIntegerField(
        _("month"), validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    office_name = models.CharField(_("office"), max_length=200)
    pagu = models.DecimalField(_("pagu"), validators=[MinValueValidator(0)], **MONEY)
    realisation = models.DecimalField(_("realisation"), validators=[MinValueValidator(0)], **MONEY)
    is_own_office = models.BooleanField(_("this office"), default=False)

    class Meta:
        verbose_name = _("provincial office figures")
        verbose_name_plural = _("provincial office figures")
        ordering = ["fiscal_year", "month", "office_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["fiscal_year", "month", "office_name"], name="budget_provoffice_uniq"
            )
        ]

    def __str__(self) -> str:
        return self.office_name
