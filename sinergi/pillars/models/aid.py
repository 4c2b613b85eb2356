"""Quarterly aid: schemes and their effective-dated rates, cycles, payment batches, entitlements,
bank result files and the daftar nominatif documents."""

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from sinergi.core.models import BaseModel
from sinergi.pillars.models.reference import Bank, PillarType
from sinergi.pillars.models.registry import Member, MemberRole

MONEY: dict[str, Any] = {"max_digits": 18, "decimal_places": 2}
QUARTER_VALIDATORS = [MinValueValidator(1), MaxValueValidator(4)]


def quarter_start(year: int, quarter: int) -> dt.date:
    return dt.date(year, 3 * quarter - 2, 1)


def quarter_end(year: int, quarter: int) -> dt.date:
    if quarter == 4:
        return dt.date(year, 12, 31)
    return dt.date(year, 3 * quarter + 1, 1) - dt.timedelta(days=1)


def on_time_deadline(year: int, quarter: int) -> dt.date:
    """Paid on time = paid by the last day of the quarter's first month (guide, chapter 40)."""
    first = quarter_start(year, quarter)
    next_month = dt.date(first.year, first.month + 1, 1)
    return next_month - dt.timedelta(days=1)


class AidScheme(BaseModel):
    """A kind of quarterly aid (bantuan operasional, tali asih...), paid per member per quarter."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(
        _("short name for transfers"),
        max_length=20,
        help_text=_("Written in the bank file's description, e.g. BOP PILAR SOSIAL."),
    )
    description = models.CharField(_("description"), max_length=500, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("aid scheme")
        verbose_name_plural = _("aid schemes")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class AidRate(BaseModel):
    """The amount per quarter for a pillar type (and role, or every role when blank) from a date.

    Never changed once entered: a new rate from a later date replaces it, history is kept. The rate
    in force on a quarter's first day applies to that quarter; a role's own rate wins over the
    every-role rate of the same type.
    """

    scheme = models.ForeignKey(
        AidScheme, on_delete=models.PROTECT, related_name="rates", verbose_name=_("scheme")
    )
    pillar_type = models.ForeignKey(
        PillarType, on_delete=models.PROTECT, related_name="+", verbose_name=_("pillar type")
    )
    role = models.CharField(
        _("role"),
        max_length=24,
        choices=MemberRole.choices,
        blank=True,
        help_text=_("Empty: every role of the type."),
    )
    amount = models.DecimalField(
        _("amount per quarter"), validators=[MinValueValidator(0)], **MONEY
    )
    effective_from = models.DateField(_("in force from"))
    source = models.CharField(_("source"), max_length=255)
    is_confirmed = models.BooleanField(_("confirmed"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("entered by"),
    )

    class Meta:
        verbose_name = _("aid rate")
        verbose_name_plural = _("aid rates")
        ordering = ["scheme", "pillar_type", "role", "-effective_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["scheme", "pillar_type", "role", "effective_from"],
                name="pillars_rate_uniq",
            )
        ]

    def __str__(self) -> str:
        return f"{self.pillar_type_id}/{self.role or '*'} {self.amount} @ {self.effective_from}"


class SchemeFunding(BaseModel):
    """The DPA budget line a scheme is charged to in a fiscal year."""

    scheme = models.ForeignKey(
        AidScheme, on_delete=models.PROTECT, related_name="funding", verbose_name=_("scheme")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    budget_line = models.ForeignKey(
        "budget.BudgetLine",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("budget line"),
    )

    class Meta:
        verbose_name = _("scheme funding")
        verbose_name_plural = _("scheme funding")
        ordering = ["scheme", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "year"], name="pillars_funding_year_uniq")
        ]

    def __str__(self) -> str:
        return f"{self.scheme_id} {self.year}"


class Cycle(BaseModel):
    """One scheme's quarter for the members of a unit's subtree; paid in one or more batches."""

    scheme = models.ForeignKey(
        AidScheme, on_delete=models.PROTECT, related_name="cycles", verbose_name=_("scheme")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    quarter = models.PositiveSmallIntegerField(_("quarter"), validators=QUARTER_VALIDATORS)
    unit = models.ForeignKey(
        "organisation.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("unit")
    )
    budget_line = models.ForeignKey(
        "budget.BudgetLine",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("budget line"),
    )
    pptk_name = models.CharField(_("PPTK"), max_length=150, blank=True)
    treasurer_name = models.CharField(_("treasurer (bendahara)"), max_length=150, blank=True)
    kpa_name = models.CharField(_("KPA"), max_length=150, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("generated by"),
    )

    class Meta:
        verbose_name = _("aid cycle")
        verbose_name_plural = _("aid cycles")
        ordering = ["-year", "-quarter", "-id"]
        permissions = [
            ("approve_batch", "Can approve payment batches (checker)"),
            ("reconcile_batch", "Can apply bank result files and record the realisation"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["scheme", "year", "quarter", "unit"], name="pillars_cycle_uniq"
            ),
            models.CheckConstraint(
                condition=models.Q(quarter__gte=1, quarter__lte=4), name="pillars_cycle_quarter"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.scheme} TW{self.quarter} {self.year}"

    @property
    def starts_on(self) -> dt.date:
        return quarter_start(self.year, self.quarter)

    @property
    def ends_on(self) -> dt.date:
        return quarter_end(self.year, self.quarter)


class BatchStatus(models.TextChoices):
    DRAFT = "draft", _("Under review")
    APPROVED = "approved", _("Approved")
    EXPORTED = "exported", _("Sent to the bank")
    RECONCILED = "reconciled", _("Reconciled")


class Batch(BaseModel):
    """A payment run of a cycle: number 1 is the main one, later numbers are follow-up batches."""

    cycle = models.ForeignKey(
        Cycle, on_delete=models.PROTECT, related_name="batches", verbose_name=_("cycle")
    )
    number = models.PositiveSmallIntegerField(_("number"))
    status = models.CharField(
        _("status"), max_length=10, choices=BatchStatus.choices, default=BatchStatus.DRAFT
    )
    entitlement_count = models.PositiveIntegerField(_("entitlements"), default=0)
    total_amount = models.DecimalField(_("total"), default=0, **MONEY)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("maker"),
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("approved by"),
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    exported_at = models.DateTimeField(_("bank file made at"), null=True, blank=True)
    reconciled_at = models.DateTimeField(_("reconciled at"), null=True, blank=True)

    class Meta:
        verbose_name = _("payment batch")
        verbose_name_plural = _("payment batches")
        ordering = ["cycle", "number"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "number"], name="pillars_batch_number_uniq")
        ]
        indexes = [
            models.Index(fields=["approved_by", "approved_at"], name="pillars_batch_appr_idx")
        ]

    def __str__(self) -> str:
        return f"{self.cycle} #{self.number}"


class EntitlementStatus(models.TextChoices):
    # Approval is a state of the batch (one row, never 100k updates): "pending" means "in its
    # batch, not paid yet"; the batch says whether it is under review, approved or sent.
    PENDING = "pending", _("Not paid yet")
    PAID = "paid", _("Paid")
    FAILED = "failed", _("Failed")
    EXCLUDED = "excluded", _("Excluded")


class ResultImport(BaseModel):
    """One bank result file applied to a batch, and the realisation (SP2D) it recorded."""

    batch = models.ForeignKey(
        Batch, on_delete=models.PROTECT, related_name="results", verbose_name=_("batch")
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by")
    )
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    paid_count = models.PositiveIntegerField(_("paid"), default=0)
    failed_count = models.PositiveIntegerField(_("failed"), default=0)
    paid_amount = models.DecimalField(_("amount paid"), default=0, **MONEY)
    paid_on = models.DateField(_("paid on"))
    sp2d_number = models.CharField(_("SP2D number"), max_length=80, blank=True)
    realisation = models.ForeignKey(
        "budget.Realisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("realisation"),
    )

    class Meta:
        verbose_name = _("bank result file")
        verbose_name_plural = _("bank result files")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["uploaded_by", "created_at"], name="pillars_result_user_idx")
        ]


class Entitlement(models.Model):
    """What one member is owed for one scheme and quarter. Never twice (database constraint).

    The bank account is copied when the entitlement is made or moved to a follow-up batch, so the
    bank file pays what was reviewed and approved.
    """

    cycle = models.ForeignKey(Cycle, on_delete=models.PROTECT, related_name="entitlements")
    batch = models.ForeignKey(Batch, on_delete=models.PROTECT, related_name="entitlements")
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="entitlements")
    scheme = models.ForeignKey(AidScheme, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("year"))
    quarter = models.PositiveSmallIntegerField(_("quarter"))
    pillar_type = models.ForeignKey(PillarType, on_delete=models.PROTECT, related_name="+")
    role = models.CharField(_("role"), max_length=24, choices=MemberRole.choices)
    regency = models.ForeignKey(
        "organisation.Region", on_delete=models.PROTECT, related_name="+", db_constraint=False
    )
    rate = models.ForeignKey(AidRate, on_delete=models.PROTECT, related_name="+")
    amount = models.DecimalField(_("amount"), **MONEY)
    bank = models.ForeignKey(Bank, on_delete=models.PROTECT, related_name="+")
    account_number = models.CharField(_("account number"), max_length=30)
    account_holder = models.CharField(_("account holder"), max_length=150)
    status = models.CharField(
        _("status"), max_length=10, choices=EntitlementStatus.choices, default="pending"
    )
    attempt = models.PositiveSmallIntegerField(_("attempt"), default=1)
    failure_reason = models.CharField(_("reason of failure"), max_length=255, blank=True)
    paid_on = models.DateField(_("paid on"), null=True, blank=True)
    result = models.ForeignKey(
        ResultImport, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("entitlement")
        verbose_name_plural = _("entitlements")
        ordering = ["batch", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["member", "scheme", "year", "quarter"], name="pillars_paid_once"
            )
        ]
        indexes = [
            # The batch page lists a batch's entitlements by id, all or of one status.
            models.Index(fields=["batch", "id"], name="pillars_ent_batch_id_idx"),
            models.Index(fields=["batch", "status", "id"], name="pillars_ent_batch_stat_idx"),
            models.Index(fields=["cycle", "status"], name="pillars_ent_cycle_status_idx"),
            models.Index(fields=["year", "quarter"], name="pillars_ent_period_idx"),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def reference(self) -> str:
        return transfer_reference(self.pk, self.attempt)


def transfer_reference(entitlement_id: int, attempt: int) -> str:
    """The transfer reference in the bank file: P + 9-digit entitlement id + 2-digit attempt."""
    return f"P{entitlement_id:09d}{attempt:02d}"


class BatchSummary(models.Model):
    """Count and amount of a batch's entitlements per pillar type, regency and status.

    Rebuilt in the transaction of every write that changes a batch's entitlements (generation,
    exclusion, result file, follow-up), so the batch page reads a few dozen rows instead of
    summing up to 100k entitlements on every request."""

    batch = models.ForeignKey(Batch, on_delete=models.CASCADE, related_name="summaries")
    pillar_type = models.ForeignKey(PillarType, on_delete=models.PROTECT, related_name="+")
    regency = models.ForeignKey(
        "organisation.Region", on_delete=models.DO_NOTHING, related_name="+", db_constraint=False
    )
    status = models.CharField(_("status"), max_length=10, choices=EntitlementStatus.choices)
    count = models.PositiveIntegerField(_("entitlements"))
    amount = models.DecimalField(_("amount"), **MONEY)

    class Meta:
        verbose_name = _("batch summary")
        verbose_name_plural = _("batch summaries")
        constraints = [
            models.UniqueConstraint(
                fields=["batch", "pillar_type", "regency", "status"],
                name="pillars_batch_summary_uniq",
            )
        ]

    def __str__(self) -> str:
        return f"{self.batch_id} {self.pillar_type_id} {self.regency_id} {self.status}"


class EntitlementFailure(models.Model):
    """A failed transfer of an entitlement, kept when it moves on to a follow-up batch."""

    entitlement = models.ForeignKey(Entitlement, on_delete=models.CASCADE, related_name="failures")
    batch = models.ForeignKey(Batch, on_delete=models.PROTECT, related_name="+")
    attempt = models.PositiveSmallIntegerField(_("attempt"))
    bank = models.ForeignKey(Bank, on_delete=models.PROTECT, related_name="+")
    account_number = models.CharField(_("account number"), max_length=30)
    reason = models.CharField(_("reason"), max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("failed transfer")
        verbose_name_plural = _("failed transfers")
        ordering = ["entitlement", "attempt"]

    def __str__(self) -> str:
        return f"{self.entitlement_id}/{self.attempt}"


def nominative_path(instance: "NominativeDocument", filename: str) -> str:
    return f"pillars/nominatif/{instance.pk}.pdf"


class NominativeDocument(BaseModel):
    """A daftar nominatif too big for the request, written by a background job."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    batch = models.ForeignKey(Batch, on_delete=models.CASCADE, related_name="documents")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default="queued")
    file = models.FileField(_("file"), upload_to=nominative_path, max_length=255, blank=True)
    message = models.CharField(_("message"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("daftar nominatif")
        verbose_name_plural = _("daftar nominatif")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.batch_id}: {self.status}"


def rates_in_force(scheme_id: int, on: dt.date) -> dict[tuple[int, str], AidRate]:
    """(pillar type id, role) -> the rate that applies on `on`, for every role of every type with a
    rate: the role's own latest rate from on or before `on`, else the type's every-role rate."""
    latest: dict[tuple[int, str], AidRate] = {}
    for rate in AidRate.objects.filter(scheme_id=scheme_id, effective_from__lte=on).order_by(
        "effective_from", "id"
    ):
        latest[(rate.pillar_type_id, rate.role)] = rate  # later dates overwrite earlier ones
    applicable: dict[tuple[int, str], AidRate] = {}
    for type_id in {type_id for type_id, _role in latest}:
        for role in MemberRole.values:
            found = latest.get((type_id, role)) or latest.get((type_id, ""))
            if found is not None:
                applicable[(type_id, role)] = found
    return applicable
