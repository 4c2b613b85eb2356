"""The DPA of a fiscal year: program > kegiatan > sub kegiatan > budget line, revisions, cash plan.

SIPD codes are opaque strings stored per fiscal year (DOMAIN.md 6.3): decrees renumber items
between years, so a code is only unique within its year.
"""

import datetime as dt
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from sinergi.core.models import BaseModel

MONEY: dict[str, Any] = {"max_digits": 18, "decimal_places": 2}


class AuditAction(models.TextChoices):
    """The audit actions of this app (AuditEvent.action values)."""

    FISCAL_YEAR_SAVED = "budget.fiscal_year_saved", _("Fiscal year saved")
    LINE_CREATED = "budget.line_created", _("Budget line created")
    LINE_UPDATED = "budget.line_updated", _("Budget line changed")
    PAGU_REVISED = "budget.pagu_revised", _("Pagu revised")
    CASH_PLAN_SET = "budget.cash_plan_set", _("Cash plan set")
    REALISATION_RECORDED = "budget.realisation_recorded", _("SP2D realisation recorded")
    REALISATION_CANCELLED = "budget.realisation_cancelled", _("SP2D realisation cancelled")
    PROGRESS_REPORTED = "budget.progress_reported", _("Physical progress reported")
    MILESTONE_SAVED = "budget.milestone_saved", _("Absorption milestone saved")
    PROVINCIAL_OFFICE_SAVED = "budget.provincial_office_saved", _("Provincial office figures saved")


