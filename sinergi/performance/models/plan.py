"""The strategic plan (Renstra) as data: period > tujuan > sasaran > indicators, their targets per
year and quarter, and the Perjanjian Kinerja (PK) a unit head signs each year (DOMAIN.md 5.1)."""

from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from sinergi.core.models import BaseModel

VALUE: dict[str, Any] = {"max_digits": 18, "decimal_places": 4}


class AuditAction(models.TextChoices):
    """The audit actions of this app (AuditEvent.action values)."""

    PERIOD_SAVED = "performance.period_saved", _("Renstra period saved")
    GOAL_SAVED = "performance.goal_saved", _("Goal (tujuan) saved")
    OBJECTIVE_SAVED = "performance.objective_saved", _("Objective (sasaran) saved")
    INDICATOR_SAVED = "performance.indicator_saved", _("Indicator saved")
    TARGET_SET = "performance.target_set", _("Indicator target set")
    AGREEMENT_SAVED = "performance.agreement_saved", _("Performance agreement saved")
    AGREEMENT_SIGNED = "performance.agreement_signed", _("Performance agreement signed")
    REALISATION_ENTERED = "performance.realisation_entered", _("Realisation entered")
    REALISATION_FILLED = "performance.realisation_filled", _("Realisation filled from a metric")
    REALISATION_VERIFIED = "performance.realisation_verified", _("Realisation verified")
    REALISATION_UNLOCKED = "performance.realisation_unlocked", _("Realisation unlocked")
    PERIOD_LOCKED = "performance.period_locked", _("Reporting period locked")
    PERIOD_UNLOCKED = "performance.period_unlocked", _("Reporting period unlocked")
    BAND_SAVED = "performance.band_saved", _("Achievement band saved")
    SPM_FIGURE_SAVED = "performance.spm_figure_saved", _("SPM figure saved")
    SPM_SERVICE_SAVED = "performance.spm_service_saved", _("SPM service settings saved")


class Polarity(models.TextChoices):
    """How an indicator's realisation compares with its target (DOMAIN.md 5.4)."""

    MAXIMIZE = "maximize", _("Higher is better")
    MINIMIZE = "minimize", _("Lower is better")
    RANGE = "range", _("Within a range")
    BINARY = "binary", _("Yes / no")


class QuarterMode(models.TextChoices):
    """How quarterly targets and realisations relate to the year."""

    CUMULATIVE = "cumulative", _("Cumulative (each quarter is the figure so far this year)")
    PER_QUARTER = "per_quarter", _("Per quarter (the year is the sum of the quarters)")


