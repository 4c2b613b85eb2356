"""The monthly realisation of the SKP: one submission row per employee and month (what compliance
counts), the realisation of each RHK with its evidence, and the months HR has closed."""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sinergi.core.models import BaseModel
from sinergi.staff.models.employees import Employee
from sinergi.staff.models.skp import Rhk, Skp


class MonthlySubmission(BaseModel):
    """An employee's realisation for one month: draft until submitted; `on_time` is fixed then.

    The dashboard counts these rows (GROUP BY unit and `on_time`), so they carry the year, month
    and employee with an index that serves those counts.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")

    employee = models.ForeignKey(
        Employee, on_delete=models.PROTECT, related_name="submissions", verbose_name=_("employee")
    )
    skp = models.ForeignKey(
        Skp, on_delete=models.PROTECT, related_name="submissions", verbose_name="SKP"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    month = models.PositiveSmallIntegerField(_("month"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    due_on = models.DateField(_("due on"))
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    on_time = models.BooleanField(_("on time"), null=True, blank=True)

    class Meta:
        verbose_name = _("monthly submission")
        verbose_name_plural = _("monthly submissions")
        ordering = ["-year", "-month", "id"]
        permissions = [
            ("view_compliance", "Can see SKP compliance of units"),
            ("close_month", "Can close and reopen a month of SKP realisation"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["employee", "year", "month"], name="staff_submission_one_per_month"
            ),
            models.CheckConstraint(
                condition=models.Q(month__gte=1) & models.Q(month__lte=12),
                name="staff_submission_month_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(status="draft", submitted_at__isnull=True, on_time__isnull=True)
                | models.Q(status="submitted", submitted_at__isnull=False, on_time__isnull=False),
                name="staff_submission_status_consistent",
            ),
        ]
        indexes = [
            models.Index(
                fields=["year", "month", "status", "employee"],
                name="staff_submission_period_idx",
            )
        ]

    def __str__(self) -> str:
        return f"{self.employee} {self.month:02d}/{self.year}"


def evidence_upload_path(instance: "MonthlyRealisation", filename: str) -> str:
    # Never the user's file name on disk: it may carry personal data.
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"skp-evidence/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.{suffix[:5]}"


class MonthlyRealisation(BaseModel):
    """What an employee achieved on one RHK in the month, with the evidence."""

    submission = models.ForeignKey(
        MonthlySubmission,
        on_delete=models.CASCADE,
        related_name="realisations",
        verbose_name=_("monthly submission"),
    )
    rhk = models.ForeignKey(
        Rhk, on_delete=models.PROTECT, related_name="realisations", verbose_name="RHK"
    )
    realisation = models.TextField(_("realisation"))
    evidence_text = models.TextField(_("evidence (description)"), blank=True)
    evidence_link = models.URLField(_("evidence (link)"), max_length=500, blank=True)
    evidence_file = models.FileField(
        _("evidence (file)"), upload_to=evidence_upload_path, max_length=255, blank=True
    )
    evidence_file_name = models.CharField(_("file name"), max_length=255, blank=True)
    evidence_file_type = models.CharField(_("file type"), max_length=100, blank=True)
    evidence_file_size = models.PositiveIntegerField(_("file size (bytes)"), null=True, blank=True)

    class Meta:
        verbose_name = _("monthly realisation")
        verbose_name_plural = _("monthly realisations")
        ordering = ["submission", "rhk__number"]
        constraints = [
            models.UniqueConstraint(
                fields=["submission", "rhk"], name="staff_realisation_one_per_rhk"
            )
        ]

    def __str__(self) -> str:
        return f"{self.submission} RHK {self.rhk_id}"


class MonthClosure(models.Model):
    """A month HR has closed: no realisation for it is accepted any more."""

    year = models.PositiveSmallIntegerField(_("year"))
    month = models.PositiveSmallIntegerField(_("month"))
    closed_at = models.DateTimeField(_("closed at"), default=timezone.now)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("closed by"),
    )

    class Meta:
        verbose_name = _("closed month")
        verbose_name_plural = _("closed months")
        ordering = ["-year", "-month"]
        constraints = [
            models.UniqueConstraint(fields=["year", "month"], name="staff_month_closed_once")
        ]

    def __str__(self) -> str:
        return f"{self.month:02d}/{self.year}"