class FiscalYear(BaseModel):
    """A budget year. The traffic-light thresholds of the deviation from the cash plan are data."""

    class Status(models.TextChoices):
        OPEN = "open", pgettext_lazy("fiscal year status", "Open")
        CLOSED = "closed", pgettext_lazy("fiscal year status", "Closed")

    year = models.PositiveSmallIntegerField(
        _("year"), unique=True, validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    status = models.CharField(_("status"), max_length=6, choices=Status.choices, default="open")
    warning_points = models.DecimalField(
        _("deviation for amber (points)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("5"),
        help_text=_("A unit this many points or more behind its cash plan shows amber."),
    )
    critical_points = models.DecimalField(
        _("deviation for red (points)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("10"),
        help_text=_("A unit this many points or more behind its cash plan shows red."),
    )

    class Meta:
        verbose_name = _("fiscal year")
        verbose_name_plural = _("fiscal years")
        ordering = ["-year"]
        permissions = [
            ("manage_budget", "Can maintain the DPA, cash plan, milestones and rankings"),
            ("import_budget", "Can import DPA lines, cash plans and SP2D from spreadsheets"),
        ]

    def __str__(self) -> str:
        return str(self.year)

    @property
    def starts_on(self) -> dt.date:
        return dt.date(self.year, 1, 1)

    @property
    def ends_on(self) -> dt.date:
        return dt.date(self.year, 12, 31)


class Program(BaseModel):
    fiscal_year = models.ForeignKey(FiscalYear, on_delete=models.PROTECT, verbose_name=_("year"))
    code = models.CharField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=255)

    class Meta:
        verbose_name = _("program")
        verbose_name_plural = _("programs")
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(fields=["fiscal_year", "code"], name="budget_program_code_uniq")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Kegiatan(BaseModel):
    fiscal_year = models.ForeignKey(FiscalYear, on_delete=models.PROTECT, verbose_name=_("year"))
    program = models.ForeignKey(Program, on_delete=models.PROTECT, verbose_name=_("program"))
    code = models.CharField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=255)

    class Meta:
        verbose_name = _("kegiatan")
        verbose_name_plural = _("kegiatan")
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(
                fields=["fiscal_year", "code"], name="budget_kegiatan_code_uniq"
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class SubKegiatan(BaseModel):
    fiscal_year = models.ForeignKey(FiscalYear, on_delete=models.PROTECT, verbose_name=_("year"))
    kegiatan = models.ForeignKey(Kegiatan, on_delete=models.PROTECT, verbose_name=_("kegiatan"))
    code = models.CharField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=255)

    class Meta:
        verbose_name = _("sub kegiatan")
        verbose_name_plural = _("sub kegiatan")
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(
                fields=["fiscal_year", "code"], name="budget_subkegiatan_code_uniq"
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


def account_class_of(account_code: str) -> str:
    """`5.1.02.01.01.0024` -> `5.1.02` (akun.kelompok.jenis), the level absorption is grouped by."""
    return ".".join(account_code.split(".")[:3])


class BudgetLine(BaseModel):
    """One rekening belanja line of a sub kegiatan. `pagu` is the pagu of the latest revision."""

    fiscal_year = models.ForeignKey(FiscalYear, on_delete=models.PROTECT, verbose_name=_("year"))
    sub_kegiatan = models.ForeignKey(
        SubKegiatan, on_delete=models.PROTECT, related_name="lines", verbose_name=_("sub kegiatan")
    )
    account_code = models.CharField(_("account code"), max_length=40)
    account_name = models.CharField(_("account name"), max_length=255)
    account_class = models.CharField(_("account class"), max_length=20, editable=False)
    unit = models.ForeignKey(
        "organisation.Unit",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("responsible unit (KPA)"),
    )
    pptk_name = models.CharField(_("PPTK"), max_length=150, blank=True)
    pagu = models.DecimalField(_("pagu"), validators=[MinValueValidator(0)], **MONEY)

    class Meta:
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")
        ordering = ["sub_kegiatan__code", "account_code"]
        constraints = [
            # In SIPD each sub-unit (Bidang, UPT) has its own DPA: the same sub kegiatan and
            # account appear once per responsible unit.
            models.UniqueConstraint(
                fields=["sub_kegiatan", "account_code", "unit"], name="budget_line_account_uniq"
            )
        ]
        indexes = [models.Index(fields=["fiscal_year", "unit"], name="budget_line_year_unit_idx")]

    def __str__(self) -> str:
        return f"{self.account_code} {self.account_name}"


class BudgetRevision(BaseModel):
    """A change of a line's pagu (pergeseran or perubahan): history, never overwritten."""

    class Kind(models.TextChoices):
        INITIAL = "initial", _("Initial DPA")
        SHIFT = "shift", _("Shift (pergeseran)")
        AMENDMENT = "amendment", _("Amendment (perubahan)")

    line = models.ForeignKey(
        BudgetLine, on_delete=models.PROTECT, related_name="revisions", verbose_name=_("line")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    old_pagu = models.DecimalField(_("old pagu"), **MONEY)
    new_pagu = models.DecimalField(_("new pagu"), validators=[MinValueValidator(0)], **MONEY)
    revised_on = models.DateField(_("date"))
    reference = models.CharField(_("reference"), max_length=150, blank=True)
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("entered by"),
    )

    class Meta:
        verbose_name = _("budget revision")
        verbose_name_plural = _("budget revisions")
        ordering = ["line", "revised_on", "id"]

    def __str__(self) -> str:
        return f"{self.line_id}: {self.old_pagu} -> {self.new_pagu}"


class CashPlan(BaseModel):
    """Anggaran kas: the planned withdrawal of a line in one month."""

    line = models.ForeignKey(
        BudgetLine, on_delete=models.CASCADE, related_name="cash_plan", verbose_name=_("line")
    )
    month = models.PositiveSmallIntegerField(
        _("month"), validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    amount = models.DecimalField(_("amount"), validators=[MinValueValidator(0)], **MONEY)

    class Meta:
        verbose_name = _("cash plan month")
        verbose_name_plural = _("cash plan")
        ordering = ["line", "month"]
        constraints = [
            models.UniqueConstraint(fields=["line", "month"], name="budget_cashplan_month_uniq"),
            models.CheckConstraint(
                condition=models.Q(month__gte=1, month__lte=12), name="budget_cashplan_month_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.line_id}/{self.month}: {self.amount}"