class RenstraPeriod(BaseModel):
    """A five-year Rencana Strategis of the office (e.g. 2025-2029)."""

    name = models.CharField(_("name"), max_length=200)
    start_year = models.PositiveSmallIntegerField(
        _("first year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    end_year = models.PositiveSmallIntegerField(
        _("last year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    legal_basis = models.CharField(_("legal basis"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("Renstra period")
        verbose_name_plural = _("Renstra periods")
        ordering = ["-start_year"]
        permissions = [
            ("manage_plan", "Can maintain the strategic plan, indicators and targets"),
            ("verify_realisation", "Can verify and unlock indicator realisations"),
            ("enter_realisation", "Can enter indicator realisation for own unit"),
            ("view_performance", "Can read indicators, targets and achievement"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["start_year"], name="perf_period_start_uniq"),
            models.CheckConstraint(
                condition=models.Q(end_year__gte=models.F("start_year")),
                name="perf_period_years_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.start_year}-{self.end_year})"

    @property
    def years(self) -> list[int]:
        return list(range(self.start_year, self.end_year + 1))


class Goal(BaseModel):
    """Tujuan of the Renstra."""

    period = models.ForeignKey(
        RenstraPeriod, on_delete=models.PROTECT, related_name="goals", verbose_name=_("period")
    )
    code = models.CharField(_("code"), max_length=30)
    statement = models.CharField(_("goal"), max_length=500)

    class Meta:
        verbose_name = _("goal (tujuan)")
        verbose_name_plural = _("goals (tujuan)")
        ordering = ["period", "code"]
        constraints = [
            models.UniqueConstraint(fields=["period", "code"], name="perf_goal_code_uniq")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.statement}"


class Objective(BaseModel):
    """Sasaran strategis under a tujuan."""

    goal = models.ForeignKey(
        Goal, on_delete=models.PROTECT, related_name="objectives", verbose_name=_("goal")
    )
    code = models.CharField(_("code"), max_length=30)
    statement = models.CharField(_("objective"), max_length=500)

    class Meta:
        verbose_name = _("objective (sasaran)")
        verbose_name_plural = _("objectives (sasaran)")
        ordering = ["goal", "code"]
        constraints = [
            models.UniqueConstraint(fields=["goal", "code"], name="perf_objective_code_uniq")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.statement}"


class Indicator(BaseModel):
    """An indicator: an IKU of the office or an indicator of a unit (optionally under an IKU)."""

    class Level(models.TextChoices):
        IKU = "iku", _("Key indicator of the office (IKU)")
        UNIT = "unit", _("Unit indicator")

    period = models.ForeignKey(
        RenstraPeriod, on_delete=models.PROTECT, related_name="indicators", verbose_name=_("period")
    )
    objective = models.ForeignKey(
        Objective,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="indicators",
        verbose_name=_("objective (sasaran)"),
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("supports the IKU"),
    )
    unit = models.ForeignKey(
        "organisation.Unit",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("responsible unit"),
    )
    level = models.CharField(_("level"), max_length=4, choices=Level.choices, default="unit")
    code = models.CharField(_("code"), max_length=40)
    name = models.CharField(_("indicator"), max_length=500)
    unit_of_measure = models.CharField(_("unit of measure"), max_length=60)
    polarity = models.CharField(
        _("polarity"), max_length=8, choices=Polarity.choices, default=Polarity.MAXIMIZE
    )
    quarter_mode = models.CharField(
        _("quarterly figures"),
        max_length=11,
        choices=QuarterMode.choices,
        default=QuarterMode.CUMULATIVE,
    )
    data_source = models.CharField(_("data source"), max_length=255, blank=True)
    formula = models.TextField(_("formula"), blank=True)
    metric_code = models.CharField(
        _("computed from"),
        max_length=100,
        blank=True,
        help_text=_("Filled automatically from Sinergi's own records; not entered by hand."),
    )
    sub_kegiatan = models.ManyToManyField(
        "budget.SubKegiatan",
        blank=True,
        related_name="+",
        verbose_name=_("sub kegiatan serving it"),
    )
    is_active = models.BooleanField(_("active"), default=True)
    sort_order = models.PositiveIntegerField(_("order"), default=100)

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["sort_order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["period", "code"], name="perf_indicator_code_uniq")
        ]
        indexes = [
            models.Index(fields=["period", "unit", "code"], name="perf_indicator_unit_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def automatic(self) -> bool:
        return bool(self.metric_code)


class Target(BaseModel):
    """The target of an indicator for a year (quarter 0) or a quarter (1-4).

    Range indicators use `low`/`high` (and `value` holds the midpoint for display); yes/no
    indicators hold 1 (yes) or 0 (no).
    """

    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="targets", verbose_name=_("indicator")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    quarter = models.PositiveSmallIntegerField(
        _("quarter"),
        default=0,
        validators=[MaxValueValidator(4)],
        help_text=_("0 for the whole year."),
    )
    value = models.DecimalField(_("target"), null=True, blank=True, **VALUE)
    low = models.DecimalField(_("lowest acceptable"), null=True, blank=True, **VALUE)
    high = models.DecimalField(_("highest acceptable"), null=True, blank=True, **VALUE)
    note = models.CharField(_("note"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        ordering = ["indicator", "year", "quarter"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "year", "quarter"], name="perf_target_period_uniq"
            ),
            models.CheckConstraint(
                condition=models.Q(quarter__lte=4), name="perf_target_quarter_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator_id} {self.year}/{self.quarter}: {self.value}"


class PerformanceAgreement(BaseModel):
    """Perjanjian Kinerja: a unit head's signed commitment to the year's targets (PermenPANRB 53/2014)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SIGNED = "signed", _("Signed")

    year = models.PositiveSmallIntegerField(_("year"))
    unit = models.ForeignKey(
        "organisation.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("unit")
    )
    head = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("head (first party)"),
    )
    head_name = models.CharField(_("name of the head"), max_length=150)
    head_position = models.CharField(_("position of the head"), max_length=200)
    superior_name = models.CharField(_("name of the superior"), max_length=150, blank=True)
    superior_position = models.CharField(_("position of the superior"), max_length=200, blank=True)
    status = models.CharField(_("status"), max_length=6, choices=Status.choices, default="draft")
    signed_on = models.DateField(_("signed on"), null=True, blank=True)

    class Meta:
        verbose_name = _("performance agreement (PK)")
        verbose_name_plural = _("performance agreements (PK)")
        ordering = ["-year", "unit__path"]
        constraints = [
            models.UniqueConstraint(fields=["year", "unit"], name="perf_agreement_year_unit_uniq")
        ]

    def __str__(self) -> str:
        return f"PK {self.year} {self.head_name}"


class PerformanceAgreementItem(BaseModel):
    """An indicator of a PK with the target agreed (copied when the PK is drawn up)."""

    agreement = models.ForeignKey(
        PerformanceAgreement,
        on_delete=models.CASCADE,
        related_name="items",
        verbose_name=_("agreement"),
    )
    indicator = models.ForeignKey(
        Indicator, on_delete=models.PROTECT, related_name="+", verbose_name=_("indicator")
    )
    target_value = models.DecimalField(_("target"), null=True, blank=True, **VALUE)
    target_low = models.DecimalField(_("lowest acceptable"), null=True, blank=True, **VALUE)
    target_high = models.DecimalField(_("highest acceptable"), null=True, blank=True, **VALUE)

    class Meta:
        verbose_name = _("agreement indicator")
        verbose_name_plural = _("agreement indicators")
        ordering = ["agreement", "indicator__sort_order", "indicator__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "indicator"], name="perf_agreement_item_uniq"
            )
        ]

    def __str__(self) -> str:
        return f"{self.agreement_id}/{self.indicator_id}"
