"""Realisation of an indicator per quarter, with evidence, entered by the unit and verified (locked)
by the planning staff; and the reporting periods the planning staff close for everyone."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sinergi.core.models import BaseModel
from sinergi.performance.models.plan import VALUE, Indicator


def evidence_upload_path(instance: "Realisation", filename: str) -> str:
    # Never the user's file name on disk: it may carry personal data.
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"performance/evidence/{timezone.now():%Y/%m}/{instance.indicator_id}-{instance.year}-{instance.quarter}.{suffix[:5]}"


class Realisation(BaseModel):
    """What an indicator reached in a quarter (cumulative or per quarter, as the indicator says)."""

    indicator = models.ForeignKey(
        Indicator,
        on_delete=models.CASCADE,
        related_name="realisations",
        verbose_name=_("indicator"),
    )
    year = models.PositiveSmallIntegerField(_("year"))
    quarter = models.PositiveSmallIntegerField(
        _("quarter"), validators=[MinValueValidator(1), MaxValueValidator(4)]
    )
    value = models.DecimalField(_("realisation"), **VALUE)
    evidence_text = models.TextField(_("evidence (description)"), blank=True)
    evidence_file = models.FileField(
        _("evidence (file)"), upload_to=evidence_upload_path, max_length=255, blank=True
    )
    evidence_link = models.URLField(_("evidence (link)"), max_length=500, blank=True)
    automatic = models.BooleanField(_("filled automatically"), default=False)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("entered by"),
    )
    verified = models.BooleanField(_("verified"), default=False)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("verified by"),
    )
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    verification_note = models.CharField(_("verification note"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("realisation")
        verbose_name_plural = _("realisations")
        ordering = ["indicator", "year", "quarter"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "year", "quarter"], name="perf_realisation_period_uniq"
            ),
            models.CheckConstraint(
                condition=models.Q(quarter__gte=1, quarter__lte=4),
                name="perf_realisation_quarter_range",
            ),
        ]
        indexes = [
            models.Index(fields=["year", "quarter", "verified"], name="perf_realisation_queue_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator_id} {self.year}/Q{self.quarter}: {self.value}"


class PeriodLock(BaseModel):
    """A quarter closed by the planning staff: no realisation of it may be entered or changed."""

    year = models.PositiveSmallIntegerField(_("year"))
    quarter = models.PositiveSmallIntegerField(
        _("quarter"), validators=[MinValueValidator(1), MaxValueValidator(4)]
    )
    locked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("locked by"),
    )
    reason = models.CharField(_("reason"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("locked reporting period")
        verbose_name_plural = _("locked reporting periods")
        ordering = ["-year", "-quarter"]
        constraints = [
            models.UniqueConstraint(fields=["year", "quarter"], name="perf_period_lock_uniq")
        ]

    def __str__(self) -> str:
        return f"{self.year}/Q{self.quarter}"
