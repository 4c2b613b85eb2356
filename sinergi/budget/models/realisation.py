"""SP2D realisations and the budget lines each one charges."""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from sinergi.budget.models.dpa import MONEY, BudgetLine, FiscalYear
from sinergi.core.models import BaseModel


class Realisation(BaseModel):
    """One SP2D (cash-basis realisation). The number is unique within its fiscal year."""

    class Type(models.TextChoices):
        UP = "UP", _("UP (uang persediaan)")
        GU = "GU", _("GU (ganti uang)")
        TU = "TU", _("TU (tambah uang)")
        LS = "LS", _("LS (langsung)")

    fiscal_year = models.ForeignKey(FiscalYear, on_delete=models.PROTECT, verbose_name=_("year"))
    sp2d_number = models.CharField(_("SP2D number"), max_length=80)
    paid_on = models.DateField(_("SP2D date"))
    sp2d_type = models.CharField(_("type"), max_length=2, choices=Type.choices)
    amount = models.DecimalField(_("amount"), validators=[MinValueValidator(0)], **MONEY)
    description = models.CharField(_("description"), max_length=255, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("entered by"),
    )

    class Meta:
        verbose_name = _("realisation (SP2D)")
        verbose_name_plural = _("realisations (SP2D)")
        ordering = ["-paid_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["fiscal_year", "sp2d_number"], name="budget_sp2d_number_uniq"
            )
        ]
        indexes = [
            # the SP2D list pages newest first by (paid_on, id): the key is in the index
            models.Index(
                fields=["fiscal_year", "paid_on", "id"], name="budget_sp2d_year_date_id_idx"
            )
        ]

    def __str__(self) -> str:
        return self.sp2d_number


class RealisationAllocation(models.Model):
    """The part of an SP2D charged to one budget line. `paid_on` repeats the SP2D date for speed."""

    realisation = models.ForeignKey(
        Realisation, on_delete=models.CASCADE, related_name="allocations"
    )
    line = models.ForeignKey(BudgetLine, on_delete=models.PROTECT, related_name="allocations")
    paid_on = models.DateField(_("SP2D date"))
    amount = models.DecimalField(_("amount"), validators=[MinValueValidator(0)], **MONEY)

    class Meta:
        verbose_name = _("SP2D allocation")
        verbose_name_plural = _("SP2D allocations")
        constraints = [
            models.UniqueConstraint(
                fields=["realisation", "line"], name="budget_allocation_line_uniq"
            )
        ]
        indexes = [models.Index(fields=["line", "paid_on"], name="budget_alloc_line_date_idx")]

    def __str__(self) -> str:
        return f"{self.realisation_id} -> {self.line_id}: {self.amount}"
